// Typed values for the Numeric, Date, Bool, Binary and IpAddress condition operators: parsing
// policy values (validated at parse time) and coercing request-context values (at evaluation).

/** Decimal number as IAM writes it: optional sign, digits, optional fraction and exponent. */
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseNumber(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v !== "string" || !NUMBER_RE.test(v.trim())) return undefined;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : undefined;
}

const EPOCH_RE = /^[+-]?\d+(?:\.\d+)?$/;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Milliseconds since the epoch for an ISO 8601 date/date-time (no zone = UTC) or for epoch
 * seconds (a plain number or all-digit string, as `aws:EpochTime` carries); undefined otherwise.
 */
export function parseDate(v: unknown): number | undefined {
  if (v instanceof Date) {
    const t = v.getTime();
    return Number.isNaN(t) ? undefined : t;
  }
  if (typeof v === "number") return Number.isFinite(v) ? v * 1000 : undefined;
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  if (EPOCH_RE.test(s)) return Number(s) * 1000;
  const m = ISO_RE.exec(s);
  if (m === null) return undefined;
  const [, y, mo, d, h = "0", mi = "0", sec = "0", frac = "", zone = "Z"] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(sec);
  if (month < 1 || month > 12 || day < 1 || hour > 24 || minute > 59 || second > 60) return undefined;
  const base = Date.UTC(year, month - 1, day, hour, minute, second, frac === "" ? 0 : Math.round(Number(`0.${frac}`) * 1000));
  // reject 2023-02-30 and the like (Date.UTC rolls them over)
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return undefined;
  let offsetMin = 0;
  if (zone !== "Z" && zone !== "z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2)) : 0));
  }
  return base - offsetMin * 60_000;
}

/** "true"/"false" in any case, or a JSON boolean. */
export function parseBool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v !== "string") return undefined;
  const s = v.toLowerCase();
  return s === "true" ? true : s === "false" ? false : undefined;
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

/** Canonical (padded) base64 of the bytes a base64 string encodes, or undefined when it is not base64. */
export function canonicalBase64(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  if (!BASE64_RE.test(s)) return undefined;
  return Buffer.from(s, "base64").toString("base64");
}

export interface Cidr {
  readonly v6: boolean;
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

function parseIPv4(s: string, out: Uint8Array, at: number): boolean {
  const parts = s.split(".");
  if (parts.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const p = parts[i] as string;
    if (!/^\d{1,3}$/.test(p)) return false;
    const n = Number(p);
    if (n > 255) return false;
    out[at + i] = n;
  }
  return true;
}

function parseIPv6(s: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  const dbl = s.indexOf("::");
  if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) return undefined;
  const groupsOf = (part: string): string[] => (part === "" ? [] : part.split(":"));
  const head = dbl >= 0 ? groupsOf(s.slice(0, dbl)) : groupsOf(s);
  const tail = dbl >= 0 ? groupsOf(s.slice(dbl + 2)) : [];
  // an embedded IPv4 address counts as two groups and must be last
  const words: number[] = [];
  const pushGroups = (gs: string[], isLastRun: boolean): boolean => {
    for (let i = 0; i < gs.length; i++) {
      const g = gs[i] as string;
      if (isLastRun && i === gs.length - 1 && g.includes(".")) {
        const v4 = new Uint8Array(4);
        if (!parseIPv4(g, v4, 0)) return false;
        words.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
      words.push(Number.parseInt(g, 16));
    }
    return true;
  };
  if (!pushGroups(head, dbl < 0)) return undefined;
  const headLen = words.length;
  if (!pushGroups(tail, true)) return undefined;
  const tailLen = words.length - headLen;
  if (dbl < 0 ? words.length !== 8 : words.length > 7) return undefined;
  const all = dbl < 0 ? words : [...words.slice(0, headLen), ...new Array<number>(8 - headLen - tailLen).fill(0), ...words.slice(headLen)];
  for (let i = 0; i < 8; i++) {
    const w = all[i] as number;
    out[i * 2] = w >> 8;
    out[i * 2 + 1] = w & 0xff;
  }
  return out;
}

export function parseIp(s: string): { v6: boolean; bytes: Uint8Array } | undefined {
  const t = s.trim();
  if (t.includes(":")) {
    const b = parseIPv6(t);
    return b === undefined ? undefined : { v6: true, bytes: b };
  }
  const b = new Uint8Array(4);
  return parseIPv4(t, b, 0) ? { v6: false, bytes: b } : undefined;
}

/** "203.0.113.0/24", "2001:db8::/32", or a bare address (a /32 or /128). */
export function parseCidr(v: unknown): Cidr | undefined {
  if (typeof v !== "string") return undefined;
  const slash = v.indexOf("/");
  const ip = parseIp(slash < 0 ? v : v.slice(0, slash));
  if (ip === undefined) return undefined;
  const max = ip.v6 ? 128 : 32;
  if (slash < 0) return { ...ip, prefix: max };
  const p = v.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(p) || Number(p) > max) return undefined;
  return { ...ip, prefix: Number(p) };
}

export function cidrContains(c: Cidr, ip: { v6: boolean; bytes: Uint8Array }): boolean {
  if (c.v6 !== ip.v6) return false;
  let bits = c.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((c.bytes[i] as number) & mask) !== ((ip.bytes[i] as number) & mask)) return false;
  }
  return true;
}
