// The fault rules in force and their counters: what the pipeline's inject step asks (decide), and
// what `/_switchboard/faults`, `--faults FILE` and an embedding program change (replace, add,
// clear, list). Rules live in the process (per node, like --throttle buckets); they are tried in
// order and the first one that fires decides the call.
import { modeledError, type ServiceError } from "../../common/errors.js";
import { type FaultRule, globRegExp, parseFaultDocument } from "./rules.js";

/** What the inject step knows of a call. */
export interface FaultCall {
  operation: string;
  /** the caller's ARN */
  principalArn: string;
  /** the resource ARNs the call is authorized on (computed only when a rule names a resource) */
  resources(): readonly string[];
}

/** What to do to one call. */
export interface FaultDecision {
  /** the rule's id (for the request log) */
  rule: string;
  latencyMs: number;
  /** answer with this error instead of running the operation */
  error?: ServiceError;
  /** close the connection without an answer */
  drop: boolean;
}

/** A rule as GET shows it: the rule, and how often it matched and fired. */
export interface FaultRuleState extends FaultRule {
  matched: number;
  injected: number;
  /** what `count` leaves (absent: without limit) */
  remaining?: number;
}

interface Active {
  rule: FaultRule;
  operation: RegExp;
  principal?: RegExp;
  resource?: RegExp;
  matched: number;
  injected: number;
}

export class Faults {
  private rules: Active[] = [];

  /** `random`: where probabilities draw from (tests pass a seeded one) */
  constructor(private readonly random: () => number = Math.random) {}

  /** Replaces every rule by the document's (`{"rules": [...]}`); throws FaultRuleError, changing nothing, when it is invalid. */
  replace(document: unknown): FaultRuleState[] {
    this.rules = parseFaultDocument(document).rules.map(compile);
    return this.list();
  }

  /** Adds one rule after the others; throws FaultRuleError when it is invalid or its id is taken. */
  add(rule: unknown): FaultRuleState {
    const all = parseFaultDocument({ rules: [...this.rules.map((a) => a.rule), rule] }).rules;
    const added = compile(all[all.length - 1] as FaultRule);
    this.rules.push(added);
    return state(added);
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  list(): FaultRuleState[] {
    return this.rules.map(state);
  }

  /** true when no rule is in force (the pipeline's fast path) */
  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** The first rule that fires for this call, counted; undefined: the call runs normally. */
  decide(call: FaultCall): FaultDecision | undefined {
    for (const a of this.rules) {
      const { rule } = a;
      if (rule.count !== undefined && a.injected >= rule.count) continue;
      if (!a.operation.test(call.operation)) continue;
      if (a.principal && !a.principal.test(call.principalArn)) continue;
      if (a.resource) {
        const re = a.resource;
        if (!call.resources().some((arn) => re.test(arn))) continue;
      }
      a.matched += 1;
      if (rule.nth !== undefined && a.matched % rule.nth !== 0) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      a.injected += 1;
      return {
        rule: rule.id,
        latencyMs: rule.latencyMs ?? 0,
        drop: rule.drop === true,
        ...(rule.error ? { error: modeledError(rule.error, rule.message ?? `Injected by Switchboard fault rule "${rule.id}".`) } : {}),
      };
    }
    return undefined;
  }
}

function compile(rule: FaultRule): Active {
  return {
    rule,
    operation: globRegExp(rule.operation),
    ...(rule.principal ? { principal: globRegExp(rule.principal) } : {}),
    ...(rule.resource ? { resource: globRegExp(rule.resource) } : {}),
    matched: 0,
    injected: 0,
  };
}

function state(a: Active): FaultRuleState {
  return {
    ...a.rule,
    matched: a.matched,
    injected: a.injected,
    ...(a.rule.count === undefined ? {} : { remaining: a.rule.count - a.injected }),
  };
}
