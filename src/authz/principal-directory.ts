// An in-memory snapshot of the IAM principals, their Active access keys and their compiled
// policies, loaded from store.iam. It is the server's credential store (the bootstrap root
// credential stays in front of it) and answers the authorizer's "who is this, which policies?".
//
// Freshness: every IAM write bumps store.iam.revision(). On the request path prepare() checks the
// revision at most once per checkIntervalMs (default 1 s) and reloads when it moved; a request
// naming a key the snapshot does not know forces a check at once (at most once per
// forcedIntervalMs, default 200 ms, so unknown-key floods cost at most 5 queries/s), so a key
// created by `switchboard iam create-access-key` while the server runs works on its first use.
// The root key and known keys between checks cost two comparisons and a Map lookup: no
// allocation.

import type { CredentialRecord, CredentialStore } from "../common/caller.js";
import type { Logger } from "../common/log.js";
import { type Policy, PolicyError, parsePolicy } from "../iam/index.js";
import type { Tags } from "../store/records.js";
import type { IamRepo } from "../store/store.js";
import type { PrincipalFacts } from "./context.js";

export interface DirectoryPrincipal {
  /** arn:aws:iam::<account>:user/<name> */
  readonly arn: string;
  readonly account: string;
  readonly name: string;
  readonly tags: Readonly<Tags>;
  /** compiled inline policies, in policy-name order; ids are `<name>/inline/<policy>` */
  readonly policies: readonly Policy[];
  /** what requestContext() needs about the caller */
  readonly facts: PrincipalFacts;
  /**
   * false when no policy mentions aws:ResourceTag (as a condition key or a policy variable): the
   * authorizer then skips reading the target's tags.
   */
  readonly usesResourceTags: boolean;
}

export interface DirectoryOptions {
  /** credentials answered before the store's (the bootstrap root) */
  bootstrap?: readonly CredentialRecord[];
  logger?: Logger;
  /** epoch ms (default Date.now) */
  now?: () => number;
  /** minimum time between revision checks on the request path (default 1000) */
  checkIntervalMs?: number;
  /** minimum time between checks forced by unknown keys (default 200) */
  forcedIntervalMs?: number;
}

interface Snapshot {
  revision: number;
  byKey: ReadonlyMap<string, CredentialRecord>;
  byArn: ReadonlyMap<string, DirectoryPrincipal>;
}

const EMPTY: Snapshot = { revision: -1, byKey: new Map(), byArn: new Map() };
const NO_POLICIES: readonly Policy[] = Object.freeze([]);

export const iamUserArn = (account: string, name: string) => `arn:aws:iam::${account}:user/${name}`;

export class PrincipalDirectory implements CredentialStore {
  private snapshot: Snapshot = EMPTY;
  private readonly bootstrap: ReadonlyMap<string, CredentialRecord>;
  private readonly now: () => number;
  private readonly checkIntervalMs: number;
  private readonly forcedIntervalMs: number;
  private lastCheck = Number.NEGATIVE_INFINITY;
  private lastForced = Number.NEGATIVE_INFINITY;
  private inflight: Promise<boolean> | undefined;

  private constructor(
    private readonly iam: IamRepo,
    private readonly opts: DirectoryOptions,
  ) {
    this.bootstrap = new Map((opts.bootstrap ?? []).map((r) => [r.accessKeyId, r]));
    this.now = opts.now ?? Date.now;
    this.checkIntervalMs = opts.checkIntervalMs ?? 1000;
    this.forcedIntervalMs = opts.forcedIntervalMs ?? 200;
  }

  /** Loads the first snapshot; a store failure here is thrown (the server must not start blind). */
  static async load(iam: IamRepo, opts: DirectoryOptions = {}): Promise<PrincipalDirectory> {
    const d = new PrincipalDirectory(iam, opts);
    d.lastCheck = d.now();
    d.snapshot = await d.build();
    return d;
  }

  /** The revision the snapshot was loaded at. */
  get revision(): number {
    return this.snapshot.revision;
  }

