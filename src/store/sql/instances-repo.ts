// Instances (and, at creation, their default profiles and queues) over SqlDriver. The doc holds
// the whole record but its id; the alias (its lower-cased key: host names ignore case) and the
// client token have columns of their own, whose UNIQUE constraints make a second CreateInstance
// with either fail (UniqueViolation).
import type { Scope } from "../../common/arn.js";
import type { InstanceRecord, ProfileRecord, QueueRecord } from "../records.js";
import type { InstancesRepo, ListRequest } from "../store.js";
import type { SqlDriver, SqlExecutor } from "./driver.js";
import { docAssignment, scopedKey, updateRow } from "./fragments.js";
import { insertProfile } from "./profiles-repo.js";
import { insertQueue } from "./queues-repo.js";
import { num, orNull } from "./values.js";

interface InstanceRow {
  id: string;
  doc: string;
}
type InstanceDoc = Omit<InstanceRecord, "id">;

const parseInstance = (r: InstanceRow): InstanceRecord => ({ id: r.id, ...(JSON.parse(r.doc) as InstanceDoc) });

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** Instances kept parsed; beyond this the oldest goes (a deployment has a handful). */
const MAX_PARSED = 1024;
const parsed = new Map<string, { doc: string; record: InstanceRecord }>();

/**
 * Every request reads its instance: the parsed record is kept, keyed by the row and valid while
 * the stored doc is the same text — so a change (by this process or any other) is seen at once,
 * and nothing needs invalidating. The record is shared, hence frozen (a caller changing it throws).
 */
function instanceFromRow(scope: Scope, r: InstanceRow): InstanceRecord {
  const key = `${scope.account}\u0000${scope.region}\u0000${r.id}`;
  const hit = parsed.get(key);
  if (hit !== undefined && hit.doc === r.doc) return hit.record;
  const record = deepFreeze(parseInstance(r));
  if (hit === undefined && parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value as string);
  parsed.set(key, { doc: r.doc, record });
  return record;
}

/** An instance by id (also the bench floor's, bench/floor-server.ts). */
export const BY_ID = "SELECT id, doc FROM instances WHERE account = ? AND region = ? AND id = ?";

export class SqlInstances implements InstancesRepo {
  constructor(
    private readonly db: SqlExecutor & Pick<SqlDriver, "tx">,
    private readonly dialect: SqlDriver["dialect"],
  ) {}

  create(scope: Scope, inst: InstanceRecord, defaults: ProfileRecord[], queues: QueueRecord[] = []): Promise<void> {
    const { id, ...doc } = inst;
    return this.db.tx(async (q) => {
      await q.run(
        "INSERT INTO instances (account, region, id, identity_management_type, alias, alias_key, created_time, client_token, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
          scope.account,
          scope.region,
          id,
          inst.identityManagementType,
          orNull(inst.alias),
          orNull(inst.alias?.toLowerCase()),
          inst.createdTime,
          orNull(inst.clientToken),
          JSON.stringify(doc),
        ],
      );
      for (const p of defaults) await insertProfile(q, scope, p);
      for (const queue of queues) await insertQueue(q, scope, queue);
    });
  }

  async get(scope: Scope, instanceId: string): Promise<InstanceRecord | undefined> {
    // On every request's path: one constant statement text.
    const row = await this.db.get<InstanceRow>(BY_ID, [scope.account, scope.region, instanceId]);
    return row && instanceFromRow(scope, row);
  }

  async lockKeys(scope: Scope, instanceId: string): Promise<InstanceRecord | undefined> {
    // FOR KEY SHARE: the row cannot be deleted (nor its key changed) until the transaction ends;
    // attribute updates (FOR NO KEY UPDATE) are not held up. SQLite's write lock already orders.
    if (this.dialect !== "postgres") return this.get(scope, instanceId);
    const where = scopedKey(scope, [["id", instanceId]]);
    const row = await this.db.get<InstanceRow>(`SELECT id, doc FROM instances WHERE ${where.sql} FOR KEY SHARE`, where.params);
    return row && instanceFromRow(scope, row);
  }

  async getByClientToken(scope: Scope, clientToken: string): Promise<InstanceRecord | undefined> {
    const where = scopedKey(scope, [["client_token", clientToken]]);
    const row = await this.db.get<InstanceRow>(`SELECT id, doc FROM instances WHERE ${where.sql}`, where.params);
    return row && instanceFromRow(scope, row);
  }

  async update(scope: Scope, instanceId: string, patch: Partial<Pick<InstanceRecord, "attributes" | "tags">>): Promise<boolean> {
    const sets = [docAssignment(this.dialect, { attributes: patch.attributes, tags: patch.tags })];
    return (await updateRow(this.db, "instances", sets, scopedKey(scope, [["id", instanceId]]))) > 0;
  }

  async count(scope: Scope): Promise<number> {
    const row = await this.db.get<{ n: number | string }>("SELECT COUNT(*) AS n FROM instances WHERE account = ? AND region = ?", [
      scope.account,
      scope.region,
    ]);
    return row ? num(row.n) : 0;
  }

  async list(scope: Scope, page: ListRequest): Promise<InstanceRecord[]> {
    const rows = await this.db.all<InstanceRow>(
      "SELECT id, doc FROM instances WHERE account = ? AND region = ? AND id > ? ORDER BY id LIMIT ?",
      [scope.account, scope.region, page.after ?? "", page.limit + 1],
    );
    return rows.map((r) => instanceFromRow(scope, r));
  }

  async listScopes(account?: string): Promise<Scope[]> {
    const rows =
      account === undefined
        ? await this.db.all<Scope>("SELECT DISTINCT account, region FROM instances ORDER BY account, region")
        : await this.db.all<Scope>("SELECT DISTINCT account, region FROM instances WHERE account = ? ORDER BY account, region", [account]);
    return rows.map((r) => ({ account: r.account, region: r.region }));
  }

  async delete(scope: Scope, instanceId: string): Promise<boolean> {
    // Everything in it goes with it (ON DELETE CASCADE: users and their memberships, profiles,
    // queues, the hierarchy): one statement, no orphans.
    const n = await this.db.run("DELETE FROM instances WHERE account = ? AND region = ? AND id = ?", [
      scope.account,
      scope.region,
      instanceId,
    ]);
    return n > 0;
  }
}
