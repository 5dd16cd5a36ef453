/**
 * Issue 27's checker review: our own variants of each class the reviewer's caught or wrongly
 * flagged, in both REST forms (an OpenAPI document, the resource form) and with per-method
 * overrides. Insecure variants must give an error finding, compliant ones none.
 */
import { privateApiPolicyBoundToEndpoint } from "../../policy/rules/rest-api";
import { lambdaPermissionScoped } from "../../policy/rules/lambda";
import { lambdaPermissionSourceApi } from "../../policy/rules/lambda-security";
import { noAdminManagedPolicies, trustPolicyScoped } from "../../policy/rules/iam-trust";
import { privateMethodAuthorization, publicPolicyNotOpen, publicWriteNotKeyOnly } from "../../policy/rules/private-api";
import { keyRequiredStageInUsagePlan, usagePlanLimits } from "../../policy/rules/usage-plans";
import { webAclKnownBadInputs, webAclNotEmpty } from "../../policy/rules/waf";
import { stageClientCertificate } from "../../policy/rules/client-certificate";
import { corsOrigins } from "../../policy/rules/http-security";
import { domainTls } from "../../policy/rules/domains";
import { httpIntegrationTls } from "../../policy/rules/integration-tls";
import { iamNoWildcards } from "../../policy/rules/iam";
import { secretsInConfiguration } from "../../policy/rules/secrets";
import { restCacheInvalidationAuthorized, restStageCacheEncrypted } from "../../policy/rules/stages";
import { StackView } from "../../policy/stack";
import { ALLOW_ALL, API, ENDPOINT, endpoint, filesRoute, openApi, policyDocument, privateApi, publicApi, put, PUT, ref, sourceVpce, stack, Case, expectErrors, jsonPolicy } from "./fixtures";

const denyOutside = (extra: Record<string, unknown> = {}, action: unknown = "execute-api:Invoke") => ({
  Effect: "Deny",
  Principal: "*",
  Action: action,
  Resource: "execute-api:/*",
  Condition: { StringNotEquals: { "aws:SourceVpce": ref(ENDPOINT, "id") } },
  ...extra,
});

describe("APIGW-PRIVATE-POLICY-VPCE (issue 27 variants)", () => {
  const attached = { aws_api_gateway_rest_api_policy: { policy: { rest_api_id: ref(API, "id"), policy: ref("data.aws_iam_policy_document.policy", "json") } } };
  const withDocument = (deny: Record<string, unknown>) => stack({ aws_api_gateway_rest_api: privateApi(), aws_vpc_endpoint: endpoint, ...attached }, { data: policyDocument(deny) });
  const inBody = (statements: unknown[]) => stack({ aws_api_gateway_rest_api: privateApi({ body: openApi({}, { "x-amazon-apigateway-policy": { Version: "2012-10-17", Statement: statements } }) }), aws_vpc_endpoint: endpoint });
  const inPut = (statements: unknown[]) => stack({ aws_api_gateway_rest_api: privateApi(), aws_vpc_endpoint: endpoint, ...put(openApi({}, { "x-amazon-apigateway-policy": { Version: "2012-10-17", Statement: statements } })) });
  const inAttribute = (statements: unknown[]) => stack({ aws_api_gateway_rest_api: privateApi({ policy: jsonPolicy(statements) }), aws_vpc_endpoint: endpoint });
  const inertCondition = { Condition: { StringNotEquals: { "aws:SourceVpce": ref(ENDPOINT, "id") }, StringEquals: { "aws:PrincipalAccount": "111111111111" } } };
  const narrowPrincipal = { Principal: { AWS: "arn:aws:iam::111111111111:role/intruder" } };
  test.each<Case>([
    ["compliant, document: the action in another case", inBody([ALLOW_ALL, denyOutside({}, "Execute-API:invoke")]), []],
    ["compliant, put: the action as a wildcard in another case", inPut([ALLOW_ALL, denyOutside({}, "EXECUTE-API:*")]), []],
    ["compliant, policy document: the action in another case", withDocument({ actions: ["execute-api:INVOKE"], ...sourceVpce("StringNotEquals", [ref(ENDPOINT, "id")]) }), []],
    ["insecure, attribute: the Deny also needs an account condition (inert for other accounts)", inAttribute([ALLOW_ALL, denyOutside(inertCondition)]), [API]],
    ["insecure, document: the Deny also needs an account condition", inBody([ALLOW_ALL, denyOutside(inertCondition)]), [API]],
    ["insecure, put: the Deny names one role only", inPut([ALLOW_ALL, denyOutside(narrowPrincipal)]), [PUT]],
    ["insecure, document: the Deny also needs a Null test (inert through any endpoint)", inBody([ALLOW_ALL, denyOutside({ Condition: { StringNotEquals: { "aws:SourceVpce": ref(ENDPOINT, "id") }, Null: { "aws:SourceVpce": "true" } } })]), [API]],
    ["insecure, put: the Deny also names a foreign VPC (inert for its endpoints)", inPut([ALLOW_ALL, denyOutside({ Condition: { StringNotEquals: { "aws:SourceVpce": ref(ENDPOINT, "id"), "aws:SourceVpc": "vpc-0ffffffffffffffff" } } })]), [PUT]],
    [
      "insecure, policy document: the Deny names one role only",
      withDocument({ principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:role/intruder"] }], ...sourceVpce("StringNotEquals", [ref(ENDPOINT, "id")]) }),
      ["aws_api_gateway_rest_api_policy.policy"],
    ],
  ])("%s", (_name, fixture, expected) => expectErrors(privateApiPolicyBoundToEndpoint, fixture, expected));
});

describe("APIGW-PRIVATE-METHOD-AUTH: x-amazon-apigateway-auth", () => {
  const get = (operation: Record<string, unknown>, top: Record<string, unknown> = {}) => openApi({ "/files/{key}": { get: { "x-amazon-apigateway-integration": { type: "aws_proxy" }, ...operation } } }, top);
  test.each<Case>([
    ["compliant, put: x-amazon-apigateway-auth AWS_IAM on the operation", stack({ aws_api_gateway_rest_api: privateApi(), ...put(get({ "x-amazon-apigateway-auth": { type: "AWS_IAM" } })) }), []],
    ["compliant, body: x-amazon-apigateway-auth aws_iam for the whole API", stack({ aws_api_gateway_rest_api: privateApi({ body: get({}, { "x-amazon-apigateway-auth": { type: "aws_iam" } }) }) }), []],
    ["insecure, put: x-amazon-apigateway-auth NONE", stack({ aws_api_gateway_rest_api: privateApi(), ...put(get({ "x-amazon-apigateway-auth": { type: "NONE" } })) }), [PUT]],
  ])("%s", (_name, fixture, expected) => expect(privateMethodAuthorization.check(fixture).map((v) => v.address)).toEqual(expected));
});

describe("APIGW-WRITE-KEY-ONLY is an error", () => {
  const post = (verb: string) => openApi({ "/orders": { [verb]: { security: [{ api_key: [] }], "x-amazon-apigateway-integration": { type: "aws_proxy" } } } }, { components: { securitySchemes: { api_key: { type: "apiKey", name: "x-api-key", in: "header" } } } });
  const alternatives = openApi(
    { "/orders": { post: { security: [{ pool: ["orders/write"] }, { api_key: [] }], "x-amazon-apigateway-integration": { type: "aws_proxy" } } } },
    { components: { securitySchemes: { api_key: { type: "apiKey", name: "x-api-key", in: "header" }, pool: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "cognito_user_pools", "x-amazon-apigateway-authorizer": { type: "cognito_user_pools" } } } } },
  );
  test.each<Case>([
    ["insecure, put: POST with a key only", stack({ aws_api_gateway_rest_api: publicApi(), ...put(post("post")) }), [PUT]],
    ["insecure, body: ANY with a key only", stack({ aws_api_gateway_rest_api: { api: { ...publicApi("REGIONAL").api, body: post("x-amazon-apigateway-any-method") } } }), [API]],
    ["insecure, resources: PATCH with a key only", stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({ http_method: "PATCH", api_key_required: true }) }), ["aws_api_gateway_method.get"]],
    ["insecure, body: POST with a JWT or a key (alternatives)", stack({ aws_api_gateway_rest_api: { api: { ...publicApi("REGIONAL").api, body: alternatives } } }), [API]],
    ["compliant, resources: PUT with a key and Cognito", stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({ http_method: "PUT", api_key_required: true, authorization: "COGNITO_USER_POOLS" }) }), []],
  ])("%s", (_name, fixture, expected) => expectErrors(publicWriteNotKeyOnly, fixture, expected));
});

