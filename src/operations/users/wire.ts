// UserRecord → wire shapes (User, UserSummary, UserIdentityInfo, UserPhoneConfig).
import type { IdentityInfo, UserRecord } from "../../store/records.js";
import { epochSeconds } from "../resolve.js";

export interface WireIdentityInfo {
  FirstName?: string;
  LastName?: string;
  Email?: string;
  SecondaryEmail?: string;
  Mobile?: string;
}

export interface WirePhoneConfig {
  PhoneType: string;
  AutoAccept?: boolean;
  AfterContactWorkTimeLimit?: number;
  DeskPhoneNumber?: string;
}

export const identityFromWire = (w: WireIdentityInfo | undefined): IdentityInfo => ({
  firstName: w?.FirstName,
  lastName: w?.LastName,
  email: w?.Email,
  secondaryEmail: w?.SecondaryEmail,
  mobile: w?.Mobile,
});

export const identityToWire = (i: IdentityInfo): WireIdentityInfo => ({
  FirstName: i.firstName,
  LastName: i.lastName,
  Email: i.email,
  SecondaryEmail: i.secondaryEmail,
  Mobile: i.mobile,
});

export const userToWire = (u: UserRecord) => ({
  Id: u.id,
  Arn: u.arn,
  Username: u.username,
  IdentityInfo: identityToWire(u.identityInfo),
  PhoneConfig: {
    PhoneType: u.phoneConfig.phoneType,
    AutoAccept: u.phoneConfig.autoAccept,
    AfterContactWorkTimeLimit: u.phoneConfig.afterContactWorkTimeLimit,
    DeskPhoneNumber: u.phoneConfig.deskPhoneNumber,
  },
  DirectoryUserId: u.directoryUserId,
  SecurityProfileIds: u.securityProfileIds,
  RoutingProfileId: u.routingProfileId,
  HierarchyGroupId: u.hierarchyGroupId,
  Tags: u.tags,
  LastModifiedTime: epochSeconds(u.lastModifiedTime),
  LastModifiedRegion: u.lastModifiedRegion,
});

export const userSummaryToWire = (u: UserRecord) => ({
  Id: u.id,
  Arn: u.arn,
  Username: u.username,
  LastModifiedTime: epochSeconds(u.lastModifiedTime),
  LastModifiedRegion: u.lastModifiedRegion,
});
