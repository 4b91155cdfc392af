// The `--iam FILE` format: principals, their access keys and inline policies, declared in JSON.
//
//   {"principals": [{"name": "helpdesk", "account": "000000000000", "tags": {"team": "support"},
//     "accessKeys": [{"accessKeyId": "AKIA…", "secretAccessKey": "…", "sessionToken": "…"}],
//     "policies": {"HelpDesk": {<IAM policy JSON>}}}]}
//
// Checked completely at start-up, before the server listens: every problem (file, principal,
// policy, statement, reason) is reported together and the server does not start. Importing
// upserts each declared principal and replaces its keys and policies with the file's; principals
// not in the file are left alone. Secrets never appear in a message: JSON syntax errors give a
// line and column, never the surrounding text.
import { readFile } from "node:fs/promises";
import { type Policy, PolicyError, parsePolicy } from "../iam/index.js";
import type { Tags } from "../store/records.js";
import type { Store } from "../store/store.js";
import { iamUserArn } from "./principal-directory.js";

export interface DeclaredAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface DeclaredPolicy {
  name: string;
  /** the document as JSON text (stored as written) */
  document: string;
  policy: Policy;
}

export interface DeclaredPrincipal {
  name: string;
  account: string;
  arn: string;
  tags: Tags;
  accessKeys: DeclaredAccessKey[];
  policies: DeclaredPolicy[];
}

export interface IamFile {
  file: string;
  principals: DeclaredPrincipal[];
}

/** Everything wrong with an IAM file, one problem per line. */
export class IamFileError extends Error {
  readonly problems: readonly string[];
  constructor(
    readonly file: string,
    problems: readonly string[],
  ) {
    const n = problems.length;
    super(`invalid IAM file ${file} (${n} problem${n === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "IamFileError";
    this.problems = Object.freeze([...problems]);
  }
}

/** IAM user names: 1-64 of [A-Za-z0-9+=,.@_-]. */
export const PRINCIPAL_NAME = /^[\w+=,.@-]{1,64}$/;
/** IAM policy names: 1-128 of [A-Za-z0-9+=,.@_-]. */
export const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
/** Access key ids: 16-128 word characters. */
export const ACCESS_KEY_ID = /^\w{16,128}$/;
export const ACCOUNT_ID = /^\d{12}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Checks a tag map (IAM: keys 1-128 characters, values 0-256); problems are prefixed with `where`. */
export function checkTags(value: unknown, where: string, problems: string[]): Tags {
  if (value === undefined) return {};
  if (!isObject(value)) {
    problems.push(`${where}: tags must be an object of string values`);
    return {};
  }
  const tags: Tags = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.length < 1 || k.length > 128) problems.push(`${where}: tag key "${k}" must be 1 to 128 characters`);
    else if (typeof v !== "string") problems.push(`${where}: tag "${k}" must have a string value`);
    else if (v.length > 256) problems.push(`${where}: tag "${k}" has a value longer than 256 characters`);
    else tags[k] = v;
  }
  return tags;
}

/** Line and column of a JSON.parse position, so the message never quotes the (secret) text. */
function jsonProblem(text: string, err: unknown): string {
  const m = /at position (\d+)/.exec(err instanceof Error ? err.message : "");
  if (!m) return "not valid JSON";
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  const column = pos - before.lastIndexOf("\n");
  return `not valid JSON (syntax error at line ${line}, column ${column})`;
}

/**
 * Parses and checks an IAM file's text. `defaultAccount` is used where a principal names none.
 * `reservedKeyIds` are access key ids the file may not declare (the bootstrap credential's).
 * @throws IamFileError listing every problem
 */
export function parseIamFile(text: string, file: string, defaultAccount: string, reservedKeyIds: readonly string[] = []): IamFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new IamFileError(file, [jsonProblem(text, err)]);
  }
  const problems: string[] = [];
  if (!isObject(value)) throw new IamFileError(file, ['the file must hold a JSON object with a "principals" array']);
  for (const k of Object.keys(value)) if (k !== "principals") problems.push(`unknown top-level member "${k}" (expected "principals")`);
  const list = value.principals;
  if (!Array.isArray(list)) throw new IamFileError(file, [...problems, '"principals" must be an array']);

  const principals: DeclaredPrincipal[] = [];
  const seenPrincipals = new Set<string>();
  const seenKeys = new Map<string, string>();
  list.forEach((raw, i) => {
    if (!isObject(raw)) {
      problems.push(`principals[${i}]: must be an object`);
      return;
    }
    const name = raw.name;
    const label = typeof name === "string" && name !== "" ? `principal "${name}"` : `principals[${i}]`;
    for (const k of Object.keys(raw)) {
      if (!["name", "account", "tags", "accessKeys", "policies"].includes(k)) problems.push(`${label}: unknown member "${k}"`);
    }
    if (typeof name !== "string" || !PRINCIPAL_NAME.test(name)) {
      problems.push(`${label}: "name" must be 1-64 characters of letters, digits and +=,.@_-`);
    }
    const account = raw.account === undefined ? defaultAccount : raw.account;
    if (typeof account !== "string" || !ACCOUNT_ID.test(account)) problems.push(`${label}: "account" must be 12 digits`);
    const ok = typeof name === "string" && typeof account === "string";
    if (ok) {
      const id = `${account}/${name}`;
      if (seenPrincipals.has(id)) problems.push(`${label}: declared twice in account ${account}`);
      seenPrincipals.add(id);
    }
    const tags = checkTags(raw.tags, label, problems);

    const accessKeys: DeclaredAccessKey[] = [];
    if (raw.accessKeys !== undefined && !Array.isArray(raw.accessKeys)) problems.push(`${label}: "accessKeys" must be an array`);
    else {
      ((raw.accessKeys as unknown[] | undefined) ?? []).forEach((k, j) => {
        const where = `${label}, accessKeys[${j}]`;
        if (!isObject(k)) {
          problems.push(`${where}: must be an object`);
          return;
        }
        for (const m of Object.keys(k)) {
          if (!["accessKeyId", "secretAccessKey", "sessionToken"].includes(m)) problems.push(`${where}: unknown member "${m}"`);
        }
        const { accessKeyId, secretAccessKey, sessionToken } = k;
        let good = true;
        if (typeof accessKeyId !== "string" || !ACCESS_KEY_ID.test(accessKeyId)) {
          problems.push(`${where}: "accessKeyId" must be 16-128 letters, digits or underscores`);
          good = false;
        } else if (reservedKeyIds.includes(accessKeyId)) {
          problems.push(`${where}: access key ${accessKeyId} is the bootstrap (root) credential's`);
          good = false;
        } else if (seenKeys.has(accessKeyId)) {
          problems.push(`${where}: access key ${accessKeyId} is already declared for ${seenKeys.get(accessKeyId)}`);
          good = false;
        } else seenKeys.set(accessKeyId, label);
        // Never quote a secret or a token, not even a wrong one.
        if (typeof secretAccessKey !== "string" || secretAccessKey.length === 0) {
          problems.push(`${where}: "secretAccessKey" must be a non-empty string`);
          good = false;
        }
        if (sessionToken !== undefined && (typeof sessionToken !== "string" || sessionToken.length === 0)) {
          problems.push(`${where}: "sessionToken" must be a non-empty string when present`);
          good = false;
        }
        if (good) {
          accessKeys.push({
            accessKeyId: accessKeyId as string,
            secretAccessKey: secretAccessKey as string,
            ...(sessionToken !== undefined ? { sessionToken: sessionToken as string } : {}),
          });
        }
      });
    }

    const policies: DeclaredPolicy[] = [];
    if (raw.policies !== undefined && !isObject(raw.policies)) {
      problems.push(`${label}: "policies" must be an object mapping policy names to policy documents`);
    } else {
      for (const [policyName, doc] of Object.entries((raw.policies as Record<string, unknown> | undefined) ?? {})) {
        const where = `${label}, policy "${policyName}"`;
        if (!POLICY_NAME.test(policyName)) problems.push(`${where}: policy names are 1-128 characters of letters, digits and +=,.@_-`);
        try {
          const policy = parsePolicy(`${typeof name === "string" ? name : i}/inline/${policyName}`, doc);
          policies.push({ name: policyName, document: typeof doc === "string" ? doc : JSON.stringify(doc), policy });
        } catch (err) {
          if (!(err instanceof PolicyError)) throw err;
          for (const p of err.problems) problems.push(`${where}: ${p}`);
        }
      }
    }
    if (ok) principals.push({ name, account, arn: iamUserArn(account, name), tags, accessKeys, policies });
  });
  if (problems.length > 0) throw new IamFileError(file, problems);
  return { file, principals };
}

