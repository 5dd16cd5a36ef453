import { HttpApi, HttpApiProps, HttpRouteAuthorization } from "../../modules/http-api";
import { resourcesOf, synthConstruct, testStack } from "../fixtures/environment";
import { fixtureFunction } from "../fixtures/lambda";

const orders = fixtureFunction("orders");
const products = fixtureFunction("products");
const checker = fixtureFunction("checker");

const PROPS: HttpApiProps = {
  name: "shop",
  authorizer: { issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example01", audiences: ["client-a"] },
  lambdaAuthorizer: { function: checker, resultTtlSeconds: 300 },
  routes: [
    { method: "GET", path: "/orders", function: orders },
    { method: "GET", path: "/products", function: products, authorization: HttpRouteAuthorization.lambda() },
  ],
  logRetentionDays: 14,
  throttling: { rateLimit: 50, burstLimit: 100 },
};

const synthApi = (props: Partial<HttpApiProps> = {}) => synthConstruct((scope) => new HttpApi(scope, "http", { ...PROPS, ...props }));

describe("HttpApi", () => {
  test("puts a route behind a Lambda authorizer with payload 2.0, simple responses and caching keyed on the identity and the route", () => {
    const synthesized = synthApi();
    const [[name, authorizer]] = Object.entries<any>(resourcesOf(synthesized, "aws_apigatewayv2_authorizer")).filter(([, a]) => a.authorizer_type === "REQUEST");
    expect(authorizer).toMatchObject({
      name: "shop-lambda",
      authorizer_uri: checker.invokeArn,
      authorizer_payload_format_version: "2.0",
      enable_simple_responses: true,
      identity_sources: ["$request.header.Authorization", "$context.routeKey"],
      authorizer_result_ttl_in_seconds: 300,
    });
    const routes = Object.values<any>(resourcesOf(synthesized, "aws_apigatewayv2_route"));
    expect(routes.find((r) => r.route_key === "GET /products")).toMatchObject({ authorization_type: "CUSTOM", authorizer_id: `\${aws_apigatewayv2_authorizer.${name}.id}` });
    expect(routes.find((r) => r.route_key === "GET /orders")).toMatchObject({ authorization_type: "JWT" });
  });

  test("keys the cache on the identity alone when nothing is cached", () => {
    const synthesized = synthApi({ lambdaAuthorizer: { function: checker, resultTtlSeconds: 0 } });
    expect(Object.values<any>(resourcesOf(synthesized, "aws_apigatewayv2_authorizer")).find((a) => a.authorizer_type === "REQUEST").identity_sources).toEqual(["$request.header.Authorization"]);
  });

  test("lets API Gateway invoke the function as that authorizer only", () => {
    const synthesized = synthApi();
    const api = Object.keys(resourcesOf(synthesized, "aws_apigatewayv2_api"))[0];
    const name = Object.entries<any>(resourcesOf(synthesized, "aws_apigatewayv2_authorizer")).find(([, a]) => a.authorizer_type === "REQUEST")![0];
    expect(Object.values<any>(resourcesOf(synthesized, "aws_lambda_permission")).find((p) => p.function_name === "checker")).toEqual({
      statement_id_prefix: "apigateway-shop-authorizer-",
      action: "lambda:InvokeFunction",
      function_name: "checker",
      principal: "apigateway.amazonaws.com",
      source_arn: `\${aws_apigatewayv2_api.${api}.execution_arn}/authorizers/\${aws_apigatewayv2_authorizer.${name}.id}`,
      lifecycle: { create_before_destroy: true },
    });
  });

  test("creates no Lambda authorizer without one", () => {
    const synthesized = synthApi({ lambdaAuthorizer: undefined, routes: [PROPS.routes[0]] });
    expect(Object.values<any>(resourcesOf(synthesized, "aws_apigatewayv2_authorizer")).map((a) => a.authorizer_type)).toEqual(["JWT"]);
  });

  test.each<[string, Partial<HttpApiProps>, string]>([
    ["a route uses the Lambda authorizer the API does not have", { lambdaAuthorizer: undefined }, "route GET /products uses the Lambda authorizer, but the API has no lambdaAuthorizer"],
    ["the cache TTL is negative", { lambdaAuthorizer: { function: checker, resultTtlSeconds: -1 } }, "lambdaAuthorizer.resultTtlSeconds is -1; expected whole seconds from 0 (no caching) to 3600"],
    ["an identity source is a REST mapping expression", { lambdaAuthorizer: { function: checker, resultTtlSeconds: 0, identitySources: ["method.request.header.Authorization"] } }, 'lambdaAuthorizer.identitySources[0] is "method.request.header.Authorization"; expected $request.header.<name>'],
    ["results are cached without identity sources", { lambdaAuthorizer: { function: checker, resultTtlSeconds: 60, identitySources: [] } }, "lambdaAuthorizer.identitySources is empty while results are cached"],
  ])("fails if %s", (_name, props, message) => {
    expect(() => new HttpApi(testStack(), "http", { ...PROPS, ...props })).toThrow(message);
  });
});
