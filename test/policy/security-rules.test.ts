import { corsOrigins, httpApiWaf, httpWriteRouteScopes } from "../../policy/rules/http-security";
import { lambdaFunctionUrlAuth, lambdaPermissionPrincipal, lambdaPermissionSourceApi, lambdaReservedConcurrency } from "../../policy/rules/lambda-security";
import { accessLogCaller, accessLogNoSecrets, logGroupCustomerKey } from "../../policy/rules/logs";
import type { StackView } from "../../policy/stack";
import type { Rule } from "../../policy/types";
import { API, openApi, privateApi, publicApi, put, PUT, ref, stack } from "./fixtures";

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
  const P = "aws_lambda_permission.p";
  test.each<Case>([
    ["the REST API's execution ARN", permission(`${ref(API, "execution_arn")}/*`), []],
    ["an HTTP API's execution ARN", permission(`${ref("aws_apigatewayv2_api.h", "execution_arn")}/*/*`, { aws_apigatewayv2_api: { h: {} } }), []],
    ["a literal ARN naming region, account and API", permission("arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/*/GET/orders"), []],
    ["a wildcard account and API", permission("arn:aws:execute-api:eu-west-1:*:*/*"), [P]],
    ["a wildcard region", permission("arn:aws:execute-api:*:111111111111:a1b2c3d4e5/*"), [P]],
    ["an API of another stack by reference", permission(`${ref("aws_api_gateway_rest_api.other", "execution_arn")}/*`), [P]],
    ["not an execute-api ARN", permission("arn:aws:s3:::bucket"), [P]],
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
