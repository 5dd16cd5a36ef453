import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { ExecuteApiVpcEndpoint } from "../../modules/execute-api-vpc-endpoint";
import { RestApi, RestApiProps, RestIntegration, RestRoute } from "../../modules/rest-api";
import { restStageCacheKeys } from "../../policy/rules/method-settings";
import { StackView } from "../../policy/stack";
import { nameOf, resourcesOf, synthConstruct, testStack } from "../fixtures/environment";
import { fixtureFunction } from "../fixtures/lambda";
import { existingTarget, ServiceCalls } from "../../modules/shared/service-integrations";

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
  return JSON.parse(only(synthesized, "aws_api_gateway_rest_api_policy").policy);
}

/** The OpenAPI document the API is defined by. */
function documentOf(synthesized: Record<string, any>): Record<string, any> {
  return JSON.parse(only(synthesized, "aws_api_gateway_rest_api_put").body);
}

function triggers(props: Partial<RestApiProps>): Record<string, string> {
  return only(synthApi(props), "aws_api_gateway_deployment").triggers;
}

describe("RestApi", () => {
  test("calls an AWS service with mapping templates, refusing other content types, under a role of its own", () => {
    const stream = existingTarget("stream", "arn:aws:kinesis:eu-west-1:111111111111:stream/events");
    const templates = { request: '{"Data": "$util.base64Encode($input.body)"}', response: "{}", error: '{"message": "failed"}' };
    const synthesized = synthApi({ routes: [{ path: "/events", method: "POST", integration: RestIntegration.service(ServiceCalls.kinesisPutRecord("events-put-record", stream, templates)) }] });
    const operation = documentOf(synthesized).paths["/events"].post;
    const role = nameOf(synthesized, "aws_iam_role");
    expect(operation["x-amazon-apigateway-integration"]).toEqual({
      type: "aws",
      httpMethod: "POST",
      uri: "arn:aws:apigateway:eu-west-1:kinesis:action/PutRecord",
      credentials: `\${aws_iam_role.${role}.arn}`,
      requestParameters: { "integration.request.header.Content-Type": "'application/x-amz-json-1.1'" },
      requestTemplates: { "application/json": `#set($streamName = "events")\n${templates.request}` },
      passthroughBehavior: "never",
      responses: {
        "4\\d{2}": { statusCode: "502", responseTemplates: { "application/json": templates.error } },
        "5\\d{2}": { statusCode: "502", responseTemplates: { "application/json": templates.error } },
        default: { statusCode: "202", responseTemplates: { "application/json": "{}" } },
      },
    });
    expect(Object.keys(operation.responses)).toEqual(["202", "400", "404", "429", "502"]);
    expect(JSON.parse(only(synthesized, "aws_iam_role").assume_role_policy).Statement[0].Principal).toEqual({ Service: "apigateway.amazonaws.com" });
    expect(only(synthesized, "aws_iam_role").name).toBe("orders-events-put-record");
  });

  test("reaches a private backend through a VPC link, its host from a stage variable", () => {
    const synthesized = synthApi({
      routes: [{ path: "/legacy/{proxy+}", method: "ANY", integration: RestIntegration.privateHttpProxy("https://${stageVariables.legacyHost}/{proxy}", "vl0abc") }],
      stage: { ...PROPS.stage, variables: { legacyHost: "legacy.internal.example.com" } },
    });
    expect(documentOf(synthesized).paths["/legacy/{proxy+}"]["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"]).toMatchObject({
      type: "http_proxy",
      // Terraform reads $${ as a literal ${, which API Gateway resolves per stage.
      uri: "https://$${stageVariables.legacyHost}/{proxy}",
      connectionType: "VPC_LINK",
      connectionId: "vl0abc",
    });
    expect(only(synthesized, "aws_api_gateway_stage").variables).toEqual({ legacyHost: "legacy.internal.example.com" });
  });

  test("default", () => {
    const synthesized = synthApi();
    const api = nameOf(synthesized, "aws_api_gateway_rest_api");
    expect(only(synthesized, "aws_api_gateway_rest_api")).toMatchObject({
      name: "orders",
      endpoint_configuration: { types: ["PRIVATE"], vpc_endpoint_ids: [ENDPOINT.endpointId] },
    });
    expect(only(synthesized, "aws_api_gateway_rest_api")).not.toHaveProperty("body");
    expect(only(synthesized, "aws_api_gateway_rest_api_put")).toMatchObject({
      rest_api_id: `\${aws_api_gateway_rest_api.${api}.id}`,
      fail_on_warnings: true,
      lifecycle: { create_before_destroy: true },
    });
    expect(documentOf(synthesized)).toMatchObject({ openapi: "3.0.3", info: { title: "orders" } });
    // No separate resource of the definition exists to outlive a deployment.
    for (const type of ["aws_api_gateway_resource", "aws_api_gateway_method", "aws_api_gateway_integration", "aws_api_gateway_method_response", "aws_api_gateway_integration_response"]) {
      expect(resourcesOf(synthesized, type)).toEqual({});
    }
  });

  test("allows invocation only through the bound endpoint, with the resource in the form AWS stores", () => {
    const synthesized = synthApi();
    const api = nameOf(synthesized, "aws_api_gateway_rest_api");
    const everything = `\${aws_api_gateway_rest_api.${api}.execution_arn}/*`;
    const statements = [
      { Sid: "AllowInvoke", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: everything },
      {
        Sid: "DenyOutsideVpcEndpoints",
        Effect: "Deny",
        Principal: "*",
        Action: "execute-api:Invoke",
        Resource: everything,
        Condition: { StringNotEquals: { "aws:SourceVpce": [ENDPOINT.endpointId] } },
      },
    ];
    expect(policyOf(synthesized)).toEqual({ Version: "2012-10-17", Statement: statements });
    // In the document too: PutRestApi in overwrite mode clears a policy the document lacks.
    expect(documentOf(synthesized)["x-amazon-apigateway-policy"]).toEqual({ Version: "2012-10-17", Statement: statements });
    expect(JSON.stringify(synthesized)).not.toContain('"execute-api:/');
    // Attached after the document is put, so an overwrite never has the last word.
    const put = nameOf(synthesized, "aws_api_gateway_rest_api_put");
    expect(only(synthesized, "aws_api_gateway_rest_api_policy").depends_on).toEqual([`aws_api_gateway_rest_api_put.${put}`]);
  });

  test("binds the policy and the document to the endpoint module's id, and admits allowed source VPCs in the same Deny", () => {
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
    expect(policyOf(synthesized).Statement[1].Condition).toEqual({ StringNotEquals: { "aws:SourceVpce": [endpointRef], "aws:SourceVpc": ["vpc-0fedcba9876543210"] } });
    expect(only(synthesized, "aws_api_gateway_rest_api").endpoint_configuration.vpc_endpoint_ids).toEqual([endpointRef]);
    // PutRestApi in overwrite mode drops endpoint ids the document does not list.
    // On a Server object: OpenAPI 3's place for it (top level is Swagger 2's).
    expect(documentOf(synthesized).servers).toEqual([{ url: "/", "x-amazon-apigateway-endpoint-configuration": { vpcEndpointIds: [endpointRef] } }]);
    expect(documentOf(synthesized)).not.toHaveProperty("x-amazon-apigateway-endpoint-configuration");
  });

  test("defines every route in the document, with path parameters and a greedy proxy", () => {
    const synthesized = synthApi({
      routes: [
        { path: "/", method: "GET", integration: RestIntegration.mock() },
        { path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(reader) },
        { path: "/files", method: "POST", integration: RestIntegration.lambda(writer), queryParameters: ["overwrite"] },
        { path: "/legacy/{proxy+}", method: "ANY", integration: RestIntegration.httpProxy("https://legacy.example.com/{proxy}") },
      ],
    });
    const paths = documentOf(synthesized).paths;
    expect(Object.keys(paths).sort()).toEqual(["/", "/files", "/files/{key}", "/legacy/{proxy+}"]);
    expect(Object.keys(paths["/legacy/{proxy+}"])).toEqual(["x-amazon-apigateway-any-method"]);
    expect(paths["/files/{key}"].get.parameters).toEqual([{ name: "key", in: "path", required: true, schema: { type: "string" } }]);
    expect(paths["/files"].post.parameters).toEqual([{ name: "overwrite", in: "query", required: false, schema: { type: "string" } }]);
    expect(paths["/files/{key}"].get.operationId).toBe("getFilesKey");
  });

  test("integrates Lambda as aws_proxy, HTTP as http_proxy with its parameters, and mock with a response", () => {
    const synthesized = synthApi({
      routes: [
        { path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(reader) },
        { path: "/legacy/{proxy+}", method: "ANY", integration: RestIntegration.httpProxy("https://legacy.example.com/{proxy}") },
        { path: "/health", method: "GET", integration: RestIntegration.mock(200, '{"status":"ok"}') },
      ],
    });
    const paths = documentOf(synthesized).paths;
    const integration = (path: string, method: string) => paths[path][method]["x-amazon-apigateway-integration"];
    expect(integration("/files/{key}", "get")).toMatchObject({ type: "aws_proxy", httpMethod: "POST", uri: reader.invokeArn });
    expect(integration("/legacy/{proxy+}", "x-amazon-apigateway-any-method")).toMatchObject({
      type: "http_proxy",
      httpMethod: "ANY",
      uri: "https://legacy.example.com/{proxy}",
      requestParameters: { "integration.request.path.proxy": "method.request.path.proxy" },
    });
    expect(integration("/health", "get")).toMatchObject({
      type: "mock",
      requestTemplates: { "application/json": '{"statusCode":200}' },
      responses: { default: { statusCode: "200", responseTemplates: { "application/json": '{"status":"ok"}' } } },
    });
  });

  test("escapes literal text that Terraform would read as an interpolation", () => {
    const synthesized = synthApi({ routes: [{ path: "/health", method: "GET", integration: RestIntegration.mock(200, '{"v":"${x} %{y}"}'), summary: "costs ${n}" }] });
    const body: string = only(synthesized, "aws_api_gateway_rest_api_put").body;
    expect(body).toContain('"summary":"costs $${n}"');
    expect(body).toContain("$${x} %%{y}");
  });

  test("requires an API key or SigV4 where a route does, through security schemes", () => {
    const synthesized = synthApi({
      routes: [
        { path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(reader), authorization: "AWS_IAM" },
        { path: "/files", method: "POST", integration: RestIntegration.lambda(writer), apiKeyRequired: true },
        { path: "/files", method: "GET", integration: RestIntegration.lambda(reader) },
      ],
    });
    const document = documentOf(synthesized);
    expect(document.components.securitySchemes).toEqual({
      api_key: { type: "apiKey", name: "x-api-key", in: "header" },
      sigv4: { type: "apiKey", name: "Authorization", in: "header", description: "AWS Signature Version 4 for the service execute-api", "x-amazon-apigateway-authtype": "awsSigv4" },
    });
    expect(document.paths["/files/{key}"].get.security).toEqual([{ sigv4: [] }]);
    expect(document.paths["/files"].post.security).toEqual([{ api_key: [] }]);
    expect(document.paths["/files"].get).not.toHaveProperty("security");
  });

  test("declares its binary media types in the document only", () => {
    const synthesized = synthApi({ binaryMediaTypes: ["application/octet-stream", "image/*"] });
    expect(documentOf(synthesized)["x-amazon-apigateway-binary-media-types"]).toEqual(["application/octet-stream", "image/*"]);
    expect(only(synthesized, "aws_api_gateway_rest_api")).not.toHaveProperty("binary_media_types");
  });

  test("grants each function one invoke permission per route, scoped to that route of this API", () => {
    const synthesized = synthApi({
      routes: [
        { path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(reader) },
        { path: "/files/{key}", method: "HEAD", integration: RestIntegration.lambda(reader) },
        { path: "/files", method: "POST", integration: RestIntegration.lambda(writer) },
      ],
    });
    const arn = `\${aws_api_gateway_rest_api.${nameOf(synthesized, "aws_api_gateway_rest_api")}.execution_arn}`;
    expect(Object.values(resourcesOf(synthesized, "aws_lambda_permission"))).toEqual([
      expect.objectContaining({ function_name: "reader", principal: "apigateway.amazonaws.com", action: "lambda:InvokeFunction", source_arn: `${arn}/*/GET/files/*` }),
      expect.objectContaining({ function_name: "reader", principal: "apigateway.amazonaws.com", source_arn: `${arn}/*/HEAD/files/*` }),
      expect.objectContaining({ function_name: "writer", principal: "apigateway.amazonaws.com", source_arn: `${arn}/*/POST/files` }),
    ]);
  });

  test("redeploys: create-before-destroy, triggered by hashes of the document and the attached policy", () => {
    const synthesized = synthApi();
    const deployment = only(synthesized, "aws_api_gateway_deployment");
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    expect(deployment).not.toHaveProperty("depends_on");
    expect(deployment.triggers).toEqual({
      definition: `\${sha1(aws_api_gateway_rest_api_put.${nameOf(synthesized, "aws_api_gateway_rest_api_put")}.body)}`,
      policy: `\${sha1(aws_api_gateway_rest_api_policy.${nameOf(synthesized, "aws_api_gateway_rest_api_policy")}.policy)}`,
    });
  });

  const bodyOf = (props: Partial<RestApiProps>): string => only(synthApi(props), "aws_api_gateway_rest_api_put").body;
  test.each<[string, Partial<RestApiProps>]>([
    ["a route is added", { routes: [...PROPS.routes, { path: "/files", method: "GET", integration: RestIntegration.lambda(reader) }] }],
    ["a route is removed", { routes: [{ path: "/files", method: "GET", integration: RestIntegration.lambda(reader) }] }],
    ["a route's method changes", { routes: [{ ...PROPS.routes[0], method: "HEAD" }] }],
    ["a route's authorization changes", { routes: [{ ...PROPS.routes[0], authorization: "AWS_IAM" }] }],
    ["a route's integration changes", { routes: [{ ...PROPS.routes[0], integration: RestIntegration.lambda(writer) }] }],
    ["the policy admits another endpoint", { vpcEndpoints: [ENDPOINT, { endpointId: "vpce-0fedcba9876543210" }] }],
    ["the policy admits a source VPC", { allowedSourceVpcIds: ["vpc-0fedcba9876543210"] }],
    ["the binary media types change", { binaryMediaTypes: ["image/png"] }],
  ])("changes the document, and so the deployment's trigger, when %s", (_name, change) => {
    expect(bodyOf(change)).not.toBe(bodyOf({}));
  });

  test.each<[string, Partial<RestApiProps>]>([
    ["the stage's throttling changes", { stage: { ...PROPS.stage, throttling: { rateLimit: 5, burstLimit: 10 } } }],
    ["the log retention changes", { stage: { ...PROPS.stage, logRetentionDays: 365 } }],
  ])("keeps the document and the triggers when %s", (_name, change) => {
    expect(bodyOf(change)).toBe(bodyOf({}));
    expect(triggers(change)).toEqual(triggers({}));
  });

  test("a removed route leaves nothing behind but a changed document", () => {
    const before = synthApi({ routes: [...PROPS.routes, { path: "/files", method: "POST", integration: RestIntegration.lambda(writer) }] });
    const after = synthApi();
    expect(Object.keys(documentOf(before).paths)).toEqual(["/files/{key}", "/files"]);
    expect(Object.keys(documentOf(after).paths)).toEqual(["/files/{key}"]);
    const addresses = (s: Record<string, any>) => Object.entries(s.resource).flatMap(([type, byName]) => Object.keys(byName as object).map((name) => `${type}.${name}`));
    // Only the writer's invoke permission goes with the route: the definition is one resource, replaced whole.
    expect(addresses(before).filter((a) => !addresses(after).includes(a))).toEqual([expect.stringMatching(/^aws_lambda_permission\./)]);
  });

  test("logs, traces and throttles the stage", () => {
    const synthesized = synthApi();
    const api = nameOf(synthesized, "aws_api_gateway_rest_api");
    const logGroups = resourcesOf(synthesized, "aws_cloudwatch_log_group");
    const named = (name: string) => Object.keys(logGroups).find((k) => (logGroups[k] as any).name === name)!;
    const accessLogs = named("/aws/apigateway/orders/dev/access");
    const executionLogs = named(`API-Gateway-Execution-Logs_\${aws_api_gateway_rest_api.${api}.id}/dev`);
    expect(logGroups[accessLogs]).toMatchObject({ name: "/aws/apigateway/orders/dev/access", retention_in_days: 30 });
    expect(logGroups[executionLogs]).toMatchObject({ name: `API-Gateway-Execution-Logs_\${aws_api_gateway_rest_api.${api}.id}/dev`, retention_in_days: 30 });

    const stage = only(synthesized, "aws_api_gateway_stage");
    expect(stage).toMatchObject({ stage_name: "dev", xray_tracing_enabled: true, depends_on: expect.arrayContaining([`aws_cloudwatch_log_group.${executionLogs}`]) });
    expect(stage.access_log_settings.destination_arn).toBe(`\${aws_cloudwatch_log_group.${accessLogs}.arn}`);
    expect(JSON.parse(stage.access_log_settings.format)).toMatchObject({ requestId: "$context.requestId", status: "$context.status" });
    expect(stage).not.toHaveProperty("cache_cluster_enabled");

    expect(only(synthesized, "aws_api_gateway_method_settings")).toMatchObject({
      method_path: "*/*",
      stage_name: `\${aws_api_gateway_stage.${nameOf(synthesized, "aws_api_gateway_stage")}.stage_name}`,
      settings: { logging_level: "INFO", metrics_enabled: true, data_trace_enabled: false, throttling_rate_limit: 100, throttling_burst_limit: 200 },
    });
  });

  const cachedStage = { stage: { ...PROPS.stage, cacheClusterSize: "0.5" as const } };
  const settingsByPath = (synthesized: Record<string, any>) => Object.fromEntries(Object.values(resourcesOf(synthesized, "aws_api_gateway_method_settings")).map((m) => [m.method_path, m.settings]));

  test("caches only GET routes, each keyed on its path and query string parameters, encrypted", () => {
    const synthesized = synthApi({
      ...cachedStage,
      routes: [
        { path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(reader), queryParameters: ["version"] },
        { path: "/files", method: "POST", integration: RestIntegration.lambda(writer) },
      ],
    });
    expect(only(synthesized, "aws_api_gateway_stage")).toMatchObject({ cache_cluster_enabled: true, cache_cluster_size: "0.5" });
    const settings = settingsByPath(synthesized);
    expect(Object.keys(settings).sort()).toEqual(["*/*", "~1files~1{key}/GET"]);
    expect(settings["*/*"]).toMatchObject({ caching_enabled: false, cache_data_encrypted: true });
    // An override's unset throttling would be -1 (unthrottled) and its metrics off: it repeats them all.
    expect(settings["~1files~1{key}/GET"]).toEqual({
      ...settings["*/*"],
      caching_enabled: true,
      require_authorization_for_cache_control: true,
      unauthorized_cache_control_header_strategy: "FAIL_WITH_403",
    });
    expect(settings["~1files~1{key}/GET"]).toMatchObject({
      cache_data_encrypted: true,
      cache_ttl_in_seconds: 300,
      throttling_rate_limit: 100,
      throttling_burst_limit: 200,
      metrics_enabled: true,
      logging_level: "INFO",
    });
    const paths = documentOf(synthesized).paths;
    expect(paths["/files/{key}"].get["x-amazon-apigateway-integration"].cacheKeyParameters).toEqual(["method.request.path.key", "method.request.querystring.version"]);
    expect(paths["/files"].post["x-amazon-apigateway-integration"]).not.toHaveProperty("cacheKeyParameters");
  });

  test("caches a route on its own keys, and not at all when it opts out", () => {
    const synthesized = synthApi({
      ...cachedStage,
      routes: [
        { path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(reader), headerParameters: ["Accept"], queryParameters: ["utm"], cache: { keys: ["path.key", "header.Accept"] } },
        { path: "/files", method: "GET", integration: RestIntegration.lambda(reader), cache: { enabled: false } },
        { path: "/search", method: "POST", integration: RestIntegration.lambda(reader), cache: { enabled: true } },
      ],
    });
    const paths = documentOf(synthesized).paths;
    expect(paths["/files/{key}"].get["x-amazon-apigateway-integration"].cacheKeyParameters).toEqual(["method.request.path.key", "method.request.header.Accept"]);
    expect(Object.keys(settingsByPath(synthesized)).sort()).toEqual(["*/*", "~1files~1{key}/GET", "~1search/POST"]);
  });

  test("has no cache settings on a stage without a cache", () => {
    expect(Object.keys(settingsByPath(synthApi()))).toEqual(["*/*"]);
    expect(settingsByPath(synthApi())["*/*"]).not.toHaveProperty("caching_enabled");
  });

  test("writes a client document without AWS extensions, with its servers and each route's documentation", () => {
    const api = new RestApi(testStack(), "api", {
      ...PROPS,
      routes: [
        { ...PROPS.routes[0], authorization: "AWS_IAM", summary: "Read a file", documentation: { responses: { "200": { description: "The bytes" } } } },
        { path: "/archive/{proxy+}", method: "ANY", integration: RestIntegration.lambda(writer), operationId: "files" },
      ],
    });
    const document = api.clientDocument([{ url: "https://files.example.com" }]);
    expect(JSON.stringify(document)).not.toContain("x-amazon-apigateway");
    expect(document).toMatchObject({
      openapi: "3.0.3",
      info: { title: "orders" },
      servers: [{ url: "https://files.example.com" }],
      components: { securitySchemes: { sigv4: { type: "apiKey", name: "Authorization", in: "header" } } },
      paths: {
        "/files/{key}": { get: { operationId: "getFilesKey", summary: "Read a file", security: [{ sigv4: [] }], responses: { "200": { description: "The bytes" } } } },
        "/archive/{proxy}": { get: { operationId: "filesGet" }, delete: { operationId: "filesDelete" } },
      },
    });
  });

  test("passes APIGW-STAGE-CACHE-KEYS with its default cache keys, and would fail it without them", () => {
    const cachedRoutes: RestRoute[] = [
      { path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(reader) },
      { path: "/legacy/{proxy+}", method: "ANY", integration: RestIntegration.httpProxy("https://legacy.example.com/{proxy}"), cache: { enabled: true } },
      { path: "/health", method: "GET", integration: RestIntegration.mock(200, '{"status":"ok"}') },
    ];
    const synthesized = synthApi({ ...cachedStage, routes: cachedRoutes });
    expect(restStageCacheKeys.check(new StackView("test", synthesized))).toEqual([]);
    const put = nameOf(synthesized, "aws_api_gateway_rest_api_put");
    const unkeyed = JSON.parse(synthesized.resource.aws_api_gateway_rest_api_put[put].body);
    delete unkeyed.paths["/files/{key}"].get["x-amazon-apigateway-integration"].cacheKeyParameters;
    synthesized.resource.aws_api_gateway_rest_api_put[put].body = JSON.stringify(unkeyed);
    expect(restStageCacheKeys.check(new StackView("test", synthesized)).length).toBe(1);
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
    expect(documentOf(synthesized)).not.toHaveProperty("x-amazon-apigateway-policy");
    expect(documentOf(synthesized)).not.toHaveProperty("servers");
    expect(Object.keys(only(synthesized, "aws_api_gateway_deployment").triggers)).toEqual(["definition"]);
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
    ["a binary media type is malformed", { binaryMediaTypes: ["octet-stream"] }, 'test/api: binaryMediaTypes[0] is "octet-stream"; expected a media type such as application/octet-stream or image/png'],
    ["a query parameter name is malformed", { routes: route({ queryParameters: ["a b"] }) }, 'test/api: route GET /files/{key} declares the parameter "a b"; allowed: letters, digits and . _ -'],
    ["an operationId is malformed", { routes: route({ operationId: "get-file" }) }, 'test/api: route GET /files/{key} has the operationId "get-file"; expected a letter followed by letters, digits or _'],
    [
      "two routes share an operationId",
      { routes: [...route({ operationId: "read" }), { path: "/files", method: "GET", integration: RestIntegration.lambda(reader), operationId: "read" }] },
      "test/api: route GET /files has the operationId read of GET /files/{key}; each operation needs its own",
    ],
    ["a cache key is not the route's", { routes: route({ cache: { keys: ["path.key", "querystring.v"] } }) }, 'test/api: route GET /files/{key} has the cache key "querystring.v"; allowed: the route\'s own parameters path.key'],
    [
      "a cached route leaves out a path parameter",
      { routes: route({ queryParameters: ["v"], cache: { keys: ["querystring.v"] } }) },
      "test/api: route GET /files/{key} is cached without the cache key path.key; one cached answer would be served for every key (add the key, or set cache.enabled: false)",
    ],
    ["an HTTP integration has no URL", { routes: route({ integration: RestIntegration.httpProxy("legacy") }) }, 'test/api: route GET /files/{key} integration url is "legacy"; expected an https:// URL'],
    ["an HTTP integration through a VPC link is plain http", { routes: route({ integration: RestIntegration.privateHttpProxy("http://legacy.internal/{key}", "abc123") }) }, 'integration url is "http://legacy.internal/{key}"; expected an https:// URL'],
    ["an HTTP integration outside a VPC link is plain http", { routes: route({ integration: RestIntegration.httpProxy("http://legacy.example.com/{key}") }) }, 'integration url is "http://legacy.example.com/{key}"; expected an https:// URL'],
    [
      "an integration URL reads a stage variable the stage does not set",
      { routes: route({ integration: RestIntegration.privateHttpProxy("https://${stageVariables.legacyHost}/{key}", "vl0abc") }), stage: { ...PROPS.stage, variables: { other: "x" } } },
      'test/api: route GET /files/{key} integration url reads the stage variable "legacyHost", which the stage does not set; it sets other',
    ],
    ["a stage variable value has a space", { stage: { ...PROPS.stage, variables: { host: "a b" } } }, 'test/api: stage.variables.host is "a b"; expected a stage variable value'],
  ])("fails if %s", (_name, props, message) => {
    expect(() => new RestApi(testStack(), "api", { ...PROPS, ...props })).toThrow(message);
  });
});
