// `switchboard access-report`: who may change whose identity info (or perform another action on
// users), over the store the server uses (--data, --database … as for `serve`). Flags every
// principal that may do so to a holder of the Admin security profile.
import { existsSync } from "node:fs";
import { openStore } from "../app.js";
import {
  type AccessReport,
  ADMIN_PROFILE,
  accessReport,
  DEFAULT_REPORT_ACTION,
  isUserAction,
  type PrincipalAccess,
  type TagPath,
  type UserRef,
} from "../authz/access-report.js";
import { terminalProgress } from "../common/progress.js";
import { type CommandLine, ConfigError } from "../config.js";

/** Users listed per principal in the human output. */
const SHOWN = 20;

const opt = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function userLine(u: UserRef, multiRegion: boolean): string {
  return `${u.username}  (${multiRegion ? `${u.region} ` : ""}instance ${u.instanceId}, user ${u.userId})`;
}

/** What a flagged principal can do to an Admin holder, in words. */
const what = (action: string) =>
  action === DEFAULT_REPORT_ACTION ? "can change the email (identity info)" : `may perform ${action} on the account`;

/** The tag edit that opens the second step, as the CLI call a user would make. */
const tagEdit = (t: TagPath) =>
  t.operation === "connect:UntagResource" ? `connect:UntagResource of '${t.key}'` : `connect:TagResource ${t.key}=${t.value ?? ""}`;

function principalBlock(p: PrincipalAccess, r: AccessReport): string[] {
  const multi = r.scopes.length > 1;
  const lines: string[] = [];
  lines.push(`${p.name}  ${p.arn}${p.root ? "  (account root, the bootstrap credential: allowed everything)" : ""}`);
  if (p.invalidPolicy) lines.push("  a stored policy is invalid: the server denies this principal everything until it is fixed");
  lines.push(`  may ${r.action} on ${p.canChangeCount} of ${plural(r.users, "user")}`);
  for (const u of p.canChange.slice(0, SHOWN)) lines.push(`    ${userLine(u, multi)}`);
  if (p.canChangeCount > SHOWN) lines.push(`    … and ${p.canChangeCount - SHOWN} more`);
  if (p.evaluatedPerUser > 0) {
    lines.push(`  evaluated user by user for ${plural(p.evaluatedPerUser, "user")} (a Resource pattern names individual users)`);
  }
  if (p.requestOnlyKeys.length > 0) lines.push(`  note: its policies test ${p.requestOnlyKeys.join(", ")}: evaluated as if absent`);
  if (p.flagged) {
    const names = p.adminTargets.slice(0, SHOWN).map((u) => u.username);
    const more = p.adminTargetCount > names.length ? `, … and ${p.adminTargetCount - names.length} more` : "";
    lines.push(
      `  !!! FLAG: ${p.name} ${what(r.action)} of ${plural(p.adminTargetCount, "user")} holding the ${ADMIN_PROFILE} security profile: ${names.join(", ")}${more}`,
    );
  }
  if ((p.viaTagsCount ?? 0) > 0) {
    lines.push(`  in two steps (one tag edit it may make, then ${r.action}): ${plural(p.viaTagsCount ?? 0, "more user")}`);
    for (const t of (p.viaTags ?? []).slice(0, SHOWN)) lines.push(`    ${userLine(t.user, multi)}  after ${tagEdit(t)}`);
    if ((p.viaTagsCount ?? 0) > SHOWN) lines.push(`    … and ${(p.viaTagsCount ?? 0) - SHOWN} more`);
  }
  if (p.flaggedViaTags) {
    lines.push(
      `  !!! FLAG (two steps): ${p.name} ${what(r.action)} of ${plural(p.adminViaTagsCount ?? 0, "user")} holding ${ADMIN_PROFILE} after editing their tags`,
    );
  }
  if (p.grantsAdmin) {
    const names = (p.canGrantAdmin ?? []).slice(0, SHOWN).map((u) => u.username);
    const count = p.canGrantAdminCount ?? 0;
    const more = count > names.length ? `, … and ${count - names.length} more` : "";
    lines.push(
      `  !!! CAN GRANT ${ADMIN_PROFILE}: ${p.name} may give ${plural(count, "user")} the ${ADMIN_PROFILE} security profile: ${names.join(", ")}${more}`,
    );
  }
  return lines;
}

