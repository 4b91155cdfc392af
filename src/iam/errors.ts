/** Thrown by parsePolicy (and by evaluate for a hand-built Policy it cannot compile). */
export class PolicyError extends Error {
  /** each names the statement (index and Sid) and the reason */
  readonly problems: readonly string[];
  constructor(policyId: string, problems: readonly string[]) {
    const n = problems.length;
    super(`policy "${policyId}" is invalid (${n} problem${n === 1 ? "" : "s"}): ${problems.join("; ")}`);
    this.name = "PolicyError";
    this.problems = Object.freeze([...problems]);
  }
}
