// The HTTP suite's clients-python-cli, against a PostgreSQL-backed server (a fresh schema per server).
process.env.SWITCHBOARD_TEST_STORE = "postgres";
await import("../e2e/clients-python-cli.test.js");
