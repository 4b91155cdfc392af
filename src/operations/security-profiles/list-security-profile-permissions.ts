// ListSecurityProfilePermissions — GET /security-profiles-permissions/{InstanceId}/{SecurityProfileId}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_ListSecurityProfilePermissions.html).
// Permissions are listed in name order (AWS documents no order), 100 to a page by default like
// the other lists here; tokens are bound to the profile's listing.
import { operation } from "../declare.js";
import { onChild } from "../iam-targets.js";
import { page } from "../paging.js";
import { timestamp } from "../resolve.js";
import { attributesOf } from "./record.js";
import { requireSecurityProfile } from "./resolve.js";

export const listSecurityProfilePermissions = operation("ListSecurityProfilePermissions", {
  iam: onChild("security-profile", "SecurityProfileId"),
  mutates: false,
  async handle(input, ctx) {
    const { instance, profile } = await requireSecurityProfile(ctx, input);
    const names = attributesOf(profile).permissions;
    const p = await page(
      `ListSecurityProfilePermissions/${instance.id}/${profile.id}`,
      input,
      100,
      async ({ after, limit }) => (after === undefined ? names : names.filter((n) => n > after)).slice(0, limit + 1),
      (n) => n,
    );
    return {
      Permissions: p.items,
      NextToken: p.NextToken,
      LastModifiedTime: timestamp(profile.lastModifiedTime),
      LastModifiedRegion: profile.lastModifiedRegion,
    };
  },
});
