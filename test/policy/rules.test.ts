import { authorizerPermissionScoped, cognitoMethodScopes, gatewayResponsesSafe, publicWriteValidated } from "../../policy/rules/access";
import { accountCloudWatchRole } from "../../policy/rules/account";
import { aliasTargetMatchesDomain, certificateValidationInPublicZone, domainTls, edgeCertificateRegion } from "../../policy/rules/domains";
import { httpRouteAuthorizer, jwtAuthorizerConfiguration } from "../../policy/rules/http-api";
import { iamNoWildcards } from "../../policy/rules/iam";
import { lambdaPermissionScoped, logGroupRetention } from "../../policy/rules/lambda";
import { endpointSecurityGroup } from "../../policy/rules/network";
import { resourcePolicyExpandedForm } from "../../policy/rules/policy-form";
import { deploymentCreateBeforeDestroy, deploymentRedeploys, privateApiHasPolicy, privateApiPolicyBoundToEndpoint, privateDomainBoundToEndpoint, publicMethodProtected } from "../../policy/rules/rest-api";
import { publicStageWaf, restStageCacheEncrypted, restStageExecutionLogging, restStageNoDataTrace, restStageTracing, stageAccessLogging, stageThrottling } from "../../policy/rules/stages";
import { ALL_RULES } from "../../policy/rules";
import { citationsOf, Rule } from "../../policy/types";
import type { StackView } from "../../policy/stack";
import { methodSettingsOverride, restStageCacheKeys } from "../../policy/rules/method-settings";
import { restSingleDefinition } from "../../policy/rules/rest-definition";
import { manageConnectionsScoped, websocketConnectAuthorized } from "../../policy/rules/websocket";
import { awsIntegrationPassthrough } from "../../policy/rules/integration-passthrough";
import { integrationRoleScoped } from "../../policy/rules/integration-role";
import { httpIntegrationTls } from "../../policy/rules/integration-tls";
import { integrationTargetEncryption } from "../../policy/rules/target-encryption";
import { API, ENDPOINT, endpoint, filesRoute, lambdaIntegration, openApi, policyDocument, privateApi, publicApi, put, PUT, ref, sourceVpce, stack } from "./fixtures";

type Case = [name: string, fixture: StackView, violations: string[]];

function expectViolations(rule: Rule, fixture: StackView, expected: string[]) {
  expect(rule.check(fixture).map((v) => v.address)).toEqual(expected);
}

const attachedPolicy = { aws_api_gateway_rest_api_policy: { policy: { rest_api_id: ref(API, "id"), policy: ref("data.aws_iam_policy_document.policy", "json") } } };
const jsonPolicy = (statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: statement });
/** A private API policy as an object, as x-amazon-apigateway-policy holds it: Allow, and Deny (unless null) unless through `vpce` on `resource`. */
const documentPolicy = (vpce: string | null = ref(ENDPOINT, "id"), resource = `\${${API}.execution_arn}/*`) => ({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: resource },
    ...(vpce ? [{ Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: resource, Condition: { StringNotEquals: { "aws:SourceVpce": vpce } } }] : []),
  ],
});

describe("APIGW-PRIVATE-POLICY", () => {
  test.each<Case>([
    ["a private API with an attached policy", stack({ aws_api_gateway_rest_api: privateApi(), ...attachedPolicy }), []],
    ["a private API with its own policy attribute", stack({ aws_api_gateway_rest_api: privateApi({ policy: "{}" }) }), []],
    ["a public API without a policy", stack({ aws_api_gateway_rest_api: publicApi() }), []],
    ["a private API without a policy", stack({ aws_api_gateway_rest_api: privateApi() }), [API]],
    ["a put document with x-amazon-apigateway-policy", stack({ aws_api_gateway_rest_api: privateApi(), ...put(openApi({}, { "x-amazon-apigateway-policy": documentPolicy() })) }), []],
    ["a body with x-amazon-apigateway-policy", stack({ aws_api_gateway_rest_api: privateApi({ body: openApi({}, { "x-amazon-apigateway-policy": documentPolicy() }) }) }), []],
    ["a put document without a policy", stack({ aws_api_gateway_rest_api: privateApi(), ...put(openApi({})) }), [API]],
    ["a body without a policy", stack({ aws_api_gateway_rest_api: privateApi({ body: openApi({}) }) }), [API]],
    ["a YAML put and no other policy", stack({ aws_api_gateway_rest_api: privateApi(), ...put("openapi: 3.0.1\n") }), [PUT]],
  ])("%s", (_name, fixture, expected) => expectViolations(privateApiHasPolicy, fixture, expected));
});

