import { wildcardMatch } from "../iam-actions";
import { SERVICE_PRINCIPAL, Statement, statementsOf } from "../policy-document";
import { Block, blocks, Body, StackView } from "../stack";
import type { Rule } from "../types";

const ASSUME_ACTIONS = ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML", "sts:TagSession", "sts:SetSourceIdentity"];

/** Whether a statement lets its principals assume the role: evaluated against the STS actions, with NotAction's inversion. */
export function allowsAssume(statement: Statement): boolean {
  if (statement.effect !== "Allow") return false;
  const matches = (patterns: readonly string[], action: string) => patterns.some((p) => wildcardMatch(p, action, true));
  return ASSUME_ACTIONS.slice(0, 3).some((action) => (statement.notActions.length ? !matches(statement.notActions, action) : matches(statement.actions, action)));
}

/** The account a principal identifier names (`123456789012`, `arn:aws:iam::123456789012:root|role/...`), `*` for everyone. */
function principalAccount(principal: string): string | undefined {
  if (principal === "*") return "*";
  // An identity provider's ARN names an account too, but what it admits is any subject of the provider.
  if (/^arn:aws[a-z-]*:iam::\d{12}:(?:oidc|saml)-provider\//.test(principal)) return undefined;
  if (/^\d{12}$/.test(principal)) return principal;
  const arn = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}|\*):/.exec(principal);
  return arn?.[1];
}

/**
 * The accounts the role's provider can manage: its allowed_account_ids and the account of the role
 * it assumes. Empty when the provider pins none: an account principal then cannot be told apart
 * from the stack's own, and is not reported as foreign.
 */
/** The accounts a block's provider is pinned to (allowed_account_ids, the assumed role's account). */
export function ownAccounts(stack: StackView, role: Block): string[] {
  const alias = typeof role.body.provider === "string" ? role.body.provider.replace(/^aws\./, "") : undefined;
  const provider = blocks(stack.json.provider?.aws).find((p) => (alias ? p.alias === alias : p.alias === undefined));
  const assumed = blocks(provider?.assume_role).map((a) => principalAccount(String(a.role_arn ?? "")));
  return [...([] as unknown[]).concat(provider?.allowed_account_ids ?? []), ...assumed].filter((a): a is string => typeof a === "string" && /^\d{12}$/.test(a));
}

/**
 * A condition that names something: a value without wildcards, or a StringLike pattern that is
 * more than wildcards and separators, and whose IAM ARNs name their account in full (`2222222222??`
 * is a hundred accounts).
 */
export const narrows = (c: { test: string; values: readonly string[] }) =>
  c.values.length > 0 && !/IfExists$/.test(c.test) && !/^(StringNotEquals|StringNotLike|ArnNotEquals|ArnNotLike)/.test(c.test) && c.values.every((v) => !/^[*?:/]*$/.test(v) && !/^o-\*|^arn:aws[a-z-]*:iam::[^:]*[*?][^:]*:/.test(v));

/** A GitHub subject (`repo:<owner>/<repo>:...`) must name owner and repository without wildcards: `repo:*` is every repository on GitHub. */
const namesRepository = (value: string) => !value.startsWith("repo:") || /^repo:[^*?/:]+\/[^*?/:]+(:.*)?$/.test(value);

const ORGANIZATION_KEYS = /^aws:(PrincipalOrgID|PrincipalOrgPaths|PrincipalAccount|PrincipalArn)$/i;
/** Web identity providers whose tokens name the caller in `sub`; Cognito identity pools use `aud` and `amr` instead. */
const isCognitoIdentity = (principal: string) => /cognito-identity\.amazonaws\.com/.test(principal);

