import { aliasTargetReference, defaultEndpointDisabled, securityGroupBroadIngress, securityGroupOpenIngress, vpcEndpointPolicy } from "../../policy/rules/exposure";
import { corsOrigins, httpApiWaf, httpWriteRouteScopes } from "../../policy/rules/http-security";
import { noAdminManagedPolicies, trustPolicyScoped } from "../../policy/rules/iam-trust";
import { privateMethodAuthorization, privatePolicyNoForeignEndpoint, publicWriteNotKeyOnly } from "../../policy/rules/private-api";
import { apiKeyLiteralValue, apiKeysInLocalState } from "../../policy/rules/secrets";
import { lambdaFunctionUrlAuth, lambdaPermissionPrincipal, lambdaPermissionSourceApi, lambdaReservedConcurrency } from "../../policy/rules/lambda-security";
import { accessLogCaller, accessLogNoSecrets, logGroupCustomerKey } from "../../policy/rules/logs";
import type { StackView } from "../../policy/stack";
import type { Rule } from "../../policy/types";
import { API, ENDPOINT, endpoint, filesRoute, openApi, privateApi, publicApi, put, PUT, ref, stack } from "./fixtures";
import { StackView as View } from "../../policy/stack";

type Case = [name: string, fixture: StackView, violations: string[]];

function expectViolations(rule: Rule, fixture: StackView, expected: string[]) {
  expect(rule.check(fixture).map((v) => v.address)).toEqual(expected);
}

describe("APIGW-HTTP-WRITE-SCOPES", () => {
  const route = (routeKey: string, extra: Record<string, unknown> = {}) => stack({ aws_apigatewayv2_route: { r: { route_key: routeKey, authorization_type: "JWT", authorizer_id: "a", ...extra } } });
  test.each<Case>([
    ["a write route with a scope", route("POST /orders", { authorization_scopes: ["orders/write"] }), []],
    ["a read route without scopes", route("GET /orders"), []],
    ["a write route on IAM authorization", route("DELETE /orders/{id}", { authorization_type: "AWS_IAM" }), []],
    ["a write route without scopes", route("POST /orders"), ["aws_apigatewayv2_route.r"]],
    ["an ANY route without scopes", route("ANY /orders/{proxy+}", { authorization_scopes: [] }), ["aws_apigatewayv2_route.r"]],
    ["the $default route without scopes", route("$default"), ["aws_apigatewayv2_route.r"]],
  ])("%s", (_name, fixture, expected) => expectViolations(httpWriteRouteScopes, fixture, expected));
});

describe("APIGW-CORS", () => {
  const httpApi = (origins: string[]) => stack({ aws_apigatewayv2_api: { h: { protocol_type: "HTTP", cors_configuration: { allow_origins: origins } } } });
  const optionsDocument = (origin: string) =>
    openApi({
      "/orders": {
        options: {
          "x-amazon-apigateway-integration": { type: "mock", responses: { default: { statusCode: "200", responseParameters: { "method.response.header.Access-Control-Allow-Origin": origin } } } },
        },
      },
    });
  const integrationResponse = (origin: string) => ({
    aws_api_gateway_integration_response: { o: { rest_api_id: ref(API, "id"), status_code: "200", response_parameters: { "method.response.header.Access-Control-Allow-Origin": origin } } },
  });
  test.each<Case>([
    ["HTTP: named https origins and localhost", httpApi(["https://app.example.com", "http://localhost:3000"]), []],
    ["REST document: a named https origin", stack({ aws_api_gateway_rest_api: publicApi(), ...put(optionsDocument("'https://app.example.com'")) }), []],
    ["REST resources: a named https origin", stack({ aws_api_gateway_rest_api: publicApi(), ...integrationResponse("'https://app.example.com'") }), []],
    ["HTTP: every origin", httpApi(["*"]), ["aws_apigatewayv2_api.h"]],
    ["HTTP: a plain http origin", httpApi(["http://app.example.com"]), ["aws_apigatewayv2_api.h"]],
    ["REST document: every origin", stack({ aws_api_gateway_rest_api: publicApi(), ...put(optionsDocument("'*'")) }), [PUT]],
    ["REST resources: every origin", stack({ aws_api_gateway_rest_api: publicApi(), ...integrationResponse("'*'") }), ["aws_api_gateway_integration_response.o"]],
    ["REST gateway response: a plain http origin", stack({ aws_api_gateway_gateway_response: { g: { response_type: "DEFAULT_4XX", response_parameters: { "gatewayresponse.header.Access-Control-Allow-Origin": "'http://app.example.com'" } } } }), ["aws_api_gateway_gateway_response.g"]],
  ])("%s", (_name, fixture, expected) => expectViolations(corsOrigins, fixture, expected));
});

