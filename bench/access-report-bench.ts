// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are spelled ${...} in policy text
// The access report at scale: 100 principals × 50,000 users (goal: under 5 s), built straight
// through the store API into a temporary SQLite file, then timed end to end — accessReport()
// reading principals, policies, instances, profiles and every user from the store, grouping,
// evaluating and assembling the full lists.
//
// Population: 5 instances × 10,000 users; tags role (agent/supervisor, admin on most Admin
// holders), team (20), site (50) and a unique badge; ~3% hold the Admin security profile, a
// tenth of those without the role=admin tag (so the ABAC principals are flagged). Principals:
// allow-all, the help-desk ABAC deny on aws:ResourceTag/role = admin, instance-scoped (Resource
// …/instance/<id>/* or a connect:InstanceId condition), team-scoped (aws:ResourceTag/team =
// ${aws:PrincipalTag/team}), and 2 that name individual user ARNs (evaluated user by user in
// their instance).
//
// Alone: `node dist/bench/access-report-bench.js [--users N] [--principals N]`; `npm run bench`
// runs it after the HTTP benchmarks.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { accessReport } from "../src/authz/access-report.js";
import { instanceArn, type Scope, userArn } from "../src/common/arn.js";
import { defaultProfiles } from "../src/operations/instances/defaults.js";
import type { ProfileRecord, UserRecord } from "../src/store/records.js";
import { SqlStore } from "../src/store/sql/sql-store.js";
import { SqliteDriver } from "../src/store/sqlite/sqlite-driver.js";
import type { Store } from "../src/store/store.js";
import { installCleanup, makeTempDir, removeTempDir } from "./procs.js";

export const ACCESS_REPORT_GOAL_S = 5;

export interface AccessReportBenchResult {
  principals: number;
  users: number;
  instances: number;
  seconds: number;
  evaluations: number;
  groups: number;
  flaggedPrincipals: number;
  /** users evaluated one by one (principals naming user ARNs) */
  evaluatedPerUser: number;
  buildSeconds: number;
  goalSeconds: number;
  line: string;
}

const ACCOUNT = "000000000000";
const SCOPE: Scope = { account: ACCOUNT, region: "us-east-1" };
const INSTANCES = 5;
const TEAMS = 20;
const SITES = 50;
const NOW = Date.UTC(2025, 0, 15);

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same population. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const instanceId = (i: number) => `bbbbbbbb-0000-4000-8000-${hex(i, 12)}`;
const userId = (i: number) => `cccccccc-${hex(i >>> 16, 4)}-4000-8000-${hex(i, 12)}`;

async function build(store: Store, users: number, principals: number): Promise<void> {
  const random = rng(42);
  const insts: { id: string; admin: string; agent: string; supervisor: string; routing: string }[] = [];
  for (let i = 0; i < INSTANCES; i++) {
    const id = instanceId(i);
    const profiles = defaultProfiles(SCOPE, id, NOW);
    await store.instances.create(
      SCOPE,
      {
        id,
        arn: instanceArn(SCOPE, id),
        identityManagementType: "CONNECT_MANAGED",
        alias: `bench-${i}`,
        createdTime: NOW,
        serviceRole: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_bench`,
        status: "ACTIVE",
        inboundCallsEnabled: true,
        outboundCallsEnabled: true,
        accessUrl: `https://bench-${i}.my.connect.aws`,
        tags: {},
      },
      profiles,
    );
    const byName = (n: string) => (profiles.find((p) => p.name === n) as ProfileRecord).id;
    insts.push({
      id,
      admin: byName("Admin"),
      agent: byName("Agent"),
      supervisor: byName("CallCenterManager"),
      routing: byName("Basic Routing Profile"),
    });
  }
  const BATCH = 5000;
  for (let start = 0; start < users; start += BATCH) {
    await store.atomically(async (tx) => {
      for (let i = start; i < Math.min(users, start + BATCH); i++) {
        const inst = insts[i % INSTANCES] as (typeof insts)[number];
        const id = userId(i);
        const admin = random() < 0.03;
        const supervisor = !admin && random() < 0.1;
        const tags: Record<string, string> = {
          team: `team-${Math.floor(random() * TEAMS)}`,
          site: `site-${Math.floor(random() * SITES)}`,
          badge: `B${100000 + i}`,
        };
        if (admin) {
          if (random() < 0.9) tags.role = "admin";
        } else tags.role = supervisor ? "supervisor" : "agent";
        const u: UserRecord = {
          id,
          arn: userArn(SCOPE, inst.id, id),
          instanceId: inst.id,
          username: `user${String(i).padStart(6, "0")}`,
          identityInfo: { firstName: "Bench", lastName: `User${i}`, email: `user${i}@example.com` },
          phoneConfig: { phoneType: "SOFT_PHONE", autoAccept: false, afterContactWorkTimeLimit: 0 },
          securityProfileIds: [admin ? inst.admin : supervisor ? inst.supervisor : inst.agent],
          routingProfileId: inst.routing,
          tags,
          lastModifiedTime: NOW,
          lastModifiedRegion: SCOPE.region,
        };
        await tx.users.create(SCOPE, u);
      }
    });
  }

  const policies: ((p: number) => unknown)[] = [
    () => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "connect:*", Resource: "*" }] }),
    () => ({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "connect:*", Resource: "*" },
        {
          Effect: "Deny",
          Action: "connect:UpdateUserIdentityInfo",
          Resource: "*",
          Condition: { StringEquals: { "aws:ResourceTag/role": "admin" } },
        },
      ],
    }),
    (p) =>
      p % 2 === 0
        ? {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "connect:*", Resource: `${instanceArn(SCOPE, instanceId(p % INSTANCES))}/*` }],
          }
        : {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["connect:Describe*", "connect:UpdateUser*"],
                Resource: "*",
                Condition: { StringEquals: { "connect:InstanceId": instanceId(p % INSTANCES) } },
              },
            ],
          },
    () => ({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "connect:UpdateUserIdentityInfo",
          Resource: "arn:aws:connect:*:*:instance/*/agent/*",
          Condition: { StringEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team}" } },
        },
      ],
    }),
  ];
  await store.atomically(async (tx) => {
    for (let p = 0; p < principals; p++) {
      const name = `principal-${String(p).padStart(3, "0")}`;
      await tx.iam.putPrincipal({
        account: ACCOUNT,
        name,
        arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
        tags: { team: `team-${p % TEAMS}` },
        createdTime: NOW,
      });
      // The last 2 name individual users (a dozen in one instance): the per-user path.
      const doc =
        p >= principals - 2
          ? {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: "connect:UpdateUserIdentityInfo",
                  Resource: Array.from({ length: 12 }, (_, k) =>
                    userArn(SCOPE, instanceId(p % INSTANCES), userId((p % INSTANCES) + k * INSTANCES)),
                  ),
                },
              ],
            }
          : (policies[p % policies.length] as (p: number) => unknown)(p);
      await tx.iam.putPolicy({ account: ACCOUNT, principalName: name, policyName: "main", document: JSON.stringify(doc) });
    }
  });
}

