import {
  quotaApiKeys,
  quotaAuthorizers,
  quotaCustomDomains,
  quotaHttpIntegrations,
  quotaLambdaPolicy,
  quotaOpenApiSize,
  quotaResourcePolicy,
  quotaRestResources,
  quotaRoutes,
  quotaStageVariables,
  quotaUsagePlans,
} from "../../policy/rules/quotas";
import { StackView } from "../../policy/stack";
import type { Rule } from "../../policy/types";
import { API, openApi, privateApi, put, PUT, ref } from "./fixtures";

// Each quota at its limit (compliant) and one over it. Values: see policy/rules/quotas.ts.

type Blocks = Record<string, Record<string, Record<string, unknown>>>;
type Case = [name: string, fixture: StackView, violations: string[]];

const PROVIDER = { aws: [{ region: "eu-west-1", allowed_account_ids: ["111111111111"] }] };

function stack(resource: Blocks, name = "fixture", provider: unknown = PROVIDER): StackView {
  return new StackView(name, { resource, provider });
}

function expectViolations(rule: Rule, fixture: StackView, expected: string[], all?: StackView[]) {
  expect(rule.check(fixture, all).map((v) => v.address)).toEqual(expected);
}

/** `count` blocks named b0, b1, ... with the body `body(i)`. */
function many(count: number, body: (i: number) => Record<string, unknown>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`b${i}`, body(i)]));
}

const HTTP_API = "aws_apigatewayv2_api.http";
const httpApi = (protocol = "HTTP") => ({ aws_apigatewayv2_api: { http: { name: "http", protocol_type: protocol } } });

describe("APIGW-QUOTA-REST-RESOURCES", () => {
  // The root is a resource too: 299 paths and the root are 300.
  const paths = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`/r${i}`, {}]));
  const resources = (count: number) => ({ aws_api_gateway_resource: many(count, (i) => ({ rest_api_id: ref(API, "id"), parent_id: ref(API, "root_resource_id"), path_part: `r${i}` })) });
  test.each<Case>([
    ["a document with 300 resources", stack({ aws_api_gateway_rest_api: privateApi(), ...put(openApi(paths(299))) }), []],
    ["a document with 301 resources", stack({ aws_api_gateway_rest_api: privateApi(), ...put(openApi(paths(300))) }), [API]],
    ["a document whose nested paths make 301 resources", stack({ aws_api_gateway_rest_api: privateApi(), ...put(openApi({ ...paths(298), "/a/b": {} })) }), [API]],
    ["resources, 300 with the root", stack({ aws_api_gateway_rest_api: privateApi(), ...resources(299) }), []],
    ["resources, 301 with the root", stack({ aws_api_gateway_rest_api: privateApi(), ...resources(300) }), [API]],
  ])("%s", (_name, fixture, expected) => expectViolations(quotaRestResources, fixture, expected));

  test("names the quota and its default", () => {
    const fixture = stack({ aws_api_gateway_rest_api: privateApi(), ...put(openApi(paths(300))) });
    expect(quotaRestResources.check(fixture)[0].detail).toBe('301 resources, over the quota "Resources per API" (default 300, adjustable): request an increase before applying');
  });
});

describe("APIGW-QUOTA-ROUTES", () => {
  const routes = (count: number) => ({ aws_apigatewayv2_route: many(count, (i) => ({ api_id: ref(HTTP_API, "id"), route_key: `GET /r${i}` })) });
  test.each<Case>([
    ["300 routes", stack({ ...httpApi(), ...routes(300) }), []],
    ["301 routes", stack({ ...httpApi(), ...routes(301) }), [HTTP_API]],
    ["301 routes of a WebSocket API", stack({ ...httpApi("WEBSOCKET"), ...routes(301) }), [HTTP_API]],
  ])("%s", (_name, fixture, expected) => expectViolations(quotaRoutes, fixture, expected));
});

