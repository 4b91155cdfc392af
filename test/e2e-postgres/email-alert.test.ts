// The HTTP suite's email-alert, against a PostgreSQL-backed server (a fresh schema per server).
process.env.SWITCHBOARD_TEST_STORE = "postgres";
await import("../e2e/email-alert.test.js");
