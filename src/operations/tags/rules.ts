// Connect's tag rules beyond the model's lengths and pattern
// (https://docs.aws.amazon.com/connect/latest/adminguide/tagging.html): at most 50 tags per
// resource, and `aws:` is reserved — "You cannot add, modify, or delete aws:* tags". The model's
// pattern refuses only lower-case `aws:`; AWS's general tagging rules reserve the prefix in any
// case, so Switchboard refuses `AWS:`, `Aws:` … as well (the conservative reading).
import { invalidParameter } from "../../common/errors.js";
import type { Tags } from "../../store/records.js";

export const MAX_TAGS_PER_RESOURCE = 50;

const reserved = (key: string) => key.toLowerCase().startsWith("aws:");

/** Refuses reserved keys; `member` is the wire name in the message (tags, tagKeys). */
export function checkTagKeys(keys: Iterable<string>, member: string): void {
  const bad = [...keys].filter(reserved);
  if (bad.length === 0) return;
  const problems = bad.map(
    (k) => `Value '${k}' at '${member}' failed to satisfy constraint: Member must not begin with the reserved prefix aws:`,
  );
  throw invalidParameter(`${problems.length} validation error${problems.length === 1 ? "" : "s"} detected: ${problems.join("; ")}`);
}

/** Refuses a tag set above the per-resource limit (the merge of a TagResource, or a create's tags). */
export function checkTagCount(tags: Tags, member: string): void {
  const n = Object.keys(tags).length;
  if (n <= MAX_TAGS_PER_RESOURCE) return;
  throw invalidParameter(
    `1 validation error detected: Value at '${member}' failed to satisfy constraint: A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags; this request would leave it ${n}`,
  );
}
