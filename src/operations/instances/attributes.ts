// Instance attributes (DescribeInstanceAttribute, UpdateInstanceAttribute, ListInstanceAttributes):
// every InstanceAttributeType of the model, its default and how its value is checked.
//
// AWS documents every one of them as a Boolean (CloudFormation's AWS::Connect::Instance
// Attributes, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-connect-instance-attributes.html),
// and the API carries the value as the text "true" / "false" (InstanceAttributeValue is a string).
// INBOUND_CALLS and OUTBOUND_CALLS are the instance's InboundCallsEnabled / OutboundCallsEnabled
// (CreateInstance sets them; the attribute changes them). CreateInstance "does not allow for any
// configurations on features, such as Contact Lens"
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateInstance.html), and AWS
// documents no other default, so every other attribute starts "false".
import { invalidParameter } from "../../common/errors.js";
import type { Attribute, InstanceAttributeType } from "../../model/types.gen.js";
import type { InstanceRecord } from "../../store/records.js";

interface AttributeDefinition {
  /** the value a new instance has */
  initial(instance: InstanceRecord): boolean;
}

const off: AttributeDefinition = { initial: () => false };

/**
 * Every attribute type of the model, in the model's order (the order ListInstanceAttributes
 * answers in). `satisfies` makes the compiler refuse a model type left out or misspelt.
 */
const DEFINITIONS = {
  INBOUND_CALLS: { initial: (i) => i.inboundCallsEnabled },
  OUTBOUND_CALLS: { initial: (i) => i.outboundCallsEnabled },
  CONTACTFLOW_LOGS: off,
  CONTACT_LENS: off,
  AUTO_RESOLVE_BEST_VOICES: off,
  USE_CUSTOM_TTS_VOICES: off,
  EARLY_MEDIA: off,
  MULTI_PARTY_CONFERENCE: off,
  HIGH_VOLUME_OUTBOUND: off,
  ENHANCED_CONTACT_MONITORING: off,
  ENHANCED_CHAT_MONITORING: off,
  MULTI_PARTY_CHAT_CONFERENCE: off,
} as const satisfies Record<InstanceAttributeType, AttributeDefinition>;

export const ATTRIBUTE_TYPES = Object.keys(DEFINITIONS) as InstanceAttributeType[];

/** The attribute's value as the API writes it: the stored one, else the default. */
export function attributeValue(instance: InstanceRecord, type: InstanceAttributeType): string {
  return instance.attributes?.[type] ?? String(DEFINITIONS[type].initial(instance));
}

export const attributeToWire = (instance: InstanceRecord, type: InstanceAttributeType): Attribute => ({
  AttributeType: type,
  Value: attributeValue(instance, type),
});

/** InboundCallsEnabled / OutboundCallsEnabled as DescribeInstance reports them (the attributes change them). */
export const callsEnabled = (instance: InstanceRecord, type: "INBOUND_CALLS" | "OUTBOUND_CALLS"): boolean =>
  attributeValue(instance, type) === "true";

/**
 * Refuses a value its type cannot hold. Booleans are exactly "true" or "false", lower case, as
 * AWS's clients write them (Terraform's strconv.FormatBool, the console); "TRUE", "1" or "yes"
 * are refused rather than guessed at.
 */
export function checkAttributeValue(type: InstanceAttributeType, value: string): void {
  if (value !== "true" && value !== "false") {
    throw invalidParameter(
      `1 validation error detected: Value '${value}' at 'value' failed to satisfy constraint: Member must be 'true' or 'false' for attribute type ${type}`,
    );
  }
}
