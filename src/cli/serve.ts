// `switchboard serve [...]`: runs the server until SIGTERM/SIGINT.
import { describeStorage, startServer } from "../app.js";
import type { Config } from "../config.js";

export async function serve(config: Config): Promise<void> {
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
