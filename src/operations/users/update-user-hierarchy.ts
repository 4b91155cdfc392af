// UpdateUserHierarchy — POST /users/{InstanceId}/{UserId}/hierarchy
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateUserHierarchy.html).
// HierarchyGroupId is optional: without it the user leaves the hierarchy (Terraform's
// aws_connect_user sends the call so to clear it); a group named must exist in the instance.
import { operation } from "../declare.js";
import { onUser } from "../iam-targets.js";
import { onNamedChild } from "./iam.js";
import { hierarchyGroupIdOf } from "./references.js";
import { requireInstanceUser, saveUser } from "./update-user.js";

export const updateUserHierarchy = operation("UpdateUserHierarchy", {
  iam: [onUser(), onNamedChild("agent-group", (i) => i.HierarchyGroupId)],
  mutates: true,
  async handle(input, ctx) {
    const { instance, user } = await requireInstanceUser(ctx, input);
    const groupId = input.HierarchyGroupId === undefined ? null : await hierarchyGroupIdOf(ctx, instance, input.HierarchyGroupId);
    await saveUser(ctx, user, { hierarchyGroupId: groupId });
    ctx.audit.additionalEventData = { hierarchyGroupId: { before: user.hierarchyGroupId ?? null, after: groupId } };
  },
});
