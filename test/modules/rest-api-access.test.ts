import SwaggerParser from "@apidevtools/swagger-parser";
import { RestApi, RestApiProps, RestIntegration, RestRoute } from "../../modules/rest-api";
import { GATEWAY_RESPONSE_TYPES } from "../../modules/shared/gateway-responses";
import { existingTarget, ServiceCalls } from "../../modules/shared/service-integrations";
import { nameOf, resourcesOf, synthConstruct, testStack } from "../fixtures/environment";
import { fixtureFunction } from "../fixtures/lambda";

const backend = fixtureFunction("backend");
const checker = fixtureFunction("checker");
const POOL = "arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_Example01";
const NEW_USER = { type: "object", required: ["name"], properties: { name: { type: "string", minLength: 1 } } };

const route = (method: RestRoute["method"], path: string, extra: Partial<RestRoute> = {}): RestRoute => ({ method, path, integration: RestIntegration.lambda(backend), apiKeyRequired: true, ...extra });
const STREAM = existingTarget("stream", "arn:aws:kinesis:eu-west-1:111111111111:stream/events");
const TEMPLATES = { request: '{"Data": "$util.base64Encode($input.body)"}', response: "{}", error: '{"message": "failed"}' };
/** Routes whose answers API Gateway builds (AWS service, mock) rather than passes through. */
const NON_PROXY: RestRoute[] = [
  route("POST", "/events", { integration: RestIntegration.service(ServiceCalls.kinesisPutRecord("events-put-record", STREAM, TEMPLATES)), headerParameters: ["X-Partition-Key"] }),
  route("GET", "/health", { integration: RestIntegration.mock(200, '{"ok": true}') }),
];

const PROPS: RestApiProps = {
  name: "shop",
  endpointType: "REGIONAL",
  authorizers: {
    tokens: { type: "TOKEN", function: checker, resultTtlSeconds: 0, identityValidationExpression: "^Bearer [-0-9A-Za-z._~+/]+=*$" },
    params: { type: "REQUEST", function: checker, identitySources: ["method.request.header.X-Tenant", "method.request.querystring.key", "stageVariables.tier", "context.sourceIp"], resultTtlSeconds: 60 },
    users: { type: "COGNITO_USER_POOLS", userPoolArns: [POOL] },
  },
  routes: [
    route("GET", "/hello", { authorizer: { name: "tokens" } }),
    route("GET", "/reports", { authorizer: { name: "params" } }),
    route("GET", "/users", { authorizer: { name: "users", scopes: ["users/read"] } }),
    route("POST", "/users", { authorizer: { name: "users", scopes: ["users/write"] }, validation: { body: { model: "NewUser", schema: NEW_USER } } }),
    route("GET", "/search", { validation: { requiredHeaders: ["X-Tenant"], requiredQueryParameters: ["q"] } }),
  ],
  stage: { stageName: "dev", logRetentionDays: 30, throttling: { rateLimit: 100, burstLimit: 200 } },
};

function synthApi(props: Partial<RestApiProps> = {}): Record<string, any> {
  return synthConstruct((scope) => new RestApi(scope, "api", { ...PROPS, ...props }));
}

const put = (synthesized: Record<string, any>) => resourcesOf(synthesized, "aws_api_gateway_rest_api_put")[nameOf(synthesized, "aws_api_gateway_rest_api_put")];
const documentOf = (synthesized: Record<string, any>): Record<string, any> => JSON.parse(put(synthesized).body);

