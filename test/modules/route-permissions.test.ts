import { HttpApi, HttpApiProps, HttpRouteAuthorization } from "../../modules/http-api";
import { RestApi, RestApiProps, RestIntegration } from "../../modules/rest-api";
import { WebSocketApi, WebSocketConnectAuthorization } from "../../modules/websocket-api";
import { MAX_ROUTE_PERMISSIONS } from "../../modules/shared/api-support";
import { resourcesOf, synthConstruct } from "../fixtures/environment";
import { evaluate } from "../fixtures/iam-evaluate";
import { fixtureFunction } from "../fixtures/lambda";

const files = fixtureFunction("files");
const other = fixtureFunction("other");
const API = "arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5";
const STAGE = { stageName: "dev", logRetentionDays: 30, throttling: { rateLimit: 100, burstLimit: 200 } };
const HTTP: Omit<HttpApiProps, "routes"> = {
  name: "shop",
  authorizer: { issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example01", audiences: ["client"] },
  logRetentionDays: 14,
  throttling: { rateLimit: 50, burstLimit: 100 },
};

/**
 * Whether the function's resource policy, as Lambda writes it for each aws_lambda_permission
 * (source_arn under ArnLike on AWS:SourceArn), admits API Gateway calling from `sourceArn`.
 */
function admits(synthesized: Record<string, any>, functionName: string, sourceArn: string): boolean {
  const Statement = Object.values(resourcesOf(synthesized, "aws_lambda_permission"))
    .filter((p) => p.function_name === functionName)
    .map((p) => ({
      Effect: "Allow",
      Principal: { Service: p.principal },
      Action: p.action,
      Resource: `arn:aws:lambda:eu-west-1:111111111111:function:${functionName}`,
      // The API's execution ARN, as it is once applied.
      Condition: { ArnLike: { "AWS:SourceArn": String(p.source_arn).replace(/^\$\{[^}]+\.execution_arn\}/, API) } },
    }));
  const request = { principal: { Service: "apigateway.amazonaws.com" }, action: "lambda:InvokeFunction", resource: `arn:aws:lambda:eu-west-1:111111111111:function:${functionName}`, context: { "aws:SourceArn": sourceArn } };
  return evaluate({ Statement }, request) === "Allow";
}

describe("RestApi", () => {
  const rest = (routes: RestApiProps["routes"]) => synthConstruct((scope) => new RestApi(scope, "api", { name: "files", endpointType: "REGIONAL", routes, stage: STAGE }));
  const synthesized = rest([
    { path: "/", method: "GET", integration: RestIntegration.lambda(other) },
    { path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(files) },
    { path: "/legacy/{proxy+}", method: "ANY", integration: RestIntegration.lambda(other) },
  ]);

  test.each<[string, string, boolean]>([
    ["its route, any stage", `${API}/dev/GET/files/report.pdf`, true],
    ["its route in another stage", `${API}/prod/GET/files/report.pdf`, true],
    ["another method of its path", `${API}/dev/DELETE/files/report.pdf`, false],
    ["another path", `${API}/dev/GET/legacy/report.pdf`, false],
    ["its route on another API", "arn:aws:execute-api:eu-west-1:111111111111:f6g7h8i9j0/dev/GET/files/report.pdf", false],
    ["its route in another account", "arn:aws:execute-api:eu-west-1:222222222222:a1b2c3d4e5/dev/GET/files/report.pdf", false],
    ["an authorizer of its API", `${API}/authorizers/abc123`, false],
  ])("a backend's permission, for %s: %s admitted %s", (_what, sourceArn, admitted) => {
    expect(admits(synthesized, "files", sourceArn)).toBe(admitted);
  });

  test("ANY admits every method, a greedy {proxy+} every sub-path, and the root only itself", () => {
    expect(["DELETE", "GET", "PATCH"].map((m) => admits(synthesized, "other", `${API}/dev/${m}/legacy/a/b`))).toEqual([true, true, true]);
    expect(admits(synthesized, "other", `${API}/dev/GET/`)).toBe(true);
    expect(admits(synthesized, "other", `${API}/dev/POST/`)).toBe(false);
    expect(admits(synthesized, "other", `${API}/dev/GET/files/report.pdf`)).toBe(false);
  });

  test(`fails if one function would serve more than ${MAX_ROUTE_PERMISSIONS} routes of a stack, counting every API`, () => {
    const routes = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `/r${i}`, method: "GET" as const, integration: RestIntegration.lambda(files) }));
    expect(() => rest(routes(MAX_ROUTE_PERMISSIONS))).not.toThrow();
    expect(() =>
      synthConstruct((scope) => {
        new RestApi(scope, "api", { name: "files", endpointType: "REGIONAL", routes: routes(MAX_ROUTE_PERMISSIONS), stage: STAGE });
        new HttpApi(scope, "http", { ...HTTP, routes: [{ method: "GET", path: "/files", function: files }] });
      }),
    ).toThrow(`Function "files" would get more than ${MAX_ROUTE_PERMISSIONS} API Gateway route permissions (API "shop", route GET:files); Lambda caps a function's resource policy at 20 KB. Split its routes over more functions.`);
  });
});

describe("HttpApi", () => {
  test("a backend's permission admits its routes' methods and paths only, an ANY with CORS each method but OPTIONS", () => {
    const synthesized = synthConstruct(
      (scope) =>
        new HttpApi(scope, "http", {
          ...HTTP,
          cors: { allowOrigins: ["https://app.example.com"] },
          routes: [
            { method: "GET", path: "/orders/{id}", function: files },
            { method: "ANY", path: "/legacy/{proxy+}", function: other, authorization: HttpRouteAuthorization.jwt(["legacy/access"]) },
          ],
        }),
    );
    expect(admits(synthesized, "files", `${API}/$default/GET/orders/42`)).toBe(true);
    expect(admits(synthesized, "files", `${API}/$default/POST/orders/42`)).toBe(false);
    expect(admits(synthesized, "files", `${API}/$default/GET/legacy/42`)).toBe(false);
    expect(admits(synthesized, "other", `${API}/$default/DELETE/legacy/a/b`)).toBe(true);
    // API Gateway answers the preflight from the CORS configuration; the backend never sees it.
    expect(admits(synthesized, "other", `${API}/$default/OPTIONS/legacy/a/b`)).toBe(false);
  });
});

describe("WebSocketApi", () => {
  test("a backend's permission admits its route keys in its stage only", () => {
    const synthesized = synthConstruct(
      (scope) =>
        new WebSocketApi(scope, "ws", {
          name: "chat",
          routes: [
            { routeKey: "$connect", function: other },
            { routeKey: "sendMessage", function: files },
          ],
          connectAuthorization: WebSocketConnectAuthorization.none("public lobby"),
          stageName: "dev",
          logRetentionDays: 14,
          throttling: { rateLimit: 10, burstLimit: 20 },
        }),
    );
    expect(admits(synthesized, "files", `${API}/dev/sendMessage`)).toBe(true);
    expect(admits(synthesized, "files", `${API}/dev/$connect`)).toBe(false);
    expect(admits(synthesized, "files", `${API}/prod/sendMessage`)).toBe(false);
    expect(admits(synthesized, "other", `${API}/dev/$connect`)).toBe(true);
  });
});
