// The HTTP suite's terraform-sequences, against a PostgreSQL-backed server (a fresh schema per server).
process.env.SWITCHBOARD_TEST_STORE = "postgres";
await import("../e2e/terraform-sequences.test.js");
