// The HTTP suite's sdk-user-updates, against a PostgreSQL-backed server (a fresh schema per server).
process.env.SWITCHBOARD_TEST_STORE = "postgres";
await import("../e2e/sdk-user-updates.test.js");