describe("APIGW-PRIVATE-POLICY-VPCE", () => {
  const withDocument = (deny: Record<string, unknown> | undefined) =>
    stack({ aws_api_gateway_rest_api: privateApi(), aws_vpc_endpoint: endpoint, ...attachedPolicy }, { data: policyDocument(deny) });
  const policyAddress = "aws_api_gateway_rest_api_policy.policy";
  test.each<Case>([
    ["a Deny with StringNotEquals on the bound endpoint", withDocument(sourceVpce("StringNotEquals", [ref(ENDPOINT, "id")])), []],
    ["a Deny with StringNotEquals on the endpoint's VPC", withDocument({ condition: [{ test: "StringNotEquals", variable: "aws:SourceVpc", values: ["vpc-0123456789abcdef0"] }] }), []],
    [
      "a JSON policy with the Deny on the bound endpoint",
      stack({
        aws_api_gateway_rest_api: privateApi({
          policy: jsonPolicy([
            { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" },
            { Effect: "Deny", Principal: "*", Action: "execute-api:*", Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpce": ref(ENDPOINT, "id") } } },
          ]),
        }),
        aws_vpc_endpoint: endpoint,
      }),
      [],
    ],
    ["an Allow to everyone without a Deny", withDocument(undefined), [policyAddress]],
    ["a Deny keyed to another endpoint", withDocument(sourceVpce("StringNotEquals", ["vpce-0fedcba9876543210"])), [policyAddress]],
    ["a StringEquals Deny", withDocument(sourceVpce("StringEquals", [ref(ENDPOINT, "id")])), [policyAddress]],
    ["a Deny of another action", withDocument({ ...sourceVpce("StringNotEquals", [ref(ENDPOINT, "id")]), actions: ["execute-api:ManageConnections"] }), [policyAddress]],
    ["a Deny on the expanded ARN of the API", withDocument({ ...sourceVpce("StringNotEquals", [ref(ENDPOINT, "id")]), resources: [`arn:aws:execute-api:eu-west-1:111111111111:\${${API}.id}/*`] }), []],
    ["a Deny on one method only", withDocument({ ...sourceVpce("StringNotEquals", [ref(ENDPOINT, "id")]), resources: ["execute-api:/*/GET/files/*"] }), [policyAddress]],
    ["a put document's policy on the bound endpoint", stack({ aws_api_gateway_rest_api: privateApi(), aws_vpc_endpoint: endpoint, ...put(openApi({}, { "x-amazon-apigateway-policy": documentPolicy() })) }), []],
    ["a body policy on an endpoint listed in the document", stack({ aws_api_gateway_rest_api: { api: { endpoint_configuration: { types: ["PRIVATE"] }, body: openApi({}, { "x-amazon-apigateway-policy": documentPolicy("vpce-0123456789abcdef0", "execute-api:/*"), "x-amazon-apigateway-endpoint-configuration": { vpcEndpointIds: ["vpce-0123456789abcdef0"] } }) } } }), []],
    [
      "a body policy on an endpoint listed on the document's server (OpenAPI 3)",
      stack({ aws_api_gateway_rest_api: { api: { endpoint_configuration: { types: ["PRIVATE"] }, body: openApi({}, { "x-amazon-apigateway-policy": documentPolicy("vpce-0123456789abcdef0", "execute-api:/*"), servers: [{ url: "/", "x-amazon-apigateway-endpoint-configuration": { vpcEndpointIds: ["vpce-0123456789abcdef0"] } }] }) } } }),
      [],
    ],
    ["a put document's Allow without a Deny", stack({ aws_api_gateway_rest_api: privateApi(), aws_vpc_endpoint: endpoint, ...put(openApi({}, { "x-amazon-apigateway-policy": documentPolicy(null) })) }), [PUT]],
    ["a body policy keyed to another endpoint", stack({ aws_api_gateway_rest_api: privateApi({ body: openApi({}, { "x-amazon-apigateway-policy": documentPolicy("vpce-0fedcba9876543210") }) }), aws_vpc_endpoint: endpoint }), [API]],
    ["a YAML put next to a good attached policy", stack({ aws_api_gateway_rest_api: privateApi(), aws_vpc_endpoint: endpoint, ...attachedPolicy, ...put("openapi: 3.0.1\n") }, { data: policyDocument(sourceVpce("StringNotEquals", [ref(ENDPOINT, "id")])) }), [PUT]],
  ])("%s", (_name, fixture, expected) => expectViolations(privateApiPolicyBoundToEndpoint, fixture, expected));

  test("names the JSON pointer of a document's policy", () => {
    const fixture = stack({ aws_api_gateway_rest_api: privateApi(), aws_vpc_endpoint: endpoint, ...put(openApi({}, { "x-amazon-apigateway-policy": documentPolicy(null) })) });
    expect(privateApiPolicyBoundToEndpoint.check(fixture)[0].detail).toBe("#/x-amazon-apigateway-policy: no Deny of execute-api:Invoke keyed to the API's VPC endpoints");
  });

  test("says why a StringEquals Deny fails", () => {
    expect(privateApiPolicyBoundToEndpoint.check(withDocument(sourceVpce("StringEquals", [ref(ENDPOINT, "id")])))[0].detail).toMatch(/use StringNotEquals/);
  });
});

describe("APIGW-POLICY-SHORTHAND", () => {
  const attached = (resource: string) => ({
    aws_api_gateway_rest_api_policy: { p: { rest_api_id: ref(API, "id"), policy: jsonPolicy([{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: resource }]) } },
  });
  test.each<Case>([
    ["an attached policy with the execution ARN", stack({ aws_api_gateway_rest_api: privateApi(), ...attached(`${ref(API, "execution_arn")}/*`) }), []],
    ["a policy only in the OpenAPI document", stack({ aws_api_gateway_rest_api: privateApi({ body: JSON.stringify({ "x-amazon-apigateway-policy": { Statement: [{ Resource: "execute-api:/*" }] } }) }) }), []],
    ["an attached policy with the shorthand", stack({ aws_api_gateway_rest_api: privateApi(), ...attached("execute-api:/*") }), ["aws_api_gateway_rest_api_policy.p"]],
    ["the API's own policy with the shorthand", stack({ aws_api_gateway_rest_api: privateApi({ policy: jsonPolicy([{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" }]) }) }), [API]],
    [
      "a private domain's policy with the shorthand",
      stack({ aws_api_gateway_domain_name: { d: { endpoint_configuration: { types: ["PRIVATE"] }, policy: jsonPolicy([{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: ["execute-api:/*"] }]) } } }),
      ["aws_api_gateway_domain_name.d"],
    ],
    ["a policy document data source with the shorthand", stack({ aws_api_gateway_rest_api: privateApi(), ...attachedPolicy }, { data: policyDocument(undefined) }), ["aws_api_gateway_rest_api_policy.policy"]],
  ])("%s", (_name, fixture, expected) => expectViolations(resourcePolicyExpandedForm, fixture, expected));
});

describe("APIGW-PRIVATE-DOMAIN", () => {
  const DOMAIN = "aws_api_gateway_domain_name.d";
  const denyUnless = (vpce: string) =>
    jsonPolicy([
      { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" },
      { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpce": vpce } } },
    ]);
  const domain = (policy?: string) => ({ aws_api_gateway_domain_name: { d: { endpoint_configuration: { types: ["PRIVATE"] }, ...(policy ? { policy } : {}) } } });
  const association = { aws_api_gateway_domain_name_access_association: { a: { domain_name_arn: ref(DOMAIN, "arn"), access_association_source: ref(ENDPOINT, "id"), access_association_source_type: "VPCE" } } };
  test.each<Case>([
    ["an associated domain whose policy names the endpoint", stack({ ...domain(denyUnless(ref(ENDPOINT, "id"))), ...association }), []],
    ["no access association", stack(domain(denyUnless(ref(ENDPOINT, "id")))), [DOMAIN]],
    ["no policy", stack({ ...domain(), ...association }), [DOMAIN]],
    ["a policy naming another endpoint", stack({ ...domain(denyUnless("vpce-0fedcba9876543210")), ...association }), [DOMAIN]],
    ["a public domain", stack({ aws_api_gateway_domain_name: { d: { endpoint_configuration: { types: ["EDGE"] } } } }), []],
  ])("%s", (_name, fixture, expected) => expectViolations(privateDomainBoundToEndpoint, fixture, expected));
});

describe("APIGW-DEPLOYMENT-TRIGGERS", () => {
  const route = {
    aws_api_gateway_method: { get: { rest_api_id: ref(API, "id"), http_method: "GET" } },
    aws_api_gateway_integration: { get: { rest_api_id: ref(API, "id"), type: "MOCK" } },
  };
  const deployment = (triggers: unknown) => ({ aws_api_gateway_deployment: { d: { rest_api_id: ref(API, "id"), ...(triggers ? { triggers } : {}) } } });
  const everything = "${sha1(jsonencode([aws_api_gateway_method.get, aws_api_gateway_integration.get, aws_api_gateway_rest_api_policy.policy]))}";
  test.each<Case>([
    ["triggers referencing every method, integration and the policy", stack({ aws_api_gateway_rest_api: privateApi(), ...attachedPolicy, ...route, ...deployment({ redeployment: everything }) }), []],
    ["triggers reaching the policy through its document", stack({ aws_api_gateway_rest_api: privateApi(), ...attachedPolicy, ...route, ...deployment({ r: "${sha1(jsonencode([aws_api_gateway_method.get.id, aws_api_gateway_integration.get.id, data.aws_iam_policy_document.policy.json]))}" }) }), []],
    ["no triggers", stack({ aws_api_gateway_rest_api: publicApi(), ...route, ...deployment(undefined) }), ["aws_api_gateway_deployment.d"]],
    ["triggers missing the policy", stack({ aws_api_gateway_rest_api: privateApi(), ...attachedPolicy, ...route, ...deployment({ r: "${sha1(jsonencode([aws_api_gateway_method.get, aws_api_gateway_integration.get]))}" }) }), ["aws_api_gateway_deployment.d"]],
    ["triggers missing an integration", stack({ aws_api_gateway_rest_api: publicApi(), ...route, ...deployment({ r: "${sha1(jsonencode([aws_api_gateway_method.get]))}" }) }), ["aws_api_gateway_deployment.d"]],
    ["triggers on the put's body", stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi({})), ...deployment({ r: "${sha1(aws_api_gateway_rest_api_put.p.body)}" }) }), []],
    ["triggers on the API's body", stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, body: openApi({}) } }, ...deployment({ r: "${sha1(jsonencode(aws_api_gateway_rest_api.api.body))}" }) }), []],
    ["triggers on the put and the attached policy", stack({ aws_api_gateway_rest_api: privateApi(), ...attachedPolicy, ...put(openApi({})), ...deployment({ r: "${sha1(jsonencode([aws_api_gateway_rest_api_put.p.body, aws_api_gateway_rest_api_policy.policy]))}" }) }), []],
    ["triggers missing the put", stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi({})), ...deployment({ r: "${aws_api_gateway_rest_api.api.id}" }) }), ["aws_api_gateway_deployment.d"]],
    ["triggers on the API's name, not its body", stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, body: openApi({}) } }, ...deployment({ r: "${aws_api_gateway_rest_api.api.name}" }) }), ["aws_api_gateway_deployment.d"]],
    ["triggers on the put, missing the attached policy", stack({ aws_api_gateway_rest_api: privateApi(), ...attachedPolicy, ...put(openApi({})), ...deployment({ r: "${sha1(aws_api_gateway_rest_api_put.p.body)}" }) }), ["aws_api_gateway_deployment.d"]],
  ])("%s", (_name, fixture, expected) => expectViolations(deploymentRedeploys, fixture, expected));

  test("names the document the triggers miss", () => {
    const fixture = stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, body: openApi({}) } }, ...put(openApi({})), ...deployment({ r: "${aws_api_gateway_rest_api.api.id}" }) });
    expect(deploymentRedeploys.check(fixture)[0].detail).toBe("triggers miss aws_api_gateway_rest_api.api.body, aws_api_gateway_rest_api_put.p");
  });

  test("names what the triggers miss", () => {
    const fixture = stack({ aws_api_gateway_rest_api: publicApi(), ...route, ...deployment({ r: "${sha1(jsonencode([aws_api_gateway_method.get]))}" }) });
    expect(deploymentRedeploys.check(fixture)[0].detail).toBe("triggers miss aws_api_gateway_integration.get");
  });
});

describe("APIGW-DEPLOYMENT-TRIGGERS for HTTP and WebSocket APIs", () => {
  const api = { aws_apigatewayv2_api: { ws: { protocol_type: "WEBSOCKET" } } };
  const parts = {
    aws_apigatewayv2_route: { connect: { api_id: ref("aws_apigatewayv2_api.ws", "id"), route_key: "$connect" } },
    aws_apigatewayv2_integration: { i: { api_id: ref("aws_apigatewayv2_api.ws", "id") } },
    aws_apigatewayv2_route_response: { rr: { api_id: ref("aws_apigatewayv2_api.ws", "id") } },
    aws_apigatewayv2_authorizer: { a: { api_id: ref("aws_apigatewayv2_api.ws", "id") } },
  };
  const other = { aws_apigatewayv2_route: { ...parts.aws_apigatewayv2_route, elsewhere: { api_id: "x1y2z3", route_key: "$connect" } } };
  const deployment = (triggers?: unknown) => ({ aws_apigatewayv2_deployment: { d: { api_id: ref("aws_apigatewayv2_api.ws", "id"), ...(triggers ? { triggers } : {}), lifecycle: { create_before_destroy: true } } } });
  const all = "${sha1(jsonencode([aws_apigatewayv2_route.connect.target, aws_apigatewayv2_integration.i.integration_uri, aws_apigatewayv2_route_response.rr.id, aws_apigatewayv2_authorizer.a.authorizer_uri]))}";
  test.each<Case>([
    ["triggers on every route, integration, route response and authorizer", stack({ ...api, ...parts, ...deployment({ redeployment: all }) }), []],
    ["a route of another API left out", stack({ ...api, ...parts, ...other, ...deployment({ redeployment: all }) }), []],
    ["no triggers", stack({ ...api, ...parts, ...deployment() }), ["aws_apigatewayv2_deployment.d"]],
    ["triggers missing the authorizer", stack({ ...api, ...parts, ...deployment({ r: all.replace(", aws_apigatewayv2_authorizer.a.authorizer_uri", "") }) }), ["aws_apigatewayv2_deployment.d"]],
  ])("%s", (_name, fixture, expected) => expectViolations(deploymentRedeploys, fixture, expected));

  test("names what the triggers miss", () => {
    const fixture = stack({ ...api, ...parts, ...deployment({ r: "${sha1(aws_apigatewayv2_route.connect.target)}" }) });
    expect(deploymentRedeploys.check(fixture)[0].detail).toBe("triggers miss aws_apigatewayv2_integration.i, aws_apigatewayv2_route_response.rr, aws_apigatewayv2_authorizer.a");
  });
});

describe("APIGW-DEPLOYMENT-CBD", () => {
  test.each<Case>([
    ["create_before_destroy", stack({ aws_api_gateway_deployment: { d: { lifecycle: { create_before_destroy: true } } } }), []],
    ["no lifecycle", stack({ aws_api_gateway_deployment: { d: {} } }), ["aws_api_gateway_deployment.d"]],
    ["a v2 deployment created before destroy", stack({ aws_apigatewayv2_deployment: { d: { lifecycle: { create_before_destroy: true } } } }), []],
    ["a v2 deployment without lifecycle", stack({ aws_apigatewayv2_deployment: { d: {} } }), ["aws_apigatewayv2_deployment.d"]],
  ])("%s", (_name, fixture, expected) => expectViolations(deploymentCreateBeforeDestroy, fixture, expected));
});

const STAGE = "aws_api_gateway_stage.s";
const restStage = (extra: Record<string, unknown> = {}) => ({ s: { rest_api_id: ref(API, "id"), stage_name: "prod", ...extra } });
const methodSettings = (settings: Record<string, unknown>, stageName: unknown = ref(STAGE, "stage_name")) => ({
  aws_api_gateway_method_settings: { all: { rest_api_id: ref(API, "id"), stage_name: stageName, method_path: "*/*", settings } },
});
const goodSettings = { logging_level: "INFO", metrics_enabled: true, data_trace_enabled: false, throttling_rate_limit: 10, throttling_burst_limit: 20 };

