import { environmentConfig, nameOf, resourcesOf } from "../fixtures/environment";
import { allows, statementsOf } from "../fixtures/iam";
import { synthEnvironment } from "../fixtures/environment-stack";

/** The OpenAPI document an API of the stack is defined by, by construct id (private-api, public-api). */
function documentOf(synthesized: Record<string, any>, api: string): Record<string, any> {
  return JSON.parse((Object.values(resourcesOf(synthesized, "aws_api_gateway_rest_api_put", api))[0] as { body: string }).body);
}

describe("EnvironmentStack", () => {
  test("default", () => {
    const synthesized = synthEnvironment();
    const [endpoint] = Object.keys(synthesized.data.aws_vpc_endpoint);
    expect(Object.values(resourcesOf(synthesized, "aws_api_gateway_rest_api")).map((api) => [api.name, api.endpoint_configuration.types])).toEqual([
      ["apigw-dev-private", ["PRIVATE"]],
      ["apigw-dev-public", ["EDGE"]],
    ]);
    const privateApi = documentOf(synthesized, "private-api");
    expect(Object.keys(privateApi.paths)).toEqual(["/files/{key}"]);
    expect(privateApi["x-amazon-apigateway-policy"].Statement[1].Condition).toEqual({ StringNotEquals: { "aws:SourceVpce": [`\${data.aws_vpc_endpoint.${endpoint}.id}`] } });
    // The object reader answers base64 with isBase64Encoded; API Gateway turns it into bytes for this Accept.
    expect(privateApi["x-amazon-apigateway-binary-media-types"]).toEqual(["application/octet-stream"]);
    expect(privateApi.paths["/files/{key}"].get["x-amazon-apigateway-integration"].cacheKeyParameters).toEqual(["method.request.path.key"]);
    expect(Object.keys(synthesized.output).sort()).toEqual([
      "http_api_endpoint",
      "http_api_id",
      "object_reader_function_name",
      "private_api_endpoint_invoke_urls",
      "private_api_execution_arn",
      "private_api_id",
      "private_api_invoke_url",
      "public_api_id",
      "public_api_invoke_url",
      "public_api_key_ids",
      "vpc_endpoint_id",
    ]);
  });

  test("gives every invoke permission a statement id prefix, so a replacement for the same function never collides with the old statement", () => {
    const permissions = Object.values(synthEnvironment({ websocketApi: {} }).resource.aws_lambda_permission) as Record<string, unknown>[];
    expect(permissions.length).toBeGreaterThan(5);
    for (const permission of permissions) {
      expect(permission).toHaveProperty("statement_id_prefix");
      expect(permission).not.toHaveProperty("statement_id");
    }
  });

  test("outputs no default HTTP endpoint when the file switches it off", () => {
    const synthesized = synthEnvironment({
      dns: { publicZone: { id: "Z0DEVPUBLICZONE00001", name: "dev.example.com" } },
      customDomains: { httpApi: { domainName: "app.dev.example.com" } },
      httpApi: { disableExecuteApiEndpoint: true, routeScopes: { "POST /orders": ["orders/write"] } },
    });
    expect(synthesized.output).not.toHaveProperty("http_api_endpoint");
    expect(synthesized.output.http_api_domain_url).toEqual({ value: "https://app.dev.example.com/" });
  });

  test("lets the object reader read only its bucket's objects and decrypt only through S3 with its key", () => {
    const synthesized = synthEnvironment();
    const access = Object.values(resourcesOf(synthesized, "aws_iam_role_policy", "object-reader")).find((p) => p.name === "access");
    expect(JSON.parse(access.policy).Statement).toEqual([
      { Sid: "ReadObjects", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::example-files/*" },
      {
        Sid: "DecryptObjectsThroughS3",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: "arn:aws:kms:eu-west-1:111111111111:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
        Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
      },
    ]);
    expect(Object.values(resourcesOf(synthesized, "aws_lambda_function", "object-reader"))).toEqual([
      expect.objectContaining({ function_name: "apigw-dev-object-reader", environment: { variables: { BUCKET_NAME: "example-files" } } }),
    ]);
  });

  test("turns the default endpoints off where a custom domain serves the API, in the document too", () => {
    const synthesized = synthEnvironment({
      dns: { publicZone: { id: "Z0TESTZONE0000000001", name: "dev.example.com" } },
      customDomains: { publicApi: { domainName: "api.dev.example.com" }, httpApi: { domainName: "app.dev.example.com" } },
    });
    expect(Object.values(resourcesOf(synthesized, "aws_api_gateway_rest_api", "public-api"))[0].disable_execute_api_endpoint).toBe(true);
    expect(documentOf(synthesized, "public-api").servers).toEqual([{ url: "/", "x-amazon-apigateway-endpoint-configuration": { disableExecuteApiEndpoint: true } }]);
    expect(Object.values(resourcesOf(synthesized, "aws_apigatewayv2_api"))[0].disable_execute_api_endpoint).toBe(true);
    expect(synthesized.output).not.toHaveProperty("public_api_invoke_url");
    expect(synthesized.output).not.toHaveProperty("http_api_endpoint");
  });

  test("keeps a default endpoint on when the file says so", () => {
    const synthesized = synthEnvironment({
      dns: { publicZone: { id: "Z0TESTZONE0000000001", name: "dev.example.com" } },
      customDomains: { publicApi: { domainName: "api.dev.example.com" } },
      publicApi: { disableExecuteApiEndpoint: false },
    });
    expect(Object.values(resourcesOf(synthesized, "aws_api_gateway_rest_api", "public-api"))[0]).not.toHaveProperty("disable_execute_api_endpoint");
    expect(synthesized.output).toHaveProperty("public_api_invoke_url");
  });

  test("confines the object reader to its key prefix", () => {
    const synthesized = synthEnvironment({ privateApi: { objectReader: { bucketName: "example-files", keyPrefix: "served/" } } });
    const access = Object.values(resourcesOf(synthesized, "aws_iam_role_policy", "object-reader")).find((p) => p.name === "access");
    expect(JSON.parse(access.policy).Statement).toEqual([{ Sid: "ReadObjects", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::example-files/served/*" }]);
    expect(Object.values(resourcesOf(synthesized, "aws_lambda_function", "object-reader"))).toEqual([
      expect.objectContaining({ environment: { variables: { BUCKET_NAME: "example-files", KEY_PREFIX: "served/" } } }),
    ]);
  });

  test("reserves each function's concurrency and encrypts every log group with the file's key", () => {
    const key = "arn:aws:kms:eu-west-1:111111111111:key/5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d";
    const synthesized = synthEnvironment({
      logging: { retentionDays: 30, kmsKeyArn: key },
      reservedConcurrency: { default: 5, "object-reader": 20, "websocket-messages": 10 },
      httpApi: { routeScopes: { "POST /orders": ["orders/write"] }, lambdaAuthorizer: { routes: ["GET /products"], resultTtlSeconds: 0 } },
      websocketApi: {},
    });
    const functions = Object.values(resourcesOf(synthesized, "aws_lambda_function"));
    expect(functions.map((f) => [f.function_name, f.reserved_concurrent_executions]).sort()).toEqual([
      ["apigw-dev-authorizer", 5],
      ["apigw-dev-hello-get", 5],
      ["apigw-dev-hello-post", 5],
      ["apigw-dev-object-reader", 20],
      ["apigw-dev-orders", 5],
      ["apigw-dev-products", 5],
      ["apigw-dev-users", 5],
      ["apigw-dev-ws-authorizer", 5],
      ["apigw-dev-ws-connect", 5],
      ["apigw-dev-ws-default", 5],
      ["apigw-dev-ws-disconnect", 5],
      ["apigw-dev-ws-messages", 10],
    ]);
    expect(Object.values(resourcesOf(synthesized, "aws_cloudwatch_log_group")).filter((g) => g.kms_key_id !== key)).toEqual([]);
  });

  test("gives the authorizer function the scopes of the HTTP API's Lambda routes, and caches its answers per route", () => {
    const lambdaAuthorizer = (resultTtlSeconds: number) => ({ routes: ["GET /products", "GET /orders"], resultTtlSeconds });
    const synthesized = synthEnvironment({ httpApi: { routeScopes: { "POST /orders": ["orders/write"], "GET /products": ["products/read"] }, lambdaAuthorizer: lambdaAuthorizer(300) } });
    const authorizerFunction = Object.values(resourcesOf(synthesized, "aws_lambda_function")).find((f) => f.function_name === "apigw-dev-authorizer");
    expect(JSON.parse(authorizerFunction.environment.variables.HTTP_ROUTE_SCOPES)).toEqual({ "GET /products": ["products/read"], "GET /orders": [] });
    // API Gateway checks none of them: HTTP APIs take authorization scopes for JWT authorizers only.
    const products = Object.values(resourcesOf(synthesized, "aws_apigatewayv2_route")).find((r) => r.route_key === "GET /products");
    expect(products).toMatchObject({ authorization_type: "CUSTOM" });
    expect(products.authorization_scopes).toBeUndefined();
    const sources = (ttl: number) =>
      Object.values(resourcesOf(ttl === 300 ? synthesized : synthEnvironment({ httpApi: { routeScopes: { "POST /orders": ["orders/write"] }, lambdaAuthorizer: lambdaAuthorizer(ttl) } }), "aws_apigatewayv2_authorizer"))
        .filter((a) => a.authorizer_type === "REQUEST")
        .map((a) => a.identity_sources);
    expect(sources(300)).toEqual([["$request.header.Authorization", "$context.routeKey"]]);
    expect(sources(0)).toEqual([["$request.header.Authorization"]]);
  });

  test("fails if reservedConcurrency names no function", () => {
    expect(() => synthEnvironment({ reservedConcurrency: { "object-raeder": 5 } })).toThrow('environment dev: reservedConcurrency: no function "object-raeder"; the functions are object-reader, hello-get');
  });

  test("routes to an existing function and endpoint when the file names them", () => {
    const existing = "arn:aws:lambda:eu-west-1:111111111111:function:legacy-reader";
    const synthesized = synthEnvironment({
      network: { existingVpcEndpointId: "vpce-0123456789abcdef0" },
      privateApi: { objectReader: { existingFunctionArn: existing } },
    });
    expect(resourcesOf(synthesized, "aws_lambda_function", "object-reader")).toEqual({});
    expect(resourcesOf(synthesized, "aws_vpc_endpoint")).toEqual({});
    expect(documentOf(synthesized, "private-api").paths["/files/{key}"].get["x-amazon-apigateway-integration"].uri).toBe(
      `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${existing}/invocations`,
    );
    expect(Object.values(resourcesOf(synthesized, "aws_lambda_permission", "private-api"))[0].function_name).toBe("legacy-reader");
    expect(Object.values(resourcesOf(synthesized, "aws_api_gateway_rest_api", "private-api"))[0].endpoint_configuration.vpc_endpoint_ids).toEqual(["vpce-0123456789abcdef0"]);
  });

  test("names the stage after the environment unless the file says otherwise", () => {
    const stageOf = (synthesized: Record<string, any>) => Object.values(resourcesOf(synthesized, "aws_api_gateway_stage", "private-api"))[0].stage_name;
    expect(stageOf(synthEnvironment())).toBe("dev");
    expect(stageOf(synthEnvironment({ privateApi: { ...environmentConfig().privateApi, stageName: "v1" } }))).toBe("v1");
  });

  test("requires an API key on every public method (and SigV4 on writes without an authorizer), metered by a usage plan on the public stage", () => {
    const synthesized = synthEnvironment({ quota: { limit: 5000, period: "DAY" }, publicApi: { apiKeyNames: ["partner-a", "partner-b"] } });
    const paths = documentOf(synthesized, "public-api").paths;
    const operations = Object.entries(paths).flatMap(([path, item]) => Object.entries(item as object).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })));
    // /users comes from apis/public-users.openapi.yaml, /hello from code.
    expect(operations.map((o) => o.route).sort()).toEqual(["DELETE /users/{id}", "GET /hello", "GET /users", "GET /users/{id}", "POST /hello", "POST /users", "PUT /users/{id}"]);
    // Without an authorizer in the environment file, reads need the key and writes SigV4 as well (a key alone authorizes no write).
    expect(Object.fromEntries(operations.map((o) => [o.route, o.operation.security]))).toEqual({
      "GET /hello": [{ api_key: [] }],
      "GET /users": [{ api_key: [] }],
      "GET /users/{id}": [{ api_key: [] }],
      "POST /hello": [{ api_key: [], sigv4: [] }],
      "POST /users": [{ api_key: [], sigv4: [] }],
      "PUT /users/{id}": [{ api_key: [], sigv4: [] }],
      "DELETE /users/{id}": [{ api_key: [], sigv4: [] }],
    });
    const api = nameOf({ resource: { t: resourcesOf(synthesized, "aws_api_gateway_rest_api", "public-api") } }, "t");
    expect(Object.values(resourcesOf(synthesized, "aws_api_gateway_usage_plan"))).toEqual([
      expect.objectContaining({
        api_stages: [{ api_id: `\${aws_api_gateway_rest_api.${api}.id}`, stage: `\${aws_api_gateway_stage.${Object.keys(resourcesOf(synthesized, "aws_api_gateway_stage", "public-api"))[0]}.stage_name}` }],
        // Each key gets half the stage's throttling by default: no one key can take the whole stage.
        throttle_settings: { rate_limit: 50, burst_limit: 100 },
        quota_settings: { limit: 5000, period: "DAY" },
      }),
    ]);
    expect(Object.values(resourcesOf(synthesized, "aws_api_gateway_api_key")).map((k) => k.name)).toEqual(["apigw-dev-public-partner-a", "apigw-dev-public-partner-b"]);
  });

  test("serves the HTTP API's routes through the JWT authorizer, with the file's scopes", () => {
    const synthesized = synthEnvironment({ httpApi: { routeScopes: { "POST /orders": ["orders/write"] } } });
    const authorizer = nameOf(synthesized, "aws_apigatewayv2_authorizer");
    expect(resourcesOf(synthesized, "aws_apigatewayv2_authorizer")[authorizer].jwt_configuration).toEqual({
      issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example01",
      audience: ["example-client-id"],
    });
    const routes = Object.values(resourcesOf(synthesized, "aws_apigatewayv2_route"));
    expect(routes.map((r) => [r.route_key, r.authorization_type, r.authorizer_id, r.authorization_scopes]).sort()).toEqual([
      ["GET /orders", "JWT", `\${aws_apigatewayv2_authorizer.${authorizer}.id}`, undefined],
      ["GET /orders/{id}", "JWT", `\${aws_apigatewayv2_authorizer.${authorizer}.id}`, undefined],
      ["GET /products", "JWT", `\${aws_apigatewayv2_authorizer.${authorizer}.id}`, undefined],
      ["POST /orders", "JWT", `\${aws_apigatewayv2_authorizer.${authorizer}.id}`, ["orders/write"]],
    ]);
  });

  test("fails if the file gives scopes to a route the HTTP API does not have", () => {
    expect(() => synthEnvironment({ httpApi: { routeScopes: { "POST /orders": ["orders/write"], "DELETE /orders": ["orders/write"] } } })).toThrow(
      'httpApi.routeScopes: no route "DELETE /orders"; the HTTP API\'s routes are GET /orders, POST /orders, GET /orders/{id}, GET /products',
    );
  });

  test("associates the web ACL with the public stage when the file names one", () => {
    const webAclArn = "arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/public/3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8";
    const synthesized = synthEnvironment({ publicApi: { webAclArn } });
    expect(Object.values(resourcesOf(synthesized, "aws_wafv2_web_acl_association"))).toEqual([
      expect.objectContaining({ web_acl_arn: webAclArn, resource_arn: `\${aws_api_gateway_stage.${Object.keys(resourcesOf(synthesized, "aws_api_gateway_stage", "public-api"))[0]}.arn}` }),
    ]);
  });

  test("gives each API the custom domain the file names, with its URL as an output", () => {
    const synthesized = synthEnvironment({
      dns: { publicZone: { id: "Z0TESTZONE0000000001", name: "dev.example.com" }, privateZone: { id: "Z0TESTZONE0000000002", name: "dev.internal.example.com" } },
      customDomains: {
        publicApi: { domainName: "api.dev.example.com", basePath: "v1" },
        httpApi: { domainName: "app.dev.example.com" },
        privateApi: { domainName: "files.dev.internal.example.com", validationZone: { id: "Z0TESTZONE0000000003", name: "internal.example.com" } },
      },
      httpApi: { disableExecuteApiEndpoint: true, routeScopes: { "POST /orders": ["orders/write"] } },
    });
    const validationZone = (domain: string) => Object.values(resourcesOf(synthesized, "aws_route53_record", domain)).find((r) => !r.alias)?.zone_id;
    expect(validationZone("private-api-domain")).toBe("Z0TESTZONE0000000003");
    expect(validationZone("public-api-domain")).toBe("Z0TESTZONE0000000001");
    expect(Object.values(resourcesOf(synthesized, "aws_api_gateway_domain_name")).map((d) => [d.domain_name, d.endpoint_configuration.types])).toEqual([
      ["files.dev.internal.example.com", ["PRIVATE"]],
      ["api.dev.example.com", ["EDGE"]],
    ]);
    expect(Object.values(resourcesOf(synthesized, "aws_apigatewayv2_domain_name")).map((d) => d.domain_name)).toEqual(["app.dev.example.com"]);
    expect(Object.values(resourcesOf(synthesized, "aws_apigatewayv2_api"))[0].disable_execute_api_endpoint).toBe(true);
    expect(synthesized.output.public_api_domain_url).toEqual({ value: "https://api.dev.example.com/v1" });
    expect(synthesized.output.http_api_domain_url).toEqual({ value: "https://app.dev.example.com/" });
    expect(synthesized.output.private_api_domain_url).toEqual({ value: "https://files.dev.internal.example.com/" });
  });
});

describe("EnvironmentStack WebSocket API", () => {
  const ZONE = { id: "Z0TESTZONE0000000001", name: "dev.example.com" };
  const websocketStage = (synthesized: Record<string, any>) => Object.keys(resourcesOf(synthesized, "aws_apigatewayv2_stage", "websocket-api"))[0];
  const functionsOf = (synthesized: Record<string, any>) => Object.values(resourcesOf(synthesized, "aws_lambda_function")).filter((f) => f.function_name.startsWith("apigw-dev-ws-"));

  test("default", () => {
    const synthesized = synthEnvironment({ websocketApi: {} });
    const api = Object.values(resourcesOf(synthesized, "aws_apigatewayv2_api")).find((a) => a.protocol_type === "WEBSOCKET");
    expect(api).toMatchObject({ name: "apigw-dev-ws", route_selection_expression: "$request.body.action" });
    expect(Object.values(resourcesOf(synthesized, "aws_apigatewayv2_route", "websocket-api")).map((r) => r.route_key).sort()).toEqual(["$connect", "$default", "$disconnect", "sendMessage", "subscribe"]);
    expect(Object.values(resourcesOf(synthesized, "aws_apigatewayv2_route_response")).length).toBe(3);
    const table = `\${aws_dynamodb_table.${nameOf(synthesized, "aws_dynamodb_table")}.name}`;
    expect(functionsOf(synthesized).map((f) => [f.function_name, f.handler, f.runtime, f.environment?.variables]).sort()).toEqual([
      ["apigw-dev-ws-authorizer", "index.handler", "nodejs22.x", { ISSUER: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example01", AUDIENCES: '["example-client-id"]' }],
      ["apigw-dev-ws-connect", "index.connect", "nodejs22.x", { CONNECTIONS_TABLE: table }],
      ["apigw-dev-ws-default", "index.fallback", "nodejs22.x", undefined],
      ["apigw-dev-ws-disconnect", "index.disconnect", "nodejs22.x", { CONNECTIONS_TABLE: table }],
      ["apigw-dev-ws-messages", "index.message", "nodejs22.x", { CONNECTIONS_TABLE: table, EXECUTE_API_DOMAIN: "execute-api.eu-west-1.amazonaws.com" }],
    ]);
    const stage = websocketStage(synthesized);
    expect(resourcesOf(synthesized, "aws_apigatewayv2_stage", "websocket-api")[stage]).toMatchObject({
      name: "dev",
      default_route_settings: { logging_level: "INFO", throttling_rate_limit: 100, throttling_burst_limit: 200 },
    });
    expect(synthesized.output).toMatchObject({
      websocket_api_url: { value: `\${aws_apigatewayv2_stage.${stage}.invoke_url}` },
      websocket_api_connections_url: { value: `\${replace(aws_apigatewayv2_stage.${stage}.invoke_url, "wss://", "https://")}/@connections` },
      websocket_connections_table: { value: table },
    });
  });

  test("builds nothing when the file leaves it out or disables it", () => {
    for (const synthesized of [synthEnvironment(), synthEnvironment({ websocketApi: { enabled: false } })]) {
      expect(Object.values(resourcesOf(synthesized, "aws_apigatewayv2_api")).map((a) => a.protocol_type)).toEqual(["HTTP"]);
      expect(resourcesOf(synthesized, "aws_dynamodb_table")).toEqual({});
      expect(Object.keys(synthesized.output).filter((o) => o.startsWith("websocket"))).toEqual([]);
    }
  });

  test("lets each handler do only what it needs: its table actions, and posting to this stage's connections for messages", () => {
    const synthesized = synthEnvironment({ websocketApi: {} });
    const TABLE = "arn:aws:dynamodb:eu-west-1:111111111111:table/apigw-dev-ws-connections";
    const STAGE = "arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/dev";
    const values = {
      [`\${aws_dynamodb_table.${nameOf(synthesized, "aws_dynamodb_table")}.arn}`]: TABLE,
      [`\${aws_apigatewayv2_stage.${websocketStage(synthesized)}.execution_arn}`]: STAGE,
    };
    const roles = resourcesOf(synthesized, "aws_iam_role");
    const policiesOf = (fn: string) => {
      const role = Object.keys(roles).find((name) => roles[name].name === `apigw-dev-ws-${fn}-role`);
      if (!role) throw new Error(`no role for ${fn}`);
      const attached = Object.values(resourcesOf(synthesized, "aws_iam_role_policy")).filter((p) => p.role === `\${aws_iam_role.${role}.id}` || p.role === `\${aws_iam_role.${role}.name}`);
      return statementsOf(attached.filter((p) => p.name !== "write-own-logs").map((p) => p.policy), values);
    };
    const requests: [string, string][] = [
      ["dynamodb:PutItem", TABLE],
      ["dynamodb:Query", TABLE],
      ["dynamodb:DeleteItem", TABLE],
      ["dynamodb:Query", `${TABLE}/index/by-room`],
      ["dynamodb:Scan", TABLE],
      ["dynamodb:PutItem", "arn:aws:dynamodb:eu-west-1:111111111111:table/other"],
      ["execute-api:ManageConnections", `${STAGE}/POST/@connections/AbC123=`],
      ["execute-api:ManageConnections", `${STAGE}/DELETE/@connections/AbC123=`],
      ["execute-api:ManageConnections", "arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/prod/POST/@connections/AbC123="],
    ];
    const granted = (fn: string) => requests.filter(([action, resource]) => allows(policiesOf(fn), action, resource)).map(([action, resource]) => `${action} ${resource.replace(TABLE, "table").replace(STAGE, "stage")}`);
    expect(granted("connect")).toEqual(["dynamodb:PutItem table"]);
    expect(granted("disconnect")).toEqual(["dynamodb:Query table", "dynamodb:DeleteItem table"]);
    expect(granted("messages")).toEqual([
      "dynamodb:PutItem table",
      "dynamodb:Query table",
      "dynamodb:DeleteItem table",
      "dynamodb:Query table/index/by-room",
      "execute-api:ManageConnections stage/POST/@connections/AbC123=",
    ]);
    expect(granted("default")).toEqual([]);
    expect(granted("authorizer")).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ["AWS_IAM", { type: "iam" }, { authorization_type: "AWS_IAM" }, []],
    [
      "an existing authorizer function",
      { functionArn: "arn:aws:lambda:eu-west-1:111111111111:function:jwt-authorizer" },
      { authorization_type: "CUSTOM" },
      ["arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111111111111:function:jwt-authorizer/invocations"],
    ],
  ])("authorizes $connect with %s when the file says so, without the bundled authorizer", (_name, authorizer, connect, uris) => {
    const synthesized = synthEnvironment({ websocketApi: { authorizer } });
    expect(Object.values(resourcesOf(synthesized, "aws_apigatewayv2_route", "websocket-api")).find((r) => r.route_key === "$connect")).toMatchObject(connect);
    expect(Object.values(resourcesOf(synthesized, "aws_apigatewayv2_authorizer", "websocket-api")).map((a) => a.authorizer_uri)).toEqual(uris);
    expect(functionsOf(synthesized).map((f) => f.function_name)).not.toContain("apigw-dev-ws-authorizer");
  });

  test("gives the $connect handler the rooms of each SigV4 signer, only with AWS_IAM", () => {
    const rooms = { "arn:aws:iam::111111111111:role/notifier": ["general"] };
    const connect = (authorizer: Record<string, unknown>) => functionsOf(synthEnvironment({ websocketApi: { authorizer } })).find((f) => f.function_name === "apigw-dev-ws-connect");
    expect(JSON.parse(connect({ type: "iam", rooms }).environment.variables.SIGNER_ROOMS)).toEqual(rooms);
    expect(JSON.parse(connect({ type: "iam" }).environment.variables.SIGNER_ROOMS)).toEqual({});
    expect(connect({ type: "lambda" }).environment.variables).not.toHaveProperty("SIGNER_ROOMS");
  });

  test("serves the API on its wss:// custom domain when the file names one, with the file's stage and throttling", () => {
    const synthesized = synthEnvironment({
      websocketApi: { stageName: "live", throttling: { rateLimit: 5, burstLimit: 10 } },
      dns: { publicZone: ZONE },
      customDomains: { websocketApi: { domainName: "ws.dev.example.com" } },
    });
    expect(Object.values(resourcesOf(synthesized, "aws_apigatewayv2_domain_name")).map((d) => d.domain_name)).toEqual(["ws.dev.example.com"]);
    const stage = websocketStage(synthesized);
    expect(Object.values(resourcesOf(synthesized, "aws_apigatewayv2_api_mapping"))[0].stage).toBe(`\${aws_apigatewayv2_stage.${stage}.id}`);
    expect(resourcesOf(synthesized, "aws_apigatewayv2_stage", "websocket-api")[stage]).toMatchObject({ name: "live", default_route_settings: { throttling_rate_limit: 5, throttling_burst_limit: 10 } });
    expect(synthesized.output.websocket_api_domain_url).toEqual({ value: "wss://ws.dev.example.com/" });
  });
});