describe("APIGW-STAGE-CACHE-ENCRYPTED and APIGW-CACHE-INVALIDATION-AUTH: per-method overrides", () => {
  const stage = { aws_api_gateway_stage: { s: { rest_api_id: ref(API, "id"), stage_name: "prod", cache_cluster_enabled: true, cache_cluster_size: "0.5" } } };
  const settings = (path: string, values: Record<string, unknown>) => ({ rest_api_id: ref(API, "id"), stage_name: ref("aws_api_gateway_stage.s", "stage_name"), method_path: path, settings: { logging_level: "INFO", metrics_enabled: true, throttling_rate_limit: 5, throttling_burst_limit: 10, ...values } });
  const secure = { caching_enabled: true, cache_data_encrypted: true, require_authorization_for_cache_control: true, unauthorized_cache_control_header_strategy: "FAIL_WITH_403" };
  const fixture = (override: Record<string, unknown>, all: Record<string, unknown> = { caching_enabled: false }) =>
    stack({ ...stage, aws_api_gateway_method_settings: { all: settings("*/*", all), files: settings("~1files~1{key}/GET", override) } });
  const OVERRIDE = "aws_api_gateway_method_settings.files";
  test.each<[string, StackView, string[], string[]]>([
    ["compliant: encryption set only on the cached method", fixture(secure), [], []],
    ["compliant: the stage caches and encrypts, an override turns caching off", fixture({ caching_enabled: false }, secure), [], []],
    ["insecure: an override caches without encryption", fixture({ ...secure, cache_data_encrypted: false }, secure), [OVERRIDE], []],
    ["insecure: an override caches with no cache_data_encrypted at all", fixture({ caching_enabled: true, require_authorization_for_cache_control: true }), [OVERRIDE], []],
    ["insecure: an override lets anyone invalidate", fixture({ ...secure, require_authorization_for_cache_control: false }), [], [OVERRIDE]],
    ["compliant: an override ignores unauthorized invalidations without refusing the request", fixture({ ...secure, unauthorized_cache_control_header_strategy: "SUCCEED_WITHOUT_RESPONSE_HEADER" }), [], []],
    ["insecure: the stage's */* caches unencrypted, without invalidation authorization", fixture({ caching_enabled: false }, { caching_enabled: true }), ["aws_api_gateway_method_settings.all"], ["aws_api_gateway_method_settings.all"]],
  ])("%s", (_name, stackView, encryption, invalidation) => {
    expectErrors(restStageCacheEncrypted, stackView, encryption);
    expectErrors(restCacheInvalidationAuthorized, stackView, invalidation);
  });
});

describe("APIGW-LAMBDA-PERMISSION and APIGW-LAMBDA-PERMISSION-SOURCE (issue 27 variants)", () => {
  const P = "aws_lambda_permission.p";
  const restApi = { aws_api_gateway_rest_api: publicApi() };
  const permission = (body: Record<string, unknown>, extra: Record<string, Record<string, unknown>> = restApi, data?: Record<string, Record<string, Record<string, unknown>>>) =>
    stack({ ...extra, aws_lambda_permission: { p: { function_name: "f", action: "lambda:InvokeFunction", principal: "apigateway.amazonaws.com", ...body } } }, data ? { data } : {});
  const DATA_API = { aws_api_gateway_rest_api: { shared: { name: "shared" } } };
  test.each<Case>([
    ["compliant: scoped through a data source's execution_arn", permission({ source_arn: "${data.aws_api_gateway_rest_api.shared.execution_arn}/*/GET/files" }, {}, DATA_API), []],
    ["compliant: the API's execution_arn and a route", permission({ source_arn: `\${${API}.execution_arn}/prod/GET/files/*` }), []],
    ["compliant: spelled out around the API id", permission({ source_arn: `arn:aws:execute-api:eu-west-1:\${data.aws_caller_identity.me.account_id}:\${${API}.id}/*` }), []],
    ["insecure: widened by replace()", permission({ source_arn: `\${replace(${API}.execution_arn, "/:[^:]+$/", ":*")}/*` }), [P]],
    ["insecure: a suffix glued to the execution_arn without /", permission({ source_arn: `\${${API}.execution_arn}*` }), [P]],
    ["insecure: a variable", permission({ source_arn: "${var.source_arn}" }), [P]],
    ["insecure: a wildcard account around the API id", permission({ source_arn: `arn:aws:execute-api:eu-west-1:*:\${${API}.id}/*` }), [P]],
    ["insecure: a data source that is not in the stack", permission({ source_arn: "${data.aws_api_gateway_rest_api.gone.execution_arn}/*" }, {}), [P]],
  ])("%s", (_name, fixture, expected) => expectErrors(lambdaPermissionSourceApi, fixture, expected));

  test.each<Case>([
    ["compliant: a service scoped by source_account (checkov CKV_AWS_364)", permission({ principal: "s3.amazonaws.com", source_account: "111111111111" }), []],
    ["insecure: another service principal without source_arn or source_account", permission({ principal: "events.amazonaws.com" }), [P]],
    ["insecure: API Gateway scoped only by source_account (every API of the account)", permission({ source_account: "111111111111" }), [P]],
  ])("%s", (_name, fixture, expected) => expectErrors(lambdaPermissionScoped, fixture, expected));
});