const WS_API = "aws_apigatewayv2_api.ws";
const WS_STAGE = "aws_apigatewayv2_stage.w";
const wsApi = { aws_apigatewayv2_api: { ws: { name: "chat", protocol_type: "WEBSOCKET", route_selection_expression: "$request.body.action" } } };
const wsRouteSettings = { logging_level: "ERROR", detailed_metrics_enabled: true, data_trace_enabled: false, throttling_rate_limit: 10, throttling_burst_limit: 20 };
/** A WebSocket API with one stage; `stage` replaces or adds to the compliant stage's arguments. */
const wsStage = (stage: Record<string, unknown> = {}) =>
  stack({
    ...wsApi,
    aws_cloudwatch_log_group: { logs: { retention_in_days: 7 } },
    aws_apigatewayv2_stage: {
      w: { api_id: ref(WS_API, "id"), name: "dev", access_log_settings: { destination_arn: ref("aws_cloudwatch_log_group.logs", "arn"), format: "{}" }, default_route_settings: wsRouteSettings, ...stage },
    },
  });

describe("APIGW-STAGE-ACCESS-LOGS", () => {
  const logged = { access_log_settings: { destination_arn: ref("aws_cloudwatch_log_group.logs", "arn"), format: "{}" } };
  test.each<Case>([
    ["a REST stage logging to a log group", stack({ aws_api_gateway_stage: restStage(logged), aws_cloudwatch_log_group: { logs: { retention_in_days: 7 } } }), []],
    ["an HTTP stage logging to a literal ARN", stack({ aws_apigatewayv2_stage: { h: { access_log_settings: { destination_arn: "arn:aws:logs:eu-west-1:111111111111:log-group:x" } } } }), []],
    ["a REST stage without access logs", stack({ aws_api_gateway_stage: restStage() }), [STAGE]],
    ["an HTTP stage without access logs", stack({ aws_apigatewayv2_stage: { h: {} } }), ["aws_apigatewayv2_stage.h"]],
    ["a WebSocket stage logging to a log group", wsStage(), []],
    ["a WebSocket stage without access logs", wsStage({ access_log_settings: undefined }), [WS_STAGE]],
    ["a stage logging to something that is not a log group", stack({ aws_api_gateway_stage: restStage({ access_log_settings: { destination_arn: ref("aws_s3_bucket.b", "arn") } }), aws_s3_bucket: { b: {} } }), [STAGE]],
  ])("%s", (_name, fixture, expected) => expectViolations(stageAccessLogging, fixture, expected));
});

describe("APIGW-STAGE-XRAY", () => {
  test.each<Case>([
    ["tracing on", stack({ aws_api_gateway_stage: restStage({ xray_tracing_enabled: true }) }), []],
    ["tracing off", stack({ aws_api_gateway_stage: restStage() }), [STAGE]],
  ])("%s", (_name, fixture, expected) => expectViolations(restStageTracing, fixture, expected));
});

describe("APIGW-STAGE-EXECUTION-LOGS", () => {
  test.each<Case>([
    ["INFO with metrics", stack({ aws_api_gateway_stage: restStage(), ...methodSettings(goodSettings) }), []],
    ["settings matched by the stage's literal name", stack({ aws_api_gateway_stage: restStage(), ...methodSettings(goodSettings, "prod") }), []],
    ["no method settings", stack({ aws_api_gateway_stage: restStage() }), [STAGE]],
    ["logging OFF", stack({ aws_api_gateway_stage: restStage(), ...methodSettings({ ...goodSettings, logging_level: "OFF" }) }), [STAGE]],
    ["no metrics", stack({ aws_api_gateway_stage: restStage(), ...methodSettings({ ...goodSettings, metrics_enabled: false }) }), [STAGE]],
    ["a WebSocket stage logging errors with detailed metrics", wsStage(), []],
    ["a WebSocket route setting that names its level", wsStage({ route_settings: [{ route_key: "sendMessage", logging_level: "INFO", throttling_rate_limit: 5, throttling_burst_limit: 5 }] }), []],
    ["an HTTP stage, which has no execution logs", stack({ aws_apigatewayv2_api: { h: { protocol_type: "HTTP" } }, aws_apigatewayv2_stage: { s: { api_id: ref("aws_apigatewayv2_api.h", "id") } } }), []],
    ["a WebSocket stage without a logging level", wsStage({ default_route_settings: { ...wsRouteSettings, logging_level: undefined } }), [WS_STAGE]],
    ["a WebSocket stage logging OFF", wsStage({ default_route_settings: { ...wsRouteSettings, logging_level: "OFF" } }), [WS_STAGE]],
    ["a WebSocket stage without detailed metrics", wsStage({ default_route_settings: { ...wsRouteSettings, detailed_metrics_enabled: false } }), [WS_STAGE]],
    ["a WebSocket route setting without a level", wsStage({ route_settings: [{ route_key: "sendMessage", throttling_rate_limit: 5, throttling_burst_limit: 5 }] }), [WS_STAGE]],
  ])("%s", (_name, fixture, expected) => expectViolations(restStageExecutionLogging, fixture, expected));

  test("names what a WebSocket stage misses", () => {
    const fixture = wsStage({ default_route_settings: { throttling_rate_limit: 1, throttling_burst_limit: 1 }, route_settings: [{ route_key: "sendMessage", logging_level: "OFF" }] });
    expect(restStageExecutionLogging.check(fixture)[0].detail).toBe(
      "default_route_settings.logging_level is unset, default_route_settings.detailed_metrics_enabled is not true, route_settings sendMessage logging_level is OFF",
    );
  });
});

describe("APIGW-STAGE-NO-DATA-TRACE", () => {
  test.each<Case>([
    ["data trace off", stack(methodSettings(goodSettings)), []],
    ["data trace on", stack(methodSettings({ ...goodSettings, data_trace_enabled: true })), ["aws_api_gateway_method_settings.all"]],
    ["a WebSocket stage without data trace", wsStage(), []],
    ["a WebSocket stage tracing data on every route", wsStage({ default_route_settings: { ...wsRouteSettings, data_trace_enabled: true } }), [WS_STAGE]],
    ["a WebSocket stage tracing data on one route", wsStage({ route_settings: [{ route_key: "sendMessage", logging_level: "INFO", data_trace_enabled: true }] }), [WS_STAGE]],
  ])("%s", (_name, fixture, expected) => expectViolations(restStageNoDataTrace, fixture, expected));
});

describe("APIGW-STAGE-CACHE-ENCRYPTED", () => {
  const cached = restStage({ cache_cluster_enabled: true, cache_cluster_size: "0.5" });
  test.each<Case>([
    ["no cache", stack({ aws_api_gateway_stage: restStage() }), []],
    ["an encrypted cache", stack({ aws_api_gateway_stage: cached, ...methodSettings({ ...goodSettings, caching_enabled: true, cache_data_encrypted: true }) }), []],
    ["an unencrypted cache", stack({ aws_api_gateway_stage: cached, ...methodSettings({ ...goodSettings, caching_enabled: true }) }), ["aws_api_gateway_method_settings.all"]],
  ])("%s", (_name, fixture, expected) => expectViolations(restStageCacheEncrypted, fixture, expected));
});

describe("APIGW-STAGE-CACHE-KEYS", () => {
  const KEY = ["method.request.path.key"];
  const cachedStage = (settings: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) => ({
    aws_api_gateway_stage: restStage({ cache_cluster_enabled: true, cache_cluster_size: "0.5" }),
    aws_api_gateway_method_settings: {
      all: { rest_api_id: ref(API, "id"), stage_name: ref(STAGE, "stage_name"), method_path: "*/*", settings: { ...goodSettings, caching_enabled: true, cache_data_encrypted: true, ...settings } },
      ...overrides,
    },
  });
  const override = (caching: boolean) => ({ get: { rest_api_id: ref(API, "id"), stage_name: ref(STAGE, "stage_name"), method_path: "~1files~1{key}/GET", settings: { ...goodSettings, caching_enabled: caching } } });
  const files = (cacheKeys?: string[]) => openApi({ "/files/{key}": { get: { "x-amazon-apigateway-integration": lambdaIntegration(cacheKeys) } }, "/health": { get: {} } });
  const METHOD = "aws_api_gateway_method.get";
  test.each<Case>([
    ["resources: the path parameter is a cache key", stack({ aws_api_gateway_rest_api: privateApi(), ...filesRoute({}, { cache_key_parameters: KEY }), ...cachedStage() }), []],
    ["resources: no cache key", stack({ aws_api_gateway_rest_api: privateApi(), ...filesRoute(), ...cachedStage() }), [METHOD]],
    ["resources: caching off for the method", stack({ aws_api_gateway_rest_api: privateApi(), ...filesRoute(), ...cachedStage({}, override(false)) }), []],
    ["resources: caching on for the method only", stack({ aws_api_gateway_rest_api: privateApi(), ...filesRoute(), ...cachedStage({ caching_enabled: false }, override(true)) }), [METHOD]],
    ["resources: a stage without a cache cluster", stack({ aws_api_gateway_rest_api: privateApi(), ...filesRoute(), aws_api_gateway_stage: restStage(), ...methodSettings({ ...goodSettings, caching_enabled: true }) }), []],
    ["put: the path parameter is a cache key", stack({ aws_api_gateway_rest_api: privateApi(), ...put(files(KEY)), ...cachedStage() }), []],
    ["put: no cache key", stack({ aws_api_gateway_rest_api: privateApi(), ...put(files()), ...cachedStage() }), [PUT]],
    ["body: the path parameter is a cache key", stack({ aws_api_gateway_rest_api: privateApi({ body: files(KEY) }), ...cachedStage() }), []],
    ["body: a query string key but not the path parameter", stack({ aws_api_gateway_rest_api: privateApi({ body: files(["method.request.querystring.v"]) }), ...cachedStage() }), [API]],
    ["body: caching off in the stage", stack({ aws_api_gateway_rest_api: privateApi({ body: files() }), ...cachedStage({ caching_enabled: false }) }), []],
    ["put: a YAML document", stack({ aws_api_gateway_rest_api: privateApi(), ...put("openapi: 3.0.1\n"), ...cachedStage() }), [PUT]],
  ])("%s", (_name, fixture, expected) => expectViolations(restStageCacheKeys, fixture, expected));

  test("names the route, the stage and the missing key", () => {
    const fixture = stack({ aws_api_gateway_rest_api: privateApi(), ...put(files()), ...cachedStage() });
    expect(restStageCacheKeys.check(fixture)[0].detail).toBe(`GET /files/{key} (#/paths/~1files~1{key}/get) is cached by ${STAGE} without the cache keys method.request.path.key`);
  });
});

