/**
 * The second hostile review of issue 27's checker: our own variants of what it missed (plan-time
 * expressions, Terraform Cloud access, secrets in other shapes, WAF ordering) and of what it
 * wrongly flagged. Insecure variants must give an error finding, compliant ones none.
 */
import { inlineQuotedInterpolations } from "../../policy/load";
import { authorizerCachePerRoute } from "../../policy/rules/authorizer-cache";
import { securityValuesEvaluable } from "../../policy/rules/evaluable";
import { jwtAuthorizerConfiguration } from "../../policy/rules/http-api";
import { restCacheInvalidationAuthorized, restStageCacheEncrypted } from "../../policy/rules/stages";
import { keyRequiredStageInUsagePlan, usagePlanLimits } from "../../policy/rules/usage-plans";
import { noAdminManagedPolicies, trustPolicyScoped } from "../../policy/rules/iam-trust";
import { tfcRoleTrustsItsWorkspace } from "../../policy/rules/tfc-role-trust";
import { iamNoWildcards } from "../../policy/rules/iam";
import { lambdaPermissionScoped } from "../../policy/rules/lambda";
import { lambdaPermissionSourceApi } from "../../policy/rules/lambda-security";
import { publicPolicyNotOpen, publicWriteNotKeyOnly } from "../../policy/rules/private-api";
import { privateApiPolicyBoundToEndpoint } from "../../policy/rules/rest-api";
import { secretsInConfiguration } from "../../policy/rules/secrets";
import { tfcWorkspaceAccess } from "../../policy/rules/tfc-access";
import { corsOrigins } from "../../policy/rules/http-security";
import { webAclKnownBadInputs } from "../../policy/rules/waf";
import { StackView } from "../../policy/stack";
import { ALLOW_ALL, API, ENDPOINT, endpoint, privateApi, publicApi, ref, stack, Case, expectErrors, jsonPolicy } from "./fixtures";


describe("APIGW-EVALUABLE", () => {
  const api = (policy: unknown) => stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, policy } } });
  const workspace = (body: Record<string, unknown>) => stack({ tfe_workspace: { w: { name: "apigw-prod", ...body } } });
  const ROLE_POLICY = "aws_iam_role_policy.p";
  test.each<Case>([
    ["compliant: a policy as JSON text with references in it", api(jsonPolicy([{ ...ALLOW_ALL, Resource: `${ref(API, "execution_arn")}/*` }])), []],
    ["compliant: a policy document's json", api(ref("data.aws_iam_policy_document.p", "json")), []],
    ["compliant: literal workspace settings", workspace({ auto_apply: false, speculative_enabled: false }), []],
    ["not applicable: an expression in an attribute no rule decides on", stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, description: "${upper(var.name)}" } } }), []],
    ["insecure: a policy from jsonencode()", api('${jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "execute-api:Invoke", Resource = "*" }] })}'), [API]],
    ["insecure: a policy from a local", api("${local.policy}"), [API]],
    ["insecure: a policy from a variable", api("${var.policy}"), [API]],
    ["insecure: a reference inside a function", api("${replace(data.aws_iam_policy_document.p.json, \"Deny\", \"Allow\")}"), [API]],
    ["insecure: a template directive in a policy", api('%{ if var.open }{"Statement":[]}%{ endif }'), [API]],
    ["insecure: auto-apply as an expression", workspace({ auto_apply: "${true}" }), ["tfe_workspace.w"]],
    ["insecure: a role policy from a conditional", stack({ aws_iam_role_policy: { p: { role: "r", policy: "${var.debug ? local.open : local.closed}" } } }), [ROLE_POLICY]],
    ["insecure: a managed policy ARN from a local", stack({ aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: "${local.arn}" } } }), ["aws_iam_role_policy_attachment.a"]],
    ["insecure: CORS origins from a variable", stack({ aws_apigatewayv2_api: { h: { name: "h", protocol_type: "HTTP", cors_configuration: { allow_origins: "${var.origins}", allow_credentials: true } } } }), ["aws_apigatewayv2_api.h"]],
    ["insecure: route scopes as an expression", stack({ aws_apigatewayv2_route: { r: { route_key: "GET /orders", authorization_type: "JWT", authorization_scopes: "${[]}" } } }), ["aws_apigatewayv2_route.r"]],
    ["insecure: a TLS policy from a variable", stack({ aws_api_gateway_domain_name: { d: { domain_name: "api.example.com", security_policy: "${var.tls}" } } }), ["aws_api_gateway_domain_name.d"]],
    [
      "insecure: a policy document whose condition values come from a variable",
      stack({}, { data: { aws_iam_policy_document: { d: { statement: [{ effect: "Allow", actions: ["execute-api:Invoke"], resources: ["*"], principals: [{ type: "*", identifiers: ["*"] }], condition: [{ test: "IpAddress", variable: "aws:SourceIp", values: "${var.cidrs}" }] }] } } } }),
      ["data.aws_iam_policy_document.d"],
    ],
    ["compliant: a policy document with references", stack({}, { data: { aws_iam_policy_document: { d: { statement: [{ effect: "Allow", actions: ["sqs:SendMessage"], resources: [ref("aws_sqs_queue.q", "arn")] }] } } } }), []],
    ["insecure: an ingress block from a variable", stack({ aws_vpc_security_group_ingress_rule: { i: { security_group_id: ref("aws_security_group.sg", "id"), ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "${var.cidr}" } } }), ["aws_vpc_security_group_ingress_rule.i"]],
    ["insecure: a team's access from a variable", stack({ tfe_team_access: { t: { team_id: "team-x", workspace_id: "ws-1", access: "${var.access}" } } }), ["tfe_team_access.t"]],
  ])("%s", (_name, fixture, expected) => expectErrors(securityValuesEvaluable, fixture, expected));
});

