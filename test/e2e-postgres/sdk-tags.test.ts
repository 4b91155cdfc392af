// The HTTP suite's sdk-tags, against a PostgreSQL-backed server (a fresh schema per server).
process.env.SWITCHBOARD_TEST_STORE = "postgres";
await import("../e2e/sdk-tags.test.js");
