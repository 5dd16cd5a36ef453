import type { StackView } from "./stack";

export type Severity = "error" | "warning";

/** One resource that breaks a rule, and what about it. */
export interface Violation {
  /** `<resource_type>.<name>` or `data.<type>.<name>`. */
  readonly address: string;
  /** What is wrong with this resource in particular, appended to the rule's message. */
  readonly detail?: string;
}

/** The same check in other scanners, by their ids (checkov CKV_AWS_76, Security Hub APIGateway.9, Trivy AVD-AWS-0001). */
export interface Equivalents {
  readonly checkov?: readonly string[];
  readonly securityHub?: readonly string[];
  readonly trivy?: readonly string[];
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
  /** The checks of checkov, AWS Security Hub and Trivy this rule corresponds to. */
  readonly equivalents?: Equivalents;
  /** Where the behaviour it relies on is documented: AWS docs, provider docs and issues, RFCs. */
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

const SCANNERS: readonly (readonly [keyof Equivalents, string])[] = [
  ["checkov", "checkov"],
  ["securityHub", "Security Hub"],
  ["trivy", "Trivy"],
];

/** A rule's equivalents as `<scanner> <id>` strings, in a fixed order. */
export function equivalentIds(rule: Rule): string[] {
  return SCANNERS.flatMap(([key, name]) => (rule.equivalents?.[key] ?? []).map((id) => `${name} ${id}`));
}

/** What a finding and a report cite for a rule: its equivalents, then its references. */
export function citationsOf(rule: Rule): string[] {
  return [...equivalentIds(rule), ...rule.references];
}