describe("APIGW-HTTP-WAF", () => {
  const H = "aws_apigatewayv2_api.h";
  const api = { aws_apigatewayv2_api: { h: { protocol_type: "HTTP" } } };
  const domain = { aws_apigatewayv2_domain_name: { d: { domain_name: "app.example.com" } }, aws_apigatewayv2_api_mapping: { m: { api_id: ref(H, "id"), domain_name: ref("aws_apigatewayv2_domain_name.d", "domain_name") } } };
  const distribution = (webAcl: string | undefined) => ({
    aws_cloudfront_distribution: { cdn: { ...(webAcl ? { web_acl_id: webAcl } : {}), origin: [{ origin_id: "api", domain_name: ref("aws_apigatewayv2_domain_name.d", "domain_name") }] } },
  });
  test.each<Case>([
    ["a distribution with a web ACL in front of the API's domain", stack({ ...api, ...domain, ...distribution("arn:aws:wafv2:us-east-1:111111111111:global/webacl/x/1") }), []],
    ["a WebSocket API", stack({ aws_apigatewayv2_api: { w: { protocol_type: "WEBSOCKET" } } }), []],
    ["no distribution", stack({ ...api, ...domain }), [H]],
    ["a distribution without a web ACL", stack({ ...api, ...domain, ...distribution(undefined) }), [H]],
  ])("%s", (_name, fixture, expected) => expectViolations(httpApiWaf, fixture, expected));
});

describe("APIGW-LAMBDA-PERMISSION-PRINCIPAL", () => {
  const permission = (principal: string) => stack({ aws_lambda_permission: { p: { function_name: "f", action: "lambda:InvokeFunction", principal } } });
  test.each<Case>([
    ["API Gateway", permission("apigateway.amazonaws.com"), []],
    ["another account", permission("222222222222"), ["aws_lambda_permission.p"]],
    ["a role", permission("arn:aws:iam::222222222222:role/caller"), ["aws_lambda_permission.p"]],
  ])("%s", (_name, fixture, expected) => expectViolations(lambdaPermissionPrincipal, fixture, expected));
});

describe("APIGW-LAMBDA-PERMISSION-SOURCE", () => {
  const permission = (sourceArn: string, extra: Record<string, unknown> = {}) =>
    stack({ aws_api_gateway_rest_api: privateApi(), aws_lambda_permission: { p: { function_name: "f", principal: "apigateway.amazonaws.com", source_arn: sourceArn } }, ...extra });
  const service = (principal: string, sourceArn: string, extra: Record<string, unknown> = {}) => stack({ aws_lambda_permission: { p: { function_name: "f", principal, source_arn: sourceArn, ...extra } } });
  const P = "aws_lambda_permission.p";
  test.each<Case>([
    ["the REST API's execution ARN", permission(`${ref(API, "execution_arn")}/*`), []],
    ["an HTTP API's execution ARN", permission(`${ref("aws_apigatewayv2_api.h", "execution_arn")}/*/*`, { aws_apigatewayv2_api: { h: {} } }), []],
    ["a literal ARN naming region, account and API", permission("arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/*/GET/orders"), []],
    ["a wildcard account and API", permission("arn:aws:execute-api:eu-west-1:*:*/*"), [P]],
    ["a wildcard region", permission("arn:aws:execute-api:*:111111111111:a1b2c3d4e5/*"), [P]],
    ["an API of another stack by reference", permission(`${ref("aws_api_gateway_rest_api.other", "execution_arn")}/*`), [P]],
    ["not an execute-api ARN", permission("arn:aws:s3:::bucket"), [P]],
    ["a literal ARN of another account's API, where the provider pins the stack's account", stack({ aws_lambda_permission: { p: { function_name: "f", principal: "apigateway.amazonaws.com", source_arn: "arn:aws:execute-api:eu-west-1:333333333333:a1b2c3d4e5/*/GET/hello" } } }, { provider: { aws: [{ region: "eu-west-1", allowed_account_ids: ["111111111111"] }] } }), [P]],
    ["SNS: one account's topics", service("sns.amazonaws.com", "arn:aws:sns:eu-west-1:111111111111:*"), []],
    ["SNS: any account's topics, with source_account", service("sns.amazonaws.com", "arn:aws:sns:*:*:*", { source_account: "111111111111" }), []],
    ["SNS: any account's topics", service("sns.amazonaws.com", "arn:aws:sns:*:*:*"), [P]],
    ["EventBridge: accounts matched by a ? pattern", service("events.amazonaws.com", "arn:aws:events:eu-west-1:11111111111?:rule/*"), [P]],
    ["S3: a bucket ARN (bucket ARNs name no account) without source_account", service("s3.amazonaws.com", "arn:aws:s3:::uploads"), [P]],
  ])("%s", (_name, fixture, expected) => expectViolations(lambdaPermissionSourceApi, fixture, expected));
});

