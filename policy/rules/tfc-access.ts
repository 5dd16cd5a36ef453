import { blocks, Body, isTrue } from "../stack";
import type { Rule } from "../types";
import { classifiedWorkspaces } from "./tfc-workspace";

/** A team access that can confirm (apply) runs: the fixed write and admin levels, or custom runs = apply. */
const applies = (access: Body) => ["write", "admin"].includes(String(access.access)) || blocks(access.permissions).some((p) => p.runs === "apply");
/** Custom permissions past planning: changing variables (a run role ARN among them) or state. */
const beyondPlan = (permissions: Body) => permissions.variables === "write" || permissions.state_versions === "write" || permissions.workspace_locking === true;
/** Variables that give a run credentials or choose them (a region or log level does not). */
const CREDENTIAL_VARIABLE = /^(TFC_AWS_(?!PROVIDER_AUTH$)|AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|ROLE_ARN|WEB_IDENTITY_TOKEN_FILE|PROFILE|SHARED_CREDENTIALS_FILE|CONFIG_FILE)$|TFC_VAULT_|ARM_CLIENT_|GOOGLE_(CREDENTIALS|APPLICATION_CREDENTIALS))/;

export const tfcWorkspaceAccess: Rule = {
  id: "APIGW-TFC-WORKSPACE-ACCESS",
  severity: "error",
  message: "A classified Terraform Cloud workspace must let one team confirm runs, no other team change its variables or state, no project-level grant reach it, and no other workspace read its state or set its credentials",
  explanation:
    "The approvers are the review of a classified workspace's applies: a second team with write or admin (or custom runs = apply), such as the pipeline's, can confirm its own run; a team that may write variables can point TFC_AWS_RUN_ROLE_ARN elsewhere, one that may write state or lock the workspace can rewrite or stall what the next apply does. tfe_team_project_access with write, maintain or admin (or custom workspace access past plan) reaches every workspace of the project, this one too. global_remote_state or remote_state_consumer_ids let other workspaces read its state, API key values among it. A global variable set, or one attached to the workspace, that carries TFC_AWS_*, AWS_* or other credentials variables gives its runs credentials the workspace does not name. No tfe_organization_token or tfe_team_token: the token would be in the state (an approvers' team token confirms the classified workspace's applies). A tfe_workspace_run must set manual_confirm on its apply, a tfe_team no organization-wide management power (manage_workspaces, manage_projects, manage_teams, ...), and a grant past planning must name a workspace of the stack (a literal id or a data source could be any workspace, this one included). The tfc stack gives approvers write, the pipeline plan and the pull-request team custom plan access, and shares no state.",
  references: ["Terraform Cloud docs: Workspace permissions (read, plan, write, admin, custom)", "Terraform provider tfe docs: tfe_team_access, tfe_team_project_access, tfe_workspace (remote_state_consumer_ids), tfe_variable_set"],
  check: (stack, all = [stack]) => {
    const classified = classifiedWorkspaces(stack, all).map((c) => c.workspace);
    if (classified.length === 0) return [];
    const of = (value: unknown) => classified.filter((w) => stack.identifies(value, w, "id"));
    const findings: { address: string; detail: string }[] = [];
    for (const w of classified) {
      const grants = stack.resources("tfe_team_access").filter((a) => stack.identifies(a.body.workspace_id, w, "id"));
      const appliers = grants.filter((a) => applies(a.body));
      if (appliers.length > 1) findings.push({ address: appliers[1].address, detail: `a second team that can confirm runs of ${w.body.name} (${appliers.map((a) => String(a.body.team_id)).join(", ")})` });
      for (const grant of grants.filter((a) => !applies(a.body) && blocks(a.body.permissions).some(beyondPlan))) {
        findings.push({ address: grant.address, detail: `custom permissions past planning on ${w.body.name}: variables, state or locking` });
      }
      const shared = [isTrue(w.body.global_remote_state) ? "global_remote_state" : undefined, ([] as unknown[]).concat(w.body.remote_state_consumer_ids ?? []).length ? "remote_state_consumer_ids" : undefined].filter(Boolean);
      const settings = stack.resources("tfe_workspace_settings").filter((s) => stack.identifies(s.body.workspace_id, w, "id"));
      for (const s of settings) {
        if (isTrue(s.body.global_remote_state)) shared.push("global_remote_state (settings)");
        if (([] as unknown[]).concat(s.body.remote_state_consumer_ids ?? []).length) shared.push("remote_state_consumer_ids (settings)");
      }
      if (shared.length) findings.push({ address: w.address, detail: `other workspaces read its state: ${shared.join(", ")}` });
    }
    // Project grants: the classified workspaces' projects.
    const projects = new Set(classified.map((w) => String(w.body.project_id)));
    for (const grant of stack.resources("tfe_team_project_access").filter((g) => projects.has(String(g.body.project_id)))) {
      const custom = blocks(grant.body.workspace_access).some((p) => p.runs === "apply" || beyondPlan(p) || p.create === true || p.delete === true || p.move === true);
      if (["write", "maintain", "admin"].includes(String(grant.body.access)) || custom) findings.push({ address: grant.address, detail: `project access ${String(grant.body.access)} reaches ${classified.map((w) => w.body.name).join(", ")}` });
    }
    // Variable sets that give runs credentials: global ones, and those attached to a classified workspace.
    const attached = new Set(stack.resources("tfe_workspace_variable_set").filter((a) => of(a.body.workspace_id).length > 0).map((a) => String(a.body.variable_set_id)));
    for (const set of stack.resources("tfe_variable_set")) {
      const reaches = isTrue(set.body.global) || attached.has(`\${${set.address}.id}`);
      const credentials = stack.resources("tfe_variable").filter((v) => stack.identifies(v.body.variable_set_id, set, "id") && CREDENTIAL_VARIABLE.test(String(v.body.key)));
      if (reaches && credentials.length) findings.push({ address: set.address, detail: `sets ${credentials.map((v) => String(v.body.key)).join(", ")} for ${isTrue(set.body.global) ? "every workspace" : "a classified workspace"}` });
    }
    // A run the tfc stack starts applies without anyone confirming it unless manual_confirm is set.
    for (const run of stack.resources("tfe_workspace_run").filter((r) => of(r.body.workspace_id).length > 0)) {
      const unconfirmed = blocks(run.body.apply).some((a) => a.manual_confirm !== true && a.manual_confirm !== "true");
      if (unconfirmed) findings.push({ address: run.address, detail: "applies a classified workspace's run without manual_confirm" });
    }
    // A token the stack creates is in its state: an organization's is its owner's, a team's can do what the team does.
    for (const token of [...stack.resources("tfe_organization_token"), ...stack.resources("tfe_team_token"), ...stack.resources("tfe_audit_trail_token")]) {
      findings.push({ address: token.address, detail: "creates an API token, which Terraform keeps in the state of whoever applies this stack" });
    }
    // Organization-wide powers reach every workspace, this one too.
    for (const team of stack.resources("tfe_team")) {
      const powers = blocks(team.body.organization_access).flatMap((a) => Object.entries(a).filter(([key, value]) => ORGANIZATION_POWERS.includes(key) && (isTrue(value))).map(([key]) => key));
      if (powers.length) findings.push({ address: team.address, detail: `organization access ${powers.join(", ")} reaches the classified workspaces` });
    }
    // A grant the checker cannot tie to a workspace of the stack may be one of the classified ones.
    for (const grant of stack.resources("tfe_team_access").filter((a) => applies(a.body) || blocks(a.body.permissions).some(beyondPlan))) {
      if (!stack.resources("tfe_workspace").some((w) => stack.identifies(grant.body.workspace_id, w, "id"))) {
        findings.push({ address: grant.address, detail: `${String(grant.body.access ?? "custom")} access to ${String(grant.body.workspace_id)}, which is no workspace of this stack (a classified one, for all the checker knows)` });
      }
    }
    return findings;
  },
};

/** tfe_team organization_access settings that manage, or read the secrets of, every workspace. */
const ORGANIZATION_POWERS = ["manage_workspaces", "manage_projects", "manage_teams", "manage_organization_access", "manage_membership", "manage_vcs_settings", "manage_policies", "manage_policy_overrides", "manage_run_tasks", "manage_agent_pools", "access_secret_teams"];
