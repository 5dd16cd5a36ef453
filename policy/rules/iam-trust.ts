import { wildcardMatch } from "../iam-actions";
import { Statement, statementsOf } from "../policy-document";
import { blocks, Body, StackView } from "../stack";
import type { Rule } from "../types";

const ASSUME_ACTIONS = ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML", "sts:TagSession", "sts:SetSourceIdentity"];

/** Whether a statement lets its principals assume the role: evaluated against the STS actions, with NotAction's inversion. */
function allowsAssume(statement: Statement): boolean {
  if (statement.effect !== "Allow") return false;
  const matches = (patterns: readonly string[], action: string) => patterns.some((p) => wildcardMatch(p, action, true));
  return ASSUME_ACTIONS.slice(0, 3).some((action) => (statement.notActions.length ? !matches(statement.notActions, action) : matches(statement.actions, action)));
}

/** The account a principal identifier names (`123456789012`, `arn:aws:iam::123456789012:root|role/...`), `*` for everyone. */
function principalAccount(principal: string): string | undefined {
  if (principal === "*") return "*";
  if (/^\d{12}$/.test(principal)) return principal;
  const arn = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}|\*):/.exec(principal);
  return arn?.[1];
}

/** The stack's own account, when its provider pins exactly one. */
function ownAccount(stack: StackView): string | undefined {
  const [provider] = blocks(stack.json.provider?.aws).filter((p) => p.alias === undefined);
  const allowed: unknown[] = [].concat(provider?.allowed_account_ids ?? []);
  return allowed.length === 1 && typeof allowed[0] === "string" ? allowed[0] : undefined;
}

const ORGANIZATION_KEYS = /^aws:(PrincipalOrgID|PrincipalOrgPaths|PrincipalAccount|PrincipalArn)$/i;

export const trustPolicyScoped: Rule = {
  id: "APIGW-IAM-TRUST",
  severity: "error",
  message: "A role's trust policy must not let everyone, or another account without an external id or organization condition, assume it",
  explanation:
    "`Principal: *` (or `AWS: *`) lets any AWS identity in any account assume the role; an account principal other than the stack's own lets every identity that account allows. Trust a service principal, or name the account and require sts:ExternalId (a third party) or aws:PrincipalOrgID (your organization) in a condition. Statements are evaluated: `sts:*`, `sts:Assume*` and NotAction count as allowing sts:AssumeRole.",
  equivalents: { checkov: ["CKV_AWS_60", "CKV_AWS_61"], securityHub: ["IAM.1"] },
  references: ["IAM User Guide: The confused deputy problem (sts:ExternalId)", "IAM User Guide: aws:PrincipalOrgID"],
  check: (stack) => {
    const own = ownAccount(stack);
    return stack.resources("aws_iam_role").flatMap((role) => {
      const problems = (statementsOf(stack, role.body.assume_role_policy) ?? []).filter(allowsAssume).flatMap((s) => {
        const everyone = s.principals.filter((p) => principalAccount(p) === "*");
        const foreign = s.principals.filter((p) => {
          const account = principalAccount(p);
          return account !== undefined && account !== "*" && account !== own;
        });
        const organization = s.conditions.some((c) => ORGANIZATION_KEYS.test(c.variable));
        const externalId = s.conditions.some((c) => /^sts:ExternalId$/i.test(c.variable));
        return [
          ...(everyone.length && !organization ? ["everyone (*) without an aws:PrincipalOrgID condition"] : []),
          ...(foreign.length && !organization && !externalId ? [`${foreign.join(", ")} without sts:ExternalId or aws:PrincipalOrgID`] : []),
        ];
      });
      return problems.length ? [{ address: role.address, detail: `trusts ${problems.join("; ")}` }] : [];
    });
  },
};