describe("APIGW-LAMBDA-URL-AUTH", () => {
  test.each<Case>([
    ["IAM authorization", stack({ aws_lambda_function_url: { u: { function_name: "f", authorization_type: "AWS_IAM" } } }), []],
    ["no authorization", stack({ aws_lambda_function_url: { u: { function_name: "f", authorization_type: "NONE" } } }), ["aws_lambda_function_url.u"]],
  ])("%s", (_name, fixture, expected) => expectViolations(lambdaFunctionUrlAuth, fixture, expected));
});

describe("APIGW-LAMBDA-CONCURRENCY", () => {
  test.each<Case>([
    ["reserved concurrency", stack({ aws_lambda_function: { f: { reserved_concurrent_executions: 10 } } }), []],
    ["none", stack({ aws_lambda_function: { f: {} } }), ["aws_lambda_function.f"]],
    ["the provider's -1 (unreserved)", stack({ aws_lambda_function: { f: { reserved_concurrent_executions: -1 } } }), ["aws_lambda_function.f"]],
  ])("%s", (_name, fixture, expected) => expectViolations(lambdaReservedConcurrency, fixture, expected));
});

describe("APIGW-LOG-GROUP-CMK", () => {
  test.each<Case>([
    ["a customer managed key", stack({ aws_cloudwatch_log_group: { l: { kms_key_id: "arn:aws:kms:eu-west-1:111111111111:key/5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d" } } }), []],
    ["an AWS-owned key", stack({ aws_cloudwatch_log_group: { l: { retention_in_days: 30 } } }), ["aws_cloudwatch_log_group.l"]],
  ])("%s", (_name, fixture, expected) => expectViolations(logGroupCustomerKey, fixture, expected));
});

describe("access log formats", () => {
  const restStage = (format: string) => stack({ aws_api_gateway_stage: { s: { access_log_settings: { destination_arn: "arn", format } } } });
  const httpStage = (format: string) => stack({ aws_apigatewayv2_stage: { s: { access_log_settings: { destination_arn: "arn", format } } } });
  const json = (fields: Record<string, string>) => JSON.stringify({ requestId: "$context.requestId", ip: "$context.identity.sourceIp", ...fields });

  describe("APIGW-ACCESS-LOG-SECRETS", () => {
    test.each<Case>([
      ["the key's id", restStage(json({ apiKeyId: "$context.identity.apiKeyId" })), []],
      ["the key itself", restStage(json({ apiKey: "$context.identity.apiKey" })), ["aws_api_gateway_stage.s"]],
      ["the key in a common log format line", httpStage("$context.identity.sourceIp $context.identity.apiKey $context.requestId"), ["aws_apigatewayv2_stage.s"]],
    ])("%s", (_name, fixture, expected) => expectViolations(accessLogNoSecrets, fixture, expected));
  });

  describe("APIGW-ACCESS-LOG-CALLER", () => {
    test.each<Case>([
      ["an API key id", restStage(json({ apiKeyId: "$context.identity.apiKeyId" })), []],
      ["a JWT subject", httpStage(json({ sub: "$context.authorizer.claims.sub" })), []],
      ["a Lambda authorizer's principal", restStage(json({ principal: "$context.authorizer.principalId" })), []],
      ["a SigV4 caller", restStage(json({ userArn: "$context.identity.userArn" })), []],
      ["the source IP only", restStage(json({})), ["aws_api_gateway_stage.s"]],
      ["the authorizer's error only", httpStage(json({ authorizerError: "$context.authorizer.error" })), ["aws_apigatewayv2_stage.s"]],
    ])("%s", (_name, fixture, expected) => expectViolations(accessLogCaller, fixture, expected));
  });
});

