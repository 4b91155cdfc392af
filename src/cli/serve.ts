// `switchboard serve [...]`: runs the server until SIGTERM/SIGINT.
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { describeStorage, startServer } from "../app.js";
import type { Config } from "../config.js";

export async function serve(config: Config): Promise<void> {
  const server = await startServer(config);
  const where = describeStorage(config);
  // The server accepts requests now: say where, for test fixtures in any language (no polling, no log parsing).
  if (config.printEndpoint) process.stdout.write(`${server.url}\n`);
  if (config.readyFile) writeReadyFile(config.readyFile, server.url);
  if (config.logLevel !== "off") {
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: "info", msg: "listening", url: server.url, storage: where, auth: config.auth, durability: config.durability })}\n`,
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (config.readyFile) rmSync(config.readyFile, { force: true });
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

/** Written beside and renamed into place, so a reader never sees a partial endpoint. */
function writeReadyFile(file: string, url: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${url}\n`);
  renameSync(tmp, file);
}
