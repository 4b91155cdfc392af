// Request-rate limiting as Connect applies it: token buckets per account and Region, shared by
// all callers (https://docs.aws.amazon.com/connect/latest/APIReference/best-practices-connect-apis.html).
// Whether each API has its own bucket is unconfirmed; one bucket for all operations is the
// conservative reading. Buckets live in the process: with several nodes, each node has its own.

export interface ThrottleSettings {
  /** tokens added per second */
  rate: number;
  /** bucket size: requests served at once before throttling starts */
  burst: number;
}

/** AWS's default for every operation in scope: 2 requests/s, burst 5 (https://docs.aws.amazon.com/connect/latest/adminguide/amazon-connect-service-limits.html). */
export const AWS_DEFAULT_THROTTLE: ThrottleSettings = { rate: 2, burst: 5 };

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: ThrottleSettings,
    private readonly now: () => number,
  ) {}

  /** Takes one token for the key; false when the bucket is empty (the request is throttled). */
  take(key: string): boolean {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: this.settings.burst, at: t };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.settings.burst, b.tokens + ((t - b.at) / 1000) * this.settings.rate);
    b.at = t;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