/** Reads and checks an IAM file; an unreadable file is an IamFileError too. */
export async function readIamFile(file: string, defaultAccount: string, reservedKeyIds: readonly string[] = []): Promise<IamFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new IamFileError(file, [code === "ENOENT" ? "no such file" : `cannot be read (${code ?? String(err)})`]);
  }
  return parseIamFile(text, file, defaultAccount, reservedKeyIds);
}

/**
 * Writes the declared principals to the store in one transaction: each principal upserted (its
 * tags replaced, its creation time kept), its keys and policies replaced by the file's.
 * Principals the file does not name are untouched.
 */
export async function importIamFile(store: Store, decl: IamFile, now: number): Promise<void> {
  await store.atomically(async (tx) => {
    for (const p of decl.principals) {
      const existing = await tx.iam.getPrincipal(p.account, p.name);
      await tx.iam.putPrincipal({ account: p.account, name: p.name, arn: p.arn, tags: p.tags, createdTime: existing?.createdTime ?? now });
      const keptSince = new Map<string, number>();
      for (const k of await tx.iam.listAccessKeys(p.account, p.name)) {
        keptSince.set(k.accessKeyId, k.createdTime);
        await tx.iam.deleteAccessKey(k.accessKeyId);
      }
      for (const d of await tx.iam.listPolicies(p.account, p.name)) await tx.iam.deletePolicy(p.account, p.name, d.policyName);
      for (const k of p.accessKeys) {
        // A key id declared here wins even if the store has it for another principal.
        await tx.iam.deleteAccessKey(k.accessKeyId);
        await tx.iam.putAccessKey({
          accessKeyId: k.accessKeyId,
          secretAccessKey: k.secretAccessKey,
          ...(k.sessionToken !== undefined ? { sessionToken: k.sessionToken } : {}),
          account: p.account,
          principalName: p.name,
          status: "Active",
          createdTime: keptSince.get(k.accessKeyId) ?? now,
        });
      }
      for (const d of p.policies) {
        await tx.iam.putPolicy({ account: p.account, principalName: p.name, policyName: d.name, document: d.document });
      }
    }
  });
}