const jsonPolicy = (statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: statement });

describe("APIGW-IAM-TRUST", () => {
  const R = "aws_iam_role.r";
  const role = (statement: Record<string, unknown>) => new View("fixture", { provider: { aws: [{ region: "eu-west-1", allowed_account_ids: ["111111111111"] }] }, resource: { aws_iam_role: { r: { assume_role_policy: jsonPolicy([{ Effect: "Allow", Action: "sts:AssumeRole", ...statement }]) } } } });
  test.each<Case>([
    ["a service", role({ Principal: { Service: "lambda.amazonaws.com" } }), []],
    ["the stack's own account", role({ Principal: { AWS: "arn:aws:iam::111111111111:root" } }), []],
    ["another account with an external id", role({ Principal: { AWS: "222222222222" }, Condition: { StringEquals: { "sts:ExternalId": "partner-7" } } }), []],
    ["everyone in the organization", role({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }), []],
    ["everyone", role({ Principal: "*" }), [R]],
    ["every AWS principal", role({ Principal: { AWS: "*" } }), [R]],
    ["another account without a condition", role({ Principal: { AWS: "arn:aws:iam::222222222222:role/ci" } }), [R]],
    ["another account through sts:*", role({ Principal: { AWS: "222222222222" }, Action: "sts:*" }), [R]],
    ["another account through NotAction", role({ Principal: { AWS: "222222222222" }, Action: undefined, NotAction: "sts:TagSession" }), [R]],
    ["another account, only tagging", role({ Principal: { AWS: "222222222222" }, Action: "sts:TagSession" }), []],
  ])("%s", (_name, fixture, expected) => expectViolations(trustPolicyScoped, fixture, expected));
});

describe("APIGW-IAM-ADMIN-POLICY", () => {
  const attachment = (arn: string) => stack({ aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: arn } } });
  // The role the tfc stack gives a workspace's runs (modules/tfc-workspace.ts).
  const deployRole = (subject: string, audience: Record<string, Record<string, string>> = { StringEquals: { "app.terraform.io:aud": "aws.workload.identity" } }) =>
    stack({
      aws_iam_role: {
        run: {
          assume_role_policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Federated: ref("aws_iam_openid_connect_provider.tfc", "arn") },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: { ...audience, StringLike: { "app.terraform.io:sub": subject } },
              },
            ],
          }),
        },
      },
      aws_iam_role_policy_attachment: { a: { role: ref("aws_iam_role.run", "name"), policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } },
    });
  test.each<Case>([
    ["API Gateway's logging policy", attachment("arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"), []],
    ["AdministratorAccess", attachment("arn:aws:iam::aws:policy/AdministratorAccess"), ["aws_iam_role_policy_attachment.a"]],
    ["PowerUserAccess on a role's managed_policy_arns", stack({ aws_iam_role: { r: { managed_policy_arns: ["arn:aws:iam::aws:policy/PowerUserAccess"] } } }), ["aws_iam_role.r"]],
    ["IAMFullAccess on a user", stack({ aws_iam_user_policy_attachment: { u: { user: "u", policy_arn: "arn:aws:iam::aws:policy/IAMFullAccess" } } }), ["aws_iam_user_policy_attachment.u"]],
    ["SecretsManagerReadWrite (every secret, in all but name FullAccess)", attachment("arn:aws:iam::aws:policy/SecretsManagerReadWrite"), ["aws_iam_role_policy_attachment.a"]],
    ["AdministratorAccess on the deploy role of one Terraform Cloud workspace", deployRole("organization:acme:project:apigw:workspace:apigw-prod:run_phase:apply"), []],
    ["AdministratorAccess on a role every workspace of an organization can assume", deployRole("organization:acme:project:*:workspace:*:run_phase:*"), ["aws_iam_role_policy_attachment.a"]],
    ["AdministratorAccess on a web identity role without an audience", deployRole("organization:acme:project:apigw:workspace:apigw-prod:run_phase:*", {}), ["aws_iam_role_policy_attachment.a"]],
  ])("%s", (_name, fixture, expected) => expectViolations(noAdminManagedPolicies, fixture, expected));
});

