// The web console's static files (built by `npm run build` into dist/console/), served at
// /_switchboard/console/. Loaded on the first console request only, so the API's start-up and
// request path never carry it. Only the files the build wrote are served (no path is ever joined
// from the URL); index.html is revalidated on each load, the content-hashed assets are immutable.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CONSOLE_PATH } from "../common/paths.js";

export interface FileResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * No inline script or style, nothing from another origin (the console works offline), API calls
 * to this origin only, never framed.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONSOLE_CSP,
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

interface File {
  body: Buffer;
  type: string;
  etag: string;
  immutable: boolean;
}

/** Where the build put the console, from wherever this module runs (bundle, tsc output, tsx). */
function consoleDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return ["../console", "../../dist/console", "../../console"].map((p) => join(here, p)).find((d) => existsSync(join(d, "index.html")));
}

function load(): Map<string, File> {
  const files = new Map<string, File>();
  const dir = consoleDir();
  if (!dir) return files;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const ext = entry.name.slice(entry.name.lastIndexOf("."));
    const type = TYPES[ext];
    if (!entry.isFile() || !type) continue;
    const body = readFileSync(join(dir, entry.name));
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
    // esbuild names assets <name>-<HASH>.<ext>: their content never changes under that name.
    files.set(entry.name, { body, type, etag, immutable: /-[A-Z0-9]{8}\.[a-z]+$/.test(entry.name) });
  }
  return files;
}

let files: Map<string, File> | undefined;

const text = (status: number, message: string, extra: Record<string, string> = {}): FileResponse => ({
  status,
  headers: { ...SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...extra },
  body: Buffer.from(`${message}\n`),
});

/** Answers a request under /_switchboard/console (path without the query). */
export function serveConsole(method: string, path: string, ifNoneMatch: string | undefined): FileResponse {
  if (path === CONSOLE_PATH.slice(0, -1)) return text(301, "Moved", { Location: CONSOLE_PATH });
  if (method !== "GET" && method !== "HEAD") return text(405, "Method not allowed", { Allow: "GET, HEAD" });
  files ??= load();
  if (files.size === 0) return text(404, "The console is not built: run `npm run build`.");
  const name = path === CONSOLE_PATH ? "index.html" : path.slice(CONSOLE_PATH.length);
  const file = files.get(name);
  if (!file) return text(404, "Not found");
  const headers = {
    ...SECURITY_HEADERS,
    "Content-Type": file.type,
    ETag: file.etag,
    "Cache-Control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
  };
  if (ifNoneMatch === file.etag) return { status: 304, headers, body: Buffer.alloc(0) };
  return { status: 200, headers, body: method === "HEAD" ? Buffer.alloc(0) : file.body };
}
