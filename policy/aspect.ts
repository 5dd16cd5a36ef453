import { App, Aspects, IAspect, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
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
 * Runs the policy rules over each stack's Terraform JSON as a validation, at synth time,
 * so errors stop the synth before anything is written. Same rules and suppressions as
 * `npm run policy`, which reads the written JSON.
 */
export class PolicyAspect implements IAspect {
  private readonly checked = new WeakSet<TerraformStack>();

  constructor(private readonly options: PolicyAspectOptions) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack) || this.checked.has(node)) return;
    this.checked.add(node);
    node.node.addValidation({
      validate: () => {
        const { findings } = checkStacks([new StackView(node.node.id, node.toTerraform())], this.options.rules, this.options.suppressions);
        const blocking = this.options.mode === "error" ? findings.filter((f) => f.severity === "error") : [];
        findings.filter((f) => !blocking.includes(f)).forEach((f) => this.options.warn(`policy warning ${describe(f)}`));
        return blocking.map(describe);
      },
    });
  }
}

/** cdktf invokes aspects per stack, from the stack down: register the aspect on each. */
export function applyPolicy(app: App, options: PolicyAspectOptions): void {
  const aspect = new PolicyAspect(options);
  for (const child of app.node.children) if (child instanceof TerraformStack) Aspects.of(child).add(aspect);
}
