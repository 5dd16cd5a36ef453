import { StackView } from "./stack";
import { matches, Suppression } from "./suppressions";
import { citationsOf, Finding, Rule } from "./types";

export const UNUSED_SUPPRESSION = "APIGW-UNUSED-SUPPRESSION";

export interface Report {
  readonly findings: Finding[];
  readonly summary: { stacks: number; resources: number; errors: number; warnings: number; suppressed: number };
}

/** The findings of every rule over one stack of `all` (the stacks checked together), before suppressions. */
export function checkStack(stack: StackView, rules: readonly Rule[], all: readonly StackView[] = [stack]): Finding[] {
  return rules.flatMap((rule) =>
    rule.check(stack, all).map((v) => ({
      rule: rule.id,
      severity: rule.severity,
      stack: stack.name,
      address: v.address,
      message: v.detail ? `${rule.message}: ${v.detail}` : rule.message,
      references: citationsOf(rule),
    })),
  );
}

function countResources(stack: StackView): number {
  const count = (section: Record<string, Record<string, unknown>> | undefined) => Object.values(section ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  return count(stack.json.resource) + count(stack.json.data);
}

/** Checks stacks, drops suppressed findings and reports suppressions that matched nothing. */
export function checkStacks(stacks: readonly StackView[], rules: readonly Rule[], suppressions: readonly Suppression[]): Report {
  const all = stacks.flatMap((stack) => checkStack(stack, rules, stacks));
  const kept = all.filter((f) => !suppressions.some((s) => matches(s, f)));
  const checkedStacks = new Set(stacks.map((s) => s.name));
  const unused: Finding[] = suppressions
    .filter((s) => checkedStacks.has(s.stack) && !all.some((f) => matches(s, f)))
    .map((s) => ({
      rule: UNUSED_SUPPRESSION,
      severity: "warning",
      stack: s.stack,
      address: s.address,
      message: `The suppression of ${s.rule} matches no finding: remove it (${s.reason})`,
      references: [],
    }));
  const findings = [...kept, ...unused];
  return {
    findings,
    summary: {
      stacks: stacks.length,
      resources: stacks.reduce((n, s) => n + countResources(s), 0),
      errors: findings.filter((f) => f.severity === "error").length,
      warnings: findings.filter((f) => f.severity === "warning").length,
      suppressed: all.length - kept.length,
    },
  };
}
