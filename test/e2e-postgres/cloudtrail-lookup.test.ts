// The HTTP suite's cloudtrail-lookup, against a PostgreSQL-backed server (a fresh schema per server).
process.env.SWITCHBOARD_TEST_STORE = "postgres";
await import("../e2e/cloudtrail-lookup.test.js");
