import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { ExecuteApiVpcEndpoint } from "../../modules/execute-api-vpc-endpoint";
import { RestApi, RestApiProps, RestIntegration, RestRoute } from "../../modules/rest-api";
import { restStageCacheKeys } from "../../policy/rules/method-settings";
import { StackView } from "../../policy/stack";
import { nameOf, resourcesOf, synthConstruct, testStack } from "../fixtures/environment";
import { fixtureFunction } from "../fixtures/lambda";

const reader = fixtureFunction("reader");
const writer = fixtureFunction("writer");
const ENDPOINT = { endpointId: "vpce-0123456789abcdef0" };

const PROPS: RestApiProps = {
  name: "orders",
  vpcEndpoints: [ENDPOINT],
  routes: [{ path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(reader) }],
  stage: { stageName: "dev", logRetentionDays: 30, throttling: { rateLimit: 100, burstLimit: 200 } },
};

function synthApi(props: Partial<RestApiProps> = {}, extra?: (scope: Construct, api: RestApi) => void): Record<string, any> {
  return synthConstruct((scope) => {
    const api = new RestApi(scope, "api", { ...PROPS, ...props });
    extra?.(scope, api);
  });
}

function only(synthesized: Record<string, any>, type: string): Record<string, any> {
  return resourcesOf(synthesized, type)[nameOf(synthesized, type)];
}

function policyOf(synthesized: Record<string, any>): Record<string, any> {
  const documents = synthesized.data.aws_iam_policy_document;
  return documents[Object.keys(documents)[0]];
}

function triggers(props: Partial<RestApiProps>): Record<string, string> {
  return only(synthApi(props), "aws_api_gateway_deployment").triggers;
}