describe("APIGW-IAM-TRUST (issue 27 variants)", () => {
  const R = "aws_iam_role.r";
  const role = (statement: Record<string, unknown>, provider: Record<string, unknown> = { region: "eu-west-1" }) =>
    new StackView("fixture", { provider: { aws: [provider] }, resource: { aws_iam_role: { r: { assume_role_policy: jsonPolicy([{ Effect: "Allow", Action: "sts:AssumeRole", ...statement }]) } } } });
  const pinned = { region: "eu-west-1", allowed_account_ids: ["111111111111"] };
  const github = (sub: string) =>
    role({ Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": sub } } }, pinned);
  const oidc = (conditions: Record<string, unknown>) =>
    role({ Principal: { Federated: "${aws_iam_openid_connect_provider.tfc.arn}" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: conditions }, pinned);
  test.each<Case>([
    ["compliant: same-account trust, the provider pins no account", role({ Principal: { AWS: "arn:aws:iam::111111111111:root" } }), []],
    ["compliant: same account through the provider's assume_role", role({ Principal: { AWS: "111111111111" } }, { region: "eu-west-1", assume_role: [{ role_arn: "arn:aws:iam::111111111111:role/deploy" }] }), []],
    ["compliant: an OIDC trust with a workspace subject", oidc({ StringEquals: { "app.terraform.io:aud": "aws.workload.identity" }, StringLike: { "app.terraform.io:sub": "organization:acme:project:p:workspace:w:run_phase:apply" } }), []],
    ["insecure: another account through the provider's assume_role", role({ Principal: { AWS: "222222222222" } }, { region: "eu-west-1", assume_role: [{ role_arn: "arn:aws:iam::111111111111:role/deploy" }] }), [R]],
    ["insecure: everyone, PrincipalOrgID with a wildcard", role({ Principal: "*", Condition: { StringLike: { "aws:PrincipalOrgID": "*" } } }, pinned), [R]],
    ["insecure: everyone, PrincipalOrgID o-*", role({ Principal: "*", Condition: { StringLike: { "aws:PrincipalOrgID": "o-*" } } }, pinned), [R]],
    ["insecure: AWS * with a PrincipalArn pattern over every account", role({ Principal: { AWS: "*" }, Condition: { StringLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/deploy" } } }, pinned), [R]],
    ["insecure: AWS * with a PrincipalArn pattern over a hundred accounts (?? in the account)", role({ Principal: { AWS: "*" }, Condition: { StringLike: { "aws:PrincipalArn": "arn:aws:iam::2222222222??:role/deployer" } } }, pinned), [R]],
    ["insecure: AWS * with a PrincipalArn pattern of one account's roles (any role named so may be created there)", role({ Principal: { AWS: "*" }, Condition: { StringLike: { "aws:PrincipalArn": "arn:aws:iam::222222222222:role/deploy-*" } } }, pinned), [R]],
    ["insecure: AWS * with every role of the account", role({ Principal: { AWS: "*" }, Condition: { StringLike: { "aws:PrincipalArn": "arn:aws:iam::222222222222:role/*" } } }, pinned), [R]],
    ["insecure: AWS * with a PrincipalAccount pattern", role({ Principal: { AWS: "*" }, Condition: { StringLike: { "aws:PrincipalAccount": "2222*" } } }, pinned), [R]],
    ["compliant: AWS * with one role's ARN", role({ Principal: { AWS: "*" }, Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::222222222222:role/deployer" } } }, pinned), []],
    ["compliant: AWS * with the organization's paths", role({ Principal: { AWS: "*" }, Condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*" } } }, pinned), []],
    ["insecure: an OIDC trust without aud", oidc({ StringLike: { "app.terraform.io:sub": "organization:acme:project:p:workspace:apigw-prod:run_phase:apply" } }), [R]],
    ["insecure: another account, ExternalId *", role({ Principal: { AWS: "222222222222" }, Condition: { StringLike: { "sts:ExternalId": "*" } } }, pinned), [R]],
    ["insecure: another account, ExternalId only IfExists", role({ Principal: { AWS: "222222222222" }, Condition: { StringEqualsIfExists: { "sts:ExternalId": "partner-7" } } }, pinned), [R]],
    ["insecure: an OIDC trust without sub", oidc({ StringEquals: { "app.terraform.io:aud": "aws.workload.identity" } }), [R]],
    [
      "insecure: a literal OIDC provider ARN without sub (any repository of the provider)",
      role({ Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } } }, pinned),
      [R],
    ],
    [
      "compliant: a literal OIDC provider ARN with a repository subject",
      role({ Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/apis:environment:prod" } } }, pinned),
      [],
    ],
    ["insecure: an OIDC trust with sub *", oidc({ StringEquals: { "app.terraform.io:aud": "aws.workload.identity" }, StringLike: { "app.terraform.io:sub": "*" } }), [R]],
    ["insecure: a GitHub trust of every repository (repo:*)", github("repo:*"), [R]],
    ["insecure: a GitHub trust of every repository of every owner named like one (repo:acme*/apis:*)", github("repo:acme*/apis:*"), [R]],
    ["compliant: a GitHub trust of one repository's refs (repo:acme/apis:*)", github("repo:acme/apis:*"), []],
  ])("%s", (_name, fixture, expected) => expectErrors(trustPolicyScoped, fixture, expected));
});

describe("APIGW-IAM-ADMIN-POLICY: an admin role trusted for plans or by another workspace", () => {
  const deployRole = (subjects: string[]) =>
    stack({
      aws_iam_role: {
        run: {
          assume_role_policy: jsonPolicy([
            {
              Effect: "Allow",
              Principal: { Federated: "${aws_iam_openid_connect_provider.tfc.arn}" },
              Action: "sts:AssumeRoleWithWebIdentity",
              Condition: { StringEquals: { "app.terraform.io:aud": "aws.workload.identity" }, StringLike: { "app.terraform.io:sub": subjects } },
            },
          ]),
        },
      },
      aws_iam_role_policy_attachment: { a: { role: ref("aws_iam_role.run", "name"), policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } },
    });
  const A = "aws_iam_role_policy_attachment.a";
  test.each<Case>([
    ["compliant: one workspace's applies", deployRole(["organization:acme:project:p:workspace:apigw-prod:run_phase:apply"]), []],
    ["insecure: the prod admin role is trusted for plans", deployRole(["organization:acme:project:p:workspace:apigw-prod:run_phase:plan"]), [A]],
    ["insecure: the prod admin role is trusted for any run phase", deployRole(["organization:acme:project:p:workspace:apigw-prod:run_phase:*"]), [A]],
    ["insecure: the prod admin role is also trusted by another workspace", deployRole(["organization:acme:project:p:workspace:apigw-prod:run_phase:apply", "organization:acme:project:p:workspace:apigw-dev:run_phase:apply"]), [A]],
  ])("%s", (_name, fixture, expected) => expectErrors(noAdminManagedPolicies, fixture, expected));
});

describe("APIGW-PUBLIC-POLICY-OPEN", () => {
  const open = { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" };
  const fromOffice = { ...open, Condition: { IpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } } };
  const denyElsewhere = { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { NotIpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } } };
  const withDocumentPolicy = (statements: unknown[]) => openApi({}, { "x-amazon-apigateway-policy": { Version: "2012-10-17", Statement: statements } });
  test.each<Case>([
    ["compliant, attribute: an Allow conditioned on a source range", stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, policy: jsonPolicy([fromOffice]) } } }), []],
    ["compliant, put: an open Allow with a conditioned Deny", stack({ aws_api_gateway_rest_api: publicApi(), ...put(withDocumentPolicy([open, denyElsewhere])) }), []],
    ["compliant: no resource policy", stack({ aws_api_gateway_rest_api: publicApi() }), []],
    ["insecure, attribute: Allow * without a condition", stack({ aws_api_gateway_rest_api: { api: { ...publicApi("REGIONAL").api, policy: jsonPolicy([open]) } } }), [API]],
    ["insecure, put: Allow * with the action in another case", stack({ aws_api_gateway_rest_api: publicApi(), ...put(withDocumentPolicy([{ ...open, Action: "EXECUTE-API:*" }])) }), [PUT]],
    ["insecure, body: Allow * without a condition", stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, body: withDocumentPolicy([open]) } } }), [API]],
    ["insecure, attribute: Allow * from 0.0.0.0/0 (a condition that admits everyone)", stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, policy: jsonPolicy([{ ...open, Condition: { IpAddress: { "aws:SourceIp": ["0.0.0.0/0"] } } }]) } } }), [API]],
    ["insecure, attribute: Allow * under aws:SecureTransport (true of every HTTPS call)", stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, policy: jsonPolicy([{ ...open, Condition: { Bool: { "aws:SecureTransport": "true" } } }]) } } }), [API]],
    ["compliant, attribute: Allow * from a source range under IpAddressIfExists (every call has a source address)", stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, policy: jsonPolicy([{ ...open, Condition: { IpAddressIfExists: { "aws:SourceIp": ["203.0.113.0/24"] } } }]) } } }), []],
    ["insecure, attribute: Allow * from 0.0.0.0/1, 128.0.0.0/1, ::/1 and 8000::/1 (everyone, split)", stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, policy: jsonPolicy([{ ...open, Condition: { IpAddress: { "aws:SourceIp": ["0.0.0.0/1", "128.0.0.0/1", "::/1", "8000::/1"] } } }]) } } }), [API]],
    ["insecure, put: Allow * from 0.0.0.0/2 and three more blocks", stack({ aws_api_gateway_rest_api: publicApi(), ...put(withDocumentPolicy([{ ...open, Condition: { IpAddress: { "aws:SourceIp": ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"] } } }])) }), [PUT]],
    [
      "insecure, put: an open Allow with a Deny of one address (everyone else admitted)",
      stack({ aws_api_gateway_rest_api: publicApi(), ...put(withDocumentPolicy([open, { ...denyElsewhere, Condition: { IpAddress: { "aws:SourceIp": ["198.51.100.7/32"] } } }])) }),
      [PUT],
    ],
  ])("%s", (_name, fixture, expected) => expectErrors(publicPolicyNotOpen, fixture, expected));
});

describe("APIGW-USAGE-PLAN-LIMITS and APIGW-KEY-STAGE-USAGE-PLAN", () => {
  const STAGE = "aws_api_gateway_stage.s";
  const plan = (body: Record<string, unknown>) => ({ aws_api_gateway_usage_plan: { u: { name: "u", api_stages: [{ api_id: ref(API, "id"), stage: ref(STAGE, "stage_name") }], ...body } } });
  const throttled = { throttle_settings: { rate_limit: 10, burst_limit: 20 } };
  const limited = { ...throttled, quota_settings: { limit: 1000, period: "DAY" } };
  test.each<Case>([
    ["compliant: throttled with a quota", stack(plan(limited)), []],
    ["compliant: throttled with a quota, as lists", stack(plan({ throttle_settings: [{ rate_limit: 10, burst_limit: 20 }], quota_settings: [{ limit: 1000, period: "MONTH", offset: 0 }] })), []],
    ["insecure: throttled, no quota", stack(plan(throttled)), ["aws_api_gateway_usage_plan.u"]],
    ["insecure: throttled, a quota of 0", stack(plan({ ...throttled, quota_settings: { limit: 0, period: "DAY" } })), ["aws_api_gateway_usage_plan.u"]],
    ["insecure: throttled, a quota without a limit", stack(plan({ ...throttled, quota_settings: { period: "DAY" } })), ["aws_api_gateway_usage_plan.u"]],
    ["insecure: no throttle, a quota only", stack(plan({ quota_settings: { limit: 1000, period: "DAY" } })), ["aws_api_gateway_usage_plan.u"]],
    ["insecure: neither throttle nor quota", stack(plan({})), ["aws_api_gateway_usage_plan.u"]],
    ["insecure: a throttle of 0", stack(plan({ throttle_settings: { rate_limit: 0, burst_limit: 20 } })), ["aws_api_gateway_usage_plan.u"]],
  ])("%s", (_name, fixture, expected) => expectErrors(usagePlanLimits, fixture, expected));

  const stage = { aws_api_gateway_stage: { s: { rest_api_id: ref(API, "id"), stage_name: "prod" } } };
  const keyDocument = openApi({ "/orders": { get: { security: [{ api_key: [] }], "x-amazon-apigateway-integration": { type: "aws_proxy" } } } }, { components: { securitySchemes: { api_key: { type: "apiKey", name: "x-api-key", in: "header" } } } });
  test.each<Case>([
    ["compliant, resources: a key-required method, the stage in a plan", stack({ aws_api_gateway_rest_api: publicApi(), ...stage, ...filesRoute({ api_key_required: true }), ...plan(limited) }), []],
    ["compliant: no key-required method, no plan", stack({ aws_api_gateway_rest_api: publicApi(), ...stage, ...filesRoute({ authorization: "AWS_IAM" }) }), []],
    ["insecure, resources: a key-required method, the stack's only plan names another API", stack({ aws_api_gateway_rest_api: publicApi(), ...stage, ...filesRoute({ api_key_required: true }), aws_api_gateway_usage_plan: { u: { ...throttled, api_stages: [{ api_id: "a1b2c3d4e5", stage: "prod" }] } } }), [STAGE]],
    ["not applicable: a key-required method, and no usage plan in the stack (plans live elsewhere)", stack({ aws_api_gateway_rest_api: publicApi(), ...stage, ...filesRoute({ api_key_required: true }) }), []],
    ["insecure, put: a key-required operation, the plan names another stage", stack({ aws_api_gateway_rest_api: publicApi(), ...stage, ...put(keyDocument), aws_api_gateway_usage_plan: { u: { ...throttled, api_stages: [{ api_id: ref(API, "id"), stage: "test" }] } } }), [STAGE]],
  ])("%s", (_name, fixture, expected) => expectErrors(keyRequiredStageInUsagePlan, fixture, expected));
});

describe("APIGW-WAF-ACL-RULES", () => {
  const acl = (body: Record<string, unknown>) => stack({ aws_wafv2_web_acl: { w: { name: "w", scope: "REGIONAL", visibility_config: {}, ...body } } });
  test.each<Case>([
    ["compliant: allow by default with a managed rule group", acl({ default_action: { allow: {} }, rule: [{ name: "common", priority: 1, statement: { managed_rule_group_statement: { name: "AWSManagedRulesCommonRuleSet", vendor_name: "AWS" } } }] }), []],
    ["compliant: block by default", acl({ default_action: { block: {} } }), []],
    ["insecure: allow by default and no rule", acl({ default_action: { allow: {} } }), ["aws_wafv2_web_acl.w"]],
    ["insecure: allow by default and an empty rule list", acl({ default_action: [{ allow: [{}] }], rule: [] }), ["aws_wafv2_web_acl.w"]],
    [
      "insecure: allow by default, the rule group only counting",
      acl({ default_action: { allow: {} }, rule: [{ name: "bad", priority: 1, override_action: { count: {} }, statement: { managed_rule_group_statement: { name: "AWSManagedRulesKnownBadInputsRuleSet", vendor_name: "AWS" } } }] }),
      ["aws_wafv2_web_acl.w"],
    ],
    ["insecure: allow by default, a rate rule that only counts", acl({ default_action: { allow: {} }, rule: [{ name: "rate", priority: 1, action: { count: {} }, statement: { rate_based_statement: { limit: 1000 } } }] }), ["aws_wafv2_web_acl.w"]],
    ["compliant: a counting rule beside one that blocks", acl({ default_action: { allow: {} }, rule: [{ name: "rate", priority: 1, action: { count: {} } }, { name: "rate2", priority: 2, action: { block: {} } }] }), []],
  ])("%s", (_name, fixture, expected) => expectErrors(webAclNotEmpty, fixture, expected));
});

describe("APIGW-STAGE-CLIENT-CERT (checkov CKV2_AWS_51)", () => {
  const STAGE = "aws_api_gateway_stage.s";
  const stage = (extra: Record<string, unknown> = {}) => ({ aws_api_gateway_stage: { s: { rest_api_id: ref(API, "id"), stage_name: "prod", ...extra } } });
  const httpDocument = (integration: Record<string, unknown>) => openApi({ "/orders": { get: { "x-amazon-apigateway-integration": { httpMethod: "GET", uri: "https://orders.example.com/", ...integration } } } });
  test.each<Case>([
    ["compliant, resources: HTTP_PROXY with a client certificate", stack({ aws_api_gateway_rest_api: publicApi(), ...stage({ client_certificate_id: ref("aws_api_gateway_client_certificate.c", "id") }), ...filesRoute({}, { type: "HTTP_PROXY" }) }), []],
    ["compliant, put: HTTP through a VPC link", stack({ aws_api_gateway_rest_api: publicApi(), ...stage(), ...put(httpDocument({ type: "http_proxy", connectionType: "VPC_LINK" })) }), []],
    ["compliant, resources: a Lambda proxy", stack({ aws_api_gateway_rest_api: publicApi(), ...stage(), ...filesRoute() }), []],
    ["insecure, resources: HTTP_PROXY to the internet without a client certificate", stack({ aws_api_gateway_rest_api: publicApi(), ...stage(), ...filesRoute({}, { type: "HTTP_PROXY" }) }), [STAGE]],
    ["insecure, body: http to the internet without a client certificate", stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, body: httpDocument({ type: "http" }) } }, ...stage() }), [STAGE]],
  ])("%s", (_name, fixture, expected) => expectErrors(stageClientCertificate, fixture, expected));
});

describe("APIGW-WAF-KNOWN-BAD-INPUTS (checkov CKV2_AWS_77)", () => {
  const ACL = "aws_wafv2_web_acl.w";
  const managed = (name: string) => ({ name, priority: 1, override_action: { none: {} }, statement: { managed_rule_group_statement: { name, vendor_name: "AWS" } } });
  const overridden = (names: string[], action = "count") => {
    const rule = managed("AWSManagedRulesKnownBadInputsRuleSet");
    return { ...rule, statement: { managed_rule_group_statement: { ...rule.statement.managed_rule_group_statement, rule_action_override: names.map((name) => ({ name, action_to_use: { [action]: {} } })) } } };
  };
  const fixture = (rules: unknown[], associated = true) =>
    stack({
      aws_api_gateway_stage: { s: { rest_api_id: ref(API, "id"), stage_name: "prod" } },
      aws_wafv2_web_acl: { w: { name: "w", scope: "REGIONAL", default_action: { allow: {} }, rule: rules } },
      ...(associated ? { aws_wafv2_web_acl_association: { a: { resource_arn: ref("aws_api_gateway_stage.s", "arn"), web_acl_arn: ref(ACL, "arn") } } } : {}),
    });
  test.each<Case>([
    ["compliant: the stage's web ACL has the known-bad-inputs group", fixture([managed("AWSManagedRulesCommonRuleSet"), managed("AWSManagedRulesKnownBadInputsRuleSet")]), []],
    ["compliant: a web ACL associated with no stage", fixture([managed("AWSManagedRulesCommonRuleSet")], false), []],
    ["insecure: the stage's web ACL has only the common rule set", fixture([managed("AWSManagedRulesCommonRuleSet")]), [ACL]],
    ["compliant: one rule other than Log4j's overridden to count", fixture([overridden(["Host_localhost_HEADER"])]), []],
    ["insecure: the group's Log4j rules overridden to count", fixture([overridden(["Log4JRCE_HEADER", "Log4JRCE_BODY", "Log4JRCE_URIPATH", "Log4JRCE_QUERYSTRING"])]), [ACL]],
    ["insecure: a Log4j rule overridden to allow", fixture([overridden(["Log4JRCE_HEADER"], "allow")]), [ACL]],
  ])("%s", (_name, fixture, expected) => expectErrors(webAclKnownBadInputs, fixture, expected));
});

describe("APIGW-CORS (issue 27 variants)", () => {
  const optionsDocument = (parameters: Record<string, string>) =>
    openApi({ "/orders": { options: { "x-amazon-apigateway-integration": { type: "mock", responses: { default: { statusCode: "200", responseParameters: parameters } } } } } });
  const integrationResponse = (parameters: Record<string, string>) => ({ aws_api_gateway_integration_response: { o: { rest_api_id: ref(API, "id"), status_code: "200", response_parameters: parameters } } });
  const credentials = { "method.response.header.Access-Control-Allow-Credentials": "'true'" };
  test.each<Case>([
    ["compliant, put: a named origin under a lower-case header key", stack({ aws_api_gateway_rest_api: publicApi(), ...put(optionsDocument({ "method.response.header.access-control-allow-origin": "'https://app.example.com'" })) }), []],
    ["insecure, put: the request's Origin reflected with credentials", stack({ aws_api_gateway_rest_api: publicApi(), ...put(optionsDocument({ "method.response.header.Access-Control-Allow-Origin": "method.request.header.Origin", ...credentials })) }), [PUT]],
    ["insecure, resources: the request's Origin reflected with credentials", stack({ aws_api_gateway_rest_api: publicApi(), ...integrationResponse({ "method.response.header.Access-Control-Allow-Origin": "method.request.header.origin", ...credentials }) }), ["aws_api_gateway_integration_response.o"]],
    ["insecure, body: the null origin", stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, body: optionsDocument({ "method.response.header.Access-Control-Allow-Origin": "'null'" }) } } }), [API]],
    ["insecure, HTTP API: the null origin", stack({ aws_apigatewayv2_api: { h: { protocol_type: "HTTP", cors_configuration: { allow_origins: ["null"], allow_credentials: true } } } }), ["aws_apigatewayv2_api.h"]],
    ["insecure, put: every origin under a lower-case header key", stack({ aws_api_gateway_rest_api: publicApi(), ...put(optionsDocument({ "method.response.header.access-control-allow-origin": "'*'" })) }), [PUT]],
    ["insecure, resources: every origin under an upper-case header key", stack({ aws_api_gateway_rest_api: publicApi(), ...integrationResponse({ "method.response.header.ACCESS-CONTROL-ALLOW-ORIGIN": "'*'" }) }), ["aws_api_gateway_integration_response.o"]],
  ])("%s", (_name, fixture, expected) => expectErrors(corsOrigins, fixture, expected));
});

