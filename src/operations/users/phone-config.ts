// UserPhoneConfig as CreateUser and UpdateUserPhoneConfig take it
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_UserPhoneConfig.html). The model's
// validation has already checked the shape, PhoneType's enum and DeskPhoneNumber's E.164 pattern
// (corrected in scripts/gen-model.ts); what is left is what the model cannot say.
import { invalidParameter } from "../../common/errors.js";
import type { UserPhoneConfig } from "../../model/types.gen.js";
import type { UserRecord } from "../../store/records.js";

// API_UserPhoneConfig.html: 0..2,000,000 s (the model's trait only says ≥ 0).
export const MAX_ACW_SECONDS = 2_000_000;

/** A DESK_PHONE needs its number; ACW at most 2,000,000 s. `prefix` is the member path in messages. */
export function checkPhoneConfig(pc: UserPhoneConfig, prefix = "phoneConfig"): void {
  const problems: string[] = [];
  if (pc.PhoneType === "DESK_PHONE" && pc.DeskPhoneNumber === undefined) {
    problems.push(
      `Value null at '${prefix}.deskPhoneNumber' failed to satisfy constraint: DeskPhoneNumber is required when PhoneType is DESK_PHONE`,
    );
  }
  if (pc.AfterContactWorkTimeLimit !== undefined && pc.AfterContactWorkTimeLimit > MAX_ACW_SECONDS) {
    problems.push(
      `Value '${pc.AfterContactWorkTimeLimit}' at '${prefix}.afterContactWorkTimeLimit' failed to satisfy constraint: Member must have value less than or equal to ${MAX_ACW_SECONDS}`,
    );
  }
  if (problems.length > 0) {
    throw invalidParameter(`${problems.length} validation error${problems.length === 1 ? "" : "s"} detected: ${problems.join("; ")}`);
  }
}

/**
 * The stored config a request's PhoneConfig stands for, whole: an omitted AutoAccept is false,
 * an omitted ACW 0 (API_UserPhoneConfig.html's defaults) and an omitted DeskPhoneNumber none —
 * also on UpdateUserPhoneConfig, which replaces the config rather than merging into it.
 */
export const phoneConfigFromWire = (pc: UserPhoneConfig): UserRecord["phoneConfig"] => ({
  phoneType: pc.PhoneType,
  autoAccept: pc.AutoAccept ?? false,
  afterContactWorkTimeLimit: pc.AfterContactWorkTimeLimit ?? 0,
  deskPhoneNumber: pc.DeskPhoneNumber,
});