export const trustPolicyScoped: Rule = {
  id: "APIGW-IAM-TRUST",
  severity: "error",
  message: "A role's trust policy must not let everyone, another account without an external id or organization condition, or any token of an OIDC provider assume it",
  explanation:
    "`Principal: *` (or `AWS: *`) lets any AWS identity in any account assume the role; an account principal other than the stack's own lets every identity that account allows. Trust a service principal, or name the account and require sts:ExternalId (a third party) or aws:PrincipalOrgID (your organization) in a condition. A condition counts only when it names something: a wildcard value (`*`, `o-*`, `arn:aws:iam::*:role/x`, or an account with a wildcard in it, `arn:aws:iam::2222222222??:role/x`), a negated operator or an ...IfExists operator (which a caller without the key passes) does not. With `*`, an aws:PrincipalArn, aws:PrincipalAccount or aws:PrincipalOrgID condition counts only without wildcards (`arn:aws:iam::222222222222:role/*` is every role of the account, `2222*` many accounts); aws:PrincipalOrgPaths takes its usual trailing `*`. A federated principal (OIDC, AssumeRoleWithWebIdentity) must be conditioned on the token's `sub` with a value that names a subject (for GitHub, `repo:<owner>/<repo>` without wildcards in either), or any repository, workspace or user of the provider can assume the role, and on its `aud`, or a token the provider issued for another audience would do. The stack's own accounts are its provider's allowed_account_ids and assume_role account; when the provider pins none, an account principal is not judged. A role trusted by a service principal (a function's, a state machine's) may be trusted by nothing else: whoever else assumes it acts as that service, with its access, outside the API. Statements are evaluated: `sts:*`, `sts:Assume*` and NotAction count as allowing sts:AssumeRole.",
  equivalents: { checkov: ["CKV_AWS_60", "CKV_AWS_61"], securityHub: ["IAM.1"] },
  references: ["IAM User Guide: The confused deputy problem (sts:ExternalId)", "IAM User Guide: aws:PrincipalOrgID", "IAM User Guide: Available keys for OIDC federation (sub, aud)", "IAM User Guide: ...IfExists condition operators"],
  check: (stack) =>
    stack.resources("aws_iam_role").flatMap((role) => {
      const own = ownAccounts(stack, role);
      const trusted = (statementsOf(stack, role.body.assume_role_policy) ?? []).filter(allowsAssume);
      const problems: string[] = trusted.flatMap((s) => {
        const everyone = s.principals.filter((p) => principalAccount(p) === "*");
        const foreign = s.principals.filter((p) => {
          const account = principalAccount(p);
          return account !== undefined && account !== "*" && own.length > 0 && !own.includes(account);
        });
        const federated = s.principals.filter((p) => principalAccount(p) === undefined && /oidc|openid_connect_provider|:oidc-provider\//i.test(p) && !isCognitoIdentity(p));
        // An ARN or account pattern (`role/*`, `2222*`) admits every role of an account, or many accounts.
        const organization = s.conditions.some((c) => ORGANIZATION_KEYS.test(c.variable) && narrows(c) && (/^aws:PrincipalOrgPaths$/i.test(c.variable) || c.values.every((v) => !/[*?]/.test(v))));
        const audience = s.conditions.some((c) => /:aud$/i.test(c.variable) && narrows(c));
        const externalId = s.conditions.some((c) => /^sts:ExternalId$/i.test(c.variable) && narrows(c));
        const subject = s.conditions.some((c) => /:sub$/i.test(c.variable) && narrows(c) && c.values.every(namesRepository));
        return [
          ...(everyone.length && !organization ? ["everyone (*) without an aws:PrincipalOrgID (or aws:PrincipalArn) condition that names something"] : []),
          ...(foreign.length && !organization && !externalId ? [`${foreign.join(", ")} without sts:ExternalId or aws:PrincipalOrgID`] : []),
          ...(federated.length && !subject ? [`${federated.join(", ")} without a sub condition that names a subject`] : []),
          ...(federated.length && !audience ? [`${federated.join(", ")} without an aud condition (tokens the provider issues for other audiences would do)`] : []),
        ];
      });
      // A role a service assumes (a function's) is that service's: a person or another role of the
      // account assuming it acts as the function, with the function's access, outside any API.
      const services = trusted.flatMap((s) => s.principals.filter((p) => SERVICE_PRINCIPAL.test(p)));
      const others = trusted.flatMap((s) => s.principals.filter((p) => !SERVICE_PRINCIPAL.test(p)));
      if (services.length && others.length) problems.push(`${others.join(", ")} besides the service ${services.join(", ")}`);
      return problems.length ? [{ address: role.address, detail: `trusts ${problems.join("; ")}` }] : [];
    }),
};


/** A Terraform Cloud run's subject, naming one organization, project and workspace, in its apply phase: a plan (speculative, unreviewed) must never hold an administrator role. */
const ONE_WORKSPACE_SUBJECT = /^organization:[^*?:]+:project:[^*?:]+:workspace:[^*?:]+:run_phase:apply$/;

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
        // Condition keys are case-insensitive (the operator's IgnoreCase is about the values).
        s.conditions.some((c) => c.variable.toLowerCase().endsWith(suffix) && test.test(c.test) && c.values.length > 0 && c.values.every((v) => value.test(v)));
      return exactlyWebIdentity && federatedOnly && scoped(":aud", /^StringEquals(IgnoreCase)?$/, /./) && scoped(":sub", /^String(Equals|EqualsIgnoreCase|Like)$/, ONE_WORKSPACE_SUBJECT);
    }) &&
    // One workspace: a second subject, in the same condition or another statement, is another workspace's runs.
    new Set(statements.flatMap((s) => s.conditions.filter((c) => c.variable.toLowerCase().endsWith(":sub")).flatMap((c) => c.values.map((v) => v.toLowerCase())))).size === 1
  );
}

/** AWS managed policies that grant administration: everything, nearly everything, or IAM itself (a way to everything). */
const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\//;
/** What a service role may take from AWS: writing its own logs and traces, reaching its VPC. */
const SERVICE_ROLE_MANAGED = /:iam::aws:policy\/(service-role\/AWSLambdaBasicExecutionRole|service-role\/AWSLambdaVPCAccessExecutionRole|AWSXRayDaemonWriteAccess|AWSXrayWriteOnlyAccess|CloudWatchLambdaInsightsExecutionRolePolicy|CloudWatchLambdaApplicationSignalsExecutionRolePolicy)$/;
// With any path (service-role/, job-function/) and suffix (_v2, -Amplify); AWSLambdaRole invokes every function of the account.
const ADMIN_POLICIES = /:iam::aws:policy\/(?:[\w+=,.@-]+\/)*(AdministratorAccess[\w-]*|PowerUserAccess|SystemAdministrator|SecretsManagerReadWrite|AWSLambdaRole|[\w-]*Administrator[\w-]*|[\w-]*PowerUser[\w-]*|[\w-]*FullAccess[\w-]*)$/i;

