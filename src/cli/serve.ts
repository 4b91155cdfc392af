// `switchboard serve [...]`: runs the server until SIGTERM/SIGINT.
import { describeStorage, startServer } from "../app.js";
import { loadConfig } from "../config.js";

export const SERVE_USAGE = `Usage: switchboard serve [--host 127.0.0.1] [--port 4599] [--data DIR | --memory | --database postgres://…]
                         [--database-schema NAME] [--db-pool-size 16] [--db-connect-timeout-ms 2000]
                         [--auth sigv4|off] [--durability normal|full] [--log-level info]
                         [--max-body-bytes N] [--max-instances N] [--max-users-per-instance N]
                         [--throttle off|aws|RATE:BURST] [--iam FILE] [--faults FILE] [--consistency-lag MS]
                         [--smtp-url smtp://host:port] [--smtp-from ADDRESS] [--revert-ttl-hours 24]
                         [--public-url URL] [--header-timeout-ms 20000] [--body-timeout-ms 60000]
                         [--idle-timeout-ms 5000] [--max-connections 1000] [--db-wait-ms 30000]
                         [--failed-auth-audit-rate 20/60]
Each flag can also be set by an environment variable: SWITCHBOARD_HOST, SWITCHBOARD_PORT, …
(see README.md, "Configuration").`;

export async function serve(argv: string[]): Promise<void> {
  const config = loadConfig(argv, process.env);
  const server = await startServer(config);
  const where = describeStorage(config);
  if (config.logLevel !== "off") {
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: "info", msg: "listening", url: server.url, storage: where, auth: config.auth, durability: config.durability })}\n`,
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => {
        const last =
          config.logLevel !== "off" ? `${JSON.stringify({ time: new Date().toISOString(), level: "info", msg: "stopped", signal })}\n` : "";
        // Exit once stdout has taken everything (a pipe is written asynchronously).
        process.stdout.write(last, () => process.exit(0));
      },
      (err: unknown) => {
        process.stderr.write(`switchboard: error while stopping: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
