import { parseEnvironment } from "../../config/loader";
import { environmentConfig, environmentYaml } from "../fixtures/environment";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { Testing } from "cdktf";
import { OUTPUT_LAYOUT } from "../fixtures/layout";

const POOL = "arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_Example01";

function problemsOf(overrides: Record<string, unknown>): string[] {
  const result = parseEnvironment(environmentYaml(overrides));
  if (!("problems" in result)) throw new Error("expected the file to be refused");
  return result.problems;
}

const publicApi = (extra: Record<string, unknown>) => ({ publicApi: { authorizers: { users: { type: "COGNITO_USER_POOLS", userPoolArns: [POOL] }, tokens: { type: "TOKEN", resultTtlSeconds: 0 } }, ...extra } });

describe("parseEnvironment", () => {
  test("reads authorizers, route authorizers, CORS, principals and the HTTP API's Lambda authorizer", () => {
    const config = environmentConfig({
      ...publicApi({ routeAuthorizers: { "GET /users": { authorizer: "users", scopes: ["users/read"] } }, cors: { allowOrigins: ["https://app.example.com"] } }),
      httpApi: { lambdaAuthorizer: { routes: ["GET /products"], resultTtlSeconds: 60 } },
    });
    expect(config.publicApi.authorizers.tokens).toEqual({ type: "TOKEN", resultTtlSeconds: 0, invocationRole: false });
    expect(config.publicApi.routeAuthorizers).toEqual({ "GET /users": { authorizer: "users", scopes: ["users/read"] } });
    expect(config.publicApi.cors).toEqual({ allowOrigins: ["https://app.example.com"], allowCredentials: false });
    expect(config.httpApi.lambdaAuthorizer).toEqual({ routes: ["GET /products"], resultTtlSeconds: 60 });
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ["a Lambda authorizer without a cache TTL", { publicApi: { authorizers: { tokens: { type: "TOKEN" } } } }, /^publicApi\.authorizers\.tokens\.resultTtlSeconds: missing/],
    ["a cache TTL over an hour", { publicApi: { authorizers: { tokens: { type: "TOKEN", resultTtlSeconds: 7200 } } } }, /^publicApi\.authorizers\.tokens\.resultTtlSeconds: got 7200; Too big/],
    ["an unknown authorizer type", { publicApi: { authorizers: { tokens: { type: "JWT", resultTtlSeconds: 0 } } } }, /^publicApi\.authorizers\.tokens\.type: got "JWT"/],
    ["a TOKEN authorizer reading a query string", { publicApi: { authorizers: { tokens: { type: "TOKEN", resultTtlSeconds: 0, identitySources: ["method.request.querystring.t"] } } } }, /^publicApi\.authorizers\.tokens\.identitySources\[0\]: got "method\.request\.querystring\.t"; expected method\.request\.header\.<name>/],
    ["a validation expression on a REQUEST authorizer", { publicApi: { authorizers: { r: { type: "REQUEST", resultTtlSeconds: 0, identityValidationExpression: "^x" } } } }, /^publicApi\.authorizers\.r\.identityValidationExpression: got "\^x"; applies to TOKEN authorizers only/],
    ["a validation expression that is not one", { publicApi: { authorizers: { tokens: { type: "TOKEN", resultTtlSeconds: 0, identityValidationExpression: "(" } } } }, /^publicApi\.authorizers\.tokens\.identityValidationExpression: got "\("; is not a regular expression/],
    ["a malformed user pool ARN", { publicApi: { authorizers: { users: { type: "COGNITO_USER_POOLS", userPoolArns: ["eu-west-1_Example01"] } } } }, /^publicApi\.authorizers\.users\.userPoolArns\[0\]: got "eu-west-1_Example01"; expected a Cognito user pool ARN/],
    ["a route on an unknown authorizer", publicApi({ routeAuthorizers: { "GET /users": { authorizer: "nobody" } } }), /^publicApi\.routeAuthorizers\.GET \/users\.authorizer: got "nobody"; is "nobody", which is not in publicApi\.authorizers \(users, tokens\)/],
    ["a malformed route key", publicApi({ routeAuthorizers: { "/users": { authorizer: "users" } } }), /^publicApi\.routeAuthorizers\.\/users: got \{"authorizer":"users"\}; Invalid key in record/],
    ["two public API origins", { publicApi: { cors: { allowOrigins: ["https://a.example.com", "https://b.example.com"] } } }, /^publicApi\.cors\.allowOrigins: .*Too big/],
    ["a public API origin * with credentials", { publicApi: { cors: { allowOrigins: ["*"], allowCredentials: true } } }, /^publicApi\.cors\.allowOrigins\[0\]: got "\*"; is \* while allowCredentials is true/],
    ["a principal that is no IAM ARN", { privateApi: { allowedPrincipalArns: ["333333333333"], objectReader: { bucketName: "files-bucket" } } }, /^privateApi\.allowedPrincipalArns\[0\]: got "333333333333"; expected an IAM role or user ARN/],
    ["an HTTP API Lambda authorizer without routes", { httpApi: { lambdaAuthorizer: { routes: [], resultTtlSeconds: 0 } } }, /^httpApi\.lambdaAuthorizer\.routes: got \[\]; Too small/],
    ["a REST identity source on the HTTP API", { httpApi: { lambdaAuthorizer: { routes: ["GET /products"], resultTtlSeconds: 0, identitySources: ["method.request.header.Authorization"] } } }, /^httpApi\.lambdaAuthorizer\.identitySources\[0\]: got "method\.request\.header\.Authorization"; expected \$request\.header\.<name>/],
  ])("fails if the file has %s", (_name, overrides, expected) => {
    expect(problemsOf(overrides)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
});

describe("EnvironmentStack", () => {
  const build = (overrides: Record<string, unknown>) => () =>
    new EnvironmentStack(Testing.app(), "dev", { config: environmentConfig(overrides), backend: { kind: "local" }, layout: OUTPUT_LAYOUT });

  test.each<[string, Record<string, unknown>, string]>([
    ["an authorizer names a route the public API does not have", publicApi({ routeAuthorizers: { "GET /nothing": { authorizer: "users" } } }), 'publicApi.routeAuthorizers: no route "GET /nothing"; the API\'s routes are GET /hello, POST /hello, GET /users'],
    ["the Lambda authorizer names a route the HTTP API does not have", { httpApi: { lambdaAuthorizer: { routes: ["GET /nothing"], resultTtlSeconds: 0 } } }, 'httpApi.lambdaAuthorizer.routes: no route "GET /nothing"'],
  ])("fails if %s", (_name, overrides, message) => {
    expect(build(overrides)).toThrow(message);
  });
});