describe("APIGW-QUOTA-HTTP-INTEGRATIONS", () => {
  const integrations = (count: number) => ({ aws_apigatewayv2_integration: many(count, () => ({ api_id: ref(HTTP_API, "id"), integration_type: "AWS_PROXY" })) });
  test.each<Case>([
    ["300 integrations", stack({ ...httpApi(), ...integrations(300) }), []],
    ["301 integrations", stack({ ...httpApi(), ...integrations(301) }), [HTTP_API]],
    ["301 integrations of a WebSocket API (an adjustable quota there)", stack({ ...httpApi("WEBSOCKET"), ...integrations(301) }), []],
  ])("%s", (_name, fixture, expected) => expectViolations(quotaHttpIntegrations, fixture, expected));

  test("says it is a hard limit", () => {
    const fixture = stack({ ...httpApi(), ...integrations(301) });
    expect(quotaHttpIntegrations.check(fixture)[0].detail).toBe('301 integrations, over the quota "Integrations per API" (300, a hard limit)');
  });
});

describe("APIGW-QUOTA-AUTHORIZERS", () => {
  const restAuthorizers = (count: number) => ({ aws_api_gateway_authorizer: many(count, (i) => ({ rest_api_id: ref(API, "id"), name: `a${i}`, type: "TOKEN" })) });
  const schemes = (count: number) =>
    put(openApi({}, { components: { securitySchemes: Object.fromEntries(Array.from({ length: count }, (_, i) => [`s${i}`, { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authorizer": { type: "token" } }])) } }));
  const httpAuthorizers = (count: number) => ({ aws_apigatewayv2_authorizer: many(count, (i) => ({ api_id: ref(HTTP_API, "id"), name: `a${i}`, authorizer_type: "JWT" })) });
  test.each<Case>([
    ["10 REST authorizers", stack({ aws_api_gateway_rest_api: privateApi(), ...restAuthorizers(10) }), []],
    ["11 REST authorizers", stack({ aws_api_gateway_rest_api: privateApi(), ...restAuthorizers(11) }), [API]],
    ["10 document authorizers", stack({ aws_api_gateway_rest_api: privateApi(), ...schemes(10) }), []],
    ["11 document authorizers", stack({ aws_api_gateway_rest_api: privateApi(), ...schemes(11) }), [API]],
    ["5 resources and 6 document authorizers", stack({ aws_api_gateway_rest_api: privateApi(), ...restAuthorizers(5), ...schemes(6) }), [API]],
    ["10 HTTP authorizers", stack({ ...httpApi(), ...httpAuthorizers(10) }), []],
    ["11 HTTP authorizers", stack({ ...httpApi(), ...httpAuthorizers(11) }), [HTTP_API]],
  ])("%s", (_name, fixture, expected) => expectViolations(quotaAuthorizers, fixture, expected));
});

describe("APIGW-QUOTA-STAGE-VARIABLES", () => {
  const STAGE = "aws_api_gateway_stage.s";
  const restStage = (variables: Record<string, string>) => stack({ aws_api_gateway_stage: { s: { rest_api_id: ref(API, "id"), stage_name: "dev", variables } } });
  const variables = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`v${i}`, "x"]));
  test.each<Case>([
    ["100 variables", restStage(variables(100)), []],
    ["101 variables", restStage(variables(101)), [STAGE]],
    ["a key of 64 characters", restStage({ ["k".repeat(64)]: "x" }), []],
    ["a key of 65 characters", restStage({ ["k".repeat(65)]: "x" }), [STAGE]],
    ["a value of 512 characters", restStage({ v: "x".repeat(512) }), []],
    ["a value of 513 characters", restStage({ v: "x".repeat(513) }), [STAGE]],
    ["a long value with a reference, known only at apply", restStage({ v: `${"x".repeat(513)}\${aws_lambda_function.f.arn}` }), []],
    ["101 variables of an HTTP stage", stack({ aws_apigatewayv2_stage: { s: { api_id: ref(HTTP_API, "id"), name: "$default", stage_variables: variables(101) } } }), ["aws_apigatewayv2_stage.s"]],
  ])("%s", (_name, fixture, expected) => expectViolations(quotaStageVariables, fixture, expected));
});

describe("APIGW-QUOTA-OPENAPI-SIZE", () => {
  const LIMIT = 6 * 1024 * 1024;
  /** A document of exactly `bytes` bytes (UTF-8: the é take two). */
  const document = (bytes: number) => {
    const base = openApi({}, { "x-padding": "" });
    const padding = bytes - Buffer.byteLength(base);
    return openApi({}, { "x-padding": `${"é".repeat(Math.floor(padding / 2))}${"x".repeat(padding % 2)}` });
  };
  test.each<Case>([
    ["a document of 6 MB", stack({ aws_api_gateway_rest_api: privateApi(), ...put(document(LIMIT)) }), []],
    ["a document of 6 MB and a byte", stack({ aws_api_gateway_rest_api: privateApi(), ...put(document(LIMIT + 1)) }), [PUT]],
    ["a body of 6 MB and a byte", stack({ aws_api_gateway_rest_api: privateApi({ body: document(LIMIT + 1) }) }), [API]],
  ])("%s", (_name, fixture, expected) => expectViolations(quotaOpenApiSize, fixture, expected));
});

describe("APIGW-QUOTA-RESOURCE-POLICY", () => {
  /** A policy text of `length` characters once its reference is the shortest execution ARN of eu-west-1 (53 characters). */
  const policy = (length: number, resource = `\${${API}.execution_arn}/*`) => {
    const text = (sid: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: sid, Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: resource }] });
    const counted = (sid: string) => text(sid).length - resource.length + (resource.includes("${") ? 53 + 2 : resource.length);
    return text("s".repeat(length - counted("")));
  };
  test.each<Case>([
    ["8192 characters", stack({ aws_api_gateway_rest_api: privateApi({ policy: policy(8192) }) }), []],
    ["8193 characters", stack({ aws_api_gateway_rest_api: privateApi({ policy: policy(8193) }) }), [API]],
    ["8193 characters without references", stack({ aws_api_gateway_rest_api: privateApi({ policy: policy(8193, "execute-api:/*") }) }), [API]],
    ["8193 characters in the document's policy", stack({ aws_api_gateway_rest_api: privateApi(), ...put(openApi({}, { "x-amazon-apigateway-policy": JSON.parse(policy(8193)) })) }), [PUT]],
    ["a policy from an aws_iam_policy_document (not counted)", stack({ aws_api_gateway_rest_api: privateApi({ policy: ref("data.aws_iam_policy_document.p", "json") }) }), []],
  ])("%s", (_name, fixture, expected) => expectViolations(quotaResourcePolicy, fixture, expected));
});

describe("APIGW-QUOTA-LAMBDA-POLICY", () => {
  const LIMIT = 20 * 1024;
  const SOURCE = "arn:aws:execute-api:eu-west-1:111111111111:abcdefghij/*";
  const statement = (sid: string, resource: string) => ({
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: "apigateway.amazonaws.com" },
    Action: "lambda:InvokeFunction",
    Resource: resource,
    Condition: { ArnLike: { "AWS:SourceArn": SOURCE } },
  });
  /** Permissions on `fn` whose policy, as Lambda's GetPolicy returns it, is exactly `bytes` long when the function is `resource` there. */
  const permissions = (bytes: number, fn: unknown = "orders", resource = "orders") => {
    const sids = Array.from({ length: 60 }, (_, i) => `p${i}`);
    const size = () => JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: sids.map((sid) => statement(sid, resource)) }).length;
    sids[0] += "x".repeat(bytes - size());
    return { aws_lambda_permission: Object.fromEntries(sids.map((sid, i) => [`p${String(i).padStart(2, "0")}`, { statement_id: sid, action: "lambda:InvokeFunction", function_name: fn, principal: "apigateway.amazonaws.com", source_arn: SOURCE }])) };
  };
  const functionArn = "arn:aws:lambda:eu-west-1:123456789012:function:orders";
  test.each<Case>([
    ["a policy of 20 KB", stack(permissions(LIMIT)), []],
    ["a policy of 20 KB and a byte", stack(permissions(LIMIT + 1)), ["aws_lambda_permission.p59"]],
    [
      "20 KB and a byte with the function referenced (its ARN counted as the shortest for its name)",
      stack({ aws_lambda_function: { f: { function_name: "orders" } }, ...permissions(LIMIT + 1, ref("aws_lambda_function.f", "function_name"), functionArn) }),
      ["aws_lambda_permission.p59"],
    ],
    ["20 KB with the function referenced", stack({ aws_lambda_function: { f: { function_name: "orders" } }, ...permissions(LIMIT, ref("aws_lambda_function.f", "function_name"), functionArn) }), []],
  ])("%s", (_name, fixture, expected) => expectViolations(quotaLambdaPolicy, fixture, expected));
});

