import type { StackView } from "./stack";

export type Severity = "error" | "warning";

/** One resource that breaks a rule, and what about it. */
export interface Violation {
  /** `<resource_type>.<name>` or `data.<type>.<name>`. */
  readonly address: string;
  /** What is wrong with this resource in particular, appended to the rule's message. */
  readonly detail?: string;
}

/**
 * A check over one stack's Terraform JSON. `check` is pure: the same stack always gives the
 * same violations, so the CLI and the synth-time aspect report the same findings.
 */
export interface Rule {
  readonly id: string;
  readonly severity: Severity;
  /** One line: what a compliant configuration must (error) or should (warning) do. */
  readonly message: string;
  /** Why it matters, and how to comply. */
  readonly explanation: string;
  /** Matching checks elsewhere: checkov ids, AWS Security Hub controls. */
  readonly references: readonly string[];
  /**
   * `all`: every stack checked in the same run, this one included, for the rules that count
   * across stacks (quotas per account and region); they report only this stack's resources.
   */
  readonly check: (stack: StackView, all?: readonly StackView[]) => Violation[];
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly stack: string;
  readonly address: string;
  readonly message: string;
  readonly references: readonly string[];
}
