import { TerraformVariable } from "cdktf";
import { HttpApi, HttpApiProps, HttpPrivateBackend, HttpRoute, HttpRouteAuthorization } from "../../modules/http-api";
import { existingQueue, HttpServiceCalls } from "../../modules/shared/service-integrations";
import { nameOf, resourcesOf, synthConstruct, testStack } from "../fixtures/environment";
import { fixtureFunction } from "../fixtures/lambda";

const orders = fixtureFunction("orders");
const products = fixtureFunction("products");

const QUEUE = existingQueue("arn:aws:sqs:eu-west-1:111111111111:orders", "arn:aws:kms:eu-west-1:111111111111:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b");
const LEGACY: HttpPrivateBackend = {
  name: "legacy",
  vpcLinkId: "vl0abc",
  listenerArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/net/legacy/50dc6c495c0c9188/f7a9c3e1b2d4a6c8",
  serverNameToVerify: "legacy.internal.example.com",
  path: "/$request.path.proxy",
};

const PROPS: HttpApiProps = {
  name: "shop",
  authorizer: { issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example01", audiences: ["client-a"] },
  routes: [
    { method: "GET", path: "/orders", function: orders },
    { method: "POST", path: "/orders", function: orders, authorization: HttpRouteAuthorization.jwt(["orders/write"]) },
    { method: "GET", path: "/orders/{id}", function: orders },
    { method: "GET", path: "/products", function: products },
  ],
  logRetentionDays: 14,
  throttling: { rateLimit: 50, burstLimit: 100 },
};

function synthApi(props: Partial<HttpApiProps> = {}): Record<string, any> {
  return synthConstruct((scope) => new HttpApi(scope, "http", { ...PROPS, ...props }));
}

function only(synthesized: Record<string, any>, type: string): Record<string, any> {
  return resourcesOf(synthesized, type)[nameOf(synthesized, type)];
}

describe("HttpApi", () => {
  test("default", () => {
    const synthesized = synthApi();
    expect(only(synthesized, "aws_apigatewayv2_api")).toMatchObject({ name: "shop", protocol_type: "HTTP", disable_execute_api_endpoint: false });
    expect(only(synthesized, "aws_apigatewayv2_api")).not.toHaveProperty("cors_configuration");
    expect(only(synthesized, "aws_apigatewayv2_authorizer")).toMatchObject({
      authorizer_type: "JWT",
      identity_sources: ["$request.header.Authorization"],
      jwt_configuration: { issuer: PROPS.authorizer.issuer, audience: ["client-a"] },
    });
  });

  test("protects every route with the authorizer, with each route's own scopes", () => {
    const synthesized = synthApi();
    const authorizerId = `\${aws_apigatewayv2_authorizer.${nameOf(synthesized, "aws_apigatewayv2_authorizer")}.id}`;
    const routes = Object.values(resourcesOf(synthesized, "aws_apigatewayv2_route"));
    expect(routes).toHaveLength(4);
    for (const route of routes) expect(route).toMatchObject({ authorization_type: "JWT", authorizer_id: authorizerId });
    expect(routes.filter((r) => r.authorization_scopes).map((r) => [r.route_key, r.authorization_scopes])).toEqual([["POST /orders", ["orders/write"]]]);
  });

  test("opens a route only through the named opt-out", () => {
    const synthesized = synthApi({ routes: [...PROPS.routes, { method: "GET", path: "/health", function: products, authorization: HttpRouteAuthorization.none("load balancer health check") }] });
    const open = Object.values(resourcesOf(synthesized, "aws_apigatewayv2_route")).filter((r) => r.authorization_type !== "JWT");
    expect(open).toEqual([expect.objectContaining({ route_key: "GET /health", authorization_type: "NONE" })]);
    expect(open[0]).not.toHaveProperty("authorizer_id");
  });

  test("integrates each function once, as a Lambda proxy with payload 2.0, and grants it each of its routes", () => {
    const synthesized = synthApi();
    const integrations = resourcesOf(synthesized, "aws_apigatewayv2_integration");
    expect(Object.values(integrations)).toEqual([
      expect.objectContaining({ integration_type: "AWS_PROXY", integration_method: "POST", integration_uri: orders.invokeArn, payload_format_version: "2.0" }),
      expect.objectContaining({ integration_type: "AWS_PROXY", integration_uri: products.invokeArn, payload_format_version: "2.0" }),
    ]);
    const [ordersIntegration] = Object.keys(integrations);
    const route = Object.values(resourcesOf(synthesized, "aws_apigatewayv2_route")).find((r) => r.route_key === "GET /orders/{id}");
    expect(route.target).toBe(`integrations/\${aws_apigatewayv2_integration.${ordersIntegration}.id}`);
    const api = nameOf(synthesized, "aws_apigatewayv2_api");
    expect(Object.values(resourcesOf(synthesized, "aws_lambda_permission")).map((p) => [p.function_name, p.principal, p.source_arn])).toEqual([
      ["orders", "apigateway.amazonaws.com", `\${aws_apigatewayv2_api.${api}.execution_arn}/*/GET/orders`],
      ["orders", "apigateway.amazonaws.com", `\${aws_apigatewayv2_api.${api}.execution_arn}/*/GET/orders/*`],
      ["orders", "apigateway.amazonaws.com", `\${aws_apigatewayv2_api.${api}.execution_arn}/*/POST/orders`],
      ["products", "apigateway.amazonaws.com", `\${aws_apigatewayv2_api.${api}.execution_arn}/*/GET/products`],
    ]);
  });

  test("auto-deploys a logged and throttled $default stage", () => {
    const synthesized = synthApi();
    const logGroup = nameOf(synthesized, "aws_cloudwatch_log_group");
    expect(resourcesOf(synthesized, "aws_cloudwatch_log_group")[logGroup]).toMatchObject({ name: "/aws/apigateway/shop/default/access", retention_in_days: 14 });
    const stage = only(synthesized, "aws_apigatewayv2_stage");
    expect(stage).toMatchObject({
      name: "$default",
      auto_deploy: true,
      default_route_settings: { throttling_rate_limit: 50, throttling_burst_limit: 100, detailed_metrics_enabled: true },
    });
    expect(stage.access_log_settings.destination_arn).toBe(`\${aws_cloudwatch_log_group.${logGroup}.arn}`);
    expect(JSON.parse(stage.access_log_settings.format)).toMatchObject({ requestId: "$context.requestId", routeKey: "$context.routeKey", authorizerError: "$context.authorizer.error" });
  });

  test("configures CORS with explicit origins", () => {
    const synthesized = synthApi({ cors: { allowOrigins: ["https://app.example.com"], allowCredentials: true } });
    expect(only(synthesized, "aws_apigatewayv2_api").cors_configuration).toEqual({
      allow_origins: ["https://app.example.com"],
      allow_methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      allow_headers: ["authorization", "content-type"],
      allow_credentials: true,
      max_age: 600,
    });
  });

  test("leaves preflights to API Gateway's CORS answer: with CORS, no authorized route matches OPTIONS, an ANY route being one route per other method", () => {
    const routes: HttpRoute[] = [...PROPS.routes, { method: "ANY", path: "/legacy/{proxy+}", privateBackend: LEGACY, authorization: HttpRouteAuthorization.jwt(["legacy/access"]) }, { method: "GET", path: "/mixed/{proxy+}", function: orders }, { method: "ANY", path: "/mixed/{proxy+}", function: orders, authorization: HttpRouteAuthorization.jwt(["orders/write"]) }];
    const keys = (synthesized: Record<string, any>) => Object.values<any>(resourcesOf(synthesized, "aws_apigatewayv2_route")).map((r) => r.route_key);
    const withCors = synthApi({ routes, cors: { allowOrigins: ["https://app.example.com"] } });
    const legacy = Object.values<any>(resourcesOf(withCors, "aws_apigatewayv2_route")).filter((r) => r.route_key.endsWith(" /legacy/{proxy+}"));
    const EVERY_BUT_OPTIONS = ["DELETE", "GET", "HEAD", "PATCH", "POST", "PUT"];
    expect(legacy.map((r) => r.route_key).sort()).toEqual(EVERY_BUT_OPTIONS.map((m) => `${m} /legacy/{proxy+}`));
    const [backend] = Object.entries<any>(resourcesOf(withCors, "aws_apigatewayv2_integration")).find(([, i]) => i.integration_type === "HTTP_PROXY")!;
    for (const route of legacy) expect(route).toMatchObject({ authorization_type: "JWT", target: `integrations/\${aws_apigatewayv2_integration.${backend}.id}` });
    // ANY takes only the methods the path has no route for; the explicit GET keeps its own.
    expect(keys(withCors).filter((k) => k.endsWith(" /mixed/{proxy+}")).sort()).toEqual(EVERY_BUT_OPTIONS.map((m) => `${m} /mixed/{proxy+}`));
    expect(keys(withCors).filter((k) => k.startsWith("ANY ") || k.startsWith("OPTIONS "))).toEqual([]);
    // Without CORS, ANY stays one route.
    expect(keys(synthApi({ routes })).filter((k) => k.endsWith(" /legacy/{proxy+}"))).toEqual(["ANY /legacy/{proxy+}"]);
  });

  test("can turn off the default execute-api endpoint", () => {
    expect(only(synthApi({ disableExecuteApiEndpoint: true }), "aws_apigatewayv2_api").disable_execute_api_endpoint).toBe(true);
  });

  test("accepts unresolved throttling values", () => {
    const stack = testStack();
    const rate = new TerraformVariable(stack, "rate", { type: "number" });
    expect(() => new HttpApi(stack, "http", { ...PROPS, throttling: { rateLimit: rate.numberValue, burstLimit: rate.numberValue } })).not.toThrow();
  });

  test("sends a route to SQS with the subtype's parameters and a credentials role of its own", () => {
    const synthesized = synthApi({ routes: [{ method: "POST", path: "/orders/queue", service: HttpServiceCalls.sqsSendMessage("orders-send-message", QUEUE), authorization: HttpRouteAuthorization.jwt(["orders/write"]) }] });
    const role = nameOf(synthesized, "aws_iam_role");
    expect(only(synthesized, "aws_apigatewayv2_integration")).toEqual(
      expect.objectContaining({
        integration_type: "AWS_PROXY",
        integration_subtype: "SQS-SendMessage",
        payload_format_version: "1.0",
        credentials_arn: `\${aws_iam_role.${role}.arn}`,
        request_parameters: { QueueUrl: "https://sqs.eu-west-1.amazonaws.com/111111111111/orders", MessageBody: "$request.body" },
      }),
    );
    expect(JSON.parse(only(synthesized, "aws_iam_role_policy").policy).Statement).toEqual([
      { Sid: "CallTheIntegration", Effect: "Allow", Action: "sqs:SendMessage", Resource: QUEUE.arn },
      {
        Sid: "UseTheResourceKey",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: QUEUE.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": expect.stringMatching(/^sqs\.\$\{data\.aws_arn\.[^.]+\.region\}\.amazonaws\.com$/) } },
      },
    ]);
    expect(only(synthesized, "aws_apigatewayv2_route")).toMatchObject({ route_key: "POST /orders/queue", authorization_type: "JWT" });
  });

  test("sends a route through a VPC link, verifying the backend's certificate", () => {
    const synthesized = synthApi({ routes: [{ method: "ANY", path: "/legacy/{proxy+}", privateBackend: LEGACY, authorization: HttpRouteAuthorization.jwt(["legacy/access"]) }] });
    expect(only(synthesized, "aws_apigatewayv2_integration")).toEqual(
      expect.objectContaining({
        integration_type: "HTTP_PROXY",
        integration_method: "ANY",
        integration_uri: LEGACY.listenerArn,
        connection_type: "VPC_LINK",
        connection_id: "vl0abc",
        tls_config: { server_name_to_verify: "legacy.internal.example.com" },
        request_parameters: { "overwrite:path": "/$request.path.proxy" },
      }),
    );
  });

  const withRoute = (route: Partial<HttpRoute>): Partial<HttpApiProps> => ({ routes: [{ ...PROPS.routes[0], ...route }] });
  test.each<[string, Partial<HttpApiProps>, string]>([
    ["the issuer is http", { authorizer: { ...PROPS.authorizer, issuer: "http://issuer.example.com" } }, 'test/http: authorizer.issuer is "http://issuer.example.com"; expected an https:// URL'],
    ["a Cognito issuer has no pool id", { authorizer: { ...PROPS.authorizer, issuer: "https://cognito-idp.eu-west-1.amazonaws.com/" } }, "a Cognito issuer ends in the user pool id, https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_<id>"],
    ["a Cognito issuer names another region's pool", { authorizer: { ...PROPS.authorizer, issuer: "https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_Abc" } }, "a Cognito issuer ends in the user pool id"],
    ["there is no audience", { authorizer: { ...PROPS.authorizer, audiences: [] } }, "test/http: authorizer.audiences is empty or has an empty value"],
    ["an audience is blank", { authorizer: { ...PROPS.authorizer, audiences: [" "] } }, "test/http: authorizer.audiences is empty or has an empty value"],
    ["the token comes from the query string", { authorizer: { ...PROPS.authorizer, identitySource: "$request.querystring.token" } }, 'test/http: authorizer.identitySource is "$request.querystring.token"; expected a request header'],
    ["a scope has a space", withRoute({ authorization: HttpRouteAuthorization.jwt(["orders write"]) }), 'test/http: route GET /orders scopes[0] is "orders write"; expected an OAuth scope'],
    ["a write route takes any token", withRoute({ method: "POST", authorization: HttpRouteAuthorization.jwt() }), "test/http: route POST /orders writes with any token of the issuer and audience; give it the OAuth scopes"],
    ["an ANY route takes any token", withRoute({ method: "ANY", authorization: undefined }), "test/http: route ANY /orders writes with any token"],
    ["an opt-out has no reason", withRoute({ authorization: HttpRouteAuthorization.none("") }), "test/http: route GET /orders opts out of the JWT authorizer without a reason"],
    ["throttling is 0", { throttling: { rateLimit: 0, burstLimit: 0 } }, "test/http: throttling is rate 0, burst 0; expected rate > 0 and an integer burst >= rate"],
    ["a route is defined twice", { routes: [PROPS.routes[0], PROPS.routes[0]] }, "test/http: route GET /orders is defined twice"],
    ["a path is malformed", withRoute({ path: "/orders/" }), "test/http: route GET /orders/ must start with / and not end with one"],
    ["CORS allows every origin with credentials", { cors: { allowOrigins: ["*"], allowCredentials: true } }, "test/http: cors.allowOrigins[0] is * while allowCredentials is true"],
    ["a CORS origin has a path", { cors: { allowOrigins: ["https://app.example.com/home"] } }, 'test/http: cors.allowOrigins[0] is "https://app.example.com/home"; expected an origin'],
    ["CORS has no origin", { cors: { allowOrigins: [] } }, "test/http: cors.allowOrigins is empty"],
    ["an OPTIONS route is authorized on an API with CORS", { ...withRoute({ method: "OPTIONS" }), cors: { allowOrigins: ["https://app.example.com"] } }, "test/http: route OPTIONS /orders is authorized on an API with CORS; it would take the browsers' preflight"],
    ["a route names two backends", withRoute({ privateBackend: LEGACY }), "test/http: route GET /orders names 2 backends; give exactly one of function, service and privateBackend"],
    ["a route names no backend", { routes: [{ method: "GET", path: "/orders" }] }, "test/http: route GET /orders names 0 backends"],
    ["a private backend is a load balancer, not a listener", { routes: [{ method: "ANY", path: "/legacy/{proxy+}", privateBackend: { ...LEGACY, listenerArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/legacy/50dc6c495c0c9188" } }] }, "privateBackend.listenerArn is"],
  ])("fails if %s", (_name, props, message) => {
    expect(() => new HttpApi(testStack(), "http", { ...PROPS, ...props })).toThrow(message);
  });
});