export async function runAccessReportBench(opts: { users?: number; principals?: number; log?: (s: string) => void } = {}) {
  const users = opts.users ?? 50_000;
  const principals = opts.principals ?? 100;
  const log = opts.log ?? ((s: string) => process.stderr.write(s));
  const dir = makeTempDir("switchboard-access-report-bench-");
  const file = join(dir, "switchboard.db");
  try {
    log(`bench: access report: building ${principals} principals × ${users.toLocaleString("en-US")} users in ${file}\n`);
    const t0 = performance.now();
    const builder = await SqlStore.open(new SqliteDriver({ file, durability: "normal" }));
    try {
      await build(builder, users, principals);
    } finally {
      await builder.close();
    }
    const buildSeconds = (performance.now() - t0) / 1000;
    log(`bench: access report: built in ${buildSeconds.toFixed(1)} s; timing the report\n`);

    // A fresh store: nothing cached in the process, as for `switchboard access-report`.
    const store = await SqlStore.open(new SqliteDriver({ file, durability: "normal" }));
    try {
      const t1 = performance.now();
      const report = await accessReport(store, { account: ACCOUNT, now: Date.now() });
      const seconds = (performance.now() - t1) / 1000;
      if (report.users !== users || report.principals.length !== principals + 1) {
        throw new Error(
          `access report covered ${report.users} users and ${report.principals.length} principals, expected ${users} and ${principals + 1}`,
        );
      }
      const fmt = (n: number) => n.toLocaleString("en-US");
      const line = `access report: ${fmt(principals)} principals × ${fmt(users)} users in ${seconds.toFixed(2)} s (goal < ${ACCESS_REPORT_GOAL_S} s), ${fmt(report.evaluations)} evaluations, ${fmt(report.groups)} groups`;
      return {
        principals,
        users,
        instances: report.instances,
        seconds,
        evaluations: report.evaluations,
        groups: report.groups,
        flaggedPrincipals: report.principals.filter((p) => p.flagged).length,
        evaluatedPerUser: report.principals.reduce((n, p) => n + p.evaluatedPerUser, 0),
        buildSeconds,
        goalSeconds: ACCESS_REPORT_GOAL_S,
        line,
      } satisfies AccessReportBenchResult;
    } finally {
      await store.close();
    }
  } finally {
    removeTempDir(dir);
  }
}

function flag(argv: string[], name: string): number | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a whole number >= 1, got '${argv[i + 1] ?? ""}'`);
  return n;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  installCleanup();
  const argv = process.argv.slice(2);
  runAccessReportBench({ users: flag(argv, "--users"), principals: flag(argv, "--principals") }).then(
    (r) => {
      process.stdout.write(`${r.line}\n`);
      process.exit(r.seconds < r.goalSeconds ? 0 : 1);
    },
    (err: unknown) => {
      process.stderr.write(`bench: FAIL ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
