import { statementsOf } from "../policy-document";
import { allowsAssume, ownAccounts } from "./iam-trust";
import type { Rule, Violation } from "../types";

/** The workspace variables that make Terraform Cloud assume a role, and the run phase each is for. */
const ROLE_VARIABLES: Record<string, "plan" | "apply"> = { TFC_AWS_PLAN_ROLE_ARN: "plan", TFC_AWS_APPLY_ROLE_ARN: "apply", TFC_AWS_RUN_ROLE_ARN: "apply" };

/**
 * A role a workspace's runs assume must trust that workspace's runs only: the sub of its
 * AssumeRoleWithWebIdentity statements must name the workspace's organization, project and name,
 * and the run phase the variable is for.
 */
export const tfcRoleTrustsItsWorkspace: Rule = {
  id: "APIGW-TFC-ROLE-WORKSPACE",
  severity: "error",
  message: "A role a Terraform Cloud workspace's runs assume (TFC_AWS_*_ROLE_ARN) must trust only that workspace's runs of that phase: its organization, project and name in the token's sub",
  explanation:
    "Terraform Cloud's token names organization, project, workspace and run phase in `sub`; a role trusts whichever runs its sub pattern matches. Pointed at by one workspace's TFC_AWS_RUN_ROLE_ARN but trusting another workspace, another organization or project, or the plan phase for an apply role, it hands that workspace's credentials (prod's administrator role, say) to runs of a configuration nobody reviewed for it. Write `organization:<org>:project:<project>:workspace:<workspace>:run_phase:plan` for TFC_AWS_PLAN_ROLE_ARN's role and `...:run_phase:apply` for TFC_AWS_RUN_ROLE_ARN's or TFC_AWS_APPLY_ROLE_ARN's, with the workspace's own names, and create the role in the account the workspace deploys to (its `account` tag; the role's provider pins allowed_account_ids): a staging workspace pointed at a role of prod's account applies as prod's administrator. The tfc stack does both.",
  references: ["HashiCorp: Terraform Cloud dynamic provider credentials for AWS (sub claim, TFC_AWS_PLAN_ROLE_ARN, TFC_AWS_APPLY_ROLE_ARN)"],
  check: (stack) => {
    const violations: Violation[] = [];
    for (const variable of stack.resources("tfe_variable")) {
      const phase = ROLE_VARIABLES[String(variable.body.key)];
      if (!phase) continue;
      const role = stack.referenced(variable.body.value, "aws_iam_role");
      const workspace = stack.referenced(variable.body.workspace_id, "tfe_workspace");
      if (!role || !workspace) continue;
      const project = stack.referenced(workspace.body.project_id, "tfe_project")?.body.name;
      const expected = [workspace.body.organization, typeof project === "string" ? project : undefined, workspace.body.name, phase];
      const subjects = (statementsOf(stack, role.body.assume_role_policy) ?? [])
        .filter(allowsAssume)
        .flatMap((s) => s.conditions.filter((c) => /:sub$/i.test(c.variable)).flatMap((c) => c.values));
      const wrong = subjects.filter((sub) => {
        const m = /^organization:([^:]+):project:([^:]+):workspace:([^:]+):run_phase:([^:]+)$/.exec(sub);
        return !m || m.slice(1).some((part, i) => (typeof expected[i] === "string" ? part !== expected[i] : /[*?]/.test(part)));
      });
      if (subjects.length === 0 || wrong.length) {
        violations.push({ address: role.address, detail: `${String(variable.body.key)} of ${workspace.address} (${String(workspace.body.name)}) points at it, and its trust names ${wrong.length ? wrong.join(", ") : "no subject"}` });
      }
      // The role must live in the account the workspace deploys to: its tag, its provider's pin.
      const tagged = ((workspace.body.tags ?? {}) as Record<string, unknown>).account;
      const accounts = ownAccounts(stack, role);
      if (typeof tagged === "string" && accounts.length > 0 && !accounts.includes(tagged)) {
        violations.push({ address: role.address, detail: `${String(workspace.body.name)} deploys to account ${tagged}, and the role is in ${accounts.join(", ")}` });
      }
    }
    return violations;
  },
};
