// Instances (and, at creation, their default profiles) over SqlDriver.
import type { Scope } from "../../common/arn.js";
import type { InstanceRecord, ProfileRecord } from "../records.js";
import type { InstancesRepo, ListRequest } from "../store.js";
import type { SqlDriver, SqlExecutor, SqlValue } from "./driver.js";
import { num, orNull } from "./values.js";

interface InstanceRow {
  id: string;
  doc: string;
}
type InstanceDoc = Omit<InstanceRecord, "id">;

const instanceFromRow = (r: InstanceRow): InstanceRecord => ({ id: r.id, ...(JSON.parse(r.doc) as InstanceDoc) });

function profileParams(scope: Scope, p: ProfileRecord): SqlValue[] {
  return [
    scope.account,
    scope.region,
    p.instanceId,
    p.kind,
    p.id,
    p.name,
    JSON.stringify({ arn: p.arn, attributes: p.attributes }),
    p.lastModifiedTime,
    p.lastModifiedRegion,
  ];
}

export class SqlInstances implements InstancesRepo {
  constructor(private readonly db: SqlExecutor & Pick<SqlDriver, "tx">) {}

  create(scope: Scope, inst: InstanceRecord, defaults: ProfileRecord[]): Promise<void> {
    const { id, ...doc } = inst;
    return this.db.tx(async (q) => {
      await q.run(
        "INSERT INTO instances (account, region, id, identity_management_type, alias, created_time, doc) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [scope.account, scope.region, id, inst.identityManagementType, orNull(inst.alias), inst.createdTime, JSON.stringify(doc)],
      );
      for (const p of defaults) {
        await q.run(
          "INSERT INTO profiles (account, region, instance_id, kind, id, name, doc, last_modified_time, last_modified_region) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          profileParams(scope, p),
        );
      }
    });
  }

  async get(scope: Scope, instanceId: string): Promise<InstanceRecord | undefined> {
    const row = await this.db.get<InstanceRow>("SELECT id, doc FROM instances WHERE account = ? AND region = ? AND id = ?", [
      scope.account,
      scope.region,
      instanceId,
    ]);
    return row && instanceFromRow(row);
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
    return rows.map(instanceFromRow);
  }

  async listScopes(account?: string): Promise<Scope[]> {
    const rows =
      account === undefined
        ? await this.db.all<Scope>("SELECT DISTINCT account, region FROM instances ORDER BY account, region")
        : await this.db.all<Scope>("SELECT DISTINCT account, region FROM instances WHERE account = ? ORDER BY account, region", [account]);
    return rows.map((r) => ({ account: r.account, region: r.region }));
  }

  async delete(scope: Scope, instanceId: string): Promise<boolean> {
    // Users and profiles go with it (ON DELETE CASCADE): one statement, no orphans.
    const n = await this.db.run("DELETE FROM instances WHERE account = ? AND region = ? AND id = ?", [
      scope.account,
      scope.region,
      instanceId,
    ]);
    return n > 0;
  }
}
