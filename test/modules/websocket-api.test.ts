import { WebSocketApi, WebSocketApiProps, WebSocketConnectAuthorization } from "../../modules/websocket-api";
import { nameOf, resourcesOf, synthConstruct, testStack } from "../fixtures/environment";
import { allows, statementsOf } from "../fixtures/iam";
import { fixtureFunction } from "../fixtures/lambda";

const connect = fixtureFunction("connect");
const messages = fixtureFunction("messages");
const authorizer = fixtureFunction("authorizer");

const PROPS: WebSocketApiProps = {
  name: "chat",
  routes: [
    { routeKey: "$connect", function: connect },
    { routeKey: "$disconnect", function: connect },
    { routeKey: "sendMessage", function: messages, twoWay: true },
    { routeKey: "$default", function: messages, twoWay: true },
  ],
  connectAuthorization: WebSocketConnectAuthorization.lambda(authorizer),
  stageName: "dev",
  logRetentionDays: 14,
  throttling: { rateLimit: 50, burstLimit: 100 },
};

function synthApi(props: Partial<WebSocketApiProps> = {}, extra?: (api: WebSocketApi) => void): Record<string, any> {
  return synthConstruct((scope) => {
    const api = new WebSocketApi(scope, "ws", { ...PROPS, ...props });
    extra?.(api);
  });
}

const only = (synthesized: Record<string, any>, type: string) => resourcesOf(synthesized, type)[nameOf(synthesized, type)];
const routesByKey = (synthesized: Record<string, any>): Record<string, any> => Object.fromEntries(Object.entries(resourcesOf(synthesized, "aws_apigatewayv2_route")).map(([name, r]) => [r.route_key, { name, ...r }]));

