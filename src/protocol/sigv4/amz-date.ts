// The ISO-8601 "basic" timestamps SigV4 uses (YYYYMMDD'T'HHMMSS'Z'), and the ±5 minute window.

const FIVE_MINUTES_MS = 5 * 60 * 1000;

function digitsAt(s: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** Epoch ms of a strict `YYYYMMDDTHHMMSSZ` value, or undefined when it is not one. */
export function parseAmzDate(s: string): number | undefined {
  if (s.length !== 16 || s.charCodeAt(8) !== 0x54 /* T */ || s.charCodeAt(15) !== 0x5a /* Z */) {
    return undefined;
  }
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 4, 2);
  const day = digitsAt(s, 6, 2);
  const hour = digitsAt(s, 9, 2);
  const minute = digitsAt(s, 11, 2);
  const second = digitsAt(s, 13, 2);
  // Date.UTC would roll 20151301 over into January; a timestamp like that is malformed.
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return undefined;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** `YYYYMMDDTHHMMSSZ` for an epoch-ms instant (sub-second part dropped). */
export function formatAmzDate(ms: number): string {
  // "2015-08-30T12:36:00.000Z" → "20150830T123600Z"
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/**
 * The signing timestamp for a request that sent `Date` instead of `X-Amz-Date`: the HTTP-date
 * (e.g. "Sun, 30 Aug 2015 12:36:00 GMT") in basic format. How AWS itself converts it is not
 * documented (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html, [unconfirmed]); this is what signers that use Date produce.
 * An ISO-basic value is accepted as it is.
 */
export function amzDateFromHttpDate(value: string): string | undefined {
  if (parseAmzDate(value) !== undefined) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : formatAmzDate(ms);
}

export type ClockVerdict =
  | { ok: true }
  | { ok: false; kind: "expired"; limit: string; now: string; window: string }
  | { ok: false; kind: "not-yet-current"; limit: string; now: string };

/**
 * AWS accepts a request signed up to 5 minutes either side of its own clock. A presigned URL
 * stays valid until X-Amz-Date + X-Amz-Expires (but may not be dated in the future either).
 */
export function checkRequestTime(requestMs: number, nowMs: number, presignedExpiresSec: number | undefined): ClockVerdict {
  const nowText = () => formatAmzDate(nowMs);
  if (requestMs > nowMs + FIVE_MINUTES_MS) {
    return {
      ok: false,
      kind: "not-yet-current",
      limit: formatAmzDate(nowMs + FIVE_MINUTES_MS),
      now: nowText(),
    };
  }
  const lifetimeMs = presignedExpiresSec === undefined ? FIVE_MINUTES_MS : presignedExpiresSec * 1000;
  if (requestMs < nowMs - lifetimeMs) {
    return {
      ok: false,
      kind: "expired",
      limit: formatAmzDate(nowMs - lifetimeMs),
      now: nowText(),
      window: presignedExpiresSec === undefined ? "5 min" : `${presignedExpiresSec} sec`,
    };
  }
  return { ok: true };
}