describe("RestApi", () => {
  test("writes a document that is valid OpenAPI 3.0", async () => {
    const routes = [...PROPS.routes, ...NON_PROXY, route("ANY", "/proxy/{any+}")];
    await expect(SwaggerParser.validate(documentOf(synthApi({ cors: { allowOrigins: ["https://app.example.com"] }, routes })) as never)).resolves.toBeDefined();
  });

  test("defines each authorizer as a security scheme with x-amazon-apigateway-authorizer", () => {
    const document = documentOf(synthApi());
    expect(document.components.securitySchemes).toEqual({
      api_key: { type: "apiKey", name: "x-api-key", in: "header" },
      tokens: {
        type: "apiKey",
        name: "Authorization",
        in: "header",
        "x-amazon-apigateway-authtype": "custom",
        "x-amazon-apigateway-authorizer": {
          type: "token",
          authorizerUri: checker.invokeArn,
          identitySource: "method.request.header.Authorization",
          identityValidationExpression: "^Bearer [-0-9A-Za-z._~+/]+=*$",
          authorizerResultTtlInSeconds: 0,
        },
      },
      params: {
        type: "apiKey",
        name: "Unused",
        in: "header",
        "x-amazon-apigateway-authtype": "custom",
        "x-amazon-apigateway-authorizer": {
          type: "request",
          authorizerUri: checker.invokeArn,
          identitySource: "method.request.header.X-Tenant, method.request.querystring.key, stageVariables.tier, context.sourceIp",
          authorizerResultTtlInSeconds: 60,
        },
      },
      users: {
        type: "apiKey",
        name: "Authorization",
        in: "header",
        "x-amazon-apigateway-authtype": "cognito_user_pools",
        "x-amazon-apigateway-authorizer": { type: "cognito_user_pools", providerARNs: [POOL], identitySource: "method.request.header.Authorization" },
      },
    });
    expect(document.paths["/hello"].get.security).toEqual([{ tokens: [], api_key: [] }]);
    expect(document.paths["/users"].get.security).toEqual([{ users: ["users/read"], api_key: [] }]);
    expect(document.paths["/users"].post.security).toEqual([{ users: ["users/write"], api_key: [] }]);
  });

  test("lets API Gateway invoke a Lambda authorizer's function only as that authorizer, found by name after the document is written", () => {
    const synthesized = synthApi();
    const api = nameOf(synthesized, "aws_api_gateway_rest_api");
    const putName = nameOf(synthesized, "aws_api_gateway_rest_api_put");
    const listed = synthesized.data.aws_api_gateway_authorizers;
    const [list] = Object.keys(listed);
    expect(listed[list]).toEqual({ rest_api_id: `\${aws_api_gateway_rest_api.${api}.id}`, depends_on: [`aws_api_gateway_rest_api_put.${putName}`] });
    // One read per authorizer of the document, Cognito's included: the list holds them all.
    const reads = Object.entries<any>(synthesized.data.aws_api_gateway_authorizer);
    expect(reads.map(([, read]) => read.authorizer_id)).toEqual([0, 1, 2].map((i) => `\${element(data.aws_api_gateway_authorizers.${list}.ids, ${i})}`));
    const byName = `zipmap([${reads.map(([name]) => `data.aws_api_gateway_authorizer.${name}.name`).join(", ")}], [${reads.map(([name]) => `data.aws_api_gateway_authorizer.${name}.authorizer_id`).join(", ")}])`;

    const permissions = Object.values<any>(resourcesOf(synthesized, "aws_lambda_permission")).filter((p) => p.function_name === "checker");
    expect(permissions).toEqual(
      ["params", "tokens"].map((name) => ({
        statement_id_prefix: `apigateway-shop-${name}-`,
        action: "lambda:InvokeFunction",
        function_name: "checker",
        principal: "apigateway.amazonaws.com",
        source_arn: `\${aws_api_gateway_rest_api.${api}.execution_arn}/authorizers/\${${byName}.${name}}`,
        lifecycle: { create_before_destroy: true },
      })),
    );
    const deployment = resourcesOf(synthesized, "aws_api_gateway_deployment")[nameOf(synthesized, "aws_api_gateway_deployment")];
    expect([...deployment.depends_on].sort()).toEqual(Object.keys(resourcesOf(synthesized, "aws_lambda_permission")).filter((n) => n.includes("authorizer-invoke")).map((n) => `aws_lambda_permission.${n}`));
  });

  test("calls a Lambda authorizer through its own invocation role instead, when asked", () => {
    const synthesized = synthApi({ authorizers: { tokens: { type: "TOKEN", function: checker, resultTtlSeconds: 300, invocationRole: true } }, routes: [route("GET", "/hello", { authorizer: { name: "tokens" } })] });
    const role = nameOf(synthesized, "aws_iam_role");
    expect(resourcesOf(synthesized, "aws_iam_role")[role]).toMatchObject({ name: "shop-tokens-authorizer", assume_role_policy: expect.stringContaining('"Service":"apigateway.amazonaws.com"') });
    expect(JSON.parse(Object.values<any>(resourcesOf(synthesized, "aws_iam_role_policy"))[0].policy).Statement).toEqual([{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: checker.functionArn }]);
    expect(documentOf(synthesized).components.securitySchemes.tokens["x-amazon-apigateway-authorizer"].authorizerCredentials).toBe(`\${aws_iam_role.${role}.arn}`);
    expect(Object.values<any>(resourcesOf(synthesized, "aws_lambda_permission")).map((p) => p.function_name)).toEqual(["backend"]);
    expect(synthesized.data).toBeUndefined();
  });

  test("validates bodies against models and required parameters, with the validator each route needs", () => {
    const document = documentOf(synthApi());
    expect(document.components.schemas).toEqual({ NewUser: NEW_USER });
    expect(document["x-amazon-apigateway-request-validators"]).toEqual({
      body: { validateRequestBody: true, validateRequestParameters: false },
      params: { validateRequestBody: false, validateRequestParameters: true },
    });
    expect(document.paths["/users"].post).toMatchObject({
      requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/NewUser" } } } },
      "x-amazon-apigateway-request-validator": "body",
    });
    expect(document.paths["/search"].get).toMatchObject({
      parameters: [
        { name: "q", in: "query", required: true, schema: { type: "string" } },
        { name: "X-Tenant", in: "header", required: true, schema: { type: "string" } },
      ],
      "x-amazon-apigateway-request-validator": "params",
    });
    expect(document.paths["/users"].get).not.toHaveProperty("x-amazon-apigateway-request-validator");
  });

  test("answers API Gateway's own errors as JSON with the message and request id only", () => {
    const responses = documentOf(synthApi())["x-amazon-apigateway-gateway-responses"];
    expect(Object.keys(responses)).toEqual([...GATEWAY_RESPONSE_TYPES]);
    for (const response of Object.values<any>(responses)) {
      expect(response).toEqual({ responseTemplates: { "application/json": '{"message":$context.error.messageString,"requestId":"$context.requestId"}' } });
    }
  });

  test("answers preflights per resource and lets browsers read errors, with CORS", () => {
    const document = documentOf(
      synthApi({ cors: { allowOrigins: ["https://app.example.com"], allowCredentials: true }, routes: [...PROPS.routes, route("ANY", "/proxy/{any+}")] }),
    );
    expect(document["x-amazon-apigateway-gateway-responses"].DEFAULT_4XX.responseParameters).toEqual({
      "gatewayresponse.header.Access-Control-Allow-Origin": "'https://app.example.com'",
      "gatewayresponse.header.Access-Control-Allow-Credentials": "'true'",
    });
    const preflight = document.paths["/users"].options;
    expect(preflight).not.toHaveProperty("security");
    expect(preflight["x-amazon-apigateway-integration"]).toEqual({
      type: "mock",
      requestTemplates: { "application/json": '{"statusCode":204}' },
      passthroughBehavior: "when_no_match",
      responses: {
        default: {
          statusCode: "204",
          responseParameters: {
            "method.response.header.Access-Control-Allow-Origin": "'https://app.example.com'",
            "method.response.header.Access-Control-Allow-Credentials": "'true'",
            "method.response.header.Access-Control-Allow-Methods": "'GET,POST,OPTIONS'",
            "method.response.header.Access-Control-Allow-Headers": "'authorization,content-type,x-api-key'",
            "method.response.header.Access-Control-Max-Age": "'600'",
          },
        },
      },
    });
    // Every mapped header is declared, or the import warns.
    expect(Object.keys(preflight.responses["204"].headers).map((h) => `method.response.header.${h}`)).toEqual(Object.keys(preflight["x-amazon-apigateway-integration"].responses.default.responseParameters));
    expect(Object.keys(document.paths).filter((p) => document.paths[p].options)).toEqual(["/hello", "/reports", "/users", "/search", "/proxy/{any+}"]);
  });

  test("answers the preflight of an ANY resource with a mock OPTIONS of its own, which the ANY leaves alone", () => {
    const document = documentOf(synthApi({ cors: { allowOrigins: ["https://app.example.com"] }, routes: [route("ANY", "/proxy/{any+}"), route("OPTIONS", "/own", { integration: RestIntegration.mock(204) })] }));
    const preflight = document.paths["/proxy/{any+}"].options;
    expect(preflight).not.toHaveProperty("security");
    expect(preflight["x-amazon-apigateway-integration"]).toMatchObject({ type: "mock", responses: { default: { statusCode: "204" } } });
    // API Gateway sends OPTIONS to the explicit method; ANY catches the methods that are not declared.
    expect(preflight["x-amazon-apigateway-integration"].responses.default.responseParameters["method.response.header.Access-Control-Allow-Methods"]).toBe("'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS'");
    expect(document.paths["/proxy/{any+}"]["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"].type).toBe("aws_proxy");
    // A route's own OPTIONS answers its preflight.
    expect(document.paths["/own"].options).toMatchObject({ operationId: expect.any(String), "x-amazon-apigateway-integration": { requestTemplates: { "application/json": "{\"statusCode\":204}" } } });
    expect(document.paths["/own"].options.summary).not.toBe("CORS preflight");
  });

  test("allows in a preflight the headers its resource's routes read: parameters and authorizer identity headers", () => {
    const document = documentOf(synthApi({ cors: { allowOrigins: ["https://app.example.com"], allowHeaders: ["Content-Type"] }, routes: [...PROPS.routes, ...NON_PROXY] }));
    const allowHeaders = (path: string) => document.paths[path].options["x-amazon-apigateway-integration"].responses.default.responseParameters["method.response.header.Access-Control-Allow-Headers"];
    expect(allowHeaders("/events")).toBe("'content-type,x-partition-key'");
    expect(allowHeaders("/search")).toBe("'content-type,x-tenant'");
    // The REQUEST authorizer of GET /reports reads X-Tenant, the TOKEN authorizer of GET /hello Authorization.
    expect(allowHeaders("/reports")).toBe("'content-type,x-tenant'");
    expect(allowHeaders("/hello")).toBe("'content-type,authorization'");
  });

  test("lets browsers read the answers and mapped errors of AWS service and mock integrations, with CORS", () => {
    const document = documentOf(synthApi({ cors: { allowOrigins: ["https://app.example.com"], allowCredentials: true }, routes: NON_PROXY }));
    const origin = { "method.response.header.Access-Control-Allow-Origin": "'https://app.example.com'", "method.response.header.Access-Control-Allow-Credentials": "'true'" };
    for (const [path, method, statuses] of [["/events", "post", ["202", "400", "404", "429", "502"]], ["/health", "get", ["200"]]] as const) {
      const operation = document.paths[path][method];
      const responses = Object.values<any>(operation["x-amazon-apigateway-integration"].responses);
      expect(responses.map((r) => r.responseParameters)).toEqual(responses.map(() => origin));
      // A mapping to a header its method response does not declare fails the import (fail_on_warnings);
      // a template's status override (429, 400) answers with the method response of that status.
      expect(Object.keys(operation.responses)).toEqual(statuses);
      for (const status of statuses) expect(Object.keys(operation.responses[status].headers)).toEqual(["Access-Control-Allow-Origin", "Access-Control-Allow-Credentials"]);
    }
    const plain = documentOf(synthApi({ routes: NON_PROXY })).paths["/events"].post;
    expect(Object.values<any>(plain["x-amazon-apigateway-integration"].responses).map((r) => r.responseParameters)).toEqual([undefined, undefined, undefined]);
    expect(plain.responses["202"]).toEqual({ description: "Answered by the integration" });
  });

  test("gives clients the authorizers' schemes and the request schemas, in a valid document", async () => {
    let api: RestApi | undefined;
    synthConstruct((scope) => {
      api = new RestApi(scope, "api", PROPS);
    });
    const client = api!.clientDocument([{ url: "https://api.example.com" }]) as Record<string, any>;
    expect(client.components.securitySchemes.users).toEqual({ type: "openIdConnect", openIdConnectUrl: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example01/.well-known/openid-configuration" });
    expect(client.paths["/users"].post.requestBody.content["application/json"].schema).toEqual(NEW_USER);
    await expect(SwaggerParser.validate(client as never)).resolves.toBeDefined();
  });

  test("leaves a private API with AWS_IAM on every route to IAM policies, and admits named principals of other accounts", () => {
    const synthesized = synthApi({
      endpointType: "PRIVATE",
      vpcEndpoints: [{ endpointId: "vpce-0123456789abcdef0" }],
      authorizers: {},
      allowedPrincipalArns: ["arn:aws:iam::333333333333:role/reader"],
      routes: [{ path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(backend), authorization: "AWS_IAM" }],
    });
    const api = nameOf(synthesized, "aws_api_gateway_rest_api");
    const everything = `\${aws_api_gateway_rest_api.${api}.execution_arn}/*`;
    const policy = JSON.parse(resourcesOf(synthesized, "aws_api_gateway_rest_api_policy")[nameOf(synthesized, "aws_api_gateway_rest_api_policy")].policy);
    expect(policy.Statement.slice(0, 2)).toEqual([
      { Sid: "AllowInvoke", Effect: "Allow", Principal: { AWS: `arn:\${data.aws_partition.${Object.keys(synthesized.data.aws_partition)[0]}.partition}:iam::\${data.aws_caller_identity.${Object.keys(synthesized.data.aws_caller_identity)[0]}.account_id}:root` }, Action: "execute-api:Invoke", Resource: everything },
      { Sid: "AllowNamedPrincipals", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::333333333333:role/reader"] }, Action: "execute-api:Invoke", Resource: everything },
    ]);
    expect(policy.Statement[2]).toMatchObject({ Effect: "Deny", Condition: { StringNotEquals: { "aws:SourceVpce": ["vpce-0123456789abcdef0"] } } });
    expect(documentOf(synthesized).paths["/files/{key}"].get.security).toEqual([{ sigv4: [] }]);
  });

  const authorizer = (extra: Record<string, unknown>) => ({ authorizers: { a: { type: "TOKEN", function: checker, resultTtlSeconds: 0, ...extra } as never }, routes: [route("GET", "/a", { authorizer: { name: "a" } })] });
  test.each<[string, Partial<RestApiProps>, string]>([
    ["a route names an unknown authorizer", { routes: [route("GET", "/a", { authorizer: { name: "nobody" } })] }, 'route GET /a names the authorizer "nobody"; the API\'s authorizers are tokens, params, users'],
    ["a route has AWS_IAM and an authorizer", { routes: [route("GET", "/a", { authorization: "AWS_IAM", authorizer: { name: "users" } })] }, "route GET /a has both AWS_IAM and an authorizer"],
    ["a route demands scopes of a Lambda authorizer", { routes: [route("GET", "/a", { authorizer: { name: "tokens", scopes: ["a/b"] } })] }, "demands scopes of the TOKEN authorizer tokens; API Gateway checks scopes with Cognito user pool authorizers only"],
    ["a scope is not an OAuth scope", { routes: [route("GET", "/a", { authorizer: { name: "users", scopes: ["a b"] } })] }, 'route GET /a authorizer.scopes[0] is "a b"; expected an OAuth scope'],
    ["a cache TTL is over an hour", authorizer({ resultTtlSeconds: 3601 }), "authorizers.a.resultTtlSeconds is 3601; expected whole seconds from 0 (no caching) to 3600"],
    ["a TOKEN authorizer reads two sources", authorizer({ identitySources: ["method.request.header.A", "method.request.header.B"] }), "authorizers.a.identitySources has 2 sources; a TOKEN authorizer reads exactly one header"],
    ["a TOKEN authorizer reads a query string", authorizer({ identitySources: ["method.request.querystring.token"] }), 'authorizers.a.identitySources[0] is "method.request.querystring.token"; expected method.request.header.<name>'],
    ["a validation expression is no regular expression", authorizer({ identityValidationExpression: "(" }), 'authorizers.a.identityValidationExpression is "(", which is not a regular expression'],
    ["a REQUEST authorizer has a validation expression", authorizer({ type: "REQUEST", identityValidationExpression: "^a" }), "authorizers.a.identityValidationExpression is set on a REQUEST authorizer"],
    ["a caching REQUEST authorizer has no identity source", authorizer({ type: "REQUEST", identitySources: [], resultTtlSeconds: 60 }), "authorizers.a.identitySources is empty while results are cached"],
    ["a REQUEST identity source is unknown", authorizer({ type: "REQUEST", identitySources: ["method.request.body.x"] }), 'authorizers.a.identitySources[0] is "method.request.body.x"'],
    ["a user pool ARN is malformed", { authorizers: { p: { type: "COGNITO_USER_POOLS", userPoolArns: ["arn:aws:cognito-idp:eu-west-1:111111111111:userpool/us-east-1_x"] } } }, "authorizers.p.userPoolArns[0] is"],
    ["a Cognito authorizer has no pool", { authorizers: { p: { type: "COGNITO_USER_POOLS", userPoolArns: [] } } }, "authorizers.p.userPoolArns is empty"],
    ["an authorizer takes a reserved name", { authorizers: { api_key: { type: "COGNITO_USER_POOLS", userPoolArns: [POOL] } } }, "authorizers.api_key has a name that is not allowed"],
    ["a model name has a hyphen", { routes: [route("POST", "/a", { validation: { body: { model: "New-User", schema: NEW_USER } } })] }, 'route POST /a has the body model "New-User"; API Gateway model names are 1-128 letters and digits'],
    ["a model uses nullable", { routes: [route("POST", "/a", { validation: { body: { model: "A", schema: { type: "object", properties: { nullable: { type: "string", nullable: true } } } } } })] }, "has nullable at #/properties/nullable, which API Gateway models do not support"],
    ["a model uses an int64 format", { routes: [route("POST", "/a", { validation: { body: { model: "A", schema: { type: "integer", format: "int64" } } } })] }, "has format int64 at #/, which API Gateway models do not support"],
    ["two routes give one model different schemas", { routes: [route("POST", "/a", { validation: { body: { model: "A", schema: { type: "object" } } } }), route("POST", "/b", { validation: { body: { model: "A", schema: { type: "array" } } } })] }, "route POST /b has the body model A with another schema than a route before it"],
    ["a required header is malformed", { routes: [route("GET", "/a", { validation: { requiredHeaders: ["a b"] } })] }, 'route GET /a declares the parameter "a b"'],
    ["a principal is not an IAM ARN", { endpointType: "PRIVATE", vpcEndpoints: [{ endpointId: "vpce-0123456789abcdef0" }], allowedPrincipalArns: ["333333333333"] }, 'allowedPrincipalArns[0] is "333333333333"; expected an IAM role or user ARN'],
    ["a public API names principals", { allowedPrincipalArns: ["arn:aws:iam::333333333333:role/reader"] }, "vpcEndpoints is set on a REGIONAL API; VPC endpoints and source VPCs apply to PRIVATE APIs only"],
    ["CORS lists two origins", { cors: { allowOrigins: ["https://a.example.com", "https://b.example.com"] } }, "cors.allowOrigins lists 2 origins; a REST API's error answers carry one fixed Access-Control-Allow-Origin"],
    ["CORS allows * with credentials", { cors: { allowOrigins: ["*"], allowCredentials: true } }, "cors.allowOrigins[0] is * while allowCredentials is true"],
    ["a CORS origin has a path", { cors: { allowOrigins: ["https://app.example.com/x"] } }, 'cors.allowOrigins[0] is "https://app.example.com/x"; expected an origin'],
  ])("fails if %s", (_name, props, message) => {
    expect(() => new RestApi(testStack(), "api", { ...PROPS, ...props })).toThrow(message);
  });
});