describe("RestApi", () => {
  test("default", () => {
    const synthesized = synthApi();
    const api = nameOf(synthesized, "aws_api_gateway_rest_api");
    expect(only(synthesized, "aws_api_gateway_rest_api")).toMatchObject({
      name: "orders",
      endpoint_configuration: { types: ["PRIVATE"], vpc_endpoint_ids: [ENDPOINT.endpointId] },
    });
    expect(only(synthesized, "aws_api_gateway_rest_api")).not.toHaveProperty("policy");
    const [document] = Object.keys(synthesized.data.aws_iam_policy_document);
    expect(only(synthesized, "aws_api_gateway_rest_api_policy")).toMatchObject({
      rest_api_id: `\${aws_api_gateway_rest_api.${api}.id}`,
      policy: `\${data.aws_iam_policy_document.${document}.json}`,
    });
  });

  test("allows invocation only through the bound endpoint", () => {
    const everyone = [{ type: "*", identifiers: ["*"] }];
    expect(policyOf(synthApi()).statement).toEqual([
      { sid: "AllowInvoke", effect: "Allow", principals: everyone, actions: ["execute-api:Invoke"], resources: ["execute-api:/*"] },
      {
        sid: "DenyOutsideVpcEndpoints",
        effect: "Deny",
        principals: everyone,
        actions: ["execute-api:Invoke"],
        resources: ["execute-api:/*"],
        condition: [{ test: "StringNotEquals", variable: "aws:SourceVpce", values: [ENDPOINT.endpointId] }],
      },
    ]);
  });

  test("binds the policy to the endpoint module's id, and admits allowed source VPCs in the same Deny", () => {
    const synthesized = synthConstruct((scope) => {
      const endpoint = new ExecuteApiVpcEndpoint(scope, "endpoint", {
        region: "eu-west-1",
        vpcId: "vpc-0123456789abcdef0",
        subnetIds: ["subnet-0123456789abcdef1"],
        allowedCidrs: ["10.0.0.0/16"],
      });
      new RestApi(scope, "api", { ...PROPS, vpcEndpoints: [endpoint], allowedSourceVpcIds: ["vpc-0fedcba9876543210"] });
    });
    const endpointRef = `\${aws_vpc_endpoint.${nameOf(synthesized, "aws_vpc_endpoint")}.id}`;
    expect(policyOf(synthesized).statement[1].condition).toEqual([
      { test: "StringNotEquals", variable: "aws:SourceVpce", values: [endpointRef] },
      { test: "StringNotEquals", variable: "aws:SourceVpc", values: ["vpc-0fedcba9876543210"] },
    ]);
    expect(only(synthesized, "aws_api_gateway_rest_api").endpoint_configuration.vpc_endpoint_ids).toEqual([endpointRef]);
  });

  test("builds the resource tree with path parameters and a greedy proxy", () => {
    const synthesized = synthApi({
      routes: [
        { path: "/", method: "GET", integration: RestIntegration.mock() },
        { path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(reader) },
        { path: "/files", method: "POST", integration: RestIntegration.lambda(writer) },
        { path: "/legacy/{proxy+}", method: "ANY", integration: RestIntegration.httpProxy("https://legacy.example.com/{proxy}") },
      ],
    });
    const resources = resourcesOf(synthesized, "aws_api_gateway_resource");
    const byPath = Object.fromEntries(Object.entries(resources).map(([name, r]) => [r.path_part, { name, parent: r.parent_id }]));
    const api = nameOf(synthesized, "aws_api_gateway_rest_api");
    expect(Object.keys(byPath).sort()).toEqual(["files", "legacy", "{key}", "{proxy+}"]);
    expect(byPath.files.parent).toBe(`\${aws_api_gateway_rest_api.${api}.root_resource_id}`);
    expect(byPath["{key}"].parent).toBe(`\${aws_api_gateway_resource.${byPath.files.name}.id}`);
    expect(byPath["{proxy+}"].parent).toBe(`\${aws_api_gateway_resource.${byPath.legacy.name}.id}`);

    const methods = Object.values(resourcesOf(synthesized, "aws_api_gateway_method"));
    expect(methods.map((m) => [m.http_method, m.request_parameters])).toEqual(
      expect.arrayContaining([
        ["GET", undefined],
        ["GET", { "method.request.path.key": true }],
        ["POST", undefined],
        ["ANY", { "method.request.path.proxy": true }],
      ]),
    );
    expect(methods).toHaveLength(4);
  });

  test("integrates Lambda as AWS_PROXY, HTTP as HTTP_PROXY with its parameters, and mock with a response", () => {
    const synthesized = synthApi({
      routes: [
        { path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(reader) },
        { path: "/legacy/{proxy+}", method: "ANY", integration: RestIntegration.httpProxy("https://legacy.example.com/{proxy}") },
        { path: "/health", method: "GET", integration: RestIntegration.mock(200, '{"status":"ok"}') },
      ],
    });
    const integrations = Object.fromEntries(Object.values(resourcesOf(synthesized, "aws_api_gateway_integration")).map((i) => [i.type, i]));
    expect(integrations.AWS_PROXY).toMatchObject({ integration_http_method: "POST", uri: reader.invokeArn });
    expect(integrations.HTTP_PROXY).toMatchObject({
      integration_http_method: "ANY",
      uri: "https://legacy.example.com/{proxy}",
      request_parameters: { "integration.request.path.proxy": "method.request.path.proxy" },
    });
    expect(integrations.MOCK).toMatchObject({ request_templates: { "application/json": '{"statusCode":200}' } });
    expect(only(synthesized, "aws_api_gateway_integration_response")).toMatchObject({
      status_code: "${aws_api_gateway_method_response." + nameOf(synthesized, "aws_api_gateway_method_response") + ".status_code}",
      response_templates: { "application/json": '{"status":"ok"}' },
    });
  });

  test("grants each function one invoke permission, scoped to this API", () => {
    const synthesized = synthApi({
      routes: [
        { path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(reader) },
        { path: "/files/{key}", method: "HEAD", integration: RestIntegration.lambda(reader) },
        { path: "/files", method: "POST", integration: RestIntegration.lambda(writer) },
      ],
    });
    const api = nameOf(synthesized, "aws_api_gateway_rest_api");
    expect(Object.values(resourcesOf(synthesized, "aws_lambda_permission"))).toEqual([
      expect.objectContaining({ function_name: "reader", principal: "apigateway.amazonaws.com", action: "lambda:InvokeFunction", source_arn: `\${aws_api_gateway_rest_api.${api}.execution_arn}/*` }),
      expect.objectContaining({ function_name: "writer", principal: "apigateway.amazonaws.com", source_arn: `\${aws_api_gateway_rest_api.${api}.execution_arn}/*` }),
    ]);
  });

  test("redeploys: create-before-destroy, triggered by the configuration and by every deployed element", () => {
    const synthesized = synthApi();
    const deployment = only(synthesized, "aws_api_gateway_deployment");
    const [document] = Object.keys(synthesized.data.aws_iam_policy_document);
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    expect(deployment).not.toHaveProperty("depends_on");
    expect(deployment.triggers.configuration).toMatch(/^[0-9a-f]{64}$/);
    const referenced = [
      `aws_api_gateway_resource.${Object.keys(resourcesOf(synthesized, "aws_api_gateway_resource"))[0]}`,
      `aws_api_gateway_resource.${Object.keys(resourcesOf(synthesized, "aws_api_gateway_resource"))[1]}`,
      `aws_api_gateway_method.${nameOf(synthesized, "aws_api_gateway_method")}`,
      `aws_api_gateway_integration.${nameOf(synthesized, "aws_api_gateway_integration")}`,
      `data.aws_iam_policy_document.${document}`,
      `aws_api_gateway_rest_api_policy.${nameOf(synthesized, "aws_api_gateway_rest_api_policy")}`,
    ];
    const expression = /^\$\{sha1\(jsonencode\(\[(.*)\]\)\)\}$/.exec(deployment.triggers.references);
    expect(expression?.[1].split(", ").sort()).toEqual(referenced.sort());
  });

  test.each<[string, Partial<RestApiProps>]>([
    ["a route is added", { routes: [...PROPS.routes, { path: "/files", method: "GET", integration: RestIntegration.lambda(reader) }] }],
    ["a route's method changes", { routes: [{ ...PROPS.routes[0], method: "HEAD" }] }],
    ["a route's authorization changes", { routes: [{ ...PROPS.routes[0], authorization: "AWS_IAM" }] }],
    ["a route's integration changes", { routes: [{ ...PROPS.routes[0], integration: RestIntegration.lambda(writer) }] }],
    ["the policy admits another endpoint", { vpcEndpoints: [ENDPOINT, { endpointId: "vpce-0fedcba9876543210" }] }],
    ["the policy admits a source VPC", { allowedSourceVpcIds: ["vpc-0fedcba9876543210"] }],
  ])("changes the configuration trigger when %s", (_name, change) => {
    expect(triggers(change).configuration).not.toBe(triggers({}).configuration);
  });

  test.each<[string, Partial<RestApiProps>]>([
    ["the stage's throttling changes", { stage: { ...PROPS.stage, throttling: { rateLimit: 5, burstLimit: 10 } } }],
    ["the log retention changes", { stage: { ...PROPS.stage, logRetentionDays: 365 } }],
    ["the description changes", { description: "another text" }],
  ])("keeps the configuration trigger when %s", (_name, change) => {
    expect(triggers(change).configuration).toBe(triggers({}).configuration);
  });

  test("logs, traces and throttles the stage", () => {
    const synthesized = synthApi();
    const api = nameOf(synthesized, "aws_api_gateway_rest_api");
    const logGroups = resourcesOf(synthesized, "aws_cloudwatch_log_group");
    const [accessLogs, executionLogs] = Object.keys(logGroups);
    expect(logGroups[accessLogs]).toMatchObject({ name: "/aws/apigateway/orders/dev/access", retention_in_days: 30 });
    expect(logGroups[executionLogs]).toMatchObject({ name: `API-Gateway-Execution-Logs_\${aws_api_gateway_rest_api.${api}.id}/dev`, retention_in_days: 30 });

    const stage = only(synthesized, "aws_api_gateway_stage");
    expect(stage).toMatchObject({ stage_name: "dev", xray_tracing_enabled: true, depends_on: [`aws_cloudwatch_log_group.${executionLogs}`] });
    expect(stage.access_log_settings.destination_arn).toBe(`\${aws_cloudwatch_log_group.${accessLogs}.arn}`);
    expect(JSON.parse(stage.access_log_settings.format)).toMatchObject({ requestId: "$context.requestId", status: "$context.status" });
    expect(stage).not.toHaveProperty("cache_cluster_enabled");

    expect(only(synthesized, "aws_api_gateway_method_settings")).toMatchObject({
      method_path: "*/*",
      stage_name: `\${aws_api_gateway_stage.${nameOf(synthesized, "aws_api_gateway_stage")}.stage_name}`,
      settings: { logging_level: "INFO", metrics_enabled: true, data_trace_enabled: false, throttling_rate_limit: 100, throttling_burst_limit: 200 },
    });
  });

  test("encrypts the cache when the stage has one", () => {
    const synthesized = synthApi({ stage: { ...PROPS.stage, cacheClusterSize: "0.5" } });
    expect(only(synthesized, "aws_api_gateway_stage")).toMatchObject({ cache_cluster_enabled: true, cache_cluster_size: "0.5" });
    expect(only(synthesized, "aws_api_gateway_method_settings").settings).toMatchObject({ caching_enabled: true, cache_data_encrypted: true, cache_ttl_in_seconds: 300 });
  });

  test("keys a cached route on each of its path parameters", () => {
    const synthesized = synthApi({
      stage: { ...PROPS.stage, cacheClusterSize: "0.5" },
      routes: [
        { path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(reader) },
        { path: "/legacy/{proxy+}", method: "ANY", integration: RestIntegration.httpProxy("https://legacy.example.com/{proxy}") },
        { path: "/health", method: "GET", integration: RestIntegration.mock(200, '{"status":"ok"}') },
      ],
    });
    const integrations = Object.fromEntries(Object.values(resourcesOf(synthesized, "aws_api_gateway_integration")).map((i) => [i.type, i]));
    expect(integrations.AWS_PROXY.cache_key_parameters).toEqual(["method.request.path.key"]);
    expect(integrations.HTTP_PROXY.cache_key_parameters).toEqual(["method.request.path.proxy"]);
    expect(integrations.MOCK.cache_key_parameters).toBeUndefined();
    expect(restStageCacheKeys.check(new StackView("test", synthesized))).toEqual([]);
  });

  test("exposes ids, ARNs and the per-endpoint invoke URLs", () => {
    const synthesized = synthApi({}, (scope, api) => {
      new TerraformOutput(scope, "id", { value: api.apiId });
      new TerraformOutput(scope, "execution_arn", { value: api.executionArn });
      new TerraformOutput(scope, "urls", { value: api.endpointInvokeUrls });
    });
    const api = nameOf(synthesized, "aws_api_gateway_rest_api");
    const stage = nameOf(synthesized, "aws_api_gateway_stage");
    expect(synthesized.output).toEqual({
      id: { value: `\${aws_api_gateway_rest_api.${api}.id}` },
      execution_arn: { value: `\${aws_api_gateway_rest_api.${api}.execution_arn}` },
      urls: {
        value: [
          `\${replace(aws_api_gateway_stage.${stage}.invoke_url, "https://\${aws_api_gateway_rest_api.${api}.id}.", "https://\${aws_api_gateway_rest_api.${api}.id}-${ENDPOINT.endpointId}.")}`,
        ],
      },
    });
  });

  test.each<["EDGE" | "REGIONAL"]>([["EDGE"], ["REGIONAL"]])("builds a public %s API with no endpoint and no VPC policy", (endpointType) => {
    const synthesized = synthApi({ endpointType, vpcEndpoints: undefined });
    expect(only(synthesized, "aws_api_gateway_rest_api").endpoint_configuration).toEqual({ types: [endpointType] });
    expect(synthesized.data).toBeUndefined();
    expect(resourcesOf(synthesized, "aws_api_gateway_rest_api_policy")).toEqual({});
    expect(only(synthesized, "aws_api_gateway_deployment").triggers.references).not.toMatch(/policy/);
  });

  test("associates a web ACL with the stage", () => {
    const webAclArn = "arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/public/3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8";
    const synthesized = synthApi({ endpointType: "EDGE", vpcEndpoints: undefined, webAclArn });
    expect(only(synthesized, "aws_wafv2_web_acl_association")).toMatchObject({
      web_acl_arn: webAclArn,
      resource_arn: `\${aws_api_gateway_stage.${nameOf(synthesized, "aws_api_gateway_stage")}.arn}`,
    });
  });

  const route = (overrides: Partial<RestRoute>): RestRoute[] => [{ ...PROPS.routes[0], ...overrides }];
  test.each<[string, Partial<RestApiProps>, string]>([
    ["a private API has no endpoint", { vpcEndpoints: [] }, "test/api: vpcEndpoints is empty; a PRIVATE API needs the execute-api endpoint(s) its resource policy admits, or API Gateway refuses to deploy it"],
    ["a regional API gets endpoints", { endpointType: "REGIONAL" }, "test/api: vpcEndpoints is set on a REGIONAL API; VPC endpoints and source VPCs apply to PRIVATE APIs only"],
    ["a source VPC id is malformed", { allowedSourceVpcIds: ["vpc-1"] }, 'test/api: allowedSourceVpcIds[0] is "vpc-1"; expected a VPC id'],
    ["there is no route", { routes: [] }, "test/api: routes is empty; an API without methods cannot be deployed"],
    ["a route is defined twice", { routes: [...PROPS.routes, ...PROPS.routes] }, "test/api: route GET /files/{key} is defined twice"],
    ["a method is unknown", { routes: route({ method: "FETCH" as never }) }, 'test/api: route FETCH /files/{key} has the method "FETCH"; allowed: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY'],
    ["a path has no leading slash", { routes: route({ path: "files" }) }, "test/api: route GET files must start with / and not end with one"],
    ["a segment has a bad character", { routes: route({ path: "/files/a b" }) }, 'test/api: route GET /files/a b has the segment "a b"; allowed: letters, digits and . _ ~ -, {param} or a final {param+}'],
    ["a greedy parameter is not last", { routes: route({ path: "/{proxy+}/x" }) }, "test/api: route GET /{proxy+}/x has the greedy {proxy+} before the last segment"],
    ["a parameter is used twice", { routes: route({ path: "/{id}/{id}" }) }, "test/api: route GET /{id}/{id} uses the parameter {id} twice"],
    [
      "two parameters share a position",
      { routes: [...PROPS.routes, { path: "/files/{name}", method: "PUT", integration: RestIntegration.lambda(writer) }] },
      "test/api: route PUT /files/{name} has {name} under /files, where another route has {key}; API Gateway allows one parameter per position",
    ],
    ["a web ACL is global", { webAclArn: "arn:aws:wafv2:us-east-1:111111111111:global/webacl/x/3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8" }, "test/api: webAclArn is \"arn:aws:wafv2:us-east-1:111111111111:global/webacl/x/3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8\"; expected a regional WAFv2 web ACL ARN"],
    ["an HTTP integration has no URL", { routes: route({ integration: RestIntegration.httpProxy("legacy") }) }, 'test/api: route GET /files/{key} integration url is "legacy"; expected an http(s):// URL'],
  ])("fails if %s", (_name, props, message) => {
    expect(() => new RestApi(testStack(), "api", { ...PROPS, ...props })).toThrow(message);
  });
});
