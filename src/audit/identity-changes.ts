// What an identity change did, for the audit trail: which members changed, with masked old and
// new values (`j***@example.com`) — enough for an investigator, never the values themselves.
import { maskValue } from "../common/mask.js";
import type { IdentityInfo } from "../store/records.js";

const MEMBERS: ReadonlyArray<[keyof IdentityInfo, string]> = [
  ["firstName", "FirstName"],
  ["lastName", "LastName"],
  ["email", "Email"],
  ["secondaryEmail", "SecondaryEmail"],
  ["mobile", "Mobile"],
];

const masked = (v: string | undefined) => (v === undefined ? null : maskValue(v));

export function identityChanges(before: IdentityInfo, after: IdentityInfo): Record<string, unknown> {
  const changedMembers: string[] = [];
  const changes: Record<string, { old: string | null; new: string | null }> = {};
  for (const [key, wire] of MEMBERS) {
    if (before[key] === after[key]) continue;
    changedMembers.push(wire);
    changes[wire] = { old: masked(before[key]), new: masked(after[key]) };
  }
  return { changedMembers, changes };
}
