// ListInstances — GET /instance; MaxResults 1..10 (model), default 10.
import { operation } from "../declare.js";
import { noResource } from "../iam-targets.js";
import { page } from "../paging.js";
import { instanceSummaryToWire } from "./wire.js";

export const listInstances = operation("ListInstances", {
  iam: noResource(),
  mutates: false,
  async handle(input, ctx) {
    // The token is bound to the account and region it lists, like every other listing's.
    const p = await page(
      `ListInstances/${ctx.scope.account}/${ctx.scope.region}`,
      input,
      10,
      (r) => ctx.store.instances.list(ctx.scope, r),
      (i) => i.id,
    );
    return { InstanceSummaryList: p.items.map(instanceSummaryToWire), NextToken: p.NextToken };
  },
});