describe("APIGW-PRIVATE-POLICY-FOREIGN-VPCE", () => {
  const denyUnless = (vpces: string[]) => ({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: `\${${API}.execution_arn}/*` },
      { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: `\${${API}.execution_arn}/*`, Condition: { StringNotEquals: { "aws:SourceVpce": vpces } } },
    ],
  });
  const attached = (vpces: string[]) => ({ aws_api_gateway_rest_api_policy: { p: { rest_api_id: ref(API, "id"), policy: JSON.stringify(denyUnless(vpces)) } } });
  test.each<Case>([
    ["resources: exactly the bound endpoint", stack({ aws_api_gateway_rest_api: privateApi(), aws_vpc_endpoint: endpoint, ...attached([ref(ENDPOINT, "id")]) }), []],
    ["document: exactly the bound endpoint", stack({ aws_api_gateway_rest_api: privateApi(), aws_vpc_endpoint: endpoint, ...put(openApi({}, { "x-amazon-apigateway-policy": denyUnless([ref(ENDPOINT, "id")]) })) }), []],
    ["resources: another endpoint too", stack({ aws_api_gateway_rest_api: privateApi(), aws_vpc_endpoint: endpoint, ...attached([ref(ENDPOINT, "id"), "vpce-0fedcba9876543210"]) }), ["aws_api_gateway_rest_api_policy.p"]],
    ["document: another endpoint too", stack({ aws_api_gateway_rest_api: privateApi(), aws_vpc_endpoint: endpoint, ...put(openApi({}, { "x-amazon-apigateway-policy": denyUnless([ref(ENDPOINT, "id"), "vpce-0fedcba9876543210"]) })) }), [PUT]],
  ])("%s", (_name, fixture, expected) => expectViolations(privatePolicyNoForeignEndpoint, fixture, expected));
});

describe("APIGW-PRIVATE-METHOD-AUTH", () => {
  const get = (security: unknown) => openApi({ "/files/{key}": { get: { security, "x-amazon-apigateway-integration": { type: "aws_proxy" } } } }, { components: { securitySchemes: { sigv4: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "awsSigv4" } } } });
  test.each<Case>([
    ["resources: SigV4", stack({ aws_api_gateway_rest_api: privateApi(), ...filesRoute({ authorization: "AWS_IAM" }) }), []],
    ["document: SigV4", stack({ aws_api_gateway_rest_api: privateApi(), ...put(get([{ sigv4: [] }])) }), []],
    ["a public API is another rule's", stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute() }), []],
    ["resources: no authorization", stack({ aws_api_gateway_rest_api: privateApi(), ...filesRoute() }), ["aws_api_gateway_method.get"]],
    ["document: no authorization", stack({ aws_api_gateway_rest_api: privateApi(), ...put(get([])) }), [PUT]],
  ])("%s", (_name, fixture, expected) => expectViolations(privateMethodAuthorization, fixture, expected));
});

describe("APIGW-WRITE-KEY-ONLY", () => {
  const post = (security: unknown) =>
    openApi({ "/orders": { post: { security, "x-amazon-apigateway-integration": { type: "aws_proxy" } } } }, { components: { securitySchemes: { api_key: { type: "apiKey", name: "x-api-key", in: "header" }, sigv4: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "awsSigv4" } } } });
  test.each<Case>([
    ["document: a key and SigV4", stack({ aws_api_gateway_rest_api: publicApi(), ...put(post([{ api_key: [], sigv4: [] }])) }), []],
    ["resources: a key and an authorizer", stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({ http_method: "POST", api_key_required: true, authorization: "CUSTOM" }) }), []],
    ["resources: a read with a key only", stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({ api_key_required: true }) }), []],
    ["document: a key only", stack({ aws_api_gateway_rest_api: publicApi(), ...put(post([{ api_key: [] }])) }), [PUT]],
    ["resources: a key only", stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({ http_method: "DELETE", api_key_required: true }) }), ["aws_api_gateway_method.get"]],
  ])("%s", (_name, fixture, expected) => expectViolations(publicWriteNotKeyOnly, fixture, expected));
});

