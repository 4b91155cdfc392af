// The HTTP suite's cloudformation-arns, against a PostgreSQL-backed server (a fresh schema per server).
process.env.SWITCHBOARD_TEST_STORE = "postgres";
await import("../e2e/cloudformation-arns.test.js");
