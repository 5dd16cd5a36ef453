import { generateKeyPairSync, KeyObject, sign } from "crypto";
import { createHandler } from "../../functions/authorizer";

const ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example01";
const CLIENT = "4vexampleclient00000000000";
const METHOD_ARN = "arn:aws:execute-api:eu-west-1:111111111111:abc123/dev/GET/hello";

function keyPair(kid: string) {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { privateKey, jwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" } };
}

const trusted = keyPair("trusted");
const stranger = keyPair("stranger");

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A signed RS256 JWT: test-only signing with node's crypto, the function verifies with aws-jwt-verify. */
function jwt(claims: Record<string, unknown>, key: { privateKey: KeyObject; kid: string } = { privateKey: trusted.privateKey, kid: "trusted" }): string {
  const now = Math.floor(Date.now() / 1000);
  const data = `${base64url({ alg: "RS256", typ: "JWT", kid: key.kid })}.${base64url({ iss: ISSUER, sub: "user-1", client_id: CLIENT, token_use: "access", scope: "users/read", iat: now, exp: now + 300, ...claims })}`;
  return `${data}.${sign("sha256", Buffer.from(data), key.privateKey).toString("base64url")}`;
}

const handler = () => createHandler({ issuer: ISSUER, audiences: [CLIENT], routeScopes: { "GET /hello": [] }, httpRouteScopes: { "GET /products": [] }, jwks: { keys: [trusted.jwk] } as never });
const tokenEvent = (token: string) => ({ type: "TOKEN", authorizationToken: `Bearer ${token}`, methodArn: METHOD_ARN });
const httpEvent = (authorization?: string) => ({ version: "2.0", type: "REQUEST", routeKey: "GET /products", routeArn: "arn:aws:execute-api:eu-west-1:111111111111:xyz/$default/GET/products", headers: authorization ? { authorization } : {} });

describe("authorizer handler", () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  test("default", async () => {
    await expect(handler()(tokenEvent(jwt({})))).resolves.toEqual({
      principalId: "user-1",
      policyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "execute-api:Invoke", Resource: METHOD_ARN }] },
      context: { sub: "user-1", scope: "users/read", clientId: CLIENT },
    });
  });

  test("reads the Authorization header of a REST REQUEST event, whatever its case", async () => {
    const event = { type: "REQUEST", methodArn: METHOD_ARN, headers: { AUTHORIZATION: `Bearer ${jwt({})}` } };
    await expect(handler()(event)).resolves.toMatchObject({ principalId: "user-1" });
  });

  test("answers an HTTP API (payload 2.0) with a simple response and the caller as context", async () => {
    await expect(handler()(httpEvent(`Bearer ${jwt({ client_id: undefined, aud: CLIENT })}`))).resolves.toEqual({
      isAuthorized: true,
      context: { sub: "user-1", scope: "users/read", clientId: CLIENT },
    });
  });

  const now = Math.floor(Date.now() / 1000);
  test.each<[string, string]>([
    ["no token", ""],
    ["a token that is not a bearer JWT", "Basic dXNlcjpwYXNz"],
    ["a token signed by an unknown key", `Bearer ${jwt({}, { privateKey: stranger.privateKey, kid: "trusted" })}`],
    ["a token of another issuer", `Bearer ${jwt({ iss: "https://issuer.example.com" })}`],
    ["an expired token", `Bearer ${jwt({ iat: now - 600, exp: now - 300 })}`],
    ["a token for another client", `Bearer ${jwt({ client_id: "someone-else" })}`],
    ["a token without subject", `Bearer ${jwt({ sub: undefined })}`],
    ["a tampered token", `Bearer ${jwt({}).replace(/\.([^.]+)\./, (_m, payload: string) => `.${payload.slice(0, -2)}AA.`)}`],
  ])("denies %s, without logging the token", async (_name, authorization) => {
    await expect(handler()({ type: "TOKEN", authorizationToken: authorization, methodArn: METHOD_ARN })).rejects.toThrow(/^Unauthorized$/);
    await expect(handler()(httpEvent(authorization))).resolves.toEqual({ isAuthorized: false });
    const token = authorization.replace(/^Bearer /, "");
    for (const [line] of warn.mock.calls) if (token) expect(String(line)).not.toContain(token.split(".")[1]);
  });

  test("fails if the issuer or audiences are not configured", () => {
    expect(() => createHandler({ issuer: "", audiences: [] })).toThrow("JWT_ISSUER and JWT_AUDIENCES must be set");
  });
});