describe("APIGW-DEFAULT-ENDPOINT", () => {
  const mapping = { aws_api_gateway_base_path_mapping: { m: { api_id: ref(API, "id"), domain_name: "api.example.com" } } };
  const restApi = (extra: Record<string, unknown>) => ({ aws_api_gateway_rest_api: { api: { ...publicApi().api, ...extra } } });
  const off = { servers: [{ url: "/", "x-amazon-apigateway-endpoint-configuration": { disableExecuteApiEndpoint: true } }] };
  const H = "aws_apigatewayv2_api.h";
  const v2 = (protocolType: string, disabled: boolean) => ({
    aws_apigatewayv2_api: { h: { protocol_type: protocolType, ...(disabled ? { disable_execute_api_endpoint: true } : {}) } },
    aws_apigatewayv2_api_mapping: { m: { api_id: ref(H, "id"), domain_name: "app.example.com" } },
  });
  const http = (disabled: boolean) => v2("HTTP", disabled);
  test.each<Case>([
    ["resources: disabled", stack({ ...restApi({ disable_execute_api_endpoint: true }), ...mapping }), []],
    ["document: disabled in the put and on the API", stack({ ...restApi({ disable_execute_api_endpoint: true }), ...mapping, ...put(openApi({}, off)) }), []],
    ["body: disabled in the document", stack({ ...restApi({ body: openApi({}, off) }), ...mapping }), []],
    ["no custom domain", stack(restApi({})), []],
    ["HTTP: disabled", stack(http(true)), []],
    // TLS 1.2 on every WebSocket endpoint, and @connections answers on the execute-api name only.
    ["WebSocket: enabled", stack(v2("WEBSOCKET", false)), []],
    ["resources: enabled", stack({ ...restApi({}), ...mapping }), [API]],
    ["document: the put's overwrite leaves it out", stack({ ...restApi({ disable_execute_api_endpoint: true }), ...mapping, ...put(openApi({})) }), [API]],
    ["HTTP: enabled", stack(http(false)), [H]],
  ])("%s", (_name, fixture, expected) => expectViolations(defaultEndpointDisabled, fixture, expected));
});

