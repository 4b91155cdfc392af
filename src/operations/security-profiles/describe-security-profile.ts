// DescribeSecurityProfile — GET /security-profiles/{InstanceId}/{SecurityProfileId}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_DescribeSecurityProfile.html).
import { operation } from "../declare.js";
import { onChild } from "../iam-targets.js";
import { securityProfileToWire } from "./record.js";
import { requireSecurityProfile } from "./resolve.js";

export const describeSecurityProfile = operation("DescribeSecurityProfile", {
  iam: onChild("security-profile", "SecurityProfileId"),
  mutates: false,
  async handle(input, ctx) {
    const { profile } = await requireSecurityProfile(ctx, input);
    return { SecurityProfile: securityProfileToWire(profile) };
  },
});