describe("APIGW-PUBLIC-POLICY-OPEN and APIGW-PRIVATE-POLICY-VPCE: condition operators", () => {
  const open = (condition: Record<string, unknown>) => stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, policy: jsonPolicy([{ ...ALLOW_ALL, Condition: condition }]) } } });
  test.each<Case>([
    ["compliant: an allowed source block", open({ IpAddress: { "aws:SourceIp": "198.51.100.0/24" } }), []],
    ["insecure: Null on the source address (every call has one)", open({ Null: { "aws:SourceIp": "false" } }), [API]],
    ["insecure: ForAllValues on a key the caller need not send", open({ "ForAllValues:StringEquals": { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }), [API]],
  ])("%s", (_name, fixture, expected) => expectErrors(publicPolicyNotOpen, fixture, expected));

  const deny = (test: string) =>
    stack({
      aws_api_gateway_rest_api: privateApi({ policy: jsonPolicy([ALLOW_ALL, { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { [test]: { "aws:SourceVpce": ref(ENDPOINT, "id") } } }]) }),
      aws_vpc_endpoint: endpoint,
    });
  test.each<Case>([
    ["compliant: ForAllValues:StringNotEquals (holds when the key is missing, as StringNotEquals does)", deny("ForAllValues:StringNotEquals"), []],
    ["insecure: StringEquals denies the endpoint and admits the rest", deny("StringEquals"), [API]],
  ])("%s", (_name, fixture, expected) => expectErrors(privateApiPolicyBoundToEndpoint, fixture, expected));
});

describe("APIGW-LAMBDA-PERMISSION: actions and principals", () => {
  const permission = (body: Record<string, unknown>, data?: Record<string, Record<string, Record<string, unknown>>>) =>
    stack({ aws_lambda_permission: { p: { function_name: "f", action: "lambda:InvokeFunction", ...body } } }, data ? { data } : {});
  const P = "aws_lambda_permission.p";
  const SOURCE = `${ref("aws_apigatewayv2_api.h", "execution_arn")}/*/GET/orders`;
  test.each<Case>([
    ["compliant: API Gateway with a source_arn", permission({ principal: "apigateway.amazonaws.com", source_arn: SOURCE }), []],
    ["compliant: a looked-up service principal with a source_arn", permission({ principal: ref("data.aws_service_principal.apigw", "name"), source_arn: SOURCE }, { aws_service_principal: { apigw: { service_name: "apigateway" } } }), []],
    ["insecure: every Lambda action", permission({ action: "lambda:*", principal: "apigateway.amazonaws.com", source_arn: SOURCE }), [P]],
    ["insecure: a looked-up API Gateway principal without source_arn", permission({ principal: ref("data.aws_service_principal.apigw", "name") }, { aws_service_principal: { apigw: { service_name: "apigateway" } } }), [P]],
    ["insecure: a principal from a variable without source_arn", permission({ principal: "${var.principal}" }), [P]],
  ])("%s", (_name, fixture, expected) => expectErrors(lambdaPermissionScoped, fixture, expected));
});