  lookup(accessKeyId: string): CredentialRecord | undefined {
    return this.bootstrap.get(accessKeyId) ?? this.snapshot.byKey.get(accessKeyId);
  }

  prepare(claimedAccessKeyId: string): Promise<boolean> | undefined {
    if (this.bootstrap.has(claimedAccessKeyId)) return undefined;
    if (this.inflight) return this.inflight;
    const now = this.now();
    const known = this.snapshot.byKey.has(claimedAccessKeyId);
    if (now - this.lastCheck < this.checkIntervalMs) {
      if (known || now - this.lastForced < this.forcedIntervalMs) return undefined;
    }
    if (!known) this.lastForced = now;
    return this.refresh();
  }

  /** The principal by ARN, from the current snapshot. */
  principal(arn: string): DirectoryPrincipal | undefined {
    return this.snapshot.byArn.get(arn);
  }

  /** The principal's compiled policies (none for an unknown principal). */
  policiesOf(principalArn: string): readonly Policy[] {
    return this.snapshot.byArn.get(principalArn)?.policies ?? NO_POLICIES;
  }

  /** Every principal of the snapshot (for reports). */
  principals(): Iterable<DirectoryPrincipal> {
    return this.snapshot.byArn.values();
  }

  /**
   * Reloads when store.iam.revision() moved since the snapshot; resolves true when it did.
   * Concurrent calls share one check. A failing store is logged and the old snapshot kept.
   */
  refresh(): Promise<boolean> {
    this.inflight ??= this.check().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async check(): Promise<boolean> {
    this.lastCheck = this.now();
    try {
      const revision = await this.iam.revision();
      if (revision === this.snapshot.revision) return false;
      this.snapshot = await this.build();
      return true;
    } catch (err) {
      this.opts.logger?.log("warn", "could not reload IAM principals; keeping the previous ones", {
        error: err instanceof Error ? err.message : String(err),
      });
      return false;
    }
  }

  /** Reads everything. The revision is read first: a write racing the load is seen next time. */
  private async build(): Promise<Snapshot> {
    const revision = await this.iam.revision();
    const byKey = new Map<string, CredentialRecord>();
    const byArn = new Map<string, DirectoryPrincipal>();
    for (const p of await this.iam.listPrincipals()) {
      const arn = p.arn || iamUserArn(p.account, p.name);
      const [keys, docs] = await Promise.all([this.iam.listAccessKeys(p.account, p.name), this.iam.listPolicies(p.account, p.name)]);
      const policies: Policy[] = [];
      let usesResourceTags = false;
      let broken = false;
      for (const d of docs) {
        try {
          policies.push(parsePolicy(`${p.name}/inline/${d.policyName}`, d.document));
          if (/resourcetag\//i.test(d.document)) usesResourceTags = true;
        } catch (err) {
          broken = true;
          this.opts.logger?.log("error", "stored IAM policy is invalid; the principal is denied everything until it is fixed", {
            principal: arn,
            policy: d.policyName,
            error: err instanceof PolicyError ? err.problems.join("; ") : String(err),
          });
        }
      }
      const tags = Object.freeze({ ...p.tags });
      // Fail closed: skipping only the broken document could drop a Deny and so grant more.
      const compiled = broken ? NO_POLICIES : Object.freeze(policies);
      byArn.set(arn, {
        arn,
        account: p.account,
        name: p.name,
        tags,
        policies: compiled,
        facts: { arn, account: p.account, userName: p.name, tags },
        usesResourceTags: !broken && usesResourceTags,
      });
      for (const k of keys) {
        if (k.status !== "Active") continue;
        const record: CredentialRecord = {
          accessKeyId: k.accessKeyId,
          secretAccessKey: k.secretAccessKey,
          account: p.account,
          principalArn: arn,
          kind: "user",
          userName: p.name,
        };
        if (k.sessionToken !== undefined) record.sessionToken = k.sessionToken;
        byKey.set(k.accessKeyId, record);
      }
    }
    return { revision, byKey, byArn };
  }
}
