import { blocks } from "../stack";
import type { Rule } from "../types";

/** What APIGW-TFC-CONFIDENTIAL-WORKSPACE holds to reviewed runs; the tfc stack tags workspaces so. */
const SENSITIVE = /^(confidential|restricted|secret)$/i;

/**
 * A workspace whose data is classified must run only what was reviewed: no speculative plans (they
 * run a pull request's configuration with the workspace's plan role and credentials), no apply
 * without a person confirming it.
 */
export const tfcConfidentialWorkspace: Rule = {
  id: "APIGW-TFC-CONFIDENTIAL-WORKSPACE",
  severity: "error",
  message: "A Terraform Cloud workspace tagged data-classification confidential, restricted or secret must turn speculative plans and auto-apply off",
  explanation:
    "A speculative plan runs a configuration nobody has reviewed (a pull request's, a CLI upload) with the workspace's plan role, which refreshes, and so reads, what the stack manages: a production stack's API key values among it. Auto-apply applies a merge with the workspace's apply role before anyone looks at the plan. The tfc stack tags each workspace with the data-classification its environments give their resources (checked together with the stacks, the classification in the default_tags of the stack whose cloud block names the workspace counts too); where that is confidential, restricted or secret, set speculative_enabled = false (it defaults to true) and leave auto_apply and auto_apply_run_trigger off, on the workspace and on its tfe_workspace_settings. terraformCloud.speculativePlans: false and autoApply: false in the environment file do.",
  references: ["Terraform Cloud docs: Workspace settings (speculative plans, auto apply)", "Terraform provider tfe docs: tfe_workspace (speculative_enabled), tfe_workspace_settings"],
  check: (stack, all = [stack]) => {
    // The workspace's tag, or the classification its stack's resources carry: a change that drops
    // the tag in the tfc stack does not drop it from the stack the workspace runs.
    const stackClassification = (workspace: string) =>
      all
        .filter((other) => other.json.terraform?.cloud?.workspaces?.name === workspace)
        .flatMap((other) => blocks(other.json.provider?.aws).flatMap((p) => blocks(p.default_tags).map((d) => (d.tags as Record<string, unknown> | undefined)?.["data-classification"])))
        .find((c): c is string => typeof c === "string" && SENSITIVE.test(c));
    const classificationOf = (w: { body: Record<string, unknown> }) => {
      const tag = ((w.body.tags ?? {}) as Record<string, unknown>)["data-classification"];
      return typeof tag === "string" && SENSITIVE.test(tag) ? tag : typeof w.body.name === "string" ? stackClassification(w.body.name) : undefined;
    };
    const classified = stack.resources("tfe_workspace").filter((w) => classificationOf(w) !== undefined);
    return [
      ...classified.flatMap((w) => {
        const open = [
          ...(w.body.speculative_enabled === false || w.body.speculative_enabled === "false" ? [] : ["speculative plans (speculative_enabled is true unless set false)"]),
          ...(["auto_apply", "auto_apply_run_trigger"] as const).filter((key) => w.body[key] === true || w.body[key] === "true"),
        ];
        return open.length ? [{ address: w.address, detail: `${classificationOf(w)} with ${open.join(", ")}` }] : [];
      }),
      ...stack
        .resources("tfe_workspace_settings")
        .filter((settings) => classified.some((w) => stack.identifies(settings.body.workspace_id, w, "id")) && (settings.body.auto_apply === true || settings.body.auto_apply === "true"))
        .map((settings) => ({ address: settings.address, detail: "auto_apply on a classified workspace" })),
    ];
  },
};
