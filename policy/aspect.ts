import { App, TerraformStack } from "cdktf";
import { checkStacks } from "./check";
import { StackView } from "./stack";
import type { Suppression } from "./suppressions";
import type { Finding, Rule } from "./types";

export interface PolicyAspectOptions {
  readonly rules: readonly Rule[];
  readonly suppressions: readonly Suppression[];
  /** `error` fails the synth on error findings; `warn` reports them as warnings only. */
  readonly mode: "error" | "warn";
  /** Where warnings go. */
  readonly warn: (message: string) => void;
}

function describe(finding: Finding): string {
  return `[${finding.rule}] ${finding.stack} ${finding.address}: ${finding.message}`;
}

/**
 * Runs the policy rules at synth time over the Terraform JSON that cdktf resolved for each stack
 * of the app, the very object it then writes, so a stack is resolved once, not once more for the
 * check. cdktf's synthesizer calls `toTerraform()` of every stack after its aspects, validations
 * and assets and just before writing it: the check wraps that call. Once every stack is resolved,
 * the rules judge them together, as `npm run policy` does (quotas count across stacks); errors
 * stop the synth before the output is swapped in. Same rules and suppressions as `npm run policy`.
 */
export function applyPolicy(app: App, options: PolicyAspectOptions): void {
  if (app.hclOutput) throw new Error("the policy check reads the stacks' JSON: unset SYNTH_HCL_OUTPUT, or set APIGW_POLICY=off");
  const stacks = app.node.children.filter((child): child is TerraformStack => child instanceof TerraformStack);
  const resolved = new Map<TerraformStack, StackView>();
  for (const stack of stacks) {
    const toTerraform = stack.toTerraform.bind(stack);
    stack.toTerraform = () => {
      const json = toTerraform();
      const complete = resolved.size === stacks.length;
      resolved.set(stack, new StackView(stack.node.id, json));
      if (!complete && resolved.size === stacks.length) judge([...resolved.values()], options);
      return json;
    };
  }
}

function judge(stacks: readonly StackView[], options: PolicyAspectOptions): void {
  const { findings } = checkStacks(stacks, options.rules, options.suppressions);
  const blocking = options.mode === "error" ? findings.filter((f) => f.severity === "error") : [];
  findings.filter((f) => !blocking.includes(f)).forEach((f) => options.warn(`policy warning ${describe(f)}`));
  if (blocking.length > 0) throw new Error(`the policy check found errors:\n  ${blocking.map(describe).join("\n  ")}`);
}