describe("quotas per account and region", () => {
  const other = { aws: [{ region: "eu-west-1", allowed_account_ids: ["222222222222"] }] };
  const blocksOf = (type: string, count: number, body: (i: number) => Record<string, unknown> = () => ({})) => ({ [type]: many(count, body) });

  test.each<[string, Rule, string, number]>([
    ["APIGW-QUOTA-USAGE-PLANS", quotaUsagePlans, "aws_api_gateway_usage_plan", 300],
    ["APIGW-QUOTA-API-KEYS", quotaApiKeys, "aws_api_gateway_api_key", 10000],
  ])("%s counts across the stacks of an account and region", (_id, rule, type, limit) => {
    const dev = stack(blocksOf(type, limit / 2), "dev");
    const atLimit = stack(blocksOf(type, limit / 2), "prod");
    expectViolations(rule, atLimit, [], [dev, atLimit]);
    const prod = stack(blocksOf(type, limit / 2 + 1), "prod");
    // The last block of the last stack, in address order (b0, b1, b10, ...), is the one past the quota.
    const last = Object.keys(many(limit / 2 + 1, () => ({}))).sort().pop();
    expectViolations(rule, prod, [`${type}.${last}`], [dev, prod]);
    expectViolations(rule, dev, [], [dev, prod]);
    const otherAccount = stack(blocksOf(type, limit / 2 + 1), "prod", other);
    expectViolations(rule, otherAccount, [], [dev, otherAccount]);
  });

  test("APIGW-QUOTA-API-KEYS is an error naming the hard limit", () => {
    const fixture = stack(blocksOf("aws_api_gateway_api_key", 10001));
    expect(quotaApiKeys.severity).toBe("error");
    expect(quotaApiKeys.check(fixture).map((v) => v.detail)).toEqual([
      'API keys number 10001 of account and region 111111111111 eu-west-1: 10001 API keys, over the quota "API keys per account per Region" (10000, a hard limit)',
    ]);
  });

  const domains = (regional: number, http: number, privateDomains = 0) =>
    stack({
      ...blocksOf("aws_api_gateway_domain_name", regional, (i) => ({ domain_name: `r${i}.example.com`, endpoint_configuration: { types: ["REGIONAL"] } })),
      ...blocksOf("aws_apigatewayv2_domain_name", http, (i) => ({ domain_name: `h${i}.example.com` })),
      ...(privateDomains ? { aws_api_gateway_domain_name: many(privateDomains, (i) => ({ domain_name: `p${i}.example.com`, endpoint_configuration: { types: ["PRIVATE"] } })) } : {}),
    });
  test.each<Case>([
    ["120 public domain names, REST and HTTP", domains(60, 60), []],
    ["121 public domain names, REST and HTTP", domains(60, 61), ["aws_apigatewayv2_domain_name.b9"]],
    ["50 private domain names", domains(0, 0, 50), []],
    ["51 private domain names", domains(0, 0, 51), ["aws_api_gateway_domain_name.b9"]],
  ])("APIGW-QUOTA-CUSTOM-DOMAINS: %s", (_name, fixture, expected) => expectViolations(quotaCustomDomains, fixture, expected));

  test("stacks pinning no account count as one account", () => {
    const unpinned = { aws: [{ region: "eu-west-1" }] };
    const dev = stack(blocksOf("aws_api_gateway_usage_plan", 150), "dev", unpinned);
    const prod = stack(blocksOf("aws_api_gateway_usage_plan", 151), "prod", unpinned);
    expect(quotaUsagePlans.check(prod, [dev, prod])).toHaveLength(1);
  });
});