describe("APIGW-METHOD-SETTINGS-OVERRIDE", () => {
  const settings = (methodPath: string, values: Record<string, unknown>) => stack({ aws_api_gateway_method_settings: { m: { rest_api_id: ref(API, "id"), stage_name: "prod", method_path: methodPath, settings: values } } });
  const M = "aws_api_gateway_method_settings.m";
  test.each<Case>([
    ["an override with its own throttling, logging and metrics", settings("~1files~1{key}/GET", goodSettings), []],
    ["an override of the root", settings("~1/GET", goodSettings), []],
    ["an override of every method of a resource", settings("~1files/*", goodSettings), []],
    ["the stage-wide settings are not an override", settings("*/*", { caching_enabled: true }), []],
    ["an override of caching only (throttling -1, logging unset)", settings("~1files~1{key}/GET", { caching_enabled: false }), [M]],
    ["an override with throttling 0", settings("~1files~1{key}/GET", { ...goodSettings, throttling_rate_limit: 0 }), [M]],
    ["an override without metrics", settings("~1health/GET", { ...goodSettings, metrics_enabled: undefined }), [M]],
    ["an override whose path is not escaped (it applies to no method)", settings("files/{key}/GET", goodSettings), [M]],
    ["an override of a nested path without its leading ~1", settings("health/GET", goodSettings), [M]],
  ])("%s", (_name, fixture, expected) => expectViolations(methodSettingsOverride, fixture, expected));
});

describe("APIGW-REST-ONE-DEFINITION", () => {
  const withBody = (extra: Record<string, unknown> = {}) => ({ aws_api_gateway_rest_api: { api: { ...publicApi().api, body: openApi({}), ...extra } } });
  test.each<Case>([
    ["one put", stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi({})) }), []],
    ["one body", stack(withBody()), []],
    ["method resources only", stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute() }), []],
    ["a body in merge mode next to method resources", stack({ ...withBody({ put_rest_api_mode: "merge" }), ...filesRoute() }), []],
    ["a body and a put", stack({ ...withBody(), ...put(openApi({})) }), [API]],
    ["two puts", stack({ aws_api_gateway_rest_api: publicApi(), aws_api_gateway_rest_api_put: { ...put(openApi({}), "a").aws_api_gateway_rest_api_put, ...put(openApi({}), "b").aws_api_gateway_rest_api_put } }), [API]],
    ["a put next to method resources", stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi({})), ...filesRoute() }), [API]],
  ])("%s", (_name, fixture, expected) => expectViolations(restSingleDefinition, fixture, expected));
});

describe("APIGW-STAGE-WAF", () => {
  const waf = { aws_wafv2_web_acl_association: { w: { resource_arn: ref(STAGE, "arn"), web_acl_arn: "arn" } } };
  test.each<Case>([
    ["a public stage with a web ACL", stack({ aws_api_gateway_rest_api: publicApi(), aws_api_gateway_stage: restStage(), ...waf }), []],
    ["a private stage without one", stack({ aws_api_gateway_rest_api: privateApi(), aws_api_gateway_stage: restStage() }), []],
    ["a public stage without one", stack({ aws_api_gateway_rest_api: publicApi("REGIONAL"), aws_api_gateway_stage: restStage() }), [STAGE]],
  ])("%s", (_name, fixture, expected) => expectViolations(publicStageWaf, fixture, expected));
});

describe("APIGW-STAGE-THROTTLING", () => {
  const httpStage = (settings?: Record<string, unknown>) => ({ aws_apigatewayv2_stage: { h: settings ? { default_route_settings: settings } : {} } });
  test.each<Case>([
    ["a throttled REST stage", stack({ aws_api_gateway_stage: restStage(), ...methodSettings(goodSettings) }), []],
    ["a throttled HTTP stage", stack(httpStage({ throttling_rate_limit: 5, throttling_burst_limit: 10 })), []],
    ["a REST stage without throttling", stack({ aws_api_gateway_stage: restStage(), ...methodSettings({ logging_level: "INFO" }) }), [STAGE]],
    ["an HTTP stage throttled to 0", stack(httpStage({ throttling_rate_limit: 0, throttling_burst_limit: 0 })), ["aws_apigatewayv2_stage.h"]],
    ["an HTTP stage without route settings", stack(httpStage()), ["aws_apigatewayv2_stage.h"]],
    ["a throttled WebSocket stage", wsStage(), []],
    ["a WebSocket stage without throttling", wsStage({ default_route_settings: { logging_level: "ERROR", detailed_metrics_enabled: true } }), [WS_STAGE]],
  ])("%s", (_name, fixture, expected) => expectViolations(stageThrottling, fixture, expected));
});

describe("APIGW-METHOD-AUTH", () => {
  const schemes = {
    sigv4: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "awsSigv4" },
    key: { type: "apiKey", name: "x-api-key", in: "header" },
    lambda: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "custom", "x-amazon-apigateway-authorizer": { type: "token", authorizerUri: "arn" } },
  };
  const document = (operation: Record<string, unknown>, security?: unknown) =>
    openApi({ "/files/{key}": { get: { ...operation, "x-amazon-apigateway-integration": lambdaIntegration() } } }, { components: { securitySchemes: schemes }, ...(security ? { security } : {}) });
  const method = (extra: Record<string, unknown>) => ({ aws_api_gateway_method: { m: { rest_api_id: ref(API, "id"), http_method: "GET", authorization: "NONE", ...extra } } });
  test.each<Case>([
    ["a public method with an API key", stack({ aws_api_gateway_rest_api: publicApi(), ...method({ api_key_required: true }) }), []],
    ["a public method with IAM", stack({ aws_api_gateway_rest_api: publicApi(), ...method({ authorization: "AWS_IAM" }) }), []],
    ["a private method without either", stack({ aws_api_gateway_rest_api: privateApi(), ...method({}) }), []],
    ["a public CORS preflight", stack({ aws_api_gateway_rest_api: publicApi(), ...method({ http_method: "OPTIONS" }) }), []],
    ["a public method open to anyone", stack({ aws_api_gateway_rest_api: publicApi(), ...method({}) }), ["aws_api_gateway_method.m"]],
    ["a put operation signed with SigV4", stack({ aws_api_gateway_rest_api: publicApi(), ...put(document({ security: [{ sigv4: [] }] })) }), []],
    ["a put operation with the x-api-key scheme document-wide", stack({ aws_api_gateway_rest_api: publicApi(), ...put(document({}, [{ key: [] }])) }), []],
    ["a body operation with a Lambda authorizer", stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, body: document({ security: [{ lambda: [] }] }) } } }), []],
    ["a private API's open document operation", stack({ aws_api_gateway_rest_api: privateApi(), ...put(document({})) }), []],
    ["a put operation without security", stack({ aws_api_gateway_rest_api: publicApi(), ...put(document({})) }), [PUT]],
    ["a put operation opting out of the document's API key with security: []", stack({ aws_api_gateway_rest_api: publicApi(), ...put(document({ security: [] }, [{ key: [] }])) }), [PUT]],
    ["a body operation naming an undefined scheme", stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, body: document({ security: [{ nobody: [] }] }) } } }), [API]],
    ["a YAML body of a public API", stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, body: "openapi: 3.0.1\n" } } }), [API]],
  ])("%s", (_name, fixture, expected) => expectViolations(publicMethodProtected, fixture, expected));

  test("names the route and the JSON pointer of an open document operation", () => {
    expect(publicMethodProtected.check(stack({ aws_api_gateway_rest_api: publicApi(), ...put(document({})) }))[0].detail).toBe("GET /files/{key} (#/paths/~1files~1{key}/get) is open to anyone");
  });
});

describe("APIGW-HTTP-ROUTE-AUTH", () => {
  const route = (extra: Record<string, unknown>) => stack({ aws_apigatewayv2_route: { r: { route_key: "GET /orders", ...extra } } });
  test.each<Case>([
    ["a JWT route with its authorizer", route({ authorization_type: "JWT", authorizer_id: ref("aws_apigatewayv2_authorizer.a", "id") }), []],
    ["an IAM route", route({ authorization_type: "AWS_IAM" }), []],
    ["a route with no authorization", route({}), ["aws_apigatewayv2_route.r"]],
    ["a JWT route without an authorizer id", route({ authorization_type: "JWT" }), ["aws_apigatewayv2_route.r"]],
    ["a WebSocket API's message route, which cannot be authorized", stack({ ...wsApi, aws_apigatewayv2_route: { r: { api_id: ref(WS_API, "id"), route_key: "$default" } } }), []],
    ["a WebSocket route of an API outside the stack, known by its key", route({ route_key: "sendMessage" }), []],
    ["a $default route of an API outside the stack", route({ route_key: "$default" }), ["aws_apigatewayv2_route.r"]],
    ["an HTTP API's $default route", stack({ aws_apigatewayv2_api: { h: { protocol_type: "HTTP" } }, aws_apigatewayv2_route: { r: { api_id: ref("aws_apigatewayv2_api.h", "id"), route_key: "$default" } } }), ["aws_apigatewayv2_route.r"]],
  ])("%s", (_name, fixture, expected) => expectViolations(httpRouteAuthorizer, fixture, expected));
});

describe("APIGW-WS-CONNECT-AUTH", () => {
  const CONNECT = "aws_apigatewayv2_route.connect";
  const connect = (extra: Record<string, unknown>) =>
    stack({ ...wsApi, aws_apigatewayv2_route: { connect: { api_id: ref(WS_API, "id"), route_key: "$connect", ...extra }, message: { api_id: ref(WS_API, "id"), route_key: "sendMessage" } } });
  test.each<Case>([
    ["a Lambda authorizer", connect({ authorization_type: "CUSTOM", authorizer_id: ref("aws_apigatewayv2_authorizer.a", "id") }), []],
    ["AWS_IAM", connect({ authorization_type: "AWS_IAM" }), []],
    ["an HTTP API without $connect", stack({ aws_apigatewayv2_api: { h: { protocol_type: "HTTP" } } }), []],
    ["no authorization", connect({}), [CONNECT]],
    ["authorization NONE", connect({ authorization_type: "NONE" }), [CONNECT]],
    ["CUSTOM without an authorizer", connect({ authorization_type: "CUSTOM" }), [CONNECT]],
    ["no $connect route", stack({ ...wsApi, aws_apigatewayv2_route: { message: { api_id: ref(WS_API, "id"), route_key: "sendMessage" } } }), [WS_API]],
    ["an open $connect of an API outside the stack", stack({ aws_apigatewayv2_route: { connect: { api_id: "a1b2c3d4e5", route_key: "$connect" } } }), [CONNECT]],
  ])("%s", (_name, fixture, expected) => expectViolations(websocketConnectAuthorized, fixture, expected));
});

