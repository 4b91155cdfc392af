// Rules on a security profile's members beyond the model's lengths (Create and Update share
// them); every failure is an InvalidParameterException naming the member, all of them in one
// message as AWS's validation does.
import { invalidParameter } from "../../common/errors.js";
import type { AttributeMembers } from "./record.js";

// Every permission AWS documents, and its `<application name>.Access` form for third-party
// applications, is dot-separated names of letters and digits
// (https://docs.aws.amazon.com/connect/latest/adminguide/security-profile-list.html). AWS's list
// is not closed (permission-names.ts), so a name of that shape is accepted and anything else —
// spaces, empty segments, punctuation — is refused.
const PERMISSION = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9][A-Za-z0-9_-]*)*$/;

// The model's documentation of HierarchyRestrictedResources: "Following are acceptable
// ResourceNames: User."
const HIERARCHY_RESTRICTABLE = ["User"];

// Application.ApplicationPermissions: "Only the ACCESS permission is supported." (model)
const APPLICATION_PERMISSIONS = ["ACCESS"];

export function checkAttributeMembers(m: AttributeMembers): void {
  const problems: string[] = [];
  m.Permissions?.forEach((p, i) => {
    if (!PERMISSION.test(p)) {
      problems.push(
        `Value '${p}' at 'permissions.${i + 1}.member' failed to satisfy constraint: Member must be a security profile permission name (https://docs.aws.amazon.com/connect/latest/adminguide/security-profile-list.html)`,
      );
    }
  });
  m.HierarchyRestrictedResources?.forEach((r, i) => {
    if (!HIERARCHY_RESTRICTABLE.includes(r)) {
      problems.push(
        `Value '${r}' at 'hierarchyRestrictedResources.${i + 1}.member' failed to satisfy constraint: Member must satisfy enum value set: [${HIERARCHY_RESTRICTABLE.join(", ")}]`,
      );
    }
  });
  m.Applications?.forEach((a, i) => {
    a.ApplicationPermissions?.forEach((p, j) => {
      if (!APPLICATION_PERMISSIONS.includes(p)) {
        problems.push(
          `Value '${p}' at 'applications.${i + 1}.member.applicationPermissions.${j + 1}.member' failed to satisfy constraint: Member must satisfy enum value set: [${APPLICATION_PERMISSIONS.join(", ")}]`,
        );
      }
    });
  });
  if (problems.length > 0) {
    throw invalidParameter(`${problems.length} validation error${problems.length === 1 ? "" : "s"} detected: ${problems.join("; ")}`);
  }
}