describe("APIGW-DOMAIN-TLS: policies given by a variable", () => {
  test.each<Case>([
    ["compliant: REST TLS_1_2", stack({ aws_api_gateway_domain_name: { d: { domain_name: "api.example.com", security_policy: "TLS_1_2" } } }), []],
    ["insecure: REST policy from a variable", stack({ aws_api_gateway_domain_name: { d: { domain_name: "api.example.com", security_policy: "${var.tls_policy}" } } }), ["aws_api_gateway_domain_name.d"]],
    ["insecure: HTTP API policy from a variable", stack({ aws_apigatewayv2_domain_name: { d: { domain_name: "api.example.com", domain_name_configuration: { security_policy: "${var.tls_policy}" } } } }), ["aws_apigatewayv2_domain_name.d"]],
  ])("%s", (_name, fixture, expected) => expectErrors(domainTls, fixture, expected));
});

describe("APIGW-INTEGRATION-HTTPS (issue 27 variants)", () => {
  const httpDocument = (integration: Record<string, unknown>) => openApi({ "/orders": { get: { "x-amazon-apigateway-integration": { type: "http_proxy", httpMethod: "GET", ...integration } } } });
  test.each<Case>([
    ["compliant, resources: https with a referenced host", stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({}, { type: "HTTP_PROXY", uri: "https://${aws_lb.orders.dns_name}/files/{key}" }) }), []],
    ["compliant, HTTP API: https", stack({ aws_apigatewayv2_integration: { i: { integration_type: "HTTP_PROXY", integration_uri: "https://orders.example.com", integration_method: "ANY" } } }), []],
    ["insecure, resources: certificate verification off", stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({}, { type: "HTTP_PROXY", uri: "https://orders.example.com/", tls_config: { insecure_skip_verification: true } }) }), ["aws_api_gateway_method.get"]],
    ["insecure, put: certificate verification off", stack({ aws_api_gateway_rest_api: publicApi(), ...put(httpDocument({ uri: "https://orders.example.com/", tlsConfig: { insecureSkipVerification: true } })) }), [PUT]],
    ["insecure, put: plain http", stack({ aws_api_gateway_rest_api: publicApi(), ...put(httpDocument({ uri: "http://orders.example.com/" })) }), [PUT]],
    ["insecure, resources: the whole URI from a variable", stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({}, { type: "HTTP", uri: "${var.backend_url}" }) }), ["aws_api_gateway_method.get"]],
    ["insecure, HTTP API: certificate verification off", stack({ aws_apigatewayv2_integration: { i: { integration_type: "HTTP_PROXY", integration_uri: "https://orders.example.com", tls_config: { insecure_skip_verification: true } } } }), ["aws_apigatewayv2_integration.i"]],
    ["insecure, HTTP API: plain http", stack({ aws_apigatewayv2_integration: { i: { integration_type: "HTTP_PROXY", integration_uri: "http://orders.example.com" } } }), ["aws_apigatewayv2_integration.i"]],
  ])("%s", (_name, fixture, expected) => expectErrors(httpIntegrationTls, fixture, expected));
});