describe("APIGW-WS-MANAGE-CONNECTIONS", () => {
  const STAGE_ARN = ref(WS_STAGE, "execution_arn");
  const rolePolicy = (resource: unknown, action: unknown = "execute-api:ManageConnections") =>
    stack({ aws_iam_role_policy: { p: { role: "r", policy: jsonPolicy([{ Effect: "Allow", Action: action, Resource: resource }]) } } });
  test.each<Case>([
    ["the stage's @connections POST", rolePolicy(`${STAGE_ARN}/POST/@connections/*`), []],
    ["one stage named after the API's execution ARN", rolePolicy(`${ref(WS_API, "execution_arn")}/dev/POST/@connections/*`), []],
    ["a literal ARN of one stage's @connections", rolePolicy("arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/dev/*/@connections/*"), []],
    ["Invoke on the whole API", rolePolicy(`${ref(WS_API, "execution_arn")}/*`, "execute-api:Invoke"), []],
    ["a Deny on *", stack({ aws_iam_role_policy: { p: { role: "r", policy: jsonPolicy([{ Effect: "Deny", Action: "execute-api:ManageConnections", Resource: "*" }]) } } }), []],
    ["*", rolePolicy("*"), ["aws_iam_role_policy.p"]],
    ["the whole API by execution ARN", rolePolicy(`${ref(WS_API, "execution_arn")}/*`), ["aws_iam_role_policy.p"]],
    ["every stage's @connections", rolePolicy(`${ref(WS_API, "execution_arn")}/*/POST/@connections/*`), ["aws_iam_role_policy.p"]],
    ["the whole stage", rolePolicy(`${STAGE_ARN}/*`), ["aws_iam_role_policy.p"]],
    ["every API of the account", rolePolicy("arn:aws:execute-api:eu-west-1:111111111111:*"), ["aws_iam_role_policy.p"]],
    ["a literal whole API", rolePolicy("arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/*"), ["aws_iam_role_policy.p"]],
    ["execute-api:* on the whole API", rolePolicy(`${ref(WS_API, "execution_arn")}/*`, "execute-api:*"), ["aws_iam_role_policy.p"]],
    [
      "an attached policy document on *",
      stack(
        { aws_iam_policy: { p: { policy: ref("data.aws_iam_policy_document.d", "json") } } },
        { data: { aws_iam_policy_document: { d: { statement: [{ actions: ["execute-api:ManageConnections"], resources: ["*"] }] } } } },
      ),
      ["aws_iam_policy.p"],
    ],
    ["a role's inline policy on the whole API", stack({ aws_iam_role: { r: { inline_policy: [{ name: "x", policy: jsonPolicy([{ Effect: "Allow", Action: "execute-api:ManageConnections", Resource: `${ref(WS_API, "execution_arn")}/*` }]) }] } } }), ["aws_iam_role.r"]],
  ])("%s", (_name, fixture, expected) => expectViolations(manageConnectionsScoped, fixture, expected));

  test("names the resource and what it covers", () => {
    expect(manageConnectionsScoped.check(rolePolicy(`${STAGE_ARN}/*`))[0].detail).toBe(`${STAGE_ARN}/* covers <stage>/*, not its @connections`);
  });
});

describe("APIGW-JWT-AUTHORIZER", () => {
  const authorizer = (jwt: Record<string, unknown>) => stack({ aws_apigatewayv2_authorizer: { a: { authorizer_type: "JWT", jwt_configuration: jwt } } });
  test.each<Case>([
    ["an https issuer with an audience", authorizer({ issuer: "https://issuer.example.com", audience: ["client"] }), []],
    ["an http issuer", authorizer({ issuer: "http://issuer.example.com", audience: ["client"] }), ["aws_apigatewayv2_authorizer.a"]],
    ["no audience", authorizer({ issuer: "https://issuer.example.com", audience: [] }), ["aws_apigatewayv2_authorizer.a"]],
    ["a REQUEST authorizer", stack({ aws_apigatewayv2_authorizer: { a: { authorizer_type: "REQUEST" } } }), []],
  ])("%s", (_name, fixture, expected) => expectViolations(jwtAuthorizerConfiguration, fixture, expected));
});

describe("APIGW-LAMBDA-PERMISSION", () => {
  const permission = (extra: Record<string, unknown>) => stack({ aws_lambda_permission: { p: { function_name: "f", action: "lambda:InvokeFunction", ...extra } } });
  test.each<Case>([
    ["API Gateway scoped to an API", permission({ principal: "apigateway.amazonaws.com", source_arn: `${ref(API, "execution_arn")}/*` }), []],
    ["another service, scoped to its source", permission({ principal: "events.amazonaws.com", source_arn: "arn:aws:events:eu-west-1:111111111111:rule/nightly" }), []],
    ["a * principal", permission({ principal: "*" }), ["aws_lambda_permission.p"]],
    ["API Gateway without a source ARN", permission({ principal: "apigateway.amazonaws.com" }), ["aws_lambda_permission.p"]],
  ])("%s", (_name, fixture, expected) => expectViolations(lambdaPermissionScoped, fixture, expected));
});

describe("APIGW-LOG-RETENTION", () => {
  test.each<Case>([
    ["a retention", stack({ aws_cloudwatch_log_group: { l: { retention_in_days: 30 } } }), []],
    ["no retention", stack({ aws_cloudwatch_log_group: { l: {} } }), ["aws_cloudwatch_log_group.l"]],
    ["retention 0 (never expire)", stack({ aws_cloudwatch_log_group: { l: { retention_in_days: 0 } } }), ["aws_cloudwatch_log_group.l"]],
  ])("%s", (_name, fixture, expected) => expectViolations(logGroupRetention, fixture, expected));
});

describe("APIGW-DOMAIN-TLS", () => {
  test.each<Case>([
    ["TLS 1.2", stack({ aws_api_gateway_domain_name: { d: { security_policy: "TLS_1_2" } } }), []],
    ["a TLS 1.3 policy", stack({ aws_api_gateway_domain_name: { d: { security_policy: "SecurityPolicy_TLS13_1_2_2021_06" } } }), []],
    ["an HTTP API domain on TLS 1.2", stack({ aws_apigatewayv2_domain_name: { d: { domain_name_configuration: { security_policy: "TLS_1_2" } } } }), []],
    ["TLS 1.0", stack({ aws_api_gateway_domain_name: { d: { security_policy: "TLS_1_0" } } }), ["aws_api_gateway_domain_name.d"]],
    ["no policy", stack({ aws_api_gateway_domain_name: { d: {} } }), ["aws_api_gateway_domain_name.d"]],
  ])("%s", (_name, fixture, expected) => expectViolations(domainTls, fixture, expected));
});

describe("APIGW-EDGE-CERT-REGION", () => {
  const edge = (certificate: string) => ({ aws_api_gateway_domain_name: { d: { endpoint_configuration: { types: ["EDGE"] }, certificate_arn: certificate } } });
  const providers = [{ region: "eu-west-1" }, { alias: "us_east_1", region: "us-east-1" }];
  test.each<Case>([
    ["a literal us-east-1 certificate", stack(edge("arn:aws:acm:us-east-1:111111111111:certificate/abc")), []],
    ["a validated certificate with a us-east-1 provider", stack({ ...edge(ref("aws_acm_certificate_validation.v", "certificate_arn")), aws_acm_certificate_validation: { v: { certificate_arn: ref("aws_acm_certificate.c", "arn") } }, aws_acm_certificate: { c: { provider: "aws.us_east_1" } } }, { provider: { aws: providers } }), []],
    ["a certificate with its own region argument", stack({ ...edge(ref("aws_acm_certificate.c", "arn")), aws_acm_certificate: { c: { region: "us-east-1" } } }, { provider: { aws: providers } }), []],
    ["a literal eu-west-1 certificate", stack(edge("arn:aws:acm:eu-west-1:111111111111:certificate/abc")), ["aws_api_gateway_domain_name.d"]],
    ["a certificate from the default eu-west-1 provider", stack({ ...edge(ref("aws_acm_certificate.c", "arn")), aws_acm_certificate: { c: {} } }, { provider: { aws: providers } }), ["aws_api_gateway_domain_name.d"]],
    ["a regional domain in eu-west-1", stack({ aws_api_gateway_domain_name: { d: { endpoint_configuration: { types: ["REGIONAL"] }, regional_certificate_arn: "arn:aws:acm:eu-west-1:111111111111:certificate/abc" } } }), []],
  ])("%s", (_name, fixture, expected) => expectViolations(edgeCertificateRegion, fixture, expected));
});

describe("APIGW-DOMAIN-ALIAS", () => {
  const record = (name: string, zone: string) => ({ aws_route53_record: { a: { type: "A", alias: { name, zone_id: zone, evaluate_target_health: false } } } });
  const edge = { aws_api_gateway_domain_name: { d: { endpoint_configuration: { types: ["EDGE"] } } } };
  const regional = { aws_api_gateway_domain_name: { d: { endpoint_configuration: { types: ["REGIONAL"] } } } };
  const http = { aws_apigatewayv2_domain_name: { h: {} } };
  const D = "aws_api_gateway_domain_name.d";
  const H = "aws_apigatewayv2_domain_name.h";
  test.each<Case>([
    ["edge: cloudfront name and zone", stack({ ...edge, ...record(ref(D, "cloudfront_domain_name"), ref(D, "cloudfront_zone_id")) }), []],
    ["regional: regional name and zone", stack({ ...regional, ...record(ref(D, "regional_domain_name"), ref(D, "regional_zone_id")) }), []],
    ["HTTP: target name and hosted zone", stack({ ...http, ...record(`\${${H}.domain_name_configuration[0].target_domain_name}`, `\${${H}.domain_name_configuration[0].hosted_zone_id}`) }), []],
    ["edge with the regional pair", stack({ ...edge, ...record(ref(D, "regional_domain_name"), ref(D, "regional_zone_id")) }), ["aws_route53_record.a"]],
    ["regional name with the cloudfront zone", stack({ ...regional, ...record(ref(D, "regional_domain_name"), ref(D, "cloudfront_zone_id")) }), ["aws_route53_record.a"]],
    ["a zone id taken from another domain", stack({ ...edge, aws_api_gateway_domain_name: { d: { endpoint_configuration: { types: ["EDGE"] } }, e: {} }, ...record(ref(D, "cloudfront_domain_name"), ref("aws_api_gateway_domain_name.e", "cloudfront_zone_id")) }), ["aws_route53_record.a"]],
    ["HTTP with a hard-coded zone", stack({ ...http, ...record(`\${${H}.domain_name_configuration[0].target_domain_name}`, "Z2FDTNDATAQYW2") }), ["aws_route53_record.a"]],
  ])("%s", (_name, fixture, expected) => expectViolations(aliasTargetMatchesDomain, fixture, expected));
});

