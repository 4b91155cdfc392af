// The message to a user's OLD address when their primary e-mail changes. Pure: facts in, text out.
// Every value is masked (`j***@example.com`): enough for the old owner to recognise what
// happened, and the new address is never spelled out, in case the message is forwarded or read
// by someone else. The revert link is the one secret in it.
import { maskValue } from "../common/mask.js";
import type { IdentityInfo } from "../store/records.js";

export interface EmailChangedFacts {
  before: IdentityInfo;
  after: IdentityInfo;
  username: string;
  userId: string;
  instanceId: string;
  /** who made the change */
  principalArn: string;
  sourceIp: string;
  /** epoch ms of the change */
  time: number;
  /** the one-time revert link */
  revertUrl: string;
  /** epoch ms after which the link no longer works */
  expiresTime: number;
}

export interface ComposedMessage {
  recipient: string;
  subject: string;
  /** plain text */
  body: string;
}

export const EMAIL_CHANGED_SUBJECT = "Your Amazon Connect e-mail address was changed";

const MEMBERS: ReadonlyArray<[keyof IdentityInfo, string]> = [
  ["email", "E-mail"],
  ["firstName", "First name"],
  ["lastName", "Last name"],
  ["secondaryEmail", "Secondary e-mail"],
  ["mobile", "Mobile"],
];

const shown = (v: string | undefined) => (v === undefined || v === "" ? "(none)" : maskValue(v));
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Lines "  E-mail: j***@example.com -> a***@example.org" for every member that changed. */
export function changedLines(before: IdentityInfo, after: IdentityInfo): string[] {
  const lines: string[] = [];
  for (const [key, label] of MEMBERS) {
    if (before[key] === after[key]) continue;
    lines.push(`  ${label}: ${shown(before[key])} -> ${shown(after[key])}`);
  }
  return lines;
}

/** Throws when there is no old address to write to (the caller checks first). */
export function emailChangedMessage(f: EmailChangedFacts): ComposedMessage {
  const recipient = f.before.email;
  if (!recipient) throw new Error("emailChangedMessage: the user had no e-mail address");
  const body = [
    "Hello,",
    "",
    `The identity information of the Amazon Connect user "${f.username}", which used this e-mail address, was changed:`,
    "",
    ...changedLines(f.before, f.after),
    "",
    `  Changed by: ${f.principalArn}`,
    `  When:       ${iso(f.time)}`,
    `  From IP:    ${f.sourceIp || "(unknown)"}`,
    `  Instance:   ${f.instanceId}`,
    `  User id:    ${f.userId}`,
    "",
    "Values are shown masked. If you made or expected this change, you need not do anything.",
    "",
    "If you did not, open this link to restore the previous identity information",
    `(it works once, until ${iso(f.expiresTime)}):`,
    "",
    `  ${f.revertUrl}`,
    "",
    "and tell your Amazon Connect administrator: whoever can change your e-mail address can take over the account.",
    "",
    "-- ",
    "Switchboard (automatic message; replies are not read)",
    "",
  ].join("\n");
  return { recipient, subject: EMAIL_CHANGED_SUBJECT, body };
}