describe("APIGW-IAM-ADMIN-POLICY: names and trusts", () => {
  const attached = (arn: string) => stack({ aws_iam_role: { r: { name: "fn", assume_role_policy: jsonPolicy([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]) } }, aws_iam_role_policy_attachment: { a: { role: ref("aws_iam_role.r", "name"), policy_arn: arn } } });
  const deployRole = (condition: Record<string, unknown>) =>
    stack({
      aws_iam_role: { r: { name: "apigw-tfc-prod", managed_policy_arns: ["arn:aws:iam::aws:policy/AdministratorAccess"], assume_role_policy: jsonPolicy([{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::222222222222:oidc-provider/app.terraform.io" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition }]) } },
    });
  const SUB = "organization:acme:project:apigw-platform:workspace:apigw-prod:run_phase:apply";
  test.each<Case>([
    ["insecure: a FullAccess policy's second version", attached("arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess_v2"), ["aws_iam_role_policy_attachment.a"]],
    ["insecure: Lambda's FullAccess, with an underscore", attached("arn:aws:iam::aws:policy/AWSLambda_FullAccess"), ["aws_iam_role_policy_attachment.a"]],
    ["insecure: AWSLambdaRole (invokes every function), under service-role/", attached("arn:aws:iam::aws:policy/service-role/AWSLambdaRole"), ["aws_iam_role_policy_attachment.a"]],
    ["compliant: the basic execution role", attached("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"), []],
    ["compliant: a deploy role whose condition keys are in another case", deployRole({ StringEquals: { "App.Terraform.IO:AUD": "aws.workload.identity", "App.Terraform.IO:SUB": SUB } }), []],
    ["compliant: a deploy role matched with StringEqualsIgnoreCase", deployRole({ StringEquals: { "app.terraform.io:aud": "aws.workload.identity" }, StringEqualsIgnoreCase: { "app.terraform.io:sub": SUB } }), []],
    ["insecure: a deploy role of the plan phase", deployRole({ StringEquals: { "app.terraform.io:aud": "aws.workload.identity", "app.terraform.io:sub": SUB.replace(":apply", ":plan") } }), ["aws_iam_role.r"]],
  ])("%s", (_name, fixture, expected) => expectErrors(noAdminManagedPolicies, fixture, expected));
});

describe("APIGW-TFC-WORKSPACE-ACCESS", () => {
  const W = "tfe_workspace.prod";
  const grant = (team: string, access: Record<string, unknown>) => ({ team_id: team, workspace_id: ref(W, "id"), ...access });
  const CUSTOM_PLAN = { permissions: [{ runs: "plan", variables: "none", state_versions: "none", sentinel_mocks: "none", workspace_locking: false, run_tasks: false }] };
  const shipped = {
    approvers: grant("team-ProdApprovers", { access: "write" }),
    pipeline: grant("team-ProdPipelineRuns", { access: "plan" }),
    plan: grant("team-PullRequestPlans", CUSTOM_PLAN),
  };
  const tfc = (extra: Record<string, Record<string, unknown>> = {}, workspace: Record<string, unknown> = {}, classification = "confidential") =>
    stack({
      tfe_project: { p: { name: "apigw-platform", organization: "acme" } },
      tfe_workspace: { prod: { name: "apigw-prod", organization: "acme", project_id: ref("tfe_project.p", "id"), tags: { "data-classification": classification }, ...workspace } },
      ...extra,
      tfe_team_access: { ...shipped, ...(extra.tfe_team_access ?? {}) },
    });
  test.each<Case>([
    ["compliant: approvers write, the pipeline plan, pull requests custom plan", tfc(), []],
    ["not applicable: an internal workspace with two teams that apply", tfc({ tfe_team_access: { pipeline: grant("team-PipelineRuns", { access: "write" }) } }, {}, "internal"), []],
    ["insecure: the pipeline team may write (and so confirm its own runs)", tfc({ tfe_team_access: { pipeline: grant("team-ProdPipelineRuns", { access: "write" }) } }), ["tfe_team_access.pipeline"]],
    ["insecure: custom runs = apply for the pipeline", tfc({ tfe_team_access: { pipeline: grant("team-ProdPipelineRuns", { permissions: [{ runs: "apply" }] }) } }), ["tfe_team_access.pipeline"]],
    ["insecure: another team with admin", tfc({ tfe_team_access: { extra: grant("team-Ops", { access: "admin" }) } }), ["tfe_team_access.extra"]],
    ["insecure: a planning team that may write variables and state", tfc({ tfe_team_access: { plan: grant("team-PullRequestPlans", { permissions: [{ runs: "plan", variables: "write", state_versions: "write" }] }) } }), ["tfe_team_access.plan"]],
    ["insecure: project access maintain for the pipeline", tfc({ tfe_team_project_access: { pa: { team_id: "team-ProdPipelineRuns", project_id: ref("tfe_project.p", "id"), access: "maintain" } } }), ["tfe_team_project_access.pa"]],
    ["compliant: project access read", tfc({ tfe_team_project_access: { pa: { team_id: "team-Auditors", project_id: ref("tfe_project.p", "id"), access: "read" } } }), []],
    ["insecure: its state shared with every workspace", tfc({}, { global_remote_state: true }), [W]],
    ["insecure: its state shared with dev", tfc({}, { remote_state_consumer_ids: [ref("tfe_workspace.dev", "id")] }), [W]],
    [
      "insecure: a global variable set with a run role ARN",
      tfc({ tfe_variable_set: { vs: { name: "aws", organization: "acme", global: true } }, tfe_variable: { v: { key: "TFC_AWS_RUN_ROLE_ARN", value: "arn:aws:iam::222222222222:role/apigw-tfc-prod", category: "env", variable_set_id: ref("tfe_variable_set.vs", "id") } } }),
      ["tfe_variable_set.vs"],
    ],
    [
      "compliant: a global variable set without credentials",
      tfc({ tfe_variable_set: { vs: { name: "tf", organization: "acme", global: true } }, tfe_variable: { v: { key: "TF_LOG", value: "WARN", category: "env", variable_set_id: ref("tfe_variable_set.vs", "id") } } }),
      [],
    ],
  ])("%s", (_name, fixture, expected) => expectErrors(tfcWorkspaceAccess, fixture, expected));
});

describe("APIGW-SECRET-LITERALS: other shapes", () => {
  const KEY = "aws_api_gateway_api_key.k";
  const output = (value: string, sensitive = false) => new StackView("s", { resource: { aws_api_gateway_api_key: { k: { name: "partner" } } }, output: { o: { value, ...(sensitive ? { sensitive } : {}) } } });
  const fn = (variables: Record<string, string>) => stack({ aws_lambda_function: { f: { function_name: "f", environment: { variables } } } });
  const F = "aws_lambda_function.f";
  test.each<Case>([
    ["compliant: an output of the key's id", output(ref(KEY, "id")), []],
    ["insecure: an output of the whole key (its value among the attributes)", output(`\${${KEY}}`), ["output.o"]],
    ["insecure: an output of the key's value through a for expression", output(`\${[for k in [${KEY}] : k.value]}`), ["output.o"]],
    ["insecure: an output of a function's environment, read back decrypted", new StackView("s", { data: { aws_lambda_function: { f: { function_name: "users" } } }, output: { o: { value: ref("data.aws_lambda_function.f", "environment") } } }), ["output.o"]],
    ["compliant: environment variables that name a secret", fn({ PAYMENT_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:stripe-AbCdEf", TABLE: "orders" }), []],
    ["insecure: a live payment key under any name", fn({ PAYMENT: "sk_live_51H8xAbCdEfGhIjKlMnOp" }), [F]],
    ["insecure: a connection string with a password", fn({ DATABASE_URL: "postgres://app:Pa55w0rd!@db.internal:5432/app" }), [F]],
    ["insecure: a GitHub token", fn({ GH: "ghp_0123456789abcdefghijABCDEFGHIJ012345" }), [F]],
    ["insecure: a static Bearer header of an integration", stack({ aws_api_gateway_integration: { i: { type: "HTTP_PROXY", uri: "https://legacy.example.com/", request_parameters: { "integration.request.header.Authorization": "'Bearer sk_live_51H8xAbCdEfGhIjKlMnOp'" } } } }), ["aws_api_gateway_integration.i"]],
    ["compliant: an integration parameter copied from the request", stack({ aws_api_gateway_integration: { i: { type: "HTTP_PROXY", uri: "https://legacy.example.com/", request_parameters: { "integration.request.header.Authorization": "method.request.header.Authorization" } } } }), []],
    ["insecure: a Terraform Cloud variable with a literal secret access key", stack({ tfe_variable: { v: { key: "AWS_SECRET_ACCESS_KEY", value: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", category: "env", sensitive: false } } }), ["tfe_variable.v"]],
    ["insecure: ... even marked sensitive (the value is in the repository)", stack({ tfe_variable: { v: { key: "API_TOKEN", value: "abc123def456", category: "env", sensitive: true } } }), ["tfe_variable.v"]],
    ["compliant: a Terraform Cloud variable that names a role", stack({ tfe_variable: { v: { key: "TFC_AWS_RUN_ROLE_ARN", value: "arn:aws:iam::222222222222:role/apigw-tfc-prod", category: "env" } } }), []],
  ])("%s", (_name, fixture, expected) => expectErrors(secretsInConfiguration, fixture, expected));
});

describe("APIGW-WAF-KNOWN-BAD-INPUTS: order and scope", () => {
  const group = (name: string, priority: number, extra: Record<string, unknown> = {}) => ({
    name,
    priority,
    override_action: { none: {} },
    statement: { managed_rule_group_statement: { name, vendor_name: "AWS", ...extra } },
    visibility_config: { cloudwatch_metrics_enabled: true, metric_name: name, sampled_requests_enabled: true },
  });
  const ALLOW_EVERYTHING = { name: "allow-all", priority: 0, action: { allow: {} }, statement: { size_constraint_statement: { comparison_operator: "GE", size: 0, field_to_match: { uri_path: {} }, text_transformation: { priority: 0, type: "NONE" } } } };
  const acl = (rules: unknown[], arn = ref("aws_wafv2_web_acl.acl", "arn")) =>
    stack({
      aws_api_gateway_stage: { s: { rest_api_id: ref(API, "id"), stage_name: "prod" } },
      aws_wafv2_web_acl: { acl: { name: "acl", scope: "REGIONAL", default_action: { allow: {} }, rule: rules } },
      aws_wafv2_web_acl_association: { a: { resource_arn: ref("aws_api_gateway_stage.s", "arn"), web_acl_arn: arn } },
    });
  const ACL = "aws_wafv2_web_acl.acl";
  test.each<Case>([
    ["compliant: the group first", acl([group("AWSManagedRulesKnownBadInputsRuleSet", 1), group("AWSManagedRulesCommonRuleSet", 2)]), []],
    ["compliant: an allow rule after the group", acl([group("AWSManagedRulesKnownBadInputsRuleSet", 1), { ...ALLOW_EVERYTHING, priority: 5 }]), []],
    ["not applicable: a web ACL of another stack, by data source", acl([], ref("data.aws_wafv2_web_acl.shared", "arn")), []],
    ["insecure: an allow rule for every request ahead of the group", acl([ALLOW_EVERYTHING, group("AWSManagedRulesKnownBadInputsRuleSet", 1)]), [ACL]],
    [
      "insecure: the group scoped down to requests that never come",
      acl([group("AWSManagedRulesKnownBadInputsRuleSet", 1, { scope_down_statement: { byte_match_statement: { search_string: "never-matches", positional_constraint: "EXACTLY", field_to_match: { uri_path: {} }, text_transformation: { priority: 0, type: "NONE" } } } })]),
      [ACL],
    ],
  ])("%s", (_name, fixture, expected) => expectErrors(webAclKnownBadInputs, fixture, expected));
});

describe("APIGW-CORS: origin patterns", () => {
  const http = (origins: string[]) => stack({ aws_apigatewayv2_api: { h: { name: "h", protocol_type: "HTTP", cors_configuration: { allow_origins: origins, allow_credentials: true } } } });
  test.each<Case>([
    ["compliant: named origins", http(["https://app.example.com"]), []],
    ["insecure: every subdomain, with credentials", http(["https://*.example.com"]), ["aws_apigatewayv2_api.h"]],
  ])("%s", (_name, fixture, expected) => expectErrors(corsOrigins, fixture, expected));
});

// The third round: what the second review of the fixes found.

describe("APIGW-EVALUABLE: existence and copied policies", () => {
  const plan = (extra: Record<string, unknown>) => stack({ aws_api_gateway_usage_plan: { up: { name: "partners", ...extra } } });
  test.each<Case>([
    ["compliant: count = 1", plan({ count: 1 }), []],
    ["insecure: count = 0 (the usage plan is not created)", plan({ count: 0 }), ["aws_api_gateway_usage_plan.up"]],
    ["insecure: count from a conditional", plan({ count: "${var.on ? 1 : 0}" }), ["aws_api_gateway_usage_plan.up"]],
    ["insecure: for_each, even over a literal map", plan({ for_each: { a: 1 } }), ["aws_api_gateway_usage_plan.up"]],
    [
      "insecure: a role policy copied from a managed policy's document",
      stack({ aws_iam_role_policy: { p: { role: "r", policy: ref("data.aws_iam_policy.admin", "policy") } } }, { data: { aws_iam_policy: { admin: { arn: "arn:aws:iam::aws:policy/AdministratorAccess" } } } }),
      ["aws_iam_role_policy.p"],
    ],
  ])("%s", (_name, fixture, expected) => expectErrors(securityValuesEvaluable, fixture, expected));
});

describe("APIGW-TFC-WORKSPACE-ACCESS: runs, organization access, unknown workspaces", () => {
  const classified = { tfe_workspace: { prod: { name: "apigw-prod", organization: "acme", tags: { "data-classification": "confidential" } } } };
  test.each<Case>([
    ["compliant: a run the tfc stack starts and a person confirms", stack({ ...classified, tfe_workspace_run: { r: { workspace_id: ref("tfe_workspace.prod", "id"), apply: { manual_confirm: true } } } }), []],
    ["insecure: a run applied without confirmation", stack({ ...classified, tfe_workspace_run: { r: { workspace_id: ref("tfe_workspace.prod", "id"), apply: { manual_confirm: false, wait_for_run: true } } } }), ["tfe_workspace_run.r"]],
    ["insecure: a team that manages every workspace of the organization", stack({ ...classified, tfe_team: { ops: { name: "ops", organization: "acme", organization_access: { manage_workspaces: true } } } }), ["tfe_team.ops"]],
    ["compliant: a team with read access to the organization's projects", stack({ ...classified, tfe_team: { ops: { name: "ops", organization: "acme", organization_access: { read_projects: true } } } }), []],
    ["insecure: admin on a workspace named by a literal id", stack({ ...classified, tfe_team_access: { t: { team_id: "team-ops", workspace_id: "ws-apigwprod", access: "admin" } } }), ["tfe_team_access.t"]],
  ])("%s", (_name, fixture, expected) => expectErrors(tfcWorkspaceAccess, fixture, expected));
});

describe("APIGW-CACHE-INVALIDATION-AUTH: who may invalidate", () => {
  const policy = (action: string) =>
    stack({ aws_api_gateway_rest_api: privateApi({ policy: jsonPolicy([{ ...ALLOW_ALL, Action: action }, { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpce": ref(ENDPOINT, "id") } } }]) }), aws_vpc_endpoint: endpoint });
  test.each<Case>([
    ["compliant: everyone may invoke", policy("execute-api:Invoke"), []],
    ["insecure: everyone may do everything, InvalidateCache included", policy("execute-api:*"), [API]],
    ["insecure: everyone may invalidate", policy("execute-api:InvalidateCache"), [API]],
  ])("%s", (_name, fixture, expected) => expectErrors(restCacheInvalidationAuthorized, fixture, expected));
});

describe("APIGW-IAM-ADMIN-POLICY: roles only services assume", () => {
  const role = (service: string, arn: string) =>
    stack({
      aws_iam_role: { r: { name: "fn", assume_role_policy: jsonPolicy([{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }]) } },
      aws_iam_role_policy_attachment: { a: { role: ref("aws_iam_role.r", "name"), policy_arn: arn } },
    });
  const A = "aws_iam_role_policy_attachment.a";
  test.each<Case>([
    ["compliant: a function's basic execution role", role("lambda.amazonaws.com", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"), []],
    ["compliant: a function's customer managed policy", role("lambda.amazonaws.com", "arn:aws:iam::111111111111:policy/orders-table"), []],
    ["insecure: AWSLambdaExecute (every log group, every object)", role("lambda.amazonaws.com", "arn:aws:iam::aws:policy/AWSLambdaExecute"), [A]],
    ["insecure: the push-to-CloudWatch policy (reads every log group) on a function", role("lambda.amazonaws.com", "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"), [A]],
    ["insecure: AmazonAPIGatewayAdministrator", role("lambda.amazonaws.com", "arn:aws:iam::aws:policy/AmazonAPIGatewayAdministrator"), [A]],
    ["insecure: a power user policy of a service", role("states.amazonaws.com", "arn:aws:iam::aws:policy/AmazonCognitoPowerUser"), [A]],
    ["insecure: KMS power user", role("lambda.amazonaws.com", "arn:aws:iam::aws:policy/AWSKeyManagementServicePowerUser"), [A]],
  ])("%s", (_name, fixture, expected) => expectErrors(noAdminManagedPolicies, fixture, expected));
});

describe("APIGW-SECRET-LITERALS: third round", () => {
  const fn = (variables: Record<string, string>) => stack({ aws_lambda_function: { f: { function_name: "f", environment: { variables } } } });
  test.each<Case>([
    ["insecure: a Slack webhook", fn({ HOOK: "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX" }), ["aws_lambda_function.f"]],
    ["insecure: an AWS secret access key's shape in a stage variable", stack({ aws_api_gateway_stage: { s: { stage_name: "prod", rest_api_id: "a", variables: { k: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" } } } }), ["aws_api_gateway_stage.s"]],
    ["compliant: a commit hash in an environment variable", fn({ VERSION: "3f786850e387550fdab836ed7e6dc881de23001b" }), []],
    ["insecure: a static integration header named like a secret", stack({ aws_api_gateway_integration: { i: { request_parameters: { "integration.request.header.X-Api-Secret": "'s3cr3t-value-123'" } } } }), ["aws_api_gateway_integration.i"]],
    ["compliant: a static content type", stack({ aws_api_gateway_integration: { i: { request_parameters: { "integration.request.header.Content-Type": "'application/json'" } } } }), []],
    ["insecure: a long-lived access key", stack({ aws_iam_access_key: { k: { user: "deployer" } } }), ["aws_iam_access_key.k"]],
    [
      "insecure: a postcondition that prints a function's environment",
      stack({}, { data: { aws_lambda_function: { f: { function_name: "users", lifecycle: { postcondition: [{ condition: "${self.timeout > 0}", error_message: "${jsonencode(self.environment)}" }] } } } } }),
      ["data.aws_lambda_function.f"],
    ],
    ["insecure: a Terraform Cloud variable with a static access key id", stack({ tfe_variable: { v: { key: "AWS_ACCESS_KEY_ID", value: "AKIAIOSFODNN7EXAMPLE", category: "env", sensitive: true } } }), ["tfe_variable.v"]],
  ])("%s", (_name, fixture, expected) => expectErrors(secretsInConfiguration, fixture, expected));
});

describe("APIGW-AUTHORIZER-CACHE-ROUTE", () => {
  const AUTH = "aws_apigatewayv2_authorizer.l";
  const http = (authorizer: Record<string, unknown>, routes = ["GET /products", "POST /orders"]) =>
    stack({
      aws_apigatewayv2_authorizer: { l: { api_id: "h", authorizer_type: "REQUEST", enable_simple_responses: true, identity_sources: ["$request.header.Authorization"], ...authorizer } },
      aws_apigatewayv2_route: Object.fromEntries(routes.map((key, i) => [`r${i}`, { api_id: "h", route_key: key, authorization_type: "CUSTOM", authorizer_id: ref(AUTH, "id") }])),
    });
  test.each<Case>([
    ["compliant: cached per route", http({ authorizer_result_ttl_in_seconds: 300, identity_sources: ["$request.header.Authorization", "$context.routeKey"] }), []],
    ["compliant: not cached", http({ authorizer_result_ttl_in_seconds: 0 }), []],
    ["not applicable: one route", http({ authorizer_result_ttl_in_seconds: 300 }, ["GET /products"]), []],
    ["not applicable: IAM policy responses (evaluated per route)", http({ authorizer_result_ttl_in_seconds: 300, enable_simple_responses: false }), []],
    ["insecure: one cached answer for two routes", http({ authorizer_result_ttl_in_seconds: 300 }), [AUTH]],
    ["insecure: the provider's default TTL (300)", http({}), [AUTH]],
  ])("%s", (_name, fixture, expected) => expectErrors(authorizerCachePerRoute, fixture, expected));
});

describe("APIGW-JWT-AUTHORIZER: where the token is read", () => {
  const jwt = (sources: string[]) => stack({ aws_apigatewayv2_authorizer: { j: { authorizer_type: "JWT", identity_sources: sources, jwt_configuration: { issuer: "https://issuer.example.com", audience: ["app"] } } } });
  test.each<Case>([
    ["compliant: the Authorization header", jwt(["$request.header.Authorization"]), []],
    ["insecure: the query string (in every access log)", jwt(["$request.querystring.token"]), ["aws_apigatewayv2_authorizer.j"]],
  ])("%s", (_name, fixture, expected) => expectErrors(jwtAuthorizerConfiguration, fixture, expected));
});

describe("third round: operation keys, per-method plan limits, false errors", () => {
  test("an operation key in upper case is read as the operation", () => {
    const body = JSON.stringify({ openapi: "3.0.1", paths: { "/orders": { PATCH: { security: [{ api_key: [] }] } } }, components: { securitySchemes: { api_key: { type: "apiKey", name: "x-api-key", in: "header" } } } });
    expect(publicWriteNotKeyOnly.check(stack({ aws_api_gateway_rest_api: { api: { ...publicApi("REGIONAL").api, body } } })).map((v) => v.address)).toEqual([API]);
  });

  const plan = (throttle: Record<string, unknown>) => stack({ aws_api_gateway_usage_plan: { up: { throttle_settings: { rate_limit: 10, burst_limit: 20 }, quota_settings: { limit: 1000, period: "DAY" }, api_stages: [{ api_id: "a", stage: "prod", throttle: [{ path: "/users/{id}/PUT", ...throttle }] }] } } });
  test.each<Case>([
    ["compliant: a per-method throttle", plan({ rate_limit: 5, burst_limit: 10 }), []],
    ["insecure: a per-method throttle of -1 (no limit for that method)", plan({ rate_limit: -1, burst_limit: -1 }), ["aws_api_gateway_usage_plan.up"]],
  ])("%s", (_name, fixture, expected) => expectErrors(usagePlanLimits, fixture, expected));

  const settings = (values: Record<string, unknown>) => stack({ aws_api_gateway_method_settings: { m: { rest_api_id: "a", stage_name: "prod", method_path: "*/*", settings: { caching_enabled: "true", ...values } } } });
  test.each<Case>([
    ["compliant: encryption as the string true", settings({ cache_data_encrypted: "true" }), []],
    ["insecure: caching as the string true, without encryption", settings({ cache_data_encrypted: false }), ["aws_api_gateway_method_settings.m"]],
  ])("%s", (_name, fixture, expected) => expectErrors(restStageCacheEncrypted, fixture, expected));

  test("a private Deny with StringNotEqualsIgnoreCase on the endpoint is compliant", () => {
    const fixture = stack({
      aws_api_gateway_rest_api: privateApi({ policy: jsonPolicy([ALLOW_ALL, { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringNotEqualsIgnoreCase: { "aws:SourceVpce": ref(ENDPOINT, "id") } } }]) }),
      aws_vpc_endpoint: endpoint,
    });
    expect(privateApiPolicyBoundToEndpoint.check(fixture)).toEqual([]);
  });

  test("a usage plan naming the API through its stage's rest_api_id covers the stage", () => {
    const fixture = stack({
      aws_api_gateway_rest_api: { api: { ...publicApi("REGIONAL").api, body: JSON.stringify({ openapi: "3.0.1", paths: { "/x": { get: { security: [{ api_key: [] }] } } }, components: { securitySchemes: { api_key: { type: "apiKey", name: "x-api-key", in: "header" } } } }) } },
      aws_api_gateway_stage: { s: { rest_api_id: ref(API, "id"), stage_name: "prod" } },
      aws_api_gateway_usage_plan: { up: { api_stages: [{ api_id: ref("aws_api_gateway_stage.s", "rest_api_id"), stage: ref("aws_api_gateway_stage.s", "stage_name") }] } },
    });
    expect(keyRequiredStageInUsagePlan.check(fixture)).toEqual([]);
  });

  test("an interpolated quoted string is read as its text", () => {
    expect(inlineQuotedInterpolations({ source_arn: '${aws_apigatewayv2_api.h.execution_arn}/${"*"}/${ "*" }/x', kept: '$${"escaped"}', call: '${upper("x")}' })).toEqual({
      source_arn: "${aws_apigatewayv2_api.h.execution_arn}/*/*/x",
      kept: '$${"escaped"}',
      call: '${upper("x")}',
    });
  });
});

// The fourth round: secrets in other places, names that only talk about a secret, service roles.

describe("APIGW-SECRET-LITERALS: fourth round", () => {
  const fn = (variables: Record<string, string>) => stack({ aws_lambda_function: { f: { function_name: "f", environment: { variables } } } });
  const F = "aws_lambda_function.f";
  test.each<Case>([
    ["compliant: what a token must be, not a token", fn({ TOKEN_ISSUER: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_PrdPool01", TOKEN_USE: "access", API_KEY_HEADER: "x-api-key" }), []],
    ["compliant: where a secret is kept, and its policy", fn({ DB_SECRET_ID: "prod/users-db", PASSWORD_POLICY: "min12-upper-lower-digit" }), []],
    ["compliant: a token endpoint's URL as a stage variable", stack({ aws_api_gateway_stage: { s: { stage_name: "prod", rest_api_id: "a", variables: { tokenUrl: "https://auth.prod.example.com/oauth2/token" } } } }), []],
    ["insecure: a signing key", fn({ HMAC_SIGNING_KEY: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }), [F]],
    ["insecure: a passphrase", fn({ DB_PASSPHRASE: "correct-horse-battery-staple-9" }), [F]],
    ["insecure: a base64-encoded private key", fn({ TLS_KEY_B64: Buffer.from("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----").toString("base64") }), [F]],
    ["insecure: KMS-decrypted plaintext in an environment", fn({ DB_CREDS: '${data.aws_kms_secrets.s.plaintext["db"]}' }), [F]],
    ["insecure: a binary secret in an environment", fn({ DB: "${data.aws_secretsmanager_secret_version.b.secret_binary}" }), [F]],
    ["insecure: decrypted parameters by path", fn({ DB: '${join(",", data.aws_ssm_parameters_by_path.p.values)}' }), [F]],
    ["insecure: an HTTP API static header with a key", stack({ aws_apigatewayv2_integration: { i: { request_parameters: { "overwrite:header.x-api-key": "k9Zq8vP2kL9x7QmR4tN6wY1u" } } } }), ["aws_apigatewayv2_integration.i"]],
    ["insecure: an HTTP API static Bearer header", stack({ aws_apigatewayv2_integration: { i: { request_parameters: { "overwrite:header.Authorization": "Bearer k9Zq8vP2kL9x7QmR4tN6wY1u" } } } }), ["aws_apigatewayv2_integration.i"]],
    ["compliant: an HTTP API header mapped from the request", stack({ aws_apigatewayv2_integration: { i: { request_parameters: { "overwrite:header.x-api-key": "$request.header.x-api-key" } } } }), []],
    ["insecure: a SecureString parameter with a literal value", stack({ aws_ssm_parameter: { p: { name: "/prod/db/password", type: "SecureString", value: "S3cr3tPa55w0rd-prod-2026" } } }), ["aws_ssm_parameter.p"]],
    ["compliant: a String parameter", stack({ aws_ssm_parameter: { p: { name: "/prod/db/host", type: "String", value: "db.internal" } } }), []],
    ["insecure: a secret version with a literal secret", stack({ aws_secretsmanager_secret_version: { v: { secret_id: "s", secret_string: '{"password":"S3cr3t"}' } } }), ["aws_secretsmanager_secret_version.v"]],
    ["insecure: an output of a whole function (its environment inside)", new StackView("s", { resource: { aws_lambda_function: { f: { function_name: "users" } } }, output: { o: { value: "${aws_lambda_function.f}" } } }), ["output.o"]],
  ])("%s", (_name, fixture, expected) => expectErrors(secretsInConfiguration, fixture, expected));
});

describe("fourth round: trusts, accounts, variable sets, settings", () => {
  const functionRole = (extra: unknown[]) =>
    stack(
      { aws_iam_role: { r: { name: "fn", assume_role_policy: jsonPolicy([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }, ...extra]) } } },
      { provider: { aws: [{ region: "eu-west-1", allowed_account_ids: ["222222222222"] }] } },
    );
  test.each<Case>([
    ["compliant: a function role trusted by Lambda only", functionRole([]), []],
    ["insecure: ... and by its own account's root", functionRole([{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole" }]), ["aws_iam_role.r"]],
    ["insecure: ... and by anyone of the account", functionRole([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalAccount": "222222222222" } } }]), ["aws_iam_role.r"]],
  ])("%s", (_name, fixture, expected) => expectErrors(trustPolicyScoped, fixture, expected));

  const runRole = (provider: string) =>
    stack(
      {
        tfe_project: { p: { name: "apigw-platform", organization: "acme" } },
        tfe_workspace: { staging: { name: "apigw-staging", organization: "acme", project_id: ref("tfe_project.p", "id"), tags: { account: "111111111111" } } },
        aws_iam_role: {
          r: {
            provider,
            name: "apigw-tfc-staging",
            assume_role_policy: jsonPolicy([{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/app.terraform.io" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "app.terraform.io:aud": "aws.workload.identity" }, StringLike: { "app.terraform.io:sub": "organization:acme:project:apigw-platform:workspace:apigw-staging:run_phase:apply" } } }]),
          },
        },
        tfe_variable: { v: { key: "TFC_AWS_RUN_ROLE_ARN", value: ref("aws_iam_role.r", "arn"), category: "env", workspace_id: ref("tfe_workspace.staging", "id") } },
      },
      { provider: { aws: [{ alias: "account_111111111111", allowed_account_ids: ["111111111111"] }, { alias: "account_222222222222", allowed_account_ids: ["222222222222"] }] } },
    );
  test.each<Case>([
    ["compliant: the staging workspace's role in staging's account", runRole("aws.account_111111111111"), []],
    ["insecure: the staging workspace's role in prod's account", runRole("aws.account_222222222222"), ["aws_iam_role.r"]],
  ])("%s", (_name, fixture, expected) => expectErrors(tfcRoleTrustsItsWorkspace, fixture, expected));

  test("a global variable set that only turns dynamic credentials on names no role", () => {
    const fixture = stack({
      tfe_workspace: { prod: { name: "apigw-prod", tags: { "data-classification": "confidential" } } },
      tfe_variable_set: { vs: { name: "auth", organization: "acme", global: true } },
      tfe_variable: { v: { key: "TFC_AWS_PROVIDER_AUTH", value: "true", category: "env", variable_set_id: ref("tfe_variable_set.vs", "id") } },
    });
    expect(tfcWorkspaceAccess.check(fixture)).toEqual([]);
  });

  test("a global variable set with the region only gives no credentials", () => {
    const fixture = stack({
      tfe_workspace: { prod: { name: "apigw-prod", tags: { "data-classification": "confidential" } } },
      tfe_variable_set: { vs: { name: "region", organization: "acme", global: true } },
      tfe_variable: { v: { key: "AWS_REGION", value: "eu-west-1", category: "env", variable_set_id: ref("tfe_variable_set.vs", "id") } },
    });
    expect(tfcWorkspaceAccess.check(fixture)).toEqual([]);
  });

  test.each<Case>([
    ["compliant: a cache TTL from a variable (no rule decides on it)", stack({ aws_api_gateway_method_settings: { m: { method_path: "*/*", settings: { caching_enabled: true, cache_data_encrypted: true, cache_ttl_in_seconds: "${var.ttl}" } } } }), []],
    ["insecure: caching from a variable", stack({ aws_api_gateway_method_settings: { m: { method_path: "*/*", settings: { caching_enabled: "${var.cache}" } } } }), ["aws_api_gateway_method_settings.m"]],
  ])("%s", (_name, fixture, expected) => expectErrors(securityValuesEvaluable, fixture, expected));

  test("a usage plan naming the API through a put's rest_api_id covers the stage", () => {
    const fixture = stack({
      aws_api_gateway_rest_api: { api: { ...publicApi("REGIONAL").api } },
      aws_api_gateway_rest_api_put: { p: { rest_api_id: ref(API, "id"), body: JSON.stringify({ openapi: "3.0.1", paths: { "/x": { get: { security: [{ api_key: [] }] } } }, components: { securitySchemes: { api_key: { type: "apiKey", name: "x-api-key", in: "header" } } } }) } },
      aws_api_gateway_stage: { s: { rest_api_id: ref(API, "id"), stage_name: "prod" } },
      aws_api_gateway_usage_plan: { up: { api_stages: [{ api_id: ref("aws_api_gateway_rest_api_put.p", "rest_api_id"), stage: ref("aws_api_gateway_stage.s", "stage_name") }] } },
    });
    expect(keyRequiredStageInUsagePlan.check(fixture)).toEqual([]);
  });
});

describe("fifth round: expressions in source ARNs, bucket names, response mappings, tokens", () => {
  const permission = (sourceArn: string) => stack({ aws_apigatewayv2_api: { h: { name: "h", protocol_type: "HTTP" } }, aws_lambda_permission: { p: { function_name: "f", action: "lambda:InvokeFunction", principal: "apigateway.amazonaws.com", source_arn: sourceArn } } });
  const EXEC = ref("aws_apigatewayv2_api.h", "execution_arn");
  test.each<Case>([
    ["compliant: a route of the API", permission(`${EXEC}/*/GET/orders`), []],
    ["insecure: a local for every part", permission(`${EXEC}/\${local.w}/\${local.w}/\${local.w}`), ["aws_lambda_permission.p"]],
    ["insecure: a function of a wildcard", permission(`${EXEC}/\${lower("*")}/GET/\${lower("*")}`), ["aws_lambda_permission.p"]],
  ])("%s", (_name, fixture, expected) => expectErrors(lambdaPermissionSourceApi, fixture, expected));

  test.each<Case>([
    ["insecure: objects of every bucket whose name starts so", stack({ aws_iam_role_policy: { p: { role: "r", policy: jsonPolicy([{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::acme-prod-*/*" }]) } } }), ["aws_iam_role_policy.p"]],
    ["compliant: the objects of one bucket", stack({ aws_iam_role_policy: { p: { role: "r", policy: jsonPolicy([{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::acme-prod-files/served/*" }]) } } }), []],
  ])("%s", (_name, fixture, expected) => expectErrors(iamNoWildcards, fixture, expected));

  const mapped = (origin: string) => stack({ aws_apigatewayv2_integration: { i: { integration_type: "AWS_PROXY", response_parameters: [{ status_code: "200", mappings: { "overwrite:header.Access-Control-Allow-Origin": origin, "overwrite:header.Access-Control-Allow-Credentials": "true" } }] } } });
  test.each<Case>([
    ["compliant: a named origin", mapped("https://app.example.com"), []],
    ["insecure: the request's Origin copied, with credentials", mapped("$request.header.Origin"), ["aws_apigatewayv2_integration.i"]],
  ])("%s", (_name, fixture, expected) => expectErrors(corsOrigins, fixture, expected));

  const classified = { tfe_workspace: { prod: { name: "apigw-prod", tags: { "data-classification": "confidential" } } } };
  test.each<Case>([
    ["insecure: the approvers' team token in the state", stack({ ...classified, tfe_team_token: { t: { team_id: "team-ProdApprovers" } } }), ["tfe_team_token.t"]],
    ["insecure: an organization token in the state", stack({ ...classified, tfe_organization_token: { t: { organization: "acme" } } }), ["tfe_organization_token.t"]],
  ])("%s", (_name, fixture, expected) => expectErrors(tfcWorkspaceAccess, fixture, expected));
});

describe("sixth round: secret shapes, names about secrets, where secrets belong", () => {
  const fn = (variables: Record<string, string>) => stack({ aws_lambda_function: { f: { function_name: "f", environment: { variables } } } });
  const F = "aws_lambda_function.f";
  test.each<Case>([
    ["insecure: a Redis URL with a password and no user", fn({ REDIS_URL: "rediss://:Zq8vP2kL9x7QmR4t@cache.internal:6380/0" }), [F]],
    ["insecure: credentials under CREDS", fn({ DB_CREDS: "app:Zq8vP2kL9x7QmR4t" }), [F]],
    ["insecure: a JWT signing key", fn({ JWT_KEY: "Zq8vP2kL9x7QmR4tN6wY1uE3aB5cD7eF" }), [F]],
    ["insecure: a connection string with a password", fn({ DB_CONNECTION: "Server=db;User ID=app;Password=Zq8vP2kL9x7Q;" }), [F]],
    ["insecure: a private JWK", fn({ SIGNING_JWK: '{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"c"}' }), [F]],
    ["insecure: a password written through a function of constants", fn({ DB_PASSWORD: '${base64decode("WnE4dlAya0w5eDdRbVI0dA==")}' }), [F]],
    ["insecure: a sensitive input variable in a stage variable", new StackView("s", { variable: { db_password: { type: "string", sensitive: true } }, resource: { aws_api_gateway_stage: { s: { stage_name: "prod", rest_api_id: "a", variables: { dbPassword: "${var.db_password}" } } } } }), ["aws_api_gateway_stage.s"]],
    ["insecure: an object holding a base64 private key", stack({ aws_s3_object: { o: { bucket: "b", key: "k.pem", content_base64: Buffer.from("-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----").toString("base64") } } }), ["aws_s3_object.o"]],
    ["compliant: the Parameters and Secrets extension's settings", fn({ PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL: "info", PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: "true", SECRETS_MANAGER_TTL: "300" }), []],
    ["compliant: a public key and what tokens look like", fn({ TOKEN_PUBLIC_KEY_PEM: "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----", TOKEN_SIGNING_ALG: "RS256", TOKEN_LOCATION: "header", API_KEY_SOURCE: "HEADER" }), []],
    ["compliant: a KMS alias and a hash algorithm", fn({ ENCRYPTION_KEY_ALIAS: "alias/apigw-prod-users", PASSWORD_HASH_ALGORITHM: "argon2id" }), []],
    ["insecure: a password Secrets Manager generates, put in an environment", fn({ DB_INIT: "${data.aws_secretsmanager_random_password.r.random_password}" }), [F]],
    ["insecure: a service-specific credential's password in an output", new StackView("s", { resource: { aws_iam_service_specific_credential: { c: { service_name: "codecommit.amazonaws.com", user_name: "ci" } } }, output: { o: { value: "${aws_iam_service_specific_credential.c.service_password}" } } }), ["output.o"]],
    ["insecure: a static header named for authentication", stack({ aws_api_gateway_integration: { i: { request_parameters: { "integration.request.header.X-Legacy-Auth": "'Zq8vP2kL9x7QmR4t'" } } } }), ["aws_api_gateway_integration.i"]],
    ["compliant: a generated password kept in Secrets Manager", stack({ random_password: { db: { length: 32 } }, aws_secretsmanager_secret_version: { v: { secret_id: "s", secret_string: ref("random_password.db", "result") } } }), []],
    ["insecure: a generated password in a secret's JSON next to something else (a function around it)", stack({ random_password: { db: { length: 32 } }, aws_secretsmanager_secret_version: { v: { secret_id: "s", secret_string: '${jsonencode({ password = random_password.db.result })}' } } }), ["aws_secretsmanager_secret_version.v"]],
  ])("%s", (_name, fixture, expected) => expectErrors(secretsInConfiguration, fixture, expected));

  test("a stage's execution ARN names one API (and one stage)", () => {
    const fixture = stack({ aws_api_gateway_stage: { s: { rest_api_id: "a", stage_name: "prod" } }, aws_lambda_permission: { p: { function_name: "f", action: "lambda:InvokeFunction", principal: "apigateway.amazonaws.com", source_arn: `${ref("aws_api_gateway_stage.s", "execution_arn")}/GET/users` } } });
    expect(lambdaPermissionSourceApi.check(fixture)).toEqual([]);
  });

  test("a function role may take the Application Signals policy", () => {
    const fixture = stack({
      aws_iam_role: { r: { name: "fn", assume_role_policy: jsonPolicy([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]) } },
      aws_iam_role_policy_attachment: { a: { role: ref("aws_iam_role.r", "name"), policy_arn: "arn:aws:iam::aws:policy/CloudWatchLambdaApplicationSignalsExecutionRolePolicy" } },
    });
    expect(noAdminManagedPolicies.check(fixture)).toEqual([]);
  });

  test.each<Case>([
    ["insecure: an authorizer TTL from a variable (it may cache)", stack({ aws_apigatewayv2_authorizer: { l: { authorizer_type: "REQUEST", enable_simple_responses: true, authorizer_result_ttl_in_seconds: "${var.ttl}", identity_sources: ["$request.header.Authorization"] } }, aws_apigatewayv2_route: { a: { route_key: "GET /a", authorizer_id: ref("aws_apigatewayv2_authorizer.l", "id") }, b: { route_key: "GET /b", authorizer_id: ref("aws_apigatewayv2_authorizer.l", "id") } } }), ["aws_apigatewayv2_authorizer.l"]],
  ])("%s", (_name, fixture, expected) => expectErrors(authorizerCachePerRoute, fixture, expected));
});
