import { Block, blocks, isTrue, StackView } from "../stack";
import type { Rule } from "../types";

/** What APIGW-TFC-CONFIDENTIAL-WORKSPACE holds to reviewed runs; the tfc stack tags workspaces so. */
const SENSITIVE = /^(confidential|restricted|secret)$/i;

/**
 * The workspaces of a stack whose data is classified, with the classification: the workspace's tag,
 * or the one its stack's resources carry (checked together with the stacks, the default_tags of the
 * stack whose cloud block names the workspace): a change that drops the tag in the tfc stack does
 * not drop it from the stack the workspace runs.
 */
export function classifiedWorkspaces(stack: StackView, all: readonly StackView[]): { workspace: Block; classification: string }[] {
  const stackClassification = (workspace: string) =>
    all
      .filter((other) => other.json.terraform?.cloud?.workspaces?.name === workspace)
      .flatMap((other) => blocks(other.json.provider?.aws).flatMap((p) => blocks(p.default_tags).map((d) => (d.tags as Record<string, unknown> | undefined)?.["data-classification"])))
      .find((c): c is string => typeof c === "string" && SENSITIVE.test(c));
  return stack.resources("tfe_workspace").flatMap((w) => {
    const tag = ((w.body.tags ?? {}) as Record<string, unknown>)["data-classification"];
    const classification = typeof tag === "string" && SENSITIVE.test(tag) ? tag : typeof w.body.name === "string" ? stackClassification(w.body.name) : undefined;
    return classification ? [{ workspace: w, classification }] : [];
  });
}

/**
 * A workspace whose data is classified must run only what was reviewed: no speculative plans (they
 * run a pull request's configuration with the workspace's plan role and credentials), no apply
 * without a person confirming it.
 */
export const tfcConfidentialWorkspace: Rule = {
  id: "APIGW-TFC-CONFIDENTIAL-WORKSPACE",
  severity: "error",
  message: "A Terraform Cloud workspace tagged data-classification confidential, restricted or secret must run remotely (or on agents), with speculative plans and auto-apply off",
  explanation:
    "A speculative plan runs a configuration nobody has reviewed (a pull request's, a CLI upload) with the workspace's plan role, which refreshes, and so reads, what the stack manages: a production stack's API key values among it. Auto-apply applies a merge with the workspace's apply role before anyone looks at the plan. The tfc stack tags each workspace with the data-classification its environments give their resources (checked together with the stacks, the classification in the default_tags of the stack whose cloud block names the workspace counts too); where that is confidential, restricted or secret, set speculative_enabled = false (it defaults to true) and leave auto_apply and auto_apply_run_trigger off, on the workspace and on its tfe_workspace_settings. Its execution mode must be remote or agent, set explicitly (unset, the workspace takes the organization's default): with local execution Terraform Cloud keeps only the state, and plans and applies run on whichever machine holds a token, with no run to confirm and no approver. terraformCloud.speculativePlans: false and autoApply: false in the environment file do, and the tfc stack sets execution_mode on every workspace's settings.",
  references: ["Terraform Cloud docs: Workspace settings (speculative plans, auto apply)", "Terraform provider tfe docs: tfe_workspace (speculative_enabled), tfe_workspace_settings (execution_mode)", "Terraform Cloud docs: Workspace settings, execution mode (local: only state storage)"],
  check: (stack, all = [stack]) => {
    const found = classifiedWorkspaces(stack, all);
    const classified = found.map((c) => c.workspace);
    const classificationOf = (w: Block) => found.find((c) => c.workspace.address === w.address)?.classification;
    const settingsOf = (w: Block) => stack.resources("tfe_workspace_settings").filter((settings) => stack.identifies(settings.body.workspace_id, w, "id"));
    // Local execution keeps only the state in Terraform Cloud: runs happen wherever someone has a
    // token, with no plan to confirm. Left unset, the workspace takes the organization's default.
    const executionModes = (w: Block) => [w.body.execution_mode, ...settingsOf(w).map((settings) => settings.body.execution_mode)].filter((mode) => mode !== undefined);
    const reviewedExecution = (w: Block) => {
      const modes = executionModes(w);
      return modes.length > 0 && modes.every((mode) => mode === "remote" || mode === "agent");
    };
    return [
      ...classified.flatMap((w) => {
        const open = [
          ...(w.body.speculative_enabled === false || w.body.speculative_enabled === "false" ? [] : ["speculative plans (speculative_enabled is true unless set false)"]),
          ...(["auto_apply", "auto_apply_run_trigger"] as const).filter((key) => isTrue(w.body[key])),
          ...(reviewedExecution(w) ? [] : [`execution mode ${executionModes(w).map(String).join(", ") || "unset (the organization's default)"}`]),
        ];
        return open.length ? [{ address: w.address, detail: `${classificationOf(w)} with ${open.join(", ")}` }] : [];
      }),
      ...stack
        .resources("tfe_workspace_settings")
        .filter((settings) => classified.some((w) => settingsOf(w).some((s) => s.address === settings.address)) && (isTrue(settings.body.auto_apply)))
        .map((settings) => ({ address: settings.address, detail: "auto_apply on a classified workspace" })),
    ];
  },
};
