import { restDefinition } from "../../policy/rest-routes";
import { API, filesRoute, lambdaIntegration, openApi, privateApi, publicApi, put, PUT, ref, stack } from "./fixtures";

const definitionOf = (fixture: ReturnType<typeof stack>) => restDefinition(fixture, fixture.block(API)!);

describe("restDefinition", () => {
  test("reads a route of the resource form, its path through the resource chain and its integration", () => {
    const fixture = stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({ api_key_required: true }, { cache_key_parameters: ["method.request.path.key"], uri: "arn:fn" }) });
    expect(definitionOf(fixture).routes).toEqual([
      {
        address: "aws_api_gateway_method.get",
        path: "/files/{key}",
        httpMethod: "GET",
        authorization: "NONE",
        apiKeyRequired: true,
        scopes: [],
        integration: { type: "aws_proxy", uri: "arn:fn", cacheKeyParameters: ["method.request.path.key"], requestParameters: {} },
        parameters: { path: ["key"], query: [] },
      },
    ]);
  });

  test("finds the integration that names its method's resource and verb through the method's attributes", () => {
    const integration = { resource_id: ref("aws_api_gateway_method.get", "resource_id"), cache_key_parameters: ["method.request.path.key"] };
    const fixture = stack({ aws_api_gateway_rest_api: publicApi(), ...filesRoute({}, integration) });
    expect(definitionOf(fixture).routes[0].integration?.cacheKeyParameters).toEqual(["method.request.path.key"]);
  });

  test("reads a route of an OpenAPI 3 document in a put, with path-item parameters, the JSON pointer and the scheme it names", () => {
    const document = openApi(
      {
        "/files/{key}": {
          parameters: [{ name: "key", in: "path", required: true }],
          get: { parameters: [{ name: "v", in: "query" }], security: [{ sigv4: [] }], "x-amazon-apigateway-integration": { ...lambdaIntegration(["method.request.path.key"]), passthroughBehavior: "when_no_match" } },
        },
      },
      { components: { securitySchemes: { sigv4: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "awsSigv4" } } } },
    );
    expect(definitionOf(stack({ aws_api_gateway_rest_api: publicApi(), ...put(document) })).routes).toEqual([
      {
        address: PUT,
        pointer: "#/paths/~1files~1{key}/get",
        path: "/files/{key}",
        httpMethod: "GET",
        authorization: "AWS_IAM",
        apiKeyRequired: false,
        scopes: [],
        integration: { type: "aws_proxy", uri: lambdaIntegration().uri, cacheKeyParameters: ["method.request.path.key"], requestParameters: {}, passthroughBehavior: "when_no_match" },
        parameters: { path: ["key"], query: ["v"] },
      },
    ]);
  });

  const SCHEMES = {
    securityDefinitions: {
      key: { type: "apiKey", name: "x-api-key", in: "header" },
      pool: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "cognito_user_pools", "x-amazon-apigateway-authorizer": { type: "cognito_user_pools" } },
    },
  };
  test.each([
    ["x-amazon-apigateway-any-method is ANY", { "x-amazon-apigateway-any-method": {} }, {}, { httpMethod: "ANY", authorization: "NONE", apiKeyRequired: false }],
    ["the x-api-key scheme requires an API key", { get: {} }, { security: [{ key: [] }], securityDefinitions: { key: { type: "apiKey", name: "x-api-key", in: "header" } } }, { authorization: "NONE", apiKeyRequired: true }],
    ["a token authorizer is CUSTOM", { get: { security: [{ auth: [] }] } }, { securityDefinitions: { auth: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "custom", "x-amazon-apigateway-authorizer": { type: "token" } } } }, { authorization: "CUSTOM" }],
    ["a Cognito authorizer", { get: { security: [{ pool: [] }] } }, { securityDefinitions: { pool: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "cognito_user_pools", "x-amazon-apigateway-authorizer": { type: "cognito_user_pools" } } } }, { authorization: "COGNITO_USER_POOLS" }],
    ["alternatives: a JWT or an API key is an API key only", { get: { security: [{ pool: ["orders/read"] }, { key: [] }] } }, SCHEMES, { authorization: "NONE", apiKeyRequired: true, scopes: [] }],
    ["alternatives: Cognito or nothing ({}) is no authorization", { get: { security: [{ pool: [] }, {}] } }, SCHEMES, { authorization: "NONE", apiKeyRequired: false }],
    ["alternatives: the one without scopes is what the route demands", { get: { security: [{ pool: ["orders/read"] }, { pool: [] }] } }, SCHEMES, { authorization: "COGNITO_USER_POOLS", scopes: [] }],
    ["one requirement of Cognito and an API key needs both", { get: { security: [{ pool: ["orders/read"], key: [] }] } }, SCHEMES, { authorization: "COGNITO_USER_POOLS", apiKeyRequired: true, scopes: ["orders/read"] }],
    ["security: [] overrides the document's requirement", { get: { security: [] } }, { security: [{ key: [] }], securityDefinitions: { key: { type: "apiKey", name: "x-api-key", in: "header" } } }, { authorization: "NONE", apiKeyRequired: false }],
  ])("%s", (_name, operations, extra, expected) => {
    const document = JSON.stringify({ swagger: "2.0", info: { title: "api", version: "1" }, paths: { "/x": operations }, ...extra });
    expect(definitionOf(stack({ aws_api_gateway_rest_api: { api: { ...publicApi().api, body: document } } })).routes[0]).toMatchObject({ address: API, ...expected });
  });

  test("gathers the policy, endpoint ids and binary media types of the configuration and the document", () => {
    const policy = { Version: "2012-10-17", Statement: [] };
    const document = openApi(
      {},
      {
        "x-amazon-apigateway-policy": policy,
        "x-amazon-apigateway-endpoint-configuration": { vpcEndpointIds: ["vpce-0123456789abcdef0"] },
        "x-amazon-apigateway-binary-media-types": ["application/pdf"],
      },
    );
    const definition = definitionOf(stack({ aws_api_gateway_rest_api: privateApi({ binary_media_types: ["image/png"] }), ...put(document) }));
    expect(definition.policies).toEqual([{ address: PUT, value: policy, pointer: "#/x-amazon-apigateway-policy" }]);
    expect(definition.endpointIds).toEqual([ref("aws_vpc_endpoint.vpce", "id"), "vpce-0123456789abcdef0"]);
    expect(definition.binaryMediaTypes).toEqual(["image/png", "application/pdf"]);
  });

  test.each([
    ["YAML text", "openapi: 3.0.1\npaths: {}\n"],
    ["a file() expression", '${file("openapi.yaml")}'],
    ["a templatefile() expression", '${templatefile("openapi.json", { arn = aws_lambda_function.f.arn })}'],
  ])("cannot read %s, and says so instead of failing", (_name, body) => {
    const definition = definitionOf(stack({ aws_api_gateway_rest_api: publicApi(), ...put(body) }));
    expect(definition.documents).toEqual([{ address: PUT, source: "put", overwrites: true }]);
    expect(definition.routes).toEqual([]);
  });

  test("keeps ${...} interpolations in the document's strings", () => {
    const document = openApi({ "/f": { get: { "x-amazon-apigateway-integration": lambdaIntegration() } } });
    expect(definitionOf(stack({ aws_api_gateway_rest_api: publicApi(), ...put(document) })).routes[0].integration?.uri).toContain("${aws_lambda_function.f.arn}");
  });
});