describe("APIGW-VPCE-POLICY", () => {
  const V = "aws_vpc_endpoint.vpce";
  const withPolicy = (statement: unknown) => stack({ aws_vpc_endpoint: { vpce: { ...endpoint.vpce, policy: jsonPolicy(statement) } } });
  const invoke = { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke" };
  test.each<Case>([
    ["APIs of a named account", withPolicy([{ ...invoke, Resource: "arn:aws:execute-api:eu-west-1:111111111111:*" }]), []],
    ["APIs of the organization", withPolicy([{ ...invoke, Resource: "*", Condition: { StringEquals: { "aws:ResourceOrgID": "o-a1b2c3d4e5" } } }]), []],
    ["no policy", stack({ aws_vpc_endpoint: endpoint }), [V]],
    ["any account's APIs", withPolicy([{ ...invoke, Resource: "*" }]), [V]],
    ["a wildcard account", withPolicy([{ ...invoke, Resource: "arn:aws:execute-api:eu-west-1:*:*" }]), [V]],
    ["a separate policy resource allowing everything", stack({ aws_vpc_endpoint: endpoint, aws_vpc_endpoint_policy: { p: { vpc_endpoint_id: ref(ENDPOINT, "id"), policy: jsonPolicy([{ ...invoke, Action: "*", Resource: "*" }]) } } }), ["aws_vpc_endpoint_policy.p"]],
  ])("%s", (_name, fixture, expected) => expectViolations(vpcEndpointPolicy, fixture, expected));
});

describe("security group ranges", () => {
  const rule = (cidr: string) => stack({ aws_vpc_security_group_ingress_rule: { r: { security_group_id: "sg-1", ip_protocol: "tcp", from_port: 443, to_port: 443, ...(cidr.includes(":") ? { cidr_ipv6: cidr } : { cidr_ipv4: cidr }) } } });
  const R = "aws_vpc_security_group_ingress_rule.r";
  test.each<Case>([
    ["a /16", rule("10.20.0.0/16"), []],
    ["10.0.0.0/8 (broad, not open)", rule("10.0.0.0/8"), []],
    ["0.0.0.0/0", rule("0.0.0.0/0"), [R]],
    ["0.0.0.0/1", rule("0.0.0.0/1"), [R]],
    ["::/0", rule("::/0"), [R]],
    ["inline 128.0.0.0/1", stack({ aws_security_group: { g: { ingress: [{ protocol: "tcp", from_port: 22, to_port: 22, cidr_blocks: ["128.0.0.0/1"] }] } } }), ["aws_security_group.g"]],
  ])("APIGW-SG-OPEN: %s", (_name, fixture, expected) => expectViolations(securityGroupOpenIngress, fixture, expected));
  test.each<Case>([
    ["a /16", rule("10.20.0.0/16"), []],
    ["0.0.0.0/0 is APIGW-SG-OPEN's", rule("0.0.0.0/0"), []],
    ["10.0.0.0/8", rule("10.0.0.0/8"), [R]],
    ["172.16.0.0/12 in a legacy rule", stack({ aws_security_group_rule: { x: { type: "ingress", cidr_blocks: ["172.16.0.0/12"] } } }), ["aws_security_group_rule.x"]],
  ])("APIGW-SG-BROAD: %s", (_name, fixture, expected) => expectViolations(securityGroupBroadIngress, fixture, expected));
});

describe("APIGW-ALIAS-REFERENCE", () => {
  const D = "aws_api_gateway_domain_name.d";
  const record = (name: string) => ({ aws_route53_record: { a: { type: "A", alias: { name, zone_id: "Z2FDTNDATAQYW2", evaluate_target_health: false } } } });
  test.each<Case>([
    ["a reference to the domain", stack({ aws_api_gateway_domain_name: { d: {} }, ...record(ref(D, "cloudfront_domain_name")) }), []],
    ["a record without alias", stack({ aws_route53_record: { t: { type: "TXT", records: ["x"] } } }), []],
    ["a literal CloudFront name", stack(record("d111111abcdef8.cloudfront.net")), ["aws_route53_record.a"]],
    ["a reference to a resource not in the stack", stack(record(ref(D, "cloudfront_domain_name"))), ["aws_route53_record.a"]],
  ])("%s", (_name, fixture, expected) => expectViolations(aliasTargetReference, fixture, expected));
});

describe("APIGW-API-KEY-VALUE", () => {
  test.each<Case>([
    ["a generated value", stack({ aws_api_gateway_api_key: { k: { name: "k" } } }), []],
    ["a value from a variable", stack({ aws_api_gateway_api_key: { k: { name: "k", value: "${var.key}" } } }), []],
    ["a literal value", stack({ aws_api_gateway_api_key: { k: { name: "k", value: "0123456789abcdefghij" } } }), ["aws_api_gateway_api_key.k"]],
  ])("%s", (_name, fixture, expected) => expectViolations(apiKeyLiteralValue, fixture, expected));
});

describe("APIGW-API-KEY-LOCAL-STATE", () => {
  const keys = { aws_api_gateway_api_key: { k: { name: "k" } } };
  const withTerraform = (terraform: unknown) => new View("fixture", { terraform, resource: keys });
  test.each<Case>([
    ["S3", withTerraform({ backend: { s3: { bucket: "state", key: "k", encrypt: true } } }), []],
    ["Terraform Cloud", withTerraform({ cloud: { organization: "acme", workspaces: { name: "w" } } }), []],
    ["no keys on local state", new View("fixture", { terraform: { backend: { local: { path: "x" } } }, resource: {} }), []],
    ["the local backend", withTerraform({ backend: { local: { path: "terraform.dev.tfstate" } } }), ["aws_api_gateway_api_key.k"]],
    ["no backend at all", withTerraform({}), ["aws_api_gateway_api_key.k"]],
  ])("%s", (_name, fixture, expected) => expectViolations(apiKeysInLocalState, fixture, expected));
});
