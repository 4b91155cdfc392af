// `switchboard iam <command>`: manages IAM principals, access keys and inline policies in the
// store the server uses (--data, --database … as for `serve`). A running server notices every
// change within a second (and a new key on its first use). Secrets are printed once, by
// create-access-key, and never again.
// Exit codes: 0 done, 2 usage or validation (e.g. an invalid policy, with its reasons), 1 other.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { openStore } from "../app.js";
import { ACCOUNT_ID, checkTags, POLICY_NAME, PRINCIPAL_NAME } from "../authz/iam-file.js";
import { iamUserArn } from "../authz/principal-directory.js";
import { type CommandLine, type Config, ConfigError } from "../config.js";
import { PolicyError, parsePolicy } from "../iam/index.js";
import type { IamPrincipalRecord, Tags } from "../store/records.js";
import type { Store } from "../store/store.js";

/** A problem with what was asked (exit 2), reported with its reasons, without the usage hint. */
class Invalid extends Error {
  constructor(
    message: string,
    readonly reasons: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Something that could not be done (exit 1). */
class Failed extends Error {}

interface Invocation {
  config: Config;
  account: string;
  json: boolean;
  tags: readonly string[];
  policyDocument?: string;
  args: string[];
}

type Sub = (inv: Invocation) => Promise<void>;

const out = (text: string) => process.stdout.write(`${text}\n`);
const iso = (ms: number) => new Date(ms).toISOString();

function args(inv: Invocation, names: readonly string[], command: string): string[] {
  if (inv.args.length !== names.length) {
    throw new ConfigError(
      `iam ${command} takes ${names.length === 0 ? "no arguments" : names.join(" ")}, got ${inv.args.length === 0 ? "none" : `'${inv.args.join(" ")}'`}`,
    );
  }
  return inv.args;
}

function principalName(name: string): string {
  if (!PRINCIPAL_NAME.test(name)) throw new ConfigError(`user name '${name}' must be 1-64 characters of letters, digits and +=,.@_-`);
  return name;
}

async function withStore<T>(inv: Invocation, writes: boolean, fn: (store: Store) => Promise<T>): Promise<T> {
  const s = inv.config.storage;
  if (s.kind === "memory") throw new ConfigError("--memory keeps nothing to manage; use --data or --database");
  if (!writes && s.kind === "sqlite" && !existsSync(s.file)) {
    throw new Failed(`no database at ${s.file} (use --data DIR to point at the server's data directory)`);
  }
  const store = await openStore(inv.config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function mustGet(store: Store, account: string, name: string): Promise<IamPrincipalRecord> {
  const p = await store.iam.getPrincipal(account, name);
  if (!p) throw new Failed(`no user '${name}' in account ${account}`);
  return p;
}

const createUser: Sub = async (inv) => {
  const [name] = args(inv, ["NAME"], "create-user").map(principalName) as [string];
  const problems: string[] = [];
  const raw: Record<string, string> = {};
  for (const t of inv.tags) {
    const eq = t.indexOf("=");
    if (eq <= 0) problems.push(`--tag '${t}' must be KEY=VALUE`);
    else raw[t.slice(0, eq)] = t.slice(eq + 1);
  }
  const tags: Tags = checkTags(raw, "--tag", problems);
  if (problems.length > 0) throw new Invalid("invalid tags", problems);
  await withStore(inv, true, async (store) => {
    const arn = iamUserArn(inv.account, name);
    await store.atomically(async (tx) => {
      if (await tx.iam.getPrincipal(inv.account, name)) throw new Failed(`user '${name}' already exists in account ${inv.account}`);
      await tx.iam.putPrincipal({ account: inv.account, name, arn, tags, createdTime: Date.now() });
    });
    out(`created user ${name} (${arn})`);
  });
};

const deleteUser: Sub = async (inv) => {
  const [name] = args(inv, ["NAME"], "delete-user").map(principalName) as [string];
  await withStore(inv, true, async (store) => {
    if (!(await store.iam.deletePrincipal(inv.account, name))) throw new Failed(`no user '${name}' in account ${inv.account}`);
    out(`deleted user ${name} with its access keys and policies`);
  });
};

const listUsers: Sub = async (inv) => {
  args(inv, [], "list-users");
  await withStore(inv, false, async (store) => {
    const users = await store.iam.listPrincipals(inv.account);
    if (inv.json) {
      out(
        JSON.stringify(
          { Users: users.map((u) => ({ UserName: u.name, Arn: u.arn, CreateDate: iso(u.createdTime), Tags: u.tags })) },
          null,
          2,
        ),
      );
    } else if (users.length === 0) {
      out(`no users in account ${inv.account}`);
    } else {
      for (const u of users) {
        const tags = Object.entries(u.tags).map(([k, v]) => `${k}=${v}`);
        out(`${u.name}\t${u.arn}${tags.length > 0 ? `\t${tags.join(",")}` : ""}`);
      }
    }
  });
};

const getUser: Sub = async (inv) => {
  const [name] = args(inv, ["NAME"], "get-user").map(principalName) as [string];
  await withStore(inv, false, async (store) => {
    const p = await mustGet(store, inv.account, name);
    const keys = await store.iam.listAccessKeys(inv.account, name);
    const policies = await store.iam.listPolicies(inv.account, name);
    // Ids and states only: secrets and session tokens are never shown after creation.
    const view = {
      UserName: p.name,
      Arn: p.arn,
      Account: p.account,
      CreateDate: iso(p.createdTime),
      Tags: p.tags,
      AccessKeys: keys.map((k) => ({
        AccessKeyId: k.accessKeyId,
        Status: k.status,
        CreateDate: iso(k.createdTime),
        HasSessionToken: k.sessionToken !== undefined,
      })),
      PolicyNames: policies.map((d) => d.policyName),
    };
    if (inv.json) {
      out(JSON.stringify(view, null, 2));
      return;
    }
    const tags = Object.entries(p.tags).map(([k, v]) => `${k}=${v}`);
    out(`user      ${p.name}\narn       ${p.arn}\ncreated   ${view.CreateDate}\ntags      ${tags.length > 0 ? tags.join(", ") : "-"}`);
    out(`keys      ${view.AccessKeys.length > 0 ? view.AccessKeys.map((k) => `${k.AccessKeyId} (${k.Status})`).join(", ") : "-"}`);
    out(`policies  ${view.PolicyNames.length > 0 ? view.PolicyNames.join(", ") : "-"}`);
  });
};

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** AKIA + 16 characters of base32, as AWS's long-term keys look. */
export function newAccessKeyId(): string {
  const bytes = randomBytes(16);
  let id = "AKIA";
  for (const b of bytes) id += BASE32[b & 31];
  return id;
}

/** 40 characters of base64, as AWS's secret access keys look. */
export const newSecretAccessKey = (): string => randomBytes(30).toString("base64");

const createAccessKey: Sub = async (inv) => {
  const [name] = args(inv, ["NAME"], "create-access-key").map(principalName) as [string];
  await withStore(inv, true, async (store) => {
    const accessKeyId = newAccessKeyId();
    const secretAccessKey = newSecretAccessKey();
    const createdTime = Date.now();
    await store.atomically(async (tx) => {
      await mustGet(tx, inv.account, name);
      await tx.iam.putAccessKey({ accessKeyId, secretAccessKey, account: inv.account, principalName: name, status: "Active", createdTime });
    });
    // The only time the secret is shown.
    out(
      JSON.stringify(
        {
          AccessKey: {
            UserName: name,
            AccessKeyId: accessKeyId,
            Status: "Active",
            SecretAccessKey: secretAccessKey,
            CreateDate: iso(createdTime),
          },
        },
        null,
        2,
      ),
    );
  });
};

const deleteAccessKey: Sub = async (inv) => {
  const [id] = args(inv, ["ACCESS_KEY_ID"], "delete-access-key") as [string];
  await withStore(inv, true, async (store) => {
    if (!(await store.iam.deleteAccessKey(id))) throw new Failed(`no access key ${id}`);
    out(`deleted access key ${id}`);
  });
};

/** Inline JSON, file://PATH (as the AWS CLI takes it) or a plain path. */
async function policyText(value: string | undefined): Promise<string> {
  if (value === undefined) throw new ConfigError("iam put-user-policy needs --policy-document JSON|file://PATH|PATH");
  if (value.trimStart().startsWith("{")) return value;
  const path = value.startsWith("file://") ? value.slice(7) : value;
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    throw new Invalid(`cannot read the policy document ${path} (${(err as { code?: string }).code ?? String(err)})`);
  }
}

const putUserPolicy: Sub = async (inv) => {
  const [name, policyName] = args(inv, ["NAME", "POLICY_NAME"], "put-user-policy") as [string, string];
  principalName(name);
  if (!POLICY_NAME.test(policyName))
    throw new ConfigError(`policy name '${policyName}' must be 1-128 characters of letters, digits and +=,.@_-`);
  const document = await policyText(inv.policyDocument);
  try {
    parsePolicy(`${name}/inline/${policyName}`, document);
  } catch (err) {
    if (err instanceof PolicyError) throw new Invalid(`policy '${policyName}' is invalid`, err.problems);
    throw err;
  }
  await withStore(inv, true, async (store) => {
    await store.atomically(async (tx) => {
      await mustGet(tx, inv.account, name);
      await tx.iam.putPolicy({ account: inv.account, principalName: name, policyName, document });
    });
    out(`put policy ${policyName} on user ${name}`);
  });
};

const deleteUserPolicy: Sub = async (inv) => {
  const [name, policyName] = args(inv, ["NAME", "POLICY_NAME"], "delete-user-policy") as [string, string];
  principalName(name);
  await withStore(inv, true, async (store) => {
    if (!(await store.iam.deletePolicy(inv.account, name, policyName))) {
      throw new Failed(`user '${name}' in account ${inv.account} has no policy '${policyName}'`);
    }
    out(`deleted policy ${policyName} from user ${name}`);
  });
};

const listUserPolicies: Sub = async (inv) => {
  const [name] = args(inv, ["NAME"], "list-user-policies").map(principalName) as [string];
  await withStore(inv, false, async (store) => {
    await mustGet(store, inv.account, name);
    const names = (await store.iam.listPolicies(inv.account, name)).map((d) => d.policyName);
    if (inv.json) out(JSON.stringify({ PolicyNames: names }, null, 2));
    else if (names.length === 0) out(`user ${name} has no policies`);
    else out(names.join("\n"));
  });
};

const SUBCOMMANDS: Record<string, Sub> = {
  "create-user": createUser,
  "delete-user": deleteUser,
  "list-users": listUsers,
  "get-user": getUser,
  "create-access-key": createAccessKey,
  "delete-access-key": deleteAccessKey,
  "put-user-policy": putUserPolicy,
  "delete-user-policy": deleteUserPolicy,
  "list-user-policies": listUserPolicies,
};

/** `switchboard iam SUB …`, its arguments and options parsed by the command line (program.ts). */
export async function iam(sub: string, { config, values, positionals }: CommandLine): Promise<void> {
  const run = SUBCOMMANDS[sub];
  if (!run) throw new ConfigError(`unknown iam command '${sub}' (${Object.keys(SUBCOMMANDS).join(", ")})`);
  const account = typeof values.account === "string" ? values.account : config.accountId;
  if (!ACCOUNT_ID.test(account)) throw new ConfigError(`--account must be 12 digits, got '${account}'`);
  const inv: Invocation = {
    config,
    account,
    json: values.json === true,
    tags: Array.isArray(values.tag) ? values.tag.filter((t): t is string => typeof t === "string") : [],
    args: positionals,
  };
  if (typeof values["policy-document"] === "string") inv.policyDocument = values["policy-document"];
  try {
    await run(inv);
  } catch (err) {
    if (err instanceof Invalid) {
      process.stderr.write(`switchboard iam ${sub}: ${err.message}${err.reasons.map((r) => `\n  - ${r}`).join("")}\n`);
      process.exitCode = 2;
      return;
    }
    if (err instanceof Failed) {
      process.stderr.write(`switchboard iam ${sub}: ${err.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
}
