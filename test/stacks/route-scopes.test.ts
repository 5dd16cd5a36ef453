import { Testing } from "cdktf";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { environmentConfig, resourcesOf } from "../fixtures/environment";
import { OUTPUT_LAYOUT } from "../fixtures/layout";

// Scopes of a route behind the Lambda authorizer go to the authorizer function (ROUTE_SCOPES),
// which checks them; Cognito routes' scopes go into the document, where API Gateway checks them.
describe("EnvironmentStack route scopes", () => {
  const config = environmentConfig({
    publicApi: {
      authorizers: {
        users: { type: "COGNITO_USER_POOLS", userPoolArns: ["arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_Example01"] },
        tokens: { type: "REQUEST", identitySources: ["method.request.header.Authorization", "context.httpMethod", "context.resourcePath"], resultTtlSeconds: 300 },
      },
      routeAuthorizers: { "GET /hello": { authorizer: "tokens", scopes: ["hello/read"] }, "POST /hello": { authorizer: "tokens" }, "GET /users": { authorizer: "users", scopes: ["users/read"] } },
    },
  });
  const synthesized = JSON.parse(Testing.synth(new EnvironmentStack(Testing.app(), "dev", { config, backend: { kind: "local" }, layout: OUTPUT_LAYOUT }), true));
  const authorizer = Object.values<any>(resourcesOf(synthesized, "aws_lambda_function")).find((f) => f.function_name === "apigw-dev-authorizer");
  const documents = Object.values<any>(resourcesOf(synthesized, "aws_api_gateway_rest_api_put")).map((p) => JSON.parse(p.body));
  const document = documents.find((d) => d.info.title === "apigw-dev-public");

  // Every route the function fronts, [] for any access token: it denies a route it is not given.
  test("passes every Lambda-authorized route, with its scopes, to the authorizer function", () => {
    expect(JSON.parse(authorizer.environment.variables.ROUTE_SCOPES)).toEqual({ "GET /hello": ["hello/read"], "POST /hello": [] });
  });

  test("writes scopes into the document for Cognito routes only", () => {
    expect(document.paths["/hello"].get.security).toEqual([{ tokens: [], api_key: [] }]);
    expect(document.paths["/users"].get.security).toEqual([{ users: ["users/read"], api_key: [] }]);
  });
});
