// UpdateUserPhoneConfig — POST /users/{InstanceId}/{UserId}/phone-config
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateUserPhoneConfig.html).
// The config is replaced whole, as CloudFormation and Terraform send it (README, "Fidelity
// notes"): omitted members take UserPhoneConfig's defaults, a DeskPhoneNumber not sent is gone.
import { operation } from "../declare.js";
import { onUser } from "../iam-targets.js";
import { checkPhoneConfig, phoneConfigFromWire } from "./phone-config.js";
import { requireInstanceUser, saveUser } from "./update-user.js";

export const updateUserPhoneConfig = operation("UpdateUserPhoneConfig", {
  iam: onUser(),
  mutates: true,
  async handle(input, ctx) {
    checkPhoneConfig(input.PhoneConfig);
    const { user } = await requireInstanceUser(ctx, input);
    const next = phoneConfigFromWire(input.PhoneConfig);
    await saveUser(ctx, user, { phoneConfig: next });
    // Which members changed, not their values (a desk phone number is personal data).
    const before = user.phoneConfig;
    ctx.audit.additionalEventData = {
      changedMembers: (["phoneType", "autoAccept", "afterContactWorkTimeLimit", "deskPhoneNumber"] as const)
        .filter((m) => before[m] !== next[m])
        .map((m) => `${m.charAt(0).toUpperCase()}${m.slice(1)}`),
    };
  },
});