export const noAdminManagedPolicies: Rule = {
  id: "APIGW-IAM-ADMIN-POLICY",
  severity: "error",
  message: "No role, user or group may have an AWS managed administrator, power-user or *FullAccess policy attached, and a role only services assume no AWS managed policy but the execution basics",
  explanation:
    "AdministratorAccess, PowerUserAccess and IAMFullAccess (which can grant itself the rest) turn whoever holds them into an administrator of the account; a service's FullAccess policy (AmazonDynamoDBFullAccess, CloudWatchLogsFullAccess, AmazonS3FullAccess, ...) makes a function role the administrator of every table, log group or bucket of the account; SecretsManagerReadWrite, FullAccess in all but name, reads and rewrites every secret. Every principal here serves one function; attach a policy that names what it does. A role that only AWS services assume (a function's, a state machine's) may take from AWS only AWSLambdaBasicExecutionRole, AWSLambdaVPCAccessExecutionRole, the X-Ray write policies, CloudWatchLambdaInsightsExecutionRolePolicy and CloudWatchLambdaApplicationSignalsExecutionRolePolicy: the others (AWSLambdaExecute, AmazonAPIGatewayPushToCloudWatchLogs, AmazonCognitoPowerUser, ...) grant a service's actions on every resource of the account, which no rule can narrow. Exempt: a role that only the runs of one Terraform Cloud workspace can assume (sts:AssumeRoleWithWebIdentity by a federated principal, with an aud condition and a sub naming organization, project, workspace and run_phase:apply: a plan-phase or `run_phase:*` subject is not exempt, since any speculative plan of the workspace would hold the policy), the role the tfc stack gives each workspace: it deploys stacks that create IAM roles, so it is administrator-equivalent whatever it holds, and its trust policy is what confines it (terraformCloud.runRolePolicyArns narrows it).",
  equivalents: { checkov: ["CKV_AWS_274"], securityHub: ["IAM.1"] },
  references: ["AWS managed policies for job functions"],
  check: (stack) => {
    const deployRole = (value: unknown) => oneWorkspaceDeployRole(stack.referenced(value, "aws_iam_role")?.body, stack);
    // A role of the stack, by reference or by its literal name.
    const roleNamed = (value: unknown) => stack.referenced(value, "aws_iam_role") ?? stack.resources("aws_iam_role").find((r) => r.body.name !== undefined && r.body.name === value);
    const attachments = [
      ...["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"].flatMap((type) =>
        stack.resources(type).filter((a) => !deployRole(a.body.role)).map((a) => ({ address: a.address, arns: [a.body.policy_arn], roles: [a.body.role, ...([] as unknown[]).concat(a.body.roles ?? [])].map(roleNamed) })),
      ),
      ...stack
        .resources("aws_iam_role_policy_attachments_exclusive")
        .filter((a) => !deployRole(a.body.role_name))
        .map((a) => ({ address: a.address, arns: [].concat(a.body.policy_arns ?? []), roles: [roleNamed(a.body.role_name)] })),
      ...stack
        .resources("aws_iam_role")
        .filter((r) => !oneWorkspaceDeployRole(r.body, stack))
        .map((r) => ({ address: r.address, arns: [].concat(r.body.managed_policy_arns ?? []), roles: [r] })),
    ];
    // A role only services assume (a function's, a state machine's): AWS managed policies are sized
    // for every resource of a service, so only the execution basics are allowed.
    const serviceRole = (role: Block | undefined) => {
      const trusted = role ? (statementsOf(stack, role.body.assume_role_policy) ?? []).filter(allowsAssume) : [];
      return trusted.length > 0 && trusted.every((s) => s.principals.length > 0 && s.principals.every((p) => SERVICE_PRINCIPAL.test(p)));
    };
    // A policy looked up by a data source is judged by the ARN or name it looks up.
    const looked = (value: unknown): unknown => {
      const data = stack.referenced(value, "aws_iam_policy");
      if (!data || !data.address.startsWith("data.")) return value;
      return data.body.arn ?? (typeof data.body.name === "string" ? `arn:aws:iam::aws:policy/${data.body.name}` : value);
    };
    return attachments.flatMap(({ address, arns, roles }) => {
      const forService = roles.some(serviceRole);
      const admin = arns
        .map(looked)
        .filter((arn): arn is string => typeof arn === "string" && (ADMIN_POLICIES.test(arn) || (forService && AWS_MANAGED.test(arn) && !SERVICE_ROLE_MANAGED.test(arn))));
      return admin.length ? [{ address, detail: `${admin.join(", ")}${forService ? " on a role services assume" : ""}` }] : [];
    });
  },
};