describe("APIGW-IAM-WILDCARD and APIGW-IAM-ADMIN-POLICY: broad resources and FullAccess policies on function roles", () => {
  const P = "aws_iam_role_policy.p";
  const rolePolicy = (resource: string, action = "dynamodb:GetItem") => stack({ aws_iam_role_policy: { p: { role: "fn", policy: jsonPolicy([{ Effect: "Allow", Action: action, Resource: resource }]) } } });
  test.each<Case>([
    ["compliant: one table", rolePolicy("arn:aws:dynamodb:eu-west-1:111111111111:table/orders"), []],
    ["compliant: one table's indexes", rolePolicy("arn:aws:dynamodb:eu-west-1:111111111111:table/orders/index/*", "dynamodb:Query"), []],
    ["compliant: one log group's streams", rolePolicy("arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/fn:*", "logs:PutLogEvents"), []],
    ["compliant: one bucket's objects", rolePolicy("arn:aws:s3:::orders-archive/*", "s3:GetObject"), []],
    ["insecure: every table", rolePolicy("arn:aws:dynamodb:eu-west-1:111111111111:table/*"), [P]],
    ["insecure: every log group", rolePolicy("arn:aws:logs:eu-west-1:111111111111:log-group:*", "logs:PutLogEvents"), [P]],
    ["insecure: every function", rolePolicy("arn:aws:lambda:eu-west-1:111111111111:function:*", "lambda:InvokeFunction"), [P]],
    ["insecure: every table with a prefix (other stacks' and later ones too)", rolePolicy("arn:aws:dynamodb:eu-west-1:111111111111:table/apigw-*", "dynamodb:PutItem"), [P]],
    ["insecure: every table with a suffix", rolePolicy("arn:aws:dynamodb:eu-west-1:111111111111:table/*-connections", "dynamodb:PutItem"), [P]],
    ["insecure: every log group with a prefix", rolePolicy("arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/apigw-*:*", "logs:PutLogEvents"), [P]],
    ["insecure: every queue with a prefix", rolePolicy("arn:aws:sqs:eu-west-1:111111111111:apigw-*", "sqs:SendMessage"), [P]],
    ["compliant: one stream of one table", rolePolicy("arn:aws:dynamodb:eu-west-1:111111111111:table/orders/stream/*", "dynamodb:GetRecords"), []],
  ])("%s", (_name, fixture, expected) => expectErrors(iamNoWildcards, fixture, expected));

  const attached = (arn: string) => stack({ aws_iam_role: { fn: { assume_role_policy: jsonPolicy([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]) } }, aws_iam_role_policy_attachment: { a: { role: ref("aws_iam_role.fn", "name"), policy_arn: arn } } });
  test.each<Case>([
    ["compliant: the Lambda basic execution policy", attached("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"), []],
    ["insecure: AmazonDynamoDBFullAccess on a function role", attached("arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"), ["aws_iam_role_policy_attachment.a"]],
    ["insecure: CloudWatchLogsFullAccess on a function role", attached("arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"), ["aws_iam_role_policy_attachment.a"]],
    ["insecure: AmazonS3FullAccess on a function role", attached("arn:aws:iam::aws:policy/AmazonS3FullAccess"), ["aws_iam_role_policy_attachment.a"]],
    [
      "insecure: a FullAccess policy looked up by a data source",
      stack(
        { aws_iam_role: { fn: { assume_role_policy: jsonPolicy([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]) } }, aws_iam_role_policy_attachment: { a: { role: ref("aws_iam_role.fn", "name"), policy_arn: ref("data.aws_iam_policy.fa", "arn") } } },
        { data: { aws_iam_policy: { fa: { name: "AmazonDynamoDBFullAccess" } } } },
      ),
      ["aws_iam_role_policy_attachment.a"],
    ],
    [
      "compliant: a policy of its own looked up by a data source",
      stack(
        { aws_iam_role: { fn: { assume_role_policy: jsonPolicy([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]) } }, aws_iam_role_policy_attachment: { a: { role: ref("aws_iam_role.fn", "name"), policy_arn: ref("data.aws_iam_policy.own", "arn") } } },
        { data: { aws_iam_policy: { own: { arn: "arn:aws:iam::111111111111:policy/orders-writer" } } } },
      ),
      [],
    ],
  ])("%s", (_name, fixture, expected) => expectErrors(noAdminManagedPolicies, fixture, expected));
});

