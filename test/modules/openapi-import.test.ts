import { DefinitionError, routesFromOpenApi } from "../../modules/shared/openapi-import";
import { LambdaFunction } from "../../modules/lambda-function";
import { readApiDefinition } from "../../stacks/api-definitions";
import { testStack } from "../fixtures/environment";
import { fixtureFunction } from "../fixtures/lambda";

const users = fixtureFunction("users");
const backends = { functions: { users }, existingFunction: (arn: string) => LambdaFunction.fromFunctionArn(testStack(), arn) };

/** A document with one operation, adjustable. */
function document(operation: Record<string, unknown> = {}, path = "/users/{id}", extra: Record<string, unknown> = {}) {
  return {
    openapi: "3.0.3",
    info: { title: "t", version: "1" },
    paths: { [path]: { parameters: [{ name: "id", in: "path", required: true }], get: { operationId: "getUser", "x-apigw-backend": { function: "users" }, ...operation } } },
    ...extra,
  };
}

function routes(doc: unknown) {
  return routesFromOpenApi({ file: "apis/users.yaml", document: doc }, backends);
}

describe("routesFromOpenApi", () => {
  test("validates a required JSON body against its component as a model, and required headers and query strings", () => {
    const schema = { type: "object", required: ["name"], properties: { name: { type: "string" } } };
    const [route] = routes(
      document(
        {
          parameters: [{ name: "X-Tenant", in: "header", required: true }, { name: "dryRun", in: "query", required: true }, { name: "fields", in: "query" }],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/NewUser" } } } },
        },
        "/users/{id}",
        { components: { schemas: { NewUser: schema } } },
      ),
    );
    expect(route.validation).toEqual({ body: { model: "NewUser", schema }, requiredHeaders: ["X-Tenant"], requiredQueryParameters: ["dryRun"] });
  });

  test.each<[string, unknown, unknown]>([
    ["an inline schema, in a model named after the operation", { required: true, content: { "application/json": { schema: { type: "object" } } } }, { body: { model: "GetUserBody", schema: { type: "object" } } }],
    ["an optional body, not at all", { content: { "application/json": { schema: { type: "object" } } } }, undefined],
    ["a body of another media type, not at all", { required: true, content: { "text/plain": { schema: { type: "string" } } } }, undefined],
  ])("validates %s", (_name, requestBody, validation) => {
    expect(routes(document({ requestBody }))[0].validation).toEqual(validation);
  });

  test("reads routes, backends, parameters, security and documentation", () => {
    const [route] = routes(
      document(
        { security: [{ key: [] }], parameters: [{ name: "fields", in: "query" }], summary: "One user", responses: { "200": { $ref: "#/components/responses/User" } } },
        "/users/{id}",
        { components: { securitySchemes: { key: { type: "apiKey", in: "header", name: "X-API-Key" } }, responses: { User: { description: "The user" } } } },
      ),
    );
    expect(route).toEqual({
      path: "/users/{id}",
      method: "GET",
      integration: { kind: "lambda", function: users },
      operationId: "getUser",
      summary: "One user",
      apiKeyRequired: true,
      queryParameters: ["fields"],
      documentation: { responses: { "200": { description: "The user" } } },
    });
  });

  test.each<[string, Record<string, unknown>, unknown]>([
    ["an existing function", { functionArn: "arn:aws:lambda:eu-west-1:111111111111:function:legacy" }, { kind: "lambda", function: expect.objectContaining({ functionName: "legacy" }) }],
    ["an HTTP backend", { http: "https://legacy.example.com/users/{id}" }, { kind: "http-proxy", url: "https://legacy.example.com/users/{id}" }],
    ["a mock", { mock: { statusCode: 204, body: { ok: true } } }, { kind: "mock", statusCode: 204, body: '{"ok":true}' }],
  ])("routes to %s", (_name, backend, integration) => {
    expect(routes(document({ "x-apigw-backend": backend }))[0].integration).toEqual(integration);
  });

  test("reads SigV4 and the any-method extension", () => {
    const doc = document({}, "/users/{id}", { components: { securitySchemes: { sigv4: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "awsSigv4" } } }, security: [{ sigv4: [] }] });
    (doc.paths["/users/{id}"] as Record<string, unknown>)["x-amazon-apigateway-any-method"] = { operationId: "anyUser", "x-apigw-backend": { function: "users" } };
    expect(routes(doc).map((r) => [r.method, r.authorization])).toEqual([
      ["GET", "AWS_IAM"],
      ["ANY", "AWS_IAM"],
    ]);
  });

  test("reads the shipped /users definition", () => {
    const imported = routesFromOpenApi(readApiDefinition("public-users.openapi.yaml"), backends);
    expect(imported.map((r) => `${r.method} ${r.path} ${r.operationId}`)).toEqual([
      "GET /users listUsers",
      "POST /users createUser",
      "GET /users/{id} getUser",
      "PUT /users/{id} replaceUser",
      "DELETE /users/{id} deleteUser",
    ]);
    expect(imported.every((r) => r.apiKeyRequired && r.integration.kind === "lambda")).toBe(true);
  });

  const op = "apis/users.yaml#/paths/~1users~1{id}/get";
  test.each<[string, unknown, string]>([
    ["the document is not a mapping", "openapi: 3", "apis/users.yaml#: is not an OpenAPI document (a mapping at the top level)"],
    ["it is Swagger 2", { ...document(), openapi: undefined, swagger: "2.0" }, 'apis/users.yaml#/openapi: is null; expected an OpenAPI 3.0 or 3.1 version such as "3.0.3"'],
    ["it has no paths", { ...document(), paths: {} }, "apis/users.yaml#/paths: is missing or empty; declare at least one operation"],
    ["a path is refused by API Gateway", document({}, "/users/{id}/{rest+}/x"), "apis/users.yaml#/paths/~1users~1{id}~1{rest+}~1x: is not a path API Gateway accepts: it has the greedy {rest+} before the last segment"],
    ["a method is unknown", { ...document(), paths: { "/users": { trace: { operationId: "t" } } } }, "apis/users.yaml#/paths/~1users/trace: is not a method API Gateway routes; allowed: get, post, put, patch, delete, head, options, x-amazon-apigateway-any-method"],
    ["an operationId is missing", document({ operationId: undefined }), `${op}/operationId: is missing; every operation needs one (a letter, then letters, digits or _): clients are generated from it`],
    ["a path parameter is not declared", { ...document(), paths: { "/users/{id}": { get: document().paths["/users/{id}"].get } } }, `${op}/parameters: does not declare the path parameter id of /users/{id}`],
    ["the backend is missing", document({ "x-apigw-backend": undefined }), `${op}/x-apigw-backend: is missing; every operation names its backend: expected one of function`],
    ["the backend is unsupported", document({ "x-apigw-backend": { sqs: "q" } }), `${op}/x-apigw-backend: has sqs; expected one of function`],
    ["the function is unknown", document({ "x-apigw-backend": { function: "orders" } }), `${op}/x-apigw-backend/function: is "orders", which is not a function of the project; known: users`],
    ["a function ARN is malformed", document({ "x-apigw-backend": { functionArn: "users" } }), `${op}/x-apigw-backend/functionArn: is "users"; expected a Lambda function ARN`],
    ["an HTTP backend is plain http", document({ "x-apigw-backend": { http: "http://legacy.example.com" } }), `${op}/x-apigw-backend/http: is "http://legacy.example.com"; expected an https:// URL`],
    ["a mock has no valid status", document({ "x-apigw-backend": { mock: { statusCode: 42 } } }), `${op}/x-apigw-backend/mock: is {"statusCode":42}; expected { statusCode: 100-599`],
    ["a security scheme is unsupported", document({ security: [{ oauth: [] }] }, "/users/{id}", { components: { securitySchemes: { oauth: { type: "oauth2" } } } }), `${op}/security/0/oauth: names the scheme oauth, which is not supported`],
    ["a security scheme is undeclared", document({ security: [{ key: [] }] }), `${op}/security/0/key: names the scheme key, which is not in components.securitySchemes`],
    ["a reference points outside the document", document({ responses: { "200": { $ref: "other.yaml#/User" } } }), `${op}/responses/200/$ref: is "other.yaml#/User"; only references inside the document`],
    ["a reference points at nothing", document({ responses: { "200": { $ref: "#/components/responses/Nope" } } }), `${op}/responses/200/$ref: is "#/components/responses/Nope", which points at nothing in the document`],
  ])("fails if %s", (_name, doc, message) => {
    expect(() => routes(doc)).toThrow(DefinitionError);
    expect(() => routes(doc)).toThrow(message);
  });

  test("fails if two operations share an operationId", () => {
    const doc = document();
    (doc.paths["/users/{id}"] as Record<string, unknown>).put = { operationId: "getUser", "x-apigw-backend": { function: "users" } };
    expect(() => routes(doc)).toThrow(`${op.replace("/get", "/put")}/operationId: getUser is also the operationId of GET /users/{id}`);
  });
});
