// Group execution of UpdateUserIdentityInfo at once (identity-at-once.ts): requests that arrive
// while statements are in flight wait, and go together as ONE statement when one finishes. What
// a statement costs whatever its size — the round trip, parse/bind, the transaction's start, the
// commit's WAL flush, the driver's work on both ends — is then paid once per group, not per
// request; each request still gets its own outcome and its own event, computed by the same SQL.
//
// The rules:
//  - at most MAX_IN_FLIGHT statements at a time; a request that finds one free goes at once,
//    alone (no waiting when the server is not busy);
//  - a group is taken from the waiting requests in arrival order, at most MAX_GROUP of them, and
//    never two for the same user: the later one waits for the next group (still in order);
//  - a statement that fails as a whole wrote nothing (autocommit): each of its requests then runs
//    alone, so one request's failure (an error the SQL raises for it) is its own — unless the
//    database is unavailable (connection lost, statement timeout: StoreUnavailable), where the
//    statement may or may not have committed, and each request fails with that error, as it would
//    alone.
import type { Scope } from "../../common/arn.js";
import type { SqlExecutor } from "../sql/driver.js";
import { type IdentityChangeAtOnce, type IdentityChangeOutcome, StoreUnavailable } from "../store.js";
import { type AtOnceRequest, atOnceRequest, updateIdentityInfoGroup } from "./identity-at-once.js";

/** Statements at a time. */
export const MAX_IN_FLIGHT = 2;
/** Requests per statement. */
export const MAX_GROUP = 32;

interface Waiting extends AtOnceRequest {
  key: string;
  resolve(outcome: IdentityChangeOutcome): void;
  reject(err: unknown): void;
}

export class IdentityGroups {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: SqlExecutor,
    private readonly maxInFlight = MAX_IN_FLIGHT,
    private readonly maxGroup = MAX_GROUP,
  ) {}

  submit(scope: Scope, change: IdentityChangeAtOnce): Promise<IdentityChangeOutcome> {
    let request: AtOnceRequest;
    try {
      request = atOnceRequest(scope, change);
    } catch (err) {
      return Promise.reject(err);
    }
    const key = `${scope.account}\0${scope.region}\0${change.instanceId}\0${change.userId}`;
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...request, key, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const group = this.take();
      this.inFlight++;
      void this.run(group).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** The next group: waiting requests in arrival order, one per user; the others keep their order. */
  private take(): Waiting[] {
    const w = this.waiting;
    const first = w.shift() as Waiting;
    if (w.length === 0 || this.maxGroup === 1) return [first];
    const group = [first];
    const users = new Set([first.key]);
    let kept = 0;
    let k = 0;
    for (; k < w.length && group.length < this.maxGroup; k++) {
      const r = w[k] as Waiting;
      if (users.has(r.key)) w[kept++] = r;
      else {
        users.add(r.key);
        group.push(r);
      }
    }
    // the rest (not looked at) after the ones held back
    for (; k < w.length; k++) w[kept++] = w[k] as Waiting;
    w.length = kept;
    return group;
  }

  private async run(group: Waiting[]): Promise<void> {
    let outcomes: IdentityChangeOutcome[];
    try {
      outcomes = await updateIdentityInfoGroup(this.db, group);
    } catch (err) {
      if (group.length === 1 || err instanceof StoreUnavailable) {
        for (const r of group) r.reject(err);
        return;
      }
      // Nothing was written: each request alone, so that it gets its own answer.
      await Promise.all(
        group.map((r) => updateIdentityInfoGroup(this.db, [r]).then(([o]) => r.resolve(o as IdentityChangeOutcome), r.reject)),
      );
      return;
    }
    for (let k = 0; k < group.length; k++) (group[k] as Waiting).resolve(outcomes[k] as IdentityChangeOutcome);
  }
}
