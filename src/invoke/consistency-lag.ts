// Eventual consistency, opt-in (`--consistency-lag MS`), as Amazon Connect documents it: "changes
// to Amazon Connect resources might not be immediately visible … Amazon Connect might return a
// ResourceNotFoundException if you call DescribeUser immediately after calling CreateUser"
// (https://docs.aws.amazon.com/connect/latest/APIReference/eventual-consistency.html).
//
// The reading, the simplest honest one (Switchboard keeps no old versions to serve): a resource
// created or changed less than MS ago is ABSENT to reads —
//   - Describe*: ResourceNotFoundException (404) when the resource it names was created or changed;
//   - List*/Search*: the resource is left out of the result's lists; and the call is a
//     ResourceNotFoundException when the resource it is made on (an instance) was itself just created.
// What a change touches: the resources its output names by ARN (`UserArn`, `Arn` … — what a create
// returns) are "created"; the concrete resource its first IAM target names (the user of
// UpdateUserIdentityInfo, the instance of UpdateInstanceAttribute) is "changed". Writes are never
// refused. The memory is per node (like --throttle buckets).
import { authzTargets } from "../authz/target.js";
import type { Scope } from "../common/arn.js";
import { resourceNotFound } from "../common/errors.js";
import type { ServedOperation } from "../operations/declare.js";

const READS = /^(Describe|List|Search)/;
/** above this many remembered resources, expired ones are swept */
const SWEEP_AT = 1000;

interface Seen {
  at: number;
  created: boolean;
}

export class ConsistencyLag {
  private readonly recent = new Map<string, Seen>();

  constructor(
    readonly lagMs: number,
    private readonly now: () => number,
  ) {}

  /** After a change committed: remembers what it created and changed. */
  changed(declaration: ServedOperation, input: unknown, scope: Scope, output: unknown): void {
    const at = this.now();
    const first = declaration.iam[0];
    if (first) {
      for (const t of authzTargets({ ...declaration, iam: [first] }, input, scope)) {
        if (concrete(t.resourceArn)) this.remember(t.resourceArn, { at, created: this.recent.get(t.resourceArn)?.created === true });
      }
    }
    if (output && typeof output === "object") {
      for (const [k, v] of Object.entries(output)) {
        if (k.endsWith("Arn") && typeof v === "string" && concrete(v)) this.remember(v, { at, created: true });
      }
    }
  }

  /** Before a read: throws ResourceNotFoundException when what it is made on is not visible yet. */
  beforeRead(declaration: ServedOperation, input: unknown, scope: Scope): void {
    if (!READS.test(declaration.name)) return;
    const describe = declaration.name.startsWith("Describe");
    for (const t of authzTargets(declaration, input, scope)) {
      const seen = this.visible(t.resourceArn);
      if (seen && (describe || seen.created)) {
        throw resourceNotFound(
          `The resource ${t.resourceArn} was not found (it changed ${this.now() - seen.at} ms ago; --consistency-lag).`,
        );
      }
    }
  }

  /** After a List or Search call: the result without the items not visible yet (top-level lists of items with an `Arn`). */
  afterRead(declaration: ServedOperation, output: unknown): unknown {
    if (!READS.test(declaration.name) || declaration.name.startsWith("Describe") || this.recent.size === 0) return output;
    if (!output || typeof output !== "object") return output;
    const out: Record<string, unknown> = { ...(output as Record<string, unknown>) };
    for (const [k, v] of Object.entries(out)) {
      if (!Array.isArray(v)) continue;
      out[k] = v.filter((item) => {
        const arn = item && typeof item === "object" ? (item as Record<string, unknown>).Arn : undefined;
        return typeof arn !== "string" || this.visible(arn) === undefined;
      });
    }
    return out;
  }

  /** The change that hides the resource, when it is within the lag. */
  private visible(arn: string): Seen | undefined {
    const seen = this.recent.get(arn);
    if (!seen) return undefined;
    if (this.now() - seen.at < this.lagMs) return seen;
    this.recent.delete(arn);
    return undefined;
  }

  private remember(arn: string, seen: Seen): void {
    // Re-inserted so the map stays in time order and the sweep can stop at the first live entry.
    this.recent.delete(arn);
    this.recent.set(arn, seen);
    if (this.recent.size < SWEEP_AT) return;
    const cutoff = this.now() - this.lagMs;
    for (const [k, s] of this.recent) {
      if (s.at >= cutoff) break;
      this.recent.delete(k);
    }
  }
}

/** An ARN naming one resource (not `*`, not `…/agent/*`). */
const concrete = (arn: string) => arn.startsWith("arn:") && !arn.endsWith("*");
