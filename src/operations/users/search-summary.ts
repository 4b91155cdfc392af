// UserRecord → the model's UserSearchSummary (what SearchUsers returns for each user).
// AfterContactWorkTimeLimit is in milliseconds here — "AfterContactWorkTimeLimit is returned in
// milliseconds" (https://docs.aws.amazon.com/connect/latest/APIReference/API_SearchUsers.html) —
// where DescribeUser returns the stored seconds. IdentityInfo is the "lite" one: names only.
import type { UserPhoneConfig, UserSearchSummary } from "../../model/types.gen.js";
import type { UserRecord } from "../../store/records.js";

export const userSearchSummaryToWire = (u: UserRecord): UserSearchSummary => ({
  Arn: u.arn,
  DirectoryUserId: u.directoryUserId,
  HierarchyGroupId: u.hierarchyGroupId,
  Id: u.id,
  IdentityInfo: { FirstName: u.identityInfo.firstName, LastName: u.identityInfo.lastName },
  PhoneConfig: {
    PhoneType: u.phoneConfig.phoneType as UserPhoneConfig["PhoneType"],
    AutoAccept: u.phoneConfig.autoAccept,
    AfterContactWorkTimeLimit: u.phoneConfig.afterContactWorkTimeLimit * 1000,
    DeskPhoneNumber: u.phoneConfig.deskPhoneNumber,
  },
  RoutingProfileId: u.routingProfileId,
  SecurityProfileIds: u.securityProfileIds,
  Tags: u.tags,
  Username: u.username,
});