function formatHuman(r: AccessReport): string {
  const regions = r.scopes.map((s) => s.region).join(", ") || "none";
  const flagged = r.principals.filter((p) => p.flagged).length;
  const out: string[] = [
    `Access report: ${r.action} — account ${r.account}, regions ${regions}: ${plural(r.instances, "instance")}, ${plural(r.users, "user")} (${r.adminHolders} holding ${ADMIN_PROFILE})`,
    `${plural(r.principals.length, "principal")} (with root), ${flagged} flagged; ${plural(r.evaluations, "evaluation")} over ${plural(r.groups, "group")}`,
    ...r.notes.map((n) => `note: ${n}`),
  ];
  for (const p of r.principals) out.push("", ...principalBlock(p, r));
  const names = (pick: (p: PrincipalAccess) => boolean | undefined) =>
    r.principals
      .filter(pick)
      .map((p) => p.name)
      .join(", ");
  const twoSteps = r.principals.filter((p) => p.flaggedViaTags).length;
  const grants = r.principals.filter((p) => p.grantsAdmin).length;
  if (flagged + twoSteps + grants > 0) out.push("");
  if (flagged > 0) out.push(`FLAGGED (${flagged}): ${names((p) => p.flagged)}`);
  if (twoSteps > 0) out.push(`FLAGGED IN TWO STEPS (${twoSteps}): ${names((p) => p.flaggedViaTags)}`);
  if (grants > 0) out.push(`CAN GRANT ${ADMIN_PROFILE} (${grants}): ${names((p) => p.grantsAdmin)}`);
  return `${out.join("\n")}\n`;
}

/** JSON written principal by principal, so a large report never becomes one giant string. */
function writeJson(r: AccessReport): void {
  const { principals, ...head } = r;
  const headText = JSON.stringify(head, null, 2);
  process.stdout.write(`${headText.slice(0, -2)},\n  "principals": [`);
  principals.forEach((p, i) => {
    process.stdout.write(`${i === 0 ? "\n" : ",\n"}    ${JSON.stringify(p)}`);
  });
  process.stdout.write(`${principals.length > 0 ? "\n  " : ""}]\n}\n`);
}

export async function accessReportCommand({ config, values }: CommandLine): Promise<void> {
  const action = opt(values.action) ?? DEFAULT_REPORT_ACTION;
  if (!isUserAction(action)) {
    throw new ConfigError(`--action must be a Connect action on a user (…/agent/{UserId}), e.g. ${DEFAULT_REPORT_ACTION}; got '${action}'`);
  }
  const account = opt(values.account) ?? config.accountId;
  if (!/^\d{12}$/.test(account)) throw new ConfigError(`--account must be 12 digits, got '${account}'`);
  if (config.storage.kind === "memory") throw new ConfigError("--memory holds no users to report on; use --data or --database");
  if (config.storage.kind === "sqlite" && !existsSync(config.storage.file)) {
    throw new Error(`no database at ${config.storage.file} (use --data DIR to point at the server's data directory)`);
  }
  const store = await openStore(config);
  const progress = terminalProgress("access report");
  let report: AccessReport;
  try {
    const region = opt(values.region);
    const instanceId = opt(values.instance);
    report = await accessReport(store, {
      account,
      action,
      now: Date.now(),
      ...(region === undefined ? {} : { region }),
      ...(instanceId === undefined ? {} : { instanceId }),
      ...(values.json === true ? {} : { listLimit: SHOWN }),
      onProgress: progress.report,
    });
  } finally {
    progress.end();
    await store.close();
  }
  if (values.json === true) writeJson(report);
  else process.stdout.write(formatHuman(report));
}