describe("APIGW-CERT-VALIDATION-ZONE", () => {
  const CERT = "aws_acm_certificate.c";
  const VALIDATION = "aws_route53_record.validation";
  const option = (attribute: string) => `\${tolist(${CERT}.domain_validation_options).0.${attribute}}`;
  const validation = (zoneId: string) => ({
    validation: { zone_id: zoneId, name: option("resource_record_name"), type: option("resource_record_type"), records: [option("resource_record_value")], ttl: 300 },
  });
  const certificate = { aws_acm_certificate: { c: { domain_name: "files.prod.internal.example.com", validation_method: "DNS" } } };
  const endpointAlias = (zoneId: string) => ({ alias: { zone_id: zoneId, name: "files.prod.internal.example.com", type: "A", alias: { name: ref(ENDPOINT, "dns_entry[0].dns_name"), zone_id: ref(ENDPOINT, "dns_entry[0].hosted_zone_id"), evaluate_target_health: false } } });
  const zones = { aws_route53_zone: { public: { name: "internal.example.com" }, private: { name: "prod.internal.example.com", vpc: [{ vpc_id: "vpc-0123456789abcdef0" }] } } };
  test.each<Case>([
    ["a record in a public zone, the alias to the endpoint in the private zone", stack({ ...certificate, aws_vpc_endpoint: endpoint, aws_route53_record: { ...validation("Z0PUBLIC"), ...endpointAlias("Z0PRIVATE") } }), []],
    ["a record in a public zone resource", stack({ ...certificate, ...zones, aws_route53_record: validation(ref("aws_route53_zone.public", "zone_id")) }), []],
    ["a record in a public zone data source", stack({ ...certificate, aws_route53_record: validation(ref("data.aws_route53_zone.z", "zone_id")) }, { data: { aws_route53_zone: { z: { name: "internal.example.com", private_zone: false } } } }), []],
    ["a record that is not a validation record, in the private zone", stack({ aws_vpc_endpoint: endpoint, aws_route53_record: { txt: { zone_id: "Z0PRIVATE", name: "x", type: "TXT", records: ["y"] }, ...endpointAlias("Z0PRIVATE") } }), []],
    ["a record in the zone holding the alias to the endpoint", stack({ ...certificate, aws_vpc_endpoint: endpoint, aws_route53_record: { ...validation("Z0PRIVATE"), ...endpointAlias("Z0PRIVATE") } }), [VALIDATION]],
    ["a record in a zone resource with a vpc block", stack({ ...certificate, ...zones, aws_route53_record: validation(ref("aws_route53_zone.private", "zone_id")) }), [VALIDATION]],
    [
      "a record in a zone associated with a VPC by a separate resource",
      stack({ ...certificate, aws_route53_zone: { z: { name: "prod.internal.example.com" } }, aws_route53_zone_association: { a: { zone_id: ref("aws_route53_zone.z", "zone_id"), vpc_id: "vpc-0123456789abcdef0" } }, aws_route53_record: validation(ref("aws_route53_zone.z", "zone_id")) }),
      [VALIDATION],
    ],
    ["a record in a private zone data source", stack({ ...certificate, aws_route53_record: validation(ref("data.aws_route53_zone.z", "zone_id")) }, { data: { aws_route53_zone: { z: { name: "prod.internal.example.com", private_zone: true } } } }), [VALIDATION]],
    [
      "a for_each record over the validation options, in the zone of the endpoint alias",
      stack({
        ...certificate,
        aws_vpc_endpoint: endpoint,
        aws_route53_record: {
          validation: { for_each: `\${{for dvo in ${CERT}.domain_validation_options : dvo.domain_name => dvo}}`, zone_id: ref("aws_route53_zone.z", "zone_id"), name: "${each.value.resource_record_name}" },
          ...endpointAlias(ref("aws_route53_zone.z", "id")),
        },
        aws_route53_zone: { z: { name: "prod.internal.example.com" } },
      }),
      [VALIDATION],
    ],
  ])("%s", (_name, fixture, expected) => expectViolations(certificateValidationInPublicZone, fixture, expected));

  test("says why the zone is private", () => {
    const fixture = stack({ ...certificate, aws_vpc_endpoint: endpoint, aws_route53_record: { ...validation("Z0PRIVATE"), ...endpointAlias("Z0PRIVATE") } });
    expect(certificateValidationInPublicZone.check(fixture)[0].detail).toBe("the zone holds aws_route53_record.alias, an alias to a VPC endpoint");
  });
});

