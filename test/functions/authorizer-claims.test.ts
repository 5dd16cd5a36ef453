import { generateKeyPairSync, sign } from "crypto";
import { createHandler } from "../../functions/authorizer";

// What the authorizer demands of a token beyond its signature: an access token with a numeric
// exp, one of the route's scopes, and an Allow for the called method only.
const ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example01";
const CLIENT = "4vexampleclient00000000000";
const API = "arn:aws:execute-api:eu-west-1:111111111111:abc123/prod";
const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwks = { keys: [{ ...publicKey.export({ format: "jwk" }), kid: "k", alg: "RS256", use: "sig" }] };

function jwt(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const data = `${b64({ alg: "RS256", typ: "JWT", kid: "k" })}.${b64({ iss: ISSUER, sub: "user-1", client_id: CLIENT, token_use: "access", scope: "legacy/access", iat: now, exp: now + 300, ...claims })}`;
  return `${data}.${sign("sha256", Buffer.from(data), privateKey).toString("base64url")}`;
}

// As the stack writes it: every REST route the function fronts, [] for "any access token".
const routeScopes = { "ANY /legacy/{proxy+}": ["legacy/access"], "GET /users/{id}": ["users/read", "users/admin"], "GET /users": [], "GET /hello": [], "POST /events": ["events/write"] };
const httpRouteScopes = { "GET /products": ["products/read"], "GET /orders": [] };
const handler = createHandler({ issuer: ISSUER, audiences: [CLIENT], routeScopes, httpRouteScopes, jwks: jwks as never });
const rest = (token: string, call: string) => handler({ type: "TOKEN", authorizationToken: `Bearer ${token}`, methodArn: `${API}/${call}` });
const http = (token: string, routeKey: string) => handler({ version: "2.0", type: "REQUEST", routeKey, headers: { authorization: `Bearer ${token}` } });

describe("authorizer claims", () => {
  beforeEach(() => jest.spyOn(console, "warn").mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  test("allows the called method only", async () => {
    await expect(rest(jwt({}), "POST/legacy/a/b")).resolves.toMatchObject({
      policyDocument: { Statement: [{ Effect: "Allow", Action: "execute-api:Invoke", Resource: `${API}/POST/legacy/a/b` }] },
    });
  });

  test.each<[string, Record<string, unknown>]>([
    ["an ID token", { token_use: "id" }],
    ["a token without token_use", { token_use: undefined }],
    ["a token without exp", { exp: undefined }],
    ["a token with a string exp", { exp: String(Math.floor(Date.now() / 1000) + 300) }],
  ])("denies %s", async (_name, claims) => {
    await expect(rest(jwt(claims), "GET/hello")).rejects.toThrow(/^Unauthorized$/);
    await expect(http(jwt({ ...claims, scope: "products/read" }), "GET /products")).resolves.toEqual({ isAuthorized: false });
  });

  test.each<[string, string, string | undefined, boolean]>([
    ["the legacy proxy with its scope", "GET/legacy/x/y", "legacy/access", true],
    ["the legacy proxy without a scope", "GET/legacy/x", undefined, false],
    ["the legacy proxy with another scope", "DELETE/legacy/x", "users/read", false],
    ["a one-segment parameter with one of two scopes", "GET/users/42", "other users/admin", true],
    ["a one-segment parameter with none of them", "GET/users/42", "legacy/access", false],
    ["a route listed without scopes, with a token without scope", "GET/users", undefined, true],
    ["a write route without its scope", "POST/events", "users/read", false],
    ["a write route with its scope", "POST/events", "events/write", true],
    // Fail closed: a call the listed routes do not cover is denied, whatever the token holds.
    ["a deeper path than the template", "GET/users/42/keys", "users/read", false],
    ["another spelling of a listed path", "POST/events/", "events/write users/read", false],
    ["a verb the route does not have", "DELETE/users", "users/read", false],
  ])("REST: %s", async (_name, call, scope, allowed) => {
    const result = rest(jwt({ scope }), call);
    if (allowed) await expect(result).resolves.toMatchObject({ principalId: "user-1" });
    else await expect(result).rejects.toThrow(/^Unauthorized$/);
  });

  // A REQUEST event names the route API Gateway matched: no path parsing, no other spelling.
  test.each<[string, string, string, string | undefined, boolean]>([
    ["the matched template with its scope", "POST", "/events", "events/write", true],
    ["the matched template without its scope", "POST", "/events", undefined, false],
    ["an ANY route's template for any verb", "PATCH", "/legacy/{proxy+}", "legacy/access", true],
    ["a template nobody listed", "GET", "/admin", "users/read", false],
  ])("REST REQUEST: %s", async (_name, httpMethod, resource, scope, allowed) => {
    const result = handler({ type: "REQUEST", resource, httpMethod, methodArn: `${API}/${httpMethod}${resource}`, headers: { Authorization: `Bearer ${jwt({ scope })}` } });
    if (allowed) await expect(result).resolves.toMatchObject({ principalId: "user-1" });
    else await expect(result).rejects.toThrow(/^Unauthorized$/);
  });

  // An HTTP API event names its route key; HTTP_ROUTE_SCOPES lists every route the function fronts.
  test.each<[string, string, string | undefined, boolean]>([
    ["a route with its scope", "GET /products", "products/read", true],
    ["a route without its scope", "GET /products", "orders/read", false],
    ["a route listed without scopes", "GET /orders", undefined, true],
    ["a route nobody listed", "DELETE /orders", "products/read", false],
    ["a REST route key of the same name (REST lists are not read)", "GET /hello", undefined, false],
  ])("HTTP: %s", async (_name, routeKey, scope, allowed) => {
    await expect(http(jwt({ scope }), routeKey)).resolves.toMatchObject({ isAuthorized: allowed });
  });
});
