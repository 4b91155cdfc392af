// DescribeQueue — GET /queues/{InstanceId}/{QueueId} (https://docs.aws.amazon.com/connect/latest/APIReference/API_DescribeQueue.html).
import { operation } from "../declare.js";
import { onChild } from "../iam-targets.js";
import { requireInstance } from "../resolve.js";
import { requireQueue } from "./queue-record.js";
import { queueToWire } from "./wire.js";

export const describeQueue = operation("DescribeQueue", {
  iam: onChild("queue", "QueueId"),
  mutates: false,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    const queue = await requireQueue(ctx, instance, input.QueueId);
    return { Queue: queueToWire(queue) };
  },
});
