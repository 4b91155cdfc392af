// loadConfig (src/config.ts): defaults, SWITCHBOARD_* environment variables, flags over env,
// and ConfigError with the reason for anything invalid. Pure: no process state is touched.
import assert from "node:assert/strict";
import { isAbsolute, join, resolve } from "node:path";
import { describe, test } from "node:test";
import { ConfigError, loadConfig } from "../../src/config.js";

function configError(argv: string[], env: Record<string, string> = {}): string {
  let caught: unknown;
  try {
    loadConfig(argv, env);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError for ${JSON.stringify({ argv, env })}, got ${String(caught)}`);
  return caught.message;
}

describe("loadConfig: defaults", () => {
  test("no flags, no env", () => {
    const c = loadConfig([], {});
    assert.equal(c.host, "127.0.0.1");
    assert.equal(c.port, 4599);
    assert.deepEqual(c.storage, { kind: "sqlite", file: resolve("./data/switchboard.db") });
    assert.equal(c.durability, "normal");
    assert.equal(c.auth, "sigv4");
    assert.equal(c.accessKeyId, "test");
    assert.equal(c.secretAccessKey, "test");
    assert.equal(c.accountId, "000000000000");
    assert.equal(c.logLevel, "info");
    assert.equal(c.maxBodyBytes, 1024 * 1024);
    assert.deepEqual(c.quotas, {
      instancesPerRegion: 2,
      usersPerInstance: 500,
      securityProfilesPerInstance: 100,
      routingProfilesPerInstance: 100,
      hierarchyGroupsPerInstance: 500,
    });
    assert.equal(c.throttle, undefined);
  });

  test("the database path is absolute", () => {
    const c = loadConfig([], {});
    assert.equal(c.storage.kind, "sqlite");
    if (c.storage.kind === "sqlite") {
      assert.ok(isAbsolute(c.storage.file), c.storage.file);
      assert.ok(c.storage.file.endsWith(join("data", "switchboard.db")), c.storage.file);
    }
  });

  test("the process environment is not read implicitly", () => {
    const before = process.env.SWITCHBOARD_PORT;
    process.env.SWITCHBOARD_PORT = "1234";
    try {
      assert.equal(loadConfig([], {}).port, 4599);
    } finally {
      if (before === undefined) delete process.env.SWITCHBOARD_PORT;
      else process.env.SWITCHBOARD_PORT = before;
    }
  });
});

describe("loadConfig: environment variables", () => {
  test("each SWITCHBOARD_* variable is honoured", () => {
    const c = loadConfig([], {
      SWITCHBOARD_HOST: "0.0.0.0",
      SWITCHBOARD_PORT: "8080",
      SWITCHBOARD_DATA: "/var/lib/sb",
      SWITCHBOARD_DURABILITY: "full",
      SWITCHBOARD_AUTH: "off",
      SWITCHBOARD_ACCESS_KEY_ID: "AKIDEXAMPLE",
      SWITCHBOARD_SECRET_ACCESS_KEY: "secret/key",
      SWITCHBOARD_ACCOUNT_ID: "123456789012",
      SWITCHBOARD_LOG_LEVEL: "debug",
      SWITCHBOARD_MAX_BODY_BYTES: "2048",
      SWITCHBOARD_MAX_INSTANCES: "7",
      SWITCHBOARD_MAX_USERS_PER_INSTANCE: "9000",
      SWITCHBOARD_THROTTLE: "aws",
    });
    assert.equal(c.host, "0.0.0.0");
    assert.equal(c.port, 8080);
    assert.deepEqual(c.storage, { kind: "sqlite", file: "/var/lib/sb/switchboard.db" });
    assert.equal(c.durability, "full");
    assert.equal(c.auth, "off");
    assert.equal(c.accessKeyId, "AKIDEXAMPLE");
    assert.equal(c.secretAccessKey, "secret/key");
    assert.equal(c.accountId, "123456789012");
    assert.equal(c.logLevel, "debug");
    assert.equal(c.maxBodyBytes, 2048);
    assert.deepEqual(c.quotas, {
      instancesPerRegion: 7,
      usersPerInstance: 9000,
      securityProfilesPerInstance: 100,
      routingProfilesPerInstance: 100,
      hierarchyGroupsPerInstance: 500,
    });
    assert.deepEqual(c.throttle, { rate: 2, burst: 5 });
  });

  test("SWITCHBOARD_MEMORY=1 or true selects memory storage", () => {
    assert.deepEqual(loadConfig([], { SWITCHBOARD_MEMORY: "1" }).storage, { kind: "memory" });
    assert.deepEqual(loadConfig([], { SWITCHBOARD_MEMORY: "true" }).storage, { kind: "memory" });
    assert.equal(loadConfig([], { SWITCHBOARD_MEMORY: "0" }).storage.kind, "sqlite");
  });

  test("a relative SWITCHBOARD_DATA is resolved against the working directory", () => {
    const c = loadConfig([], { SWITCHBOARD_DATA: "rel/dir" });
    assert.deepEqual(c.storage, { kind: "sqlite", file: resolve("rel/dir", "switchboard.db") });
  });
});

describe("loadConfig: flags", () => {
  test("every flag is honoured", () => {
    const c = loadConfig(
      [
        "--host",
        "::1",
        "--port",
        "0",
        "--data",
        "/tmp/sbdata",
        "--durability",
        "full",
        "--auth",
        "off",
        "--log-level",
        "off",
        "--max-body-bytes",
        "4096",
        "--max-instances",
        "3",
        "--max-users-per-instance",
        "10",
        "--throttle",
        "10:20",
      ],
      {},
    );
    assert.equal(c.host, "::1");
    assert.equal(c.port, 0);
    assert.deepEqual(c.storage, { kind: "sqlite", file: "/tmp/sbdata/switchboard.db" });
    assert.equal(c.durability, "full");
    assert.equal(c.auth, "off");
    assert.equal(c.logLevel, "off");
    assert.equal(c.maxBodyBytes, 4096);
    assert.deepEqual(c.quotas, {
      instancesPerRegion: 3,
      usersPerInstance: 10,
      securityProfilesPerInstance: 100,
      routingProfilesPerInstance: 100,
      hierarchyGroupsPerInstance: 500,
    });
    assert.deepEqual(c.throttle, { rate: 10, burst: 20 });
  });

  test("--flag=value form", () => {
    assert.equal(loadConfig(["--port=5000"], {}).port, 5000);
  });

  test("flags beat environment variables", () => {
    const env = {
      SWITCHBOARD_HOST: "0.0.0.0",
      SWITCHBOARD_PORT: "8080",
      SWITCHBOARD_DATA: "/env/data",
      SWITCHBOARD_AUTH: "off",
      SWITCHBOARD_DURABILITY: "full",
      SWITCHBOARD_LOG_LEVEL: "error",
      SWITCHBOARD_MAX_INSTANCES: "9",
    };
    const c = loadConfig(
      [
        "--host",
        "127.0.0.2",
        "--port",
        "9090",
        "--data",
        "/flag/data",
        "--auth",
        "sigv4",
        "--durability",
        "normal",
        "--log-level",
        "warn",
        "--max-instances",
        "4",
      ],
      env,
    );
    assert.equal(c.host, "127.0.0.2");
    assert.equal(c.port, 9090);
    assert.deepEqual(c.storage, { kind: "sqlite", file: "/flag/data/switchboard.db" });
    assert.equal(c.auth, "sigv4");
    assert.equal(c.durability, "normal");
    assert.equal(c.logLevel, "warn");
    assert.equal(c.quotas.instancesPerRegion, 4);
  });

  test("--memory selects memory storage", () => {
    assert.deepEqual(loadConfig(["--memory"], {}).storage, { kind: "memory" });
  });

  test("--memory beats SWITCHBOARD_DATA", () => {
    assert.deepEqual(loadConfig(["--memory"], { SWITCHBOARD_DATA: "/env/data" }).storage, { kind: "memory" });
  });

  test("--memory and --data exclude each other", () => {
    const msg = configError(["--memory", "--data", "/x"]);
    assert.match(msg, /--data and --memory/);
  });

  test("--data beats SWITCHBOARD_MEMORY (flags beat env)", () => {
    const c = loadConfig(["--data", "/flag/data"], { SWITCHBOARD_MEMORY: "1" });
    assert.deepEqual(c.storage, { kind: "sqlite", file: "/flag/data/switchboard.db" });
  });
});

describe("loadConfig: invalid values → ConfigError with the reason", () => {
  test("port: not a number, negative, too large", () => {
    assert.match(configError(["--port", "abc"]), /port must be a whole number, got 'abc'/);
    assert.match(configError(["--port", "-1"]), /port/);
    assert.match(configError(["--port", "65536"]), /port must be between 0 and 65535, got 65536/);
    assert.match(configError([], { SWITCHBOARD_PORT: "80.5" }), /port must be a whole number/);
    // An empty variable counts as unset.
    assert.equal(loadConfig([], { SWITCHBOARD_PORT: "" }).port, 4599);
  });

  test("enumerated settings name the allowed values", () => {
    assert.match(configError(["--auth", "none"]), /auth must be one of sigv4, off, got 'none'/);
    assert.match(configError(["--durability", "fast"]), /durability must be one of normal, full, got 'fast'/);
    assert.match(
      configError([], { SWITCHBOARD_LOG_LEVEL: "verbose" }),
      /log-level must be one of debug, info, warn, error, off, got 'verbose'/,
    );
  });

  test("quotas and body size must be in range", () => {
    assert.match(configError(["--max-instances", "0"]), /max-instances must be between 1 and/);
    assert.match(configError(["--max-users-per-instance", "x"]), /max-users-per-instance must be a whole number/);
    assert.match(configError(["--max-body-bytes", "10"]), /max-body-bytes must be between 1024 and/);
  });

  test("throttle must be off, aws or RATE:BURST", () => {
    assert.equal(loadConfig(["--throttle", "off"], {}).throttle, undefined);
    assert.match(configError(["--throttle", "fast"]), /throttle/);
    assert.match(configError(["--throttle", "0:5"]), /throttle/);
  });

  test("unknown flags, missing values and positionals are refused", () => {
    configError(["--prot", "1"]);
    configError(["--port"]);
    configError(["serve"]);
    configError(["--memory=yes"]);
  });

  test("an account id that is not 12 digits is refused", () => {
    for (const bad of ["123", "abcdefghijkl", "0000000000000"]) {
      assert.match(configError([], { SWITCHBOARD_ACCOUNT_ID: bad }), /account/i, bad);
    }
  });

  test("an empty SWITCHBOARD_HOST does not silently mean every interface", () => {
    let host: string | undefined;
    try {
      host = loadConfig([], { SWITCHBOARD_HOST: "" }).host;
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return;
    }
    assert.equal(host, "127.0.0.1");
  });
});

describe("loadConfig: limits and timeouts (issue 10)", () => {
  test("defaults", () => {
    const c = loadConfig([], {});
    assert.deepEqual(c.http, { headerTimeoutMs: 20_000, bodyTimeoutMs: 60_000, idleTimeoutMs: 5000, maxConnections: 1000 });
    assert.deepEqual(c.failedAuthAudit, { count: 20, windowMs: 60_000 });
    const pg = loadConfig(["--database", "postgres://h/db"], {}).storage;
    assert.equal(pg.kind === "postgres" && pg.waitMs, 30_000);
  });

  test("flags over SWITCHBOARD_* variables", () => {
    const env = { SWITCHBOARD_HEADER_TIMEOUT_MS: "1000", SWITCHBOARD_MAX_CONNECTIONS: "7", SWITCHBOARD_FAILED_AUTH_AUDIT_RATE: "5/10" };
    const c = loadConfig(["--header-timeout-ms", "2000", "--db-wait-ms", "0", "--database", "postgres://h/db"], env);
    assert.equal(c.http.headerTimeoutMs, 2000);
    assert.equal(c.http.maxConnections, 7);
    assert.deepEqual(c.failedAuthAudit, { count: 5, windowMs: 10_000 });
    assert.equal(c.storage.kind === "postgres" && c.storage.waitMs, 0);
  });

  test("invalid values are refused with the reason", () => {
    assert.match(configError(["--body-timeout-ms", "1000", "--header-timeout-ms", "2000"]), /at least header-timeout-ms/);
    assert.match(configError(["--failed-auth-audit-rate", "20"]), /COUNT\/SECONDS/);
    assert.match(configError(["--max-connections", "0"]), /max-connections must be between/);
  });
});
