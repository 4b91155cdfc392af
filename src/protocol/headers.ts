import type { IncomingHttpHeaders } from "node:http";

/** One header's value from Node's parsed headers (repeated fields joined as Node joins them). */
export function headerValue(
  headers: Readonly<IncomingHttpHeaders> | Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}
