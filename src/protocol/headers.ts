import type { IncomingHttpHeaders } from "node:http";

/** One header's value from Node's parsed headers (repeated fields joined as Node joins them). */
export function headerValue(
  headers: Readonly<IncomingHttpHeaders> | Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

/**
 * The first field of that name in Node's rawHeaders, for the names whose repeats Node's
 * req.headers discards (authorization, user-agent, content-length, …: see node's
 * IncomingMessage docs) — so the same value req.headers holds, without building req.headers
 * (Node builds it on first access, a measurable part of a request's cost). `lowerName` is
 * lower case.
 */
export function firstRawHeader(rawHeaders: readonly string[], lowerName: string): string | undefined {
  const n = lowerName.length;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (name.length !== n) continue;
    let same = true;
    for (let j = 0; j < n; j++) {
      let c = name.charCodeAt(j);
      if (c >= 0x41 && c <= 0x5a) c += 0x20;
      if (c !== lowerName.charCodeAt(j)) {
        same = false;
        break;
      }
    }
    if (same) return rawHeaders[i + 1] as string;
  }
  return undefined;
}
