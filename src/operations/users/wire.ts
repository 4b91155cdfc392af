// UserRecord ⇄ the model's User, UserSummary, UserIdentityInfo and UserPhoneConfig.
import type { User, UserIdentityInfo, UserPhoneConfig, UserSummary } from "../../model/types.gen.js";
import type { IdentityInfo, UserRecord, UserSummaryRecord } from "../../store/records.js";
import { timestamp } from "../resolve.js";

export const identityFromWire = (w: UserIdentityInfo | undefined): IdentityInfo => ({
  firstName: w?.FirstName,
  lastName: w?.LastName,
  email: w?.Email,
  secondaryEmail: w?.SecondaryEmail,
  mobile: w?.Mobile,
});

export const identityToWire = (i: IdentityInfo): UserIdentityInfo => ({
  FirstName: i.firstName,
  LastName: i.lastName,
  Email: i.email,
  SecondaryEmail: i.secondaryEmail,
  Mobile: i.mobile,
});

export const phoneConfigToWire = (p: UserRecord["phoneConfig"]): UserPhoneConfig => ({
  PhoneType: p.phoneType as UserPhoneConfig["PhoneType"],
  AutoAccept: p.autoAccept,
  AfterContactWorkTimeLimit: p.afterContactWorkTimeLimit,
  DeskPhoneNumber: p.deskPhoneNumber,
});

export const userToWire = (u: UserRecord): User => ({
  Id: u.id,
  Arn: u.arn,
  Username: u.username,
  IdentityInfo: identityToWire(u.identityInfo),
  PhoneConfig: phoneConfigToWire(u.phoneConfig),
  DirectoryUserId: u.directoryUserId,
  SecurityProfileIds: u.securityProfileIds,
  RoutingProfileId: u.routingProfileId,
  HierarchyGroupId: u.hierarchyGroupId,
  Tags: u.tags,
  LastModifiedTime: timestamp(u.lastModifiedTime),
  LastModifiedRegion: u.lastModifiedRegion,
});

export const userSummaryToWire = (u: UserSummaryRecord): UserSummary => ({
  Id: u.id,
  Arn: u.arn,
  Username: u.username,
  LastModifiedTime: timestamp(u.lastModifiedTime),
  LastModifiedRegion: u.lastModifiedRegion,
});
