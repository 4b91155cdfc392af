// IAM principals, access keys and inline policies. Every write bumps iam_revision in the same
// transaction so running servers notice and reload their credential/policy cache.
import type { IamAccessKeyRecord, IamPolicyRecord, IamPrincipalRecord, Tags } from "../records.js";
import type { IamRepo } from "../store.js";
import type { SqlExecutor, SqlValue } from "./driver.js";
import { num, orNull } from "./values.js";

type Session = SqlExecutor & { tx<T>(fn: (q: SqlExecutor) => Promise<T>): Promise<T> };

interface PrincipalRow {
  account: string;
  name: string;
  arn: string;
  tags: string;
  created_time: number | string;
}
interface KeyRow {
  access_key_id: string;
  secret_access_key: string;
  session_token: string | null;
  account: string;
  principal_name: string;
  status: string;
  created_time: number | string;
}

const principalFromRow = (r: PrincipalRow): IamPrincipalRecord => ({
  account: r.account,
  name: r.name,
  arn: r.arn,
  tags: JSON.parse(r.tags) as Tags,
  createdTime: num(r.created_time),
});

function keyFromRow(r: KeyRow): IamAccessKeyRecord {
  const k: IamAccessKeyRecord = {
    accessKeyId: r.access_key_id,
    secretAccessKey: r.secret_access_key,
    account: r.account,
    principalName: r.principal_name,
    status: r.status === "Inactive" ? "Inactive" : "Active",
    createdTime: num(r.created_time),
  };
  if (r.session_token !== null) k.sessionToken = r.session_token;
  return k;
}

export class SqlIam implements IamRepo {
  constructor(private readonly db: Session) {}

  /** Runs a write and bumps the revision in one transaction. */
  private write(sql: string, params: SqlValue[]): Promise<number> {
    return this.db.tx(async (q) => {
      const n = await q.run(sql, params);
      await q.run("UPDATE iam_revision SET revision = revision + 1 WHERE id = 1");
      return n;
    });
  }

  async putPrincipal(p: IamPrincipalRecord): Promise<void> {
    await this.write(
      `INSERT INTO iam_principals (account, name, arn, tags, created_time) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account, name) DO UPDATE SET arn = excluded.arn, tags = excluded.tags`,
      [p.account, p.name, p.arn, JSON.stringify(p.tags), p.createdTime],
    );
  }

  async getPrincipal(account: string, name: string): Promise<IamPrincipalRecord | undefined> {
    const r = await this.db.get<PrincipalRow>(
      "SELECT account, name, arn, tags, created_time FROM iam_principals WHERE account = ? AND name = ?",
      [account, name],
    );
    return r && principalFromRow(r);
  }

  async listPrincipals(account?: string): Promise<IamPrincipalRecord[]> {
    const rows =
      account === undefined
        ? await this.db.all<PrincipalRow>("SELECT account, name, arn, tags, created_time FROM iam_principals ORDER BY account, name")
        : await this.db.all<PrincipalRow>(
            "SELECT account, name, arn, tags, created_time FROM iam_principals WHERE account = ? ORDER BY name",
            [account],
          );
    return rows.map(principalFromRow);
  }

  async deletePrincipal(account: string, name: string): Promise<boolean> {
    return (await this.write("DELETE FROM iam_principals WHERE account = ? AND name = ?", [account, name])) > 0;
  }

  async putAccessKey(k: IamAccessKeyRecord): Promise<void> {
    await this.write(
      `INSERT INTO iam_access_keys (access_key_id, secret_access_key, session_token, account, principal_name, status, created_time)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (access_key_id) DO UPDATE SET secret_access_key = excluded.secret_access_key,
         session_token = excluded.session_token, status = excluded.status`,
      [k.accessKeyId, k.secretAccessKey, orNull(k.sessionToken), k.account, k.principalName, k.status, k.createdTime],
    );
  }

  async getAccessKey(accessKeyId: string): Promise<IamAccessKeyRecord | undefined> {
    const r = await this.db.get<KeyRow>(
      "SELECT access_key_id, secret_access_key, session_token, account, principal_name, status, created_time FROM iam_access_keys WHERE access_key_id = ?",
      [accessKeyId],
    );
    return r && keyFromRow(r);
  }

  async listAccessKeys(account: string, principalName: string): Promise<IamAccessKeyRecord[]> {
    const rows = await this.db.all<KeyRow>(
      "SELECT access_key_id, secret_access_key, session_token, account, principal_name, status, created_time FROM iam_access_keys WHERE account = ? AND principal_name = ? ORDER BY access_key_id",
      [account, principalName],
    );
    return rows.map(keyFromRow);
  }

  async deleteAccessKey(accessKeyId: string): Promise<boolean> {
    return (await this.write("DELETE FROM iam_access_keys WHERE access_key_id = ?", [accessKeyId])) > 0;
  }

  async putPolicy(p: IamPolicyRecord): Promise<void> {
    await this.write(
      `INSERT INTO iam_policies (account, principal_name, policy_name, document) VALUES (?, ?, ?, ?)
       ON CONFLICT (account, principal_name, policy_name) DO UPDATE SET document = excluded.document`,
      [p.account, p.principalName, p.policyName, p.document],
    );
  }

  async listPolicies(account: string, principalName: string): Promise<IamPolicyRecord[]> {
    const rows = await this.db.all<{ account: string; principal_name: string; policy_name: string; document: string }>(
      "SELECT account, principal_name, policy_name, document FROM iam_policies WHERE account = ? AND principal_name = ? ORDER BY policy_name",
      [account, principalName],
    );
    return rows.map((r) => ({ account: r.account, principalName: r.principal_name, policyName: r.policy_name, document: r.document }));
  }

  async deletePolicy(account: string, principalName: string, policyName: string): Promise<boolean> {
    return (
      (await this.write("DELETE FROM iam_policies WHERE account = ? AND principal_name = ? AND policy_name = ?", [
        account,
        principalName,
        policyName,
      ])) > 0
    );
  }

  async revision(): Promise<number> {
    const r = await this.db.get<{ revision: number | string }>("SELECT revision FROM iam_revision WHERE id = 1");
    return r ? num(r.revision) : 0;
  }
}