describe("APIGW-SECRET-LITERALS", () => {
  const KEY = "aws_api_gateway_api_key.k";
  const withOutput = (output: Record<string, unknown>) => new StackView("fixture", { resource: { aws_api_gateway_api_key: { k: { name: "partner" } } }, output: { key: output } });
  const fn = (variables: Record<string, string>) => stack({ aws_lambda_function: { f: { function_name: "f", environment: { variables } } } });
  const restStage = (variables: Record<string, string>) => stack({ aws_api_gateway_stage: { s: { rest_api_id: ref(API, "id"), stage_name: "prod", variables } } });
  const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----";
  test.each<Case>([
    ["compliant: an output of the key's id", withOutput({ value: ref(KEY, "id") }), []],
    ["compliant: a sensitive output of the key's value", withOutput({ value: ref(KEY, "value"), sensitive: true }), []],
    ["compliant: a secret's ARN in an environment variable", fn({ DB_PASSWORD_SECRET_ARN: "${aws_secretsmanager_secret.db.arn}", TABLE: "orders" }), []],
    ["compliant: a stage variable with a host name", restStage({ legacyHost: "legacy.internal.example.com" }), []],
    ["insecure: an output of the key's value", withOutput({ value: ref(KEY, "value") }), ["output.key"]],
    ["insecure: an output of a private key, inside a map", new StackView("fixture", { resource: {}, output: { key: { value: { pem: "${tls_private_key.k.private_key_pem}" } } } }), ["output.key"]],
    ["insecure: a literal token in an environment variable", fn({ UPSTREAM_TOKEN: "ghp_0123456789abcdef" }), ["aws_lambda_function.f"]],
    ["insecure: a literal API key in a REST stage variable", restStage({ partnerApiKey: "k3y-v4lu3" }), ["aws_api_gateway_stage.s"]],
    ["insecure: a literal secret in an HTTP API stage variable", stack({ aws_apigatewayv2_stage: { s: { api_id: "a", name: "$default", stage_variables: { clientSecret: "s3cr3t" } } } }), ["aws_apigatewayv2_stage.s"]],
    ["insecure: a PEM private key in a resource", stack({ aws_api_gateway_domain_name: { d: { domain_name: "api.example.com", certificate_private_key: PEM } } }), ["aws_api_gateway_domain_name.d"]],
    ["insecure: a secret read into an environment variable", fn({ DB: "${data.aws_secretsmanager_secret_version.db.secret_string}" }), ["aws_lambda_function.f"]],
    ["insecure: an AWS access key id in a variable of any name", fn({ UPSTREAM: "AKIAIOSFODNN7EXAMPLE" }), ["aws_lambda_function.f"]],
    [
      "insecure: a secret in a canary's stage variable override",
      stack({ aws_api_gateway_stage: { s: { rest_api_id: ref(API, "id"), stage_name: "prod", canary_settings: { deployment_id: "d", stage_variable_overrides: { upstreamPassword: "hunter2" } } } } }),
      ["aws_api_gateway_stage.s"],
    ],
    ["compliant: an SSM parameter's name in an environment variable", fn({ DB_PARAMETER: "${aws_ssm_parameter.db.name}" }), []],
    ["compliant: variables that only look alike (PASSTHROUGH, a bearer realm name)", fn({ HEADER_PASSTHROUGH: "true", AUTH_SCHEME: "Bearer" }), []],
    ["insecure: a short password name (DB_PASS)", fn({ DB_PASS: "hunter2-prod-Zx81" }), ["aws_lambda_function.f"]],
    ["insecure: a bearer token under a name of any kind", fn({ AUTH_HEADER: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl" }), ["aws_lambda_function.f"]],
    ["insecure: a JWT alone", fn({ UPSTREAM: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl" }), ["aws_lambda_function.f"]],
    ["insecure: basic credentials in a stage variable", restStage({ legacyAuth: "Basic YWRtaW46aHVudGVyMg==" }), ["aws_api_gateway_stage.s"]],
    ["insecure: a random password's result in an output", new StackView("fixture", { resource: {}, output: { p: { value: "${random_password.p.result}" } } }), ["output.p"]],
    ["insecure: a secret unmarked with nonsensitive(), even in a sensitive output", withOutput({ value: "${nonsensitive(aws_api_gateway_api_key.k.value)}", sensitive: true }), ["output.key"]],
    ["insecure: a secret unmarked with nonsensitive() in a resource's tag", stack({ aws_sqs_queue: { q: { name: "q", tags: { k: "${nonsensitive(aws_api_gateway_api_key.k.value)}" } } } }), ["aws_sqs_queue.q"]],
    ["insecure: an output of a usage plan key's value (the provider does not mark it sensitive)", new StackView("fixture", { resource: {}, output: { k: { value: "${aws_api_gateway_usage_plan_key.k.value}" } } }), ["output.k"]],
    ["insecure: a usage plan key's value by index, even in a sensitive output", new StackView("fixture", { resource: {}, output: { k: { value: '${aws_api_gateway_usage_plan_key.k["value"]}', sensitive: true } } }), ["output.k"]],
    ["insecure: a whole usage plan key in a local", new StackView("fixture", { resource: {}, locals: { k: "${aws_api_gateway_usage_plan_key.k}" } }), ["local.k"]],
    ["insecure: a usage plan key's value in a for expression in a tag", stack({ aws_sqs_queue: { q: { name: "q", tags: { k: "${join(\",\", [for k in [aws_api_gateway_usage_plan_key.k] : k.value])}" } } } }), ["aws_sqs_queue.q"]],
    ["insecure: a usage plan key's value with whitespace in the traversal", new StackView("fixture", { resource: {}, output: { k: { value: "${aws_api_gateway_usage_plan_key\t.k .value}" } } }), ["output.k"]],
    ["insecure: a usage plan key's value after a \"#\" in a quoted string", new StackView("fixture", { resource: {}, output: { k: { value: '${join("#", [aws_api_gateway_usage_plan_key.k.value])}' } } }), ["output.k"]],
    ["insecure: nonsensitive with a space before its parenthesis", withOutput({ value: '${nonsensitive (aws_api_gateway_api_key.k["value"])}' }), ["output.key"]],
    ["insecure: nonsensitive() of a key's value as an object key", stack({ aws_sqs_queue: { q: { name: "q", tags: { "${nonsensitive(aws_api_gateway_api_key.k.value)}": "x" } } } }), ["aws_sqs_queue.q"]],
    ["insecure: a usage plan key's value as a key of a local", new StackView("fixture", { resource: {}, locals: { m: { "${aws_api_gateway_usage_plan_key.k.value}": "x" } } }), ["local.m"]],
    ["insecure: a usage plan key's value in a quoted template of an expression", new StackView("fixture", { resource: {}, output: { k: { value: '${upper("${aws_api_gateway_usage_plan_key.k .value}")}' } } }), ["output.k"]],
    [
      "insecure: a usage plan key printing its own value through self",
      stack({ aws_api_gateway_usage_plan_key: { k: { key_id: "k", key_type: "API_KEY", usage_plan_id: "p", lifecycle: { postcondition: [{ condition: "${false}", error_message: "leak: ${self.value}" }] } } } }),
      ["aws_api_gateway_usage_plan_key.k"],
    ],
    ["compliant: a usage plan key's condition on its own id", stack({ aws_api_gateway_usage_plan_key: { k: { key_id: "k", key_type: "API_KEY", usage_plan_id: "p", lifecycle: { postcondition: [{ condition: '${self.id != ""}', error_message: "no id" }] } } } }), []],
    ["compliant: a usage plan key's id, and depends_on", stack({ aws_sqs_queue: { q: { name: "q", tags: { k: "${aws_api_gateway_usage_plan_key.k.id}" }, depends_on: ["aws_api_gateway_usage_plan_key.k"] } } }), []],
    ["insecure: an output of the random_string an API key takes its value from", new StackView("fixture", { resource: { aws_api_gateway_api_key: { k: { name: "partner", value: "${random_string.k.result}" } } }, output: { r: { value: "${random_string.k.result}" } } }), ["output.r"]],
    ["compliant: an SSM parameter's path in an environment variable", fn({ PASSWORD_PARAM: "/prod/db/password" }), []],
    ["insecure: nonsensitive() of a local holding a key's value", new StackView("fixture", { resource: {}, locals: { k: "${aws_api_gateway_api_key.k.value}" }, output: { k: { value: "${nonsensitive(local.k)}" } } }), ["output.k", "local.k"]],
    ["insecure: a key's value through a function whose error names its argument", new StackView("fixture", { resource: {}, locals: { zz: "${cidrhost(aws_api_gateway_api_key.k.value, 1)}" } }), ["local.zz"]],
    ["insecure: a key's value in a function, even in a sensitive output", withOutput({ value: '${timeadd("2026-01-01T00:00:00Z", aws_api_gateway_api_key.k.value)}', sensitive: true }), ["output.key"]],
    ["insecure: a usage plan key's value in a check block's message", new StackView("fixture", { resource: {}, check: { zz: { assert: [{ condition: '${aws_api_gateway_usage_plan_key.k.id == ""}', error_message: "leak: ${aws_api_gateway_usage_plan_key.k.value}" }] } } }), ["check.zz"]],
    ["insecure: nonsensitive() in a variable validation's message", new StackView("fixture", { resource: {}, variable: { zz: { default: "x", validation: [{ condition: '${var.zz != ""}', error_message: "leak: ${nonsensitive(aws_api_gateway_api_key.k.value)}" }] } } }), ["variable.zz"]],
    [
      "insecure: an API key printing its own value through self in a postcondition",
      stack({ aws_api_gateway_api_key: { k: { name: "partner", lifecycle: { postcondition: [{ condition: "${cidrhost(self.value, 1) != \"\"}", error_message: "x" }] } } } }),
      ["aws_api_gateway_api_key.k"],
    ],
    ["insecure: every API key with its value", new StackView("fixture", { resource: {}, data: { aws_api_gateway_api_keys: { all: { include_values: true } } } }), ["data.aws_api_gateway_api_keys.all"]],
    ["compliant: the API keys without their values", new StackView("fixture", { resource: {}, data: { aws_api_gateway_api_keys: { all: {} } } }), []],
    ["insecure: nonsensitive() of jsonencode() of a whole key", withOutput({ value: "${nonsensitive(jsonencode(aws_api_gateway_api_key.k))}" }), ["output.key"]],
    ["compliant: a secret's literal ARN and a token's lifetime in environment variables", fn({ DB_PASSWORD_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:222222222222:secret:prod/db-AbCdEf", TOKEN_TTL_SECONDS: "3600", API_KEY_REQUIRED: "true" }), []],
    ["insecure: a variable named like a secret with a literal default", new StackView("fixture", { variable: { db_password: { sensitive: true, default: "S3cr3t-Pr0d-Passw0rd!" } } }), ["variable.db_password"]],
    [
      "insecure: such a variable read into an environment variable of another name",
      new StackView("fixture", { variable: { upstream_token: { default: "ghp_0123456789abcdef0123" } }, resource: { aws_lambda_function: { f: { function_name: "f", environment: { variables: { UPSTREAM: "${var.upstream_token}" } } } } } }),
      ["aws_lambda_function.f", "variable.upstream_token"],
    ],
    ["compliant: a variable named like a secret without a default", new StackView("fixture", { variable: { db_password: { sensitive: true } } }), []],
  ])("%s", (_name, fixture, expected) => expectErrors(secretsInConfiguration, fixture, expected));
});