/** A Terraform Cloud run's subject, naming one organization, project and workspace (any run phase). */
const ONE_WORKSPACE_SUBJECT = /^organization:[^*?:]+:project:[^*?:]+:workspace:[^*?:]+:run_phase:(\*|plan|apply)$/;

/**
 * Whether only the runs of one Terraform Cloud workspace can assume the role: every statement
 * that lets anyone assume it is AssumeRoleWithWebIdentity by a federated principal, with an
 * audience and a subject that names the workspace. Such a role deploys stacks that create IAM
 * roles, which makes it administrator-equivalent whatever policy it holds.
 */
function oneWorkspaceDeployRole(role: Body | undefined, stack: StackView): boolean {
  const statements = (role && statementsOf(stack, role.assume_role_policy)?.filter(allowsAssume)) ?? [];
  return (
    statements.length > 0 &&
    statements.every((s) => {
      const exactlyWebIdentity = s.notActions.length === 0 && s.actions.every((a) => a === "sts:AssumeRoleWithWebIdentity");
      const federatedOnly = s.principals.length > 0 && s.principals.every((p) => principalAccount(p) === undefined);
      const scoped = (suffix: string, test: RegExp, value: RegExp) =>
        s.conditions.some((c) => c.variable.endsWith(suffix) && test.test(c.test) && c.values.length > 0 && c.values.every((v) => value.test(v)));
      return exactlyWebIdentity && federatedOnly && scoped(":aud", /^StringEquals$/, /./) && scoped(":sub", /^String(Equals|Like)$/, ONE_WORKSPACE_SUBJECT);
    })
  );
}

/** AWS managed policies that grant administration: everything, nearly everything, or IAM itself (a way to everything). */
const ADMIN_POLICIES = /:iam::aws:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess|AdministratorAccess-Amplify|AdministratorAccess-AWSElasticBeanstalk|job-function\/SystemAdministrator)$/;

export const noAdminManagedPolicies: Rule = {
  id: "APIGW-IAM-ADMIN-POLICY",
  severity: "error",
  message: "No role, user or group may have an AWS managed administrator or power-user policy attached",
  explanation:
    "AdministratorAccess, PowerUserAccess and IAMFullAccess (which can grant itself the rest) turn whoever holds them into an administrator of the account. Every principal here serves one function; attach a policy that names what it does. Exempt: a role that only the runs of one Terraform Cloud workspace can assume (sts:AssumeRoleWithWebIdentity by a federated principal, with an aud condition and a sub naming organization, project and workspace), the role the tfc stack gives each workspace: it deploys stacks that create IAM roles, so it is administrator-equivalent whatever it holds, and its trust policy is what confines it (terraformCloud.runRolePolicyArns narrows it).",
  equivalents: { checkov: ["CKV_AWS_274"], securityHub: ["IAM.1"] },
  references: ["AWS managed policies for job functions"],
  check: (stack) => {
    const deployRole = (value: unknown) => oneWorkspaceDeployRole(stack.referenced(value, "aws_iam_role")?.body, stack);
    const attachments = [
      ...["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"].flatMap((type) =>
        stack.resources(type).filter((a) => !deployRole(a.body.role)).map((a) => ({ address: a.address, arns: [a.body.policy_arn] })),
      ),
      ...stack
        .resources("aws_iam_role_policy_attachments_exclusive")
        .filter((a) => !deployRole(a.body.role_name))
        .map((a) => ({ address: a.address, arns: [].concat(a.body.policy_arns ?? []) })),
      ...stack
        .resources("aws_iam_role")
        .filter((r) => !oneWorkspaceDeployRole(r.body, stack))
        .map((r) => ({ address: r.address, arns: [].concat(r.body.managed_policy_arns ?? []) })),
    ];
    return attachments.flatMap(({ address, arns }) => {
      const admin = arns.filter((arn): arn is string => typeof arn === "string" && ADMIN_POLICIES.test(arn));
      return admin.length ? [{ address, detail: admin.join(", ") }] : [];
    });
  },
};
