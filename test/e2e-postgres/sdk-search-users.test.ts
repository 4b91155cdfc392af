// The HTTP suite's sdk-search-users, against a PostgreSQL-backed server (a fresh schema per server).
process.env.SWITCHBOARD_TEST_STORE = "postgres";
await import("../e2e/sdk-search-users.test.js");