describe("WebSocketApi", () => {
  test("default", () => {
    const synthesized = synthApi();
    expect(only(synthesized, "aws_apigatewayv2_api")).toMatchObject({ name: "chat", protocol_type: "WEBSOCKET", route_selection_expression: "$request.body.action" });
    expect(only(synthesized, "aws_apigatewayv2_authorizer")).toEqual(
      expect.objectContaining({ authorizer_type: "REQUEST", authorizer_uri: authorizer.invokeArn, identity_sources: ["route.request.querystring.token"], name: "chat-connect" }),
    );
    // API Gateway refuses a result TTL and a payload format on WebSocket authorizers.
    expect(only(synthesized, "aws_apigatewayv2_authorizer")).not.toHaveProperty("authorizer_result_ttl_in_seconds");
    expect(only(synthesized, "aws_apigatewayv2_authorizer")).not.toHaveProperty("authorizer_payload_format_version");
  });

  test("authorizes $connect with the Lambda authorizer; the other routes inherit the connection's identity", () => {
    const synthesized = synthApi();
    const authorizerId = `\${aws_apigatewayv2_authorizer.${nameOf(synthesized, "aws_apigatewayv2_authorizer")}.id}`;
    const routes = routesByKey(synthesized);
    expect(routes.$connect).toMatchObject({ authorization_type: "CUSTOM", authorizer_id: authorizerId });
    for (const key of ["$disconnect", "sendMessage", "$default"]) {
      expect(routes[key].authorization_type).toBe("NONE");
      expect(routes[key]).not.toHaveProperty("authorizer_id");
    }
  });

  test.each<[string, WebSocketConnectAuthorization, Record<string, unknown>]>([
    ["AWS_IAM", WebSocketConnectAuthorization.iam(), { authorization_type: "AWS_IAM" }],
    ["the named opt-out", WebSocketConnectAuthorization.none("public price ticker, no user data"), { authorization_type: "NONE" }],
  ])("authorizes $connect with %s, without an authorizer resource", (_name, connectAuthorization, expected) => {
    const synthesized = synthApi({ connectAuthorization });
    expect(routesByKey(synthesized).$connect).toMatchObject(expected);
    expect(resourcesOf(synthesized, "aws_apigatewayv2_authorizer")).toEqual({});
  });

  test("integrates each function once as a Lambda proxy, grants each its own routes, and the authorizer's as that authorizer only", () => {
    const synthesized = synthApi();
    const integrations = resourcesOf(synthesized, "aws_apigatewayv2_integration");
    expect(Object.values(integrations).map((i) => [i.integration_type, i.integration_method, i.integration_uri])).toEqual([
      ["AWS_PROXY", "POST", connect.invokeArn],
      ["AWS_PROXY", "POST", messages.invokeArn],
    ]);
    const [connectIntegration, messagesIntegration] = Object.keys(integrations);
    const routes = routesByKey(synthesized);
    expect(routes.$disconnect.target).toBe(`integrations/\${aws_apigatewayv2_integration.${connectIntegration}.id}`);
    expect(routes.$default.target).toBe(`integrations/\${aws_apigatewayv2_integration.${messagesIntegration}.id}`);
    const api = nameOf(synthesized, "aws_apigatewayv2_api");
    const authorizer = nameOf(synthesized, "aws_apigatewayv2_authorizer");
    expect(Object.values(resourcesOf(synthesized, "aws_lambda_permission")).map((p) => [p.function_name, p.source_arn]).sort()).toEqual([
      ["authorizer", `\${aws_apigatewayv2_api.${api}.execution_arn}/authorizers/\${aws_apigatewayv2_authorizer.${authorizer}.id}`],
      ["connect", `\${aws_apigatewayv2_api.${api}.execution_arn}/dev/$connect`],
      ["connect", `\${aws_apigatewayv2_api.${api}.execution_arn}/dev/$disconnect`],
      ["messages", `\${aws_apigatewayv2_api.${api}.execution_arn}/dev/$default`],
      ["messages", `\${aws_apigatewayv2_api.${api}.execution_arn}/dev/sendMessage`],
    ]);
  });

  test("gives two-way routes a $default route response, and one-way routes none", () => {
    const synthesized = synthApi();
    const routes = routesByKey(synthesized);
    expect(Object.values(routes).filter((r) => r.route_response_selection_expression).map((r) => [r.route_key, r.route_response_selection_expression]).sort()).toEqual([
      ["$default", "$default"],
      ["sendMessage", "$default"],
    ]);
    expect(Object.values(resourcesOf(synthesized, "aws_apigatewayv2_route_response")).map((r) => [r.route_id, r.route_response_key]).sort()).toEqual(
      [routes.$default.name, routes.sendMessage.name].sort().map((name) => [`\${aws_apigatewayv2_route.${name}.id}`, "$default"]),
    );
  });

  test("deploys every change automatically, a removed route too, and first after every route exists", () => {
    const synthesized = synthApi();
    // A triggered deployment with create_before_destroy would snapshot a removed route before it is destroyed.
    expect(resourcesOf(synthesized, "aws_apigatewayv2_deployment")).toEqual({});
    const stage = only(synthesized, "aws_apigatewayv2_stage");
    expect(stage.auto_deploy).toBe(true);
    expect(stage).not.toHaveProperty("deployment_id");
    const routesAndResponses = ["aws_apigatewayv2_route", "aws_apigatewayv2_route_response"].flatMap((type) => Object.keys(resourcesOf(synthesized, type)).map((name) => `${type}.${name}`));
    expect(routesAndResponses.length).toBeGreaterThan(3);
    expect(stage.depends_on).toEqual(expect.arrayContaining(routesAndResponses));
  });

  test("logs access and execution, and throttles the named stage", () => {
    const synthesized = synthApi({ loggingLevel: "INFO" });
    const stage = only(synthesized, "aws_apigatewayv2_stage");
    const groups = resourcesOf(synthesized, "aws_cloudwatch_log_group");
    const api = nameOf(synthesized, "aws_apigatewayv2_api");
    expect(Object.values(groups).map((g) => [g.name, g.retention_in_days])).toEqual([
      ["/aws/apigateway/chat/dev/access", 14],
      [`/aws/apigateway/\${aws_apigatewayv2_api.${api}.id}/dev`, 14],
    ]);
    const [access, execution] = Object.keys(groups);
    expect(stage).toMatchObject({
      name: "dev",
      access_log_settings: { destination_arn: `\${aws_cloudwatch_log_group.${access}.arn}` },
      default_route_settings: { logging_level: "INFO", data_trace_enabled: false, detailed_metrics_enabled: true, throttling_rate_limit: 50, throttling_burst_limit: 100 },
    });
    expect(stage.depends_on).toContain(`aws_cloudwatch_log_group.${execution}`);
    expect(JSON.parse(stage.access_log_settings.format)).toMatchObject({ connectionId: "$context.connectionId", eventType: "$context.eventType", routeKey: "$context.routeKey", requestId: "$context.requestId" });
  });

  test("logs errors only by default", () => {
    expect(only(synthApi(), "aws_apigatewayv2_stage").default_route_settings.logging_level).toBe("ERROR");
  });

  test("grants ManageConnections on the stage's @connections POST only", () => {
    const synthesized = synthApi({}, (api) => api.grantManageConnections({ key: "messages", roleName: "messages-role" }));
    const policy = only(synthesized, "aws_iam_role_policy");
    expect(policy.role).toBe("messages-role");
    const API = "arn:aws:execute-api:eu-west-1:111111111111:abc123";
    const statements = statementsOf([policy.policy], { [`\${aws_apigatewayv2_stage.${nameOf(synthesized, "aws_apigatewayv2_stage")}.execution_arn}`]: `${API}/dev` });
    const manage = (resource: string) => allows(statements, "execute-api:ManageConnections", resource);
    expect(manage(`${API}/dev/POST/@connections/AbC123=`)).toBe(true);
    expect([`${API}/dev/GET/@connections/AbC123=`, `${API}/dev/DELETE/@connections/AbC123=`, `${API}/prod/POST/@connections/AbC123=`, `${API}/dev/POST/other`].filter(manage)).toEqual([]);
    expect(allows(statements, "execute-api:Invoke", `${API}/dev/sendMessage`)).toBe(false);
  });

  test("fails if $connect opts out of authorization without a reason", () => {
    expect(() => new WebSocketApi(testStack(), "ws", { ...PROPS, connectAuthorization: WebSocketConnectAuthorization.none(" later ") })).toThrow(
      "test/ws: connectAuthorization opts out of authorizing $connect without a reason; give one of at least 10 characters",
    );
  });

  test.each<[string, Partial<WebSocketApiProps>, string]>([
    ["there is no $connect route", { routes: PROPS.routes.filter((r) => r.routeKey !== "$connect") }, "routes have no $connect route; without one API Gateway accepts every connection unauthorized"],
    ["a route key is defined twice", { routes: [...PROPS.routes, { routeKey: "sendMessage", function: connect }] }, "route sendMessage is defined twice"],
    ["a route key starts with $ and is not predefined", { routes: [...PROPS.routes, { routeKey: "$ping", function: connect }] }, 'route "$ping" is not a route key; allowed: $connect, $disconnect, $default or an action of 1-64 letters, digits, - or _ starting with a letter'],
    ["a route key has a space", { routes: [...PROPS.routes, { routeKey: "send message", function: connect }] }, 'route "send message" is not a route key'],
    ["$disconnect is two-way", { routes: [...PROPS.routes.filter((r) => r.routeKey !== "$disconnect"), { routeKey: "$disconnect", function: connect, twoWay: true }] }, "route $disconnect cannot be two-way"],
    ["the authorizer has no identity source", { connectAuthorization: WebSocketConnectAuthorization.lambda(authorizer, []) }, "connectAuthorization.identitySources is empty"],
    ["an identity source is in the HTTP API form", { connectAuthorization: WebSocketConnectAuthorization.lambda(authorizer, ["$request.querystring.token"]) }, 'connectAuthorization.identitySources[0] is "$request.querystring.token"; expected route.request.querystring.<name>'],
    ["the stage is $default", { stageName: "$default" }, 'stageName is "$default"; expected a stage name'],
    ["throttling is 0", { throttling: { rateLimit: 0, burstLimit: 0 } }, "throttling is rate 0, burst 0"],
  ])("fails if %s", (_name, props, message) => {
    expect(() => new WebSocketApi(testStack(), "ws", { ...PROPS, ...props })).toThrow(message);
  });
});
