// IAM targets of the queues a routing-profile request names inside lists of structures
// (QueueConfigs[].QueueReference.QueueId, QueueReferences[].QueueId), which iam-targets.ts's
// onEachChild (a list of strings) cannot reach: each queue is a resource the action must be
// allowed on, as the routing profile is (the brief's convention for requests that assign other
// resources; https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnect.html).
import { instanceArn } from "../../common/arn.js";
import { childIdFromLabel, type IamTarget, instanceIdFromLabel, type ResolvedTarget } from "../iam-targets.js";

/** Each queue `queueLabels` reads from the input: …/instance/{InstanceId}/queue/{id}. */
export function onEachQueue<I extends { InstanceId: string }>(queueLabels: (input: I) => readonly (string | undefined)[]): IamTarget<I> {
  return {
    kind: "child",
    type: "queue",
    resolve(input, scope): ResolvedTarget[] {
      if (typeof input.InstanceId !== "string") return [];
      const instanceId = instanceIdFromLabel(input.InstanceId);
      const labels = [...new Set(queueLabels(input).filter((x): x is string => typeof x === "string"))];
      return labels.map((label) => {
        const id = childIdFromLabel("queue", label);
        return { resourceArn: `${instanceArn(scope, instanceId)}/queue/${id}`, instanceId, child: { type: "queue", id } };
      });
    },
  };
}
