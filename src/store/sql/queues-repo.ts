// Queues over SqlDriver: like profiles (names unique within an instance, the family's details
// and the tags in the doc), without a kind.
import type { Scope } from "../../common/arn.js";
import type { QueueRecord } from "../records.js";
import type { ListRequest, QueuesRepo } from "../store.js";
import type { SqlDriver, SqlExecutor } from "./driver.js";
import { namedDocUpdate, scopedKey, updateRow } from "./fragments.js";
import { num } from "./values.js";

interface QueueRow {
  instance_id: string;
  id: string;
  name: string;
  doc: string;
  last_modified_time: number | string;
  last_modified_region: string;
}
type QueueDoc = Pick<QueueRecord, "arn" | "attributes" | "tags">;

const QUEUE_COLUMNS = "instance_id, id, name, doc, last_modified_time, last_modified_region";

function queueFromRow(r: QueueRow): QueueRecord {
  const doc = JSON.parse(r.doc) as QueueDoc;
  return {
    id: r.id,
    arn: doc.arn,
    instanceId: r.instance_id,
    name: r.name,
    attributes: doc.attributes,
    tags: doc.tags,
    lastModifiedTime: num(r.last_modified_time),
    lastModifiedRegion: r.last_modified_region,
  };
}

/** Inserts a queue (also used by instances.create for the default queue). */
export function insertQueue(db: SqlExecutor, scope: Scope, q: QueueRecord): Promise<number> {
  const doc: QueueDoc = { arn: q.arn, attributes: q.attributes, tags: q.tags };
  return db.run(`INSERT INTO queues (account, region, ${QUEUE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
    scope.account,
    scope.region,
    q.instanceId,
    q.id,
    q.name,
    JSON.stringify(doc),
    q.lastModifiedTime,
    q.lastModifiedRegion,
  ]);
}

export class SqlQueues implements QueuesRepo {
  constructor(
    private readonly db: SqlExecutor,
    private readonly dialect: SqlDriver["dialect"],
  ) {}

  async get(scope: Scope, instanceId: string, id: string): Promise<QueueRecord | undefined> {
    const where = scopedKey(scope, [
      ["instance_id", instanceId],
      ["id", id],
    ]);
    const row = await this.db.get<QueueRow>(`SELECT ${QUEUE_COLUMNS} FROM queues WHERE ${where.sql}`, where.params);
    return row && queueFromRow(row);
  }

  async list(scope: Scope, instanceId: string, page: ListRequest): Promise<QueueRecord[]> {
    const rows = await this.db.all<QueueRow>(
      `SELECT ${QUEUE_COLUMNS} FROM queues WHERE account = ? AND region = ? AND instance_id = ? AND name > ? ORDER BY name LIMIT ?`,
      [scope.account, scope.region, instanceId, page.after ?? "", page.limit + 1],
    );
    return rows.map(queueFromRow);
  }

  async create(scope: Scope, queue: QueueRecord): Promise<void> {
    await insertQueue(this.db, scope, queue);
  }

  async update(
    scope: Scope,
    instanceId: string,
    id: string,
    patch: Partial<Pick<QueueRecord, "name" | "attributes" | "tags">>,
    modifiedTime: number,
  ): Promise<boolean> {
    const sets = namedDocUpdate(this.dialect, patch, modifiedTime, scope.region);
    const where = scopedKey(scope, [
      ["instance_id", instanceId],
      ["id", id],
    ]);
    return (await updateRow(this.db, "queues", sets, where)) > 0;
  }
}