describe("APIGW-VPCE-SG", () => {
  const sg = (extra: Record<string, unknown> = {}) => ({ aws_vpc_endpoint: endpoint, aws_security_group: { sg: { vpc_id: "vpc-0123456789abcdef0", ...extra } } });
  const rule = (extra: Record<string, unknown>) => ({
    aws_vpc_security_group_ingress_rule: { r: { security_group_id: ref("aws_security_group.sg", "id"), ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "10.0.0.0/16", ...extra } },
  });
  test.each<Case>([
    ["443 from a private range", stack({ ...sg(), ...rule({}) }), []],
    ["inline 443 from a private range", stack(sg({ ingress: [{ protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: ["10.0.0.0/8"] }] })), []],
    ["443 from the internet", stack({ ...sg(), ...rule({ cidr_ipv4: "0.0.0.0/0" }) }), ["aws_vpc_security_group_ingress_rule.r"]],
    ["IPv6 from everywhere", stack({ ...sg(), ...rule({ cidr_ipv4: undefined, cidr_ipv6: "::/0" }) }), ["aws_vpc_security_group_ingress_rule.r"]],
    ["port 80", stack({ ...sg(), ...rule({ from_port: 80, to_port: 80 }) }), ["aws_vpc_security_group_ingress_rule.r"]],
    ["all protocols inline", stack(sg({ ingress: [{ protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["10.0.0.0/8"] }] })), ["aws_security_group.sg"]],
    ["a legacy rule resource on 22", stack({ ...sg(), aws_security_group_rule: { x: { type: "ingress", security_group_id: ref("aws_security_group.sg", "id"), protocol: "tcp", from_port: 22, to_port: 22, cidr_blocks: ["10.0.0.0/8"] } } }), ["aws_security_group_rule.x"]],
    ["an open group that is not the endpoint's", stack({ aws_security_group: { other: {} }, aws_vpc_security_group_ingress_rule: { r: { security_group_id: ref("aws_security_group.other", "id"), ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0" } } }), []],
  ])("%s", (_name, fixture, expected) => expectViolations(endpointSecurityGroup, fixture, expected));
});

describe("APIGW-IAM-WILDCARD", () => {
  const rolePolicy = (statement: unknown) => stack({ aws_iam_role_policy: { p: { role: "r", policy: jsonPolicy(statement) } } });
  const P = "aws_iam_role_policy.p";
  test.each<Case>([
    ["named actions and resources", rolePolicy([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }]), []],
    ["a Deny with wildcards", rolePolicy([{ Effect: "Deny", Action: "*", Resource: "*" }]), []],
    ["X-Ray tracing on *: the actions support no resource-level permissions", rolePolicy([{ Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" }]), []],
    ["actions in any case, as IAM matches them", rolePolicy([{ Effect: "Allow", Action: "XRay:puttracesegments", Resource: "*" }]), []],
    ["a log stream ARN under a referenced group", rolePolicy([{ Effect: "Allow", Action: "logs:PutLogEvents", Resource: "${aws_cloudwatch_log_group.l.arn}:*" }]), []],
    ["an action *", rolePolicy([{ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b/*" }]), [P]],
    ["a service wildcard", rolePolicy([{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }]), [P]],
    ["a partial wildcard", rolePolicy([{ Effect: "Allow", Action: "s3:Get*", Resource: "arn:aws:s3:::b/*" }]), [P]],
    ["iam:Pass*", rolePolicy([{ Effect: "Allow", Action: "iam:Pass*", Resource: "arn:aws:iam::111111111111:role/r" }]), [P]],
    ["a resource *", rolePolicy({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }), [P]],
    ["* for a tracing action next to one with resource-level permissions", rolePolicy({ Effect: "Allow", Action: ["xray:PutTraceSegments", "s3:GetObject"], Resource: "*" }), [P]],
    ["* for an action the reference does not know", rolePolicy({ Effect: "Allow", Action: "xray:PutEverything", Resource: "*" }), [P]],
    ["every bucket", rolePolicy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::*/*" }), [P]],
    ["every bucket by ARN", rolePolicy({ Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::*" }), [P]],
    ["roles of any account", rolePolicy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::*:role/deploy" }), [P]],
    ["NotAction with Allow", rolePolicy({ Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::b/*" }), [P]],
    ["NotResource with Allow", rolePolicy({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*" }), [P]],
    ["a user policy with *", stack({ aws_iam_user_policy: { u: { user: "u", policy: jsonPolicy({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }) } } }), ["aws_iam_user_policy.u"]],
    ["an inline role policy with *", stack({ aws_iam_role: { r: { inline_policy: [{ name: "x", policy: jsonPolicy([{ Effect: "Allow", Action: "logs:*", Resource: "*" }]) }] } } }), ["aws_iam_role.r"]],
    [
      "an attached policy document with *",
      stack(
        { aws_iam_policy: { p: { policy: ref("data.aws_iam_policy_document.d", "json") } }, aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: ref("aws_iam_policy.p", "arn") } } },
        { data: { aws_iam_policy_document: { d: { statement: [{ actions: ["kms:Decrypt"], resources: ["*"] }] } } } },
      ),
      ["aws_iam_policy.p"],
    ],
  ])("%s", (_name, fixture, expected) => expectViolations(iamNoWildcards, fixture, expected));

  test("says which actions need resource-level permissions", () => {
    const [violation] = iamNoWildcards.check(rolePolicy({ Effect: "Allow", Action: ["xray:PutTraceSegments", "s3:GetObject"], Resource: "*" }));
    expect(violation.detail).toBe("resource * for s3:GetObject, which supports resource-level permissions or is unknown");
  });
});

describe("APIGW-ACCOUNT-CLOUDWATCH-ROLE", () => {
  const ROLE = "aws_iam_role.logs";
  const trust = (service: string) => jsonPolicy([{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }]);
  const account = { aws_api_gateway_account: { a: { cloudwatch_role_arn: ref(ROLE, "arn") } } };
  const attachment = (arn: string) => ({ aws_iam_role_policy_attachment: { p: { role: ref(ROLE, "name"), policy_arn: arn } } });
  const PUSH = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs";
  test.each<Case>([
    ["a trusted role with the managed policy", stack({ ...account, aws_iam_role: { logs: { assume_role_policy: trust("apigateway.amazonaws.com") } }, ...attachment(PUSH) }), []],
    ["a role trusted by another service", stack({ ...account, aws_iam_role: { logs: { assume_role_policy: trust("lambda.amazonaws.com") } }, ...attachment(PUSH) }), ["aws_api_gateway_account.a"]],
    ["a role without the policy", stack({ ...account, aws_iam_role: { logs: { assume_role_policy: trust("apigateway.amazonaws.com") } }, ...attachment("arn:aws:iam::aws:policy/ReadOnlyAccess") }), ["aws_api_gateway_account.a"]],
    ["no role", stack({ aws_api_gateway_account: { a: {} } }), ["aws_api_gateway_account.a"]],
    ["a trusted role with an inline policy of the log writes", stack({ ...account, aws_iam_role: { logs: { assume_role_policy: trust("apigateway.amazonaws.com") } }, aws_iam_role_policy: { w: { role: ref(ROLE, "name"), policy: jsonPolicy([{ Effect: "Allow", Action: ["logs:createloggroup", "logs:CreateLogStream", "logs:Describe*", "logs:PutLogEvents"], Resource: "*" }]) } } }), []],
    ["an inline policy without PutLogEvents", stack({ ...account, aws_iam_role: { logs: { assume_role_policy: trust("apigateway.amazonaws.com") } }, aws_iam_role_policy: { w: { role: ref(ROLE, "name"), policy: jsonPolicy([{ Effect: "Allow", Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:Describe*"], Resource: "*" }]) } } }), ["aws_api_gateway_account.a"]],
  ])("%s", (_name, fixture, expected) => expectViolations(accountCloudWatchRole, fixture, expected));
});

describe("APIGW-AUTHORIZER-PERMISSION", () => {
  const FN = "aws_lambda_function.auth";
  const tokenScheme = (extra: Record<string, unknown> = {}) => ({
    components: { securitySchemes: { tokens: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authorizer": { type: "token", authorizerUri: ref(FN, "invoke_arn"), ...extra } } } },
  });
  const permission = (sourceArn?: string) => ({
    aws_lambda_permission: { auth: { function_name: ref(FN, "function_name"), principal: "apigateway.amazonaws.com", action: "lambda:InvokeFunction", ...(sourceArn ? { source_arn: sourceArn } : {}) } },
  });
  const documentApi = (extra?: Record<string, unknown>) => ({ aws_api_gateway_rest_api: publicApi(), ...put(openApi({}, tokenScheme(extra))) });
  const resourceApi = { aws_api_gateway_rest_api: publicApi(), aws_api_gateway_authorizer: { a: { rest_api_id: ref(API, "id"), name: "tokens", type: "TOKEN", authorizer_uri: ref(FN, "invoke_arn") } } };
  const HTTP = "aws_apigatewayv2_api.h";
  const httpApi = { aws_apigatewayv2_api: { h: { protocol_type: "HTTP" } }, aws_apigatewayv2_authorizer: { a: { api_id: ref(HTTP, "id"), authorizer_type: "REQUEST", authorizer_uri: ref(FN, "invoke_arn") } } };
  test.each<Case>([
    ["a document's authorizer with a permission on its id", stack({ ...documentApi(), ...permission(`\${${API}.execution_arn}/authorizers/\${data.aws_api_gateway_authorizer.a.authorizer_id}`) }), []],
    ["a document's authorizer with a permission on the literal ARN", stack({ ...documentApi(), ...permission(`arn:aws:execute-api:eu-west-1:111111111111:\${${API}.id}/authorizers/abc123`) }), []],
    ["a document's authorizer with an invocation role", stack({ ...documentApi({ authorizerCredentials: ref("aws_iam_role.invoke", "arn") }) }), []],
    ["a document's Cognito authorizer", stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi({}, { components: { securitySchemes: { users: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authorizer": { type: "cognito_user_pools", providerARNs: ["arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_a"] } } } } })) }), []],
    ["a document's authorizer without a permission", stack(documentApi()), [PUT]],
    ["a document's authorizer with a permission on the whole API", stack({ ...documentApi(), ...permission(`\${${API}.execution_arn}/*`) }), [PUT, "aws_lambda_permission.auth"]],
    ["a document's authorizer with a permission without source_arn", stack({ ...documentApi(), ...permission() }), [PUT, "aws_lambda_permission.auth"]],
    ["an authorizer resource with a permission on its id", stack({ ...resourceApi, ...permission(`\${${API}.execution_arn}/authorizers/\${aws_api_gateway_authorizer.a.id}`) }), []],
    ["an authorizer resource with a permission on the whole API", stack({ ...resourceApi, ...permission(`\${${API}.execution_arn}/*/*`) }), ["aws_api_gateway_authorizer.a", "aws_lambda_permission.auth"]],
    ["an HTTP API authorizer with a permission on its id", stack({ ...httpApi, ...permission(`\${${HTTP}.execution_arn}/authorizers/\${aws_apigatewayv2_authorizer.a.id}`) }), []],
    ["an HTTP API authorizer with a permission on another API", stack({ ...httpApi, ...permission(`\${${API}.execution_arn}/authorizers/x`) }), ["aws_apigatewayv2_authorizer.a", "aws_lambda_permission.auth"]],
  ])("%s", (_name, fixture, expected) => expectViolations(authorizerPermissionScoped, fixture, expected));
});

describe("APIGW-COGNITO-SCOPES", () => {
  const cognito = { components: { securitySchemes: { users: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "cognito_user_pools" } } } };
  const operation = (scopes: string[]) => ({ "/users": { get: { security: [{ users: scopes }], "x-amazon-apigateway-integration": lambdaIntegration() } } });
  test.each<Case>([
    ["a document's method with scopes", stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi(operation(["users/read"]), cognito)) }), []],
    ["a method resource with scopes", stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({ authorization: "COGNITO_USER_POOLS", authorization_scopes: ["files/read"] }) }), []],
    ["a document's method without scopes", stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi(operation([]), cognito)) }), [PUT]],
    ["a method resource without scopes", stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({ authorization: "COGNITO_USER_POOLS" }) }), ["aws_api_gateway_method.get"]],
  ])("%s", (_name, fixture, expected) => expectViolations(cognitoMethodScopes, fixture, expected));
});

describe("APIGW-REQUEST-VALIDATOR", () => {
  const post = (extra: Record<string, unknown> = {}) => ({ "/users": { post: { "x-amazon-apigateway-integration": lambdaIntegration(), ...extra } } });
  test.each<Case>([
    ["a public document's POST with a validator", stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi(post({ "x-amazon-apigateway-request-validator": "body" }))) }), []],
    ["a public document with a default validator", stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi(post(), { "x-amazon-apigateway-request-validator": "all" })) }), []],
    ["a public method resource with a validator", stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({ http_method: "PUT", request_validator_id: ref("aws_api_gateway_request_validator.body", "id") }) }), []],
    ["a private API's POST without a validator", stack({ aws_api_gateway_rest_api: privateApi(), ...put(openApi(post())) }), []],
    ["a public GET without a validator", stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute() }), []],
    ["a public document's POST without a validator", stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi(post())) }), [PUT]],
    ["a public PATCH method resource without a validator", stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({ http_method: "PATCH" }) }), ["aws_api_gateway_method.get"]],
  ])("%s", (_name, fixture, expected) => expectViolations(publicWriteValidated, fixture, expected));
});

describe("APIGW-GATEWAY-RESPONSES", () => {
  const template = (text: string) => ({ responseTemplates: { "application/json": text } });
  const MESSAGE = '{"message":$context.error.messageString,"requestId":"$context.requestId"}';
  const ORIGIN = { responseParameters: { "gatewayresponse.header.Access-Control-Allow-Origin": "'https://app.example.com'" } };
  const responses = (response: Record<string, unknown>) => ({ "x-amazon-apigateway-gateway-responses": { DEFAULT_4XX: response, DEFAULT_5XX: response } });
  const preflight = { "/users": { options: { "x-amazon-apigateway-integration": { type: "mock", responses: { default: { statusCode: "204", responseParameters: { "method.response.header.Access-Control-Allow-Origin": "'https://app.example.com'" } } } } } } };
  const resourceResponse = (templates: Record<string, string>) => ({ aws_api_gateway_gateway_response: { r: { rest_api_id: ref(API, "id"), response_type: "DEFAULT_4XX", response_templates: templates } } });
  test.each<Case>([
    ["responses with the message and request id", stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi({}, responses(template(MESSAGE)))) }), []],
    ["CORS responses with the origin", stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi(preflight, responses({ ...template(MESSAGE), ...ORIGIN }))) }), []],
    ["a resource response with the message", stack({ aws_api_gateway_rest_api: publicApi(), ...resourceResponse({ "application/json": MESSAGE }) }), []],
    ["responses showing the validation error", stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi({}, responses(template('{"message":"$context.error.validationErrorString"}')))) }), [PUT, PUT]],
    ["a resource response showing the authorizer's principal", stack({ aws_api_gateway_rest_api: publicApi(), ...resourceResponse({ "application/json": '{"who":"$context.authorizer.principalId"}' }) }), ["aws_api_gateway_gateway_response.r"]],
    ["CORS responses without the origin", stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi(preflight, responses(template(MESSAGE)))) }), [PUT, PUT]],
    ["CORS without gateway responses", stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi(preflight)) }), [API, API]],
  ])("%s", (_name, fixture, expected) => expectViolations(gatewayResponsesSafe, fixture, expected));
});

describe("ALL_RULES", () => {
  test("have unique ids, a severity, a message, an explanation and equivalents or references", () => {
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    for (const rule of ALL_RULES) {
      expect(rule.id).toMatch(/^APIGW-[A-Z0-9-]+$/);
      expect(["error", "warning"]).toContain(rule.severity);
      expect(rule.message).not.toMatch(/\n/);
      expect(rule.explanation.length).toBeGreaterThan(40);
      expect(citationsOf(rule).length).toBeGreaterThan(0);
    }
  });
});

describe("APIGW-INTEGRATION-ROLE", () => {
  const ROLE = "aws_iam_role.credentials";
  const STREAM = "arn:aws:kinesis:eu-west-1:111111111111:stream/events";
  const trust = (condition?: Record<string, Record<string, string>>) =>
    jsonPolicy([{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }]);
  const scoped = { StringEqualsIfExists: { "aws:SourceAccount": "111111111111" }, ArnLikeIfExists: { "aws:SourceArn": `${ref(API, "execution_arn")}/*` } };
  const role = (assume: string, statement: unknown) => ({
    aws_iam_role: { credentials: { assume_role_policy: assume } },
    aws_iam_role_policy: { p: { role: ref(ROLE, "name"), policy: jsonPolicy(statement) } },
  });
  const putRecord = { Effect: "Allow", Action: "kinesis:PutRecord", Resource: STREAM };
  const kinesis = { type: "aws", uri: "arn:aws:apigateway:eu-west-1:kinesis:action/PutRecord", credentials: ref(ROLE, "arn"), passthroughBehavior: "never" };
  const inDocument = (extra: Record<string, unknown>) => ({ aws_api_gateway_rest_api: publicApi(), ...put(openApi({ "/events": { post: { "x-amazon-apigateway-integration": kinesis } } })), ...extra });
  const inResources = (extra: Record<string, unknown>) => ({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({}, { type: "AWS", credentials: ref(ROLE, "arn") }), ...extra });
  const onHttpApi = (extra: Record<string, unknown>) => ({ aws_apigatewayv2_integration: { q: { integration_type: "AWS_PROXY", integration_subtype: "SQS-SendMessage", credentials_arn: ref(ROLE, "arn") } }, ...extra });
  test.each<Case>([
    ["a document's role: one action, one resource, conditioned trust", stack(inDocument(role(trust(scoped), [putRecord]))), []],
    ["a resource-form role, with its key", stack(inResources(role(trust({ StringEquals: { "aws:SourceAccount": "111111111111" }, ArnLike: { "aws:SourceArn": "arn:aws:execute-api:eu-west-1:111111111111:a1b2/*" } }), [putRecord, { Effect: "Allow", Action: "kms:GenerateDataKey", Resource: "arn:aws:kms:eu-west-1:111111111111:key/k" }]))), []],
    ["an HTTP API role, scoped", stack(onHttpApi(role(trust(scoped), [{ Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:eu-west-1:111111111111:orders" }]))), []],
    ["a role no integration names", stack(role(trust(), [{ Effect: "Allow", Action: "kinesis:*", Resource: "*" }])), []],
    ["a document's role with a service wildcard", stack(inDocument(role(trust(scoped), [{ ...putRecord, Action: "kinesis:Put*" }]))), [ROLE]],
    ["a document's role on every stream", stack(inDocument(role(trust(scoped), [{ ...putRecord, Resource: "arn:aws:kinesis:eu-west-1:111111111111:stream/*" }]))), [ROLE]],
    ["a resource-form role on *", stack(inResources(role(trust(scoped), [{ ...putRecord, Resource: "*" }]))), [ROLE]],
    ["a document's role trusted without conditions", stack(inDocument(role(trust(), [putRecord]))), [ROLE]],
    ["a resource-form role trusted without aws:SourceArn", stack(inResources(role(trust({ StringEquals: { "aws:SourceAccount": "111111111111" } }), [putRecord]))), [ROLE]],
    ["an HTTP API role trusted without aws:SourceAccount", stack(onHttpApi(role(trust({ ArnLike: { "aws:SourceArn": "arn:aws:execute-api:eu-west-1:111111111111:a1b2/*" } }), [putRecord]))), [ROLE]],
  ])("%s", (_name, fixture, expected) => expectViolations(integrationRoleScoped, fixture, expected));

  test("names what is wrong and where the role is used", () => {
    const [finding] = integrationRoleScoped.check(stack(inDocument(role(trust(), [{ Effect: "Allow", Action: "kinesis:*", Resource: STREAM }]))));
    expect(finding.detail).toBe("credentials of POST /events (#/paths/~1events/post): trusts apigateway.amazonaws.com without aws:SourceAccount, trusts apigateway.amazonaws.com without aws:SourceArn, allows the wildcard action kinesis:*");
  });
});

describe("APIGW-INTEGRATION-PASSTHROUGH", () => {
  const service = (passthroughBehavior?: string) => ({ type: "aws", uri: "arn:aws:apigateway:eu-west-1:sqs:path/111111111111/q", ...(passthroughBehavior ? { passthroughBehavior } : {}) });
  const inDocument = (integration: unknown) => stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi({ "/q": { post: { "x-amazon-apigateway-integration": integration } } })) });
  const inResources = (integration: Record<string, unknown>) => stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({}, integration) });
  test.each<Case>([
    ["a document's AWS integration with never", inDocument(service("never")), []],
    ["a resource-form AWS integration with WHEN_NO_TEMPLATES", inResources({ type: "AWS", passthrough_behavior: "WHEN_NO_TEMPLATES" }), []],
    ["a Lambda proxy integration with when_no_match", inDocument(lambdaIntegration()), []],
    ["a document's AWS integration with when_no_match", inDocument(service("when_no_match")), [PUT]],
    ["a document's AWS integration without passthroughBehavior (the default)", inDocument(service()), [PUT]],
    ["a resource-form AWS integration with WHEN_NO_MATCH", inResources({ type: "AWS", passthrough_behavior: "WHEN_NO_MATCH" }), ["aws_api_gateway_method.get"]],
  ])("%s", (_name, fixture, expected) => expectViolations(awsIntegrationPassthrough, fixture, expected));
});

describe("APIGW-INTEGRATION-HTTPS", () => {
  const proxy = (uri: string, extra: Record<string, unknown> = {}) => ({ type: "http_proxy", httpMethod: "ANY", uri, ...extra });
  const inDocument = (integration: unknown) => stack({ aws_api_gateway_rest_api: publicApi(), ...put(openApi({ "/legacy/{proxy+}": { "x-amazon-apigateway-any-method": { "x-amazon-apigateway-integration": integration } } })) });
  const inResources = (integration: Record<string, unknown>) => stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({}, integration) });
  const httpApi = (body: Record<string, unknown>) => stack({ aws_apigatewayv2_integration: { i: { integration_type: "HTTP_PROXY", ...body } } });
  const LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/net/x/0123456789abcdef/0123456789abcdef";
  test.each<Case>([
    ["a document's https backend", inDocument(proxy("https://legacy.example.com/{proxy}")), []],
    ["a document's https backend through a VPC link", inDocument(proxy("https://$${stageVariables.legacyHost}/{proxy}", { connectionType: "VPC_LINK", connectionId: "abc" })), []],
    ["a document's http backend through a VPC link (the caller's token in plain text in the VPC)", inDocument(proxy("http://legacy.internal/{proxy}", { connectionType: "VPC_LINK", connectionId: "abc" })), [PUT]],
    ["a resource-form http backend through a VPC link", inResources({ type: "HTTP_PROXY", uri: "http://legacy.internal/", connection_type: "VPC_LINK" }), ["aws_api_gateway_method.get"]],
    ["a document's https backend whose verification is off, as a string", inDocument(proxy("https://legacy.example.com/{proxy}", { tlsConfig: { insecureSkipVerification: "true" } })), [PUT]],
    ["a resource-form backend whose verification is off, as a string", inResources({ type: "HTTP_PROXY", uri: "https://legacy.example.com/", tls_config: { insecure_skip_verification: "true" } }), ["aws_api_gateway_method.get"]],
    ["an HTTP API integration to a listener through a VPC link, over TLS", httpApi({ integration_uri: LISTENER, connection_type: "VPC_LINK", tls_config: { server_name_to_verify: "legacy.internal.example.com" } }), []],
    ["an HTTP API integration to a listener through a VPC link, in plain HTTP (no tls_config)", httpApi({ integration_uri: LISTENER, connection_type: "VPC_LINK" }), ["aws_apigatewayv2_integration.i"]],
    ["an HTTP API integration through a VPC link with an empty tls_config", httpApi({ integration_uri: LISTENER, connection_type: "VPC_LINK", tls_config: [] }), ["aws_apigatewayv2_integration.i"]],
    ["a document's http backend over the internet", inDocument(proxy("http://legacy.example.com/{proxy}")), [PUT]],
    ["a resource-form HTTP integration to http://", inResources({ type: "HTTP", uri: "http://legacy.example.com/", connection_type: "INTERNET" }), ["aws_api_gateway_method.get"]],
    ["an HTTP API integration to http://", httpApi({ integration_uri: "http://legacy.example.com" }), ["aws_apigatewayv2_integration.i"]],
  ])("%s", (_name, fixture, expected) => expectViolations(httpIntegrationTls, fixture, expected));
});

describe("APIGW-TARGET-ENCRYPTION", () => {
  test.each<Case>([
    ["a KMS-encrypted stream", stack({ aws_kinesis_stream: { s: { encryption_type: "KMS", kms_key_id: "alias/aws/kinesis" } } }), []],
    ["an SSE-SQS queue", stack({ aws_sqs_queue: { q: { sqs_managed_sse_enabled: true } } }), []],
    ["a queue with a KMS key", stack({ aws_sqs_queue: { q: { kms_master_key_id: "arn:aws:kms:eu-west-1:111111111111:key/k" } } }), []],
    ["a table with KMS encryption", stack({ aws_dynamodb_table: { t: { server_side_encryption: { enabled: true } } } }), []],
    ["an unencrypted stream", stack({ aws_kinesis_stream: { s: { name: "events" } } }), ["aws_kinesis_stream.s"]],
    ["a queue with SSE-SQS off", stack({ aws_sqs_queue: { q: { sqs_managed_sse_enabled: false } } }), ["aws_sqs_queue.q"]],
    ["a queue that leaves encryption to the default", stack({ aws_sqs_queue: { q: {} } }), ["aws_sqs_queue.q"]],
    ["a table on the AWS owned key", stack({ aws_dynamodb_table: { t: { server_side_encryption: [{ enabled: false }] } } }), ["aws_dynamodb_table.t"]],
    ["a table without server_side_encryption", stack({ aws_dynamodb_table: { t: {} } }), ["aws_dynamodb_table.t"]],
  ])("%s", (_name, fixture, expected) => expectViolations(integrationTargetEncryption, fixture, expected));
});
