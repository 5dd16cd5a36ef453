import * as crypto from "crypto";
import { createAuthorizer } from "../../functions/websocket-authorizer";

const ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example01";
const JWKS_URI = `${ISSUER}/.well-known/jwks.json`;
const NOW = Date.parse("2026-01-01T00:00:00Z");
const SECONDS = NOW / 1000;
const METHOD_ARN = "arn:aws:execute-api:eu-west-1:111111111111:abc123/dev/$connect";

const keyPair = () => crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const signing = keyPair();
const other = keyPair();
const jwk = (kid: string, key = signing.publicKey) => ({ ...key.export({ format: "jwk" }), kid, use: "sig", alg: "RS256" });

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
function token(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: "RS256", kid: "k1" }, key = signing.privateKey): string {
  const data = `${b64(header)}.${b64(claims)}`;
  return `${data}.${crypto.sign("RSA-SHA256", Buffer.from(data), key).toString("base64url")}`;
}
const CLAIMS = { iss: ISSUER, sub: "user-1", client_id: "client-a", token_use: "access", exp: SECONDS + 300 };

/** A stubbed fetch of the discovery document and the JWKS, counting requests. */
function issuer(keys: object[] = [jwk("k1")]) {
  const requests: string[] = [];
  const fetchJson = async (url: string) => {
    requests.push(url);
    if (url === `${ISSUER}/.well-known/openid-configuration`) return { issuer: ISSUER, jwks_uri: JWKS_URI };
    if (url === JWKS_URI) return { keys };
    throw new Error(`unexpected ${url}`);
  };
  return { requests, fetchJson };
}

function authorizer(stub = issuer(), now = () => NOW) {
  return createAuthorizer({ issuer: ISSUER, audiences: ["client-a", "client-b"], fetchJson: stub.fetchJson, now });
}

const connect = (value?: string) => ({ methodArn: METHOD_ARN, queryStringParameters: value === undefined ? null : { token: value } });

describe("websocket authorizer", () => {
  test("default", async () => {
    const stub = issuer();
    expect(await authorizer(stub)(connect(token(CLAIMS)))).toEqual({
      principalId: "user-1",
      policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: METHOD_ARN }] },
      context: { sub: "user-1", scope: "" },
    });
    expect(stub.requests).toEqual([`${ISSUER}/.well-known/openid-configuration`, JWKS_URI]);
  });

  test("passes the token's scopes on, which name the rooms it may join", async () => {
    await expect(authorizer(issuer())(connect(token({ ...CLAIMS, scope: "rooms/general openid" })))).resolves.toMatchObject({ context: { sub: "user-1", scope: "rooms/general openid" } });
  });

  test("accepts an ID token by its aud, and fetches the keys once", async () => {
    const stub = issuer();
    const authorize = authorizer(stub);
    await authorize(connect(token({ ...CLAIMS, client_id: undefined, aud: "client-b" })));
    await authorize(connect(token(CLAIMS)));
    expect(stub.requests).toHaveLength(2);
  });

  test("refetches the keys for an unknown key id once the last fetch is a minute old", async () => {
    let keys = [jwk("k1")];
    const requests: string[] = [];
    let now = NOW;
    const authorize = createAuthorizer({
      issuer: ISSUER,
      audiences: ["client-a"],
      now: () => now,
      fetchJson: async (url) => (requests.push(url), url === JWKS_URI ? { keys } : { jwks_uri: JWKS_URI }),
    });
    await authorize(connect(token(CLAIMS)));
    keys = [jwk("k1"), jwk("k2", other.publicKey)];
    const rotated = token(CLAIMS, { alg: "RS256", kid: "k2" }, other.privateKey);
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    await expect(authorize(connect(rotated))).rejects.toThrow("Unauthorized");
    log.mockRestore();
    now += 61_000;
    await expect(authorize(connect(rotated))).resolves.toMatchObject({ principalId: "user-1" });
    expect(requests).toHaveLength(4);
  });

  test.each<[string, string | undefined, string]>([
    ["no token", undefined, "no token in the query string"],
    ["an empty token", "", "no token in the query string"],
    ["a token of two parts", "a.b", "malformed token"],
    ["a header that is not JSON", `x.${b64(CLAIMS)}.sig`, "malformed token"],
    ["an HS256 token", token(CLAIMS, { alg: "HS256", kid: "k1" }), 'unsupported token header {"alg":"HS256","kid":"k1"}'],
    ["an unsigned token", `${b64({ alg: "none", kid: "k1" })}.${b64(CLAIMS)}.`, 'unsupported token header {"alg":"none","kid":"k1"}'],
    ["an unknown key id", token(CLAIMS, { alg: "RS256", kid: "k9" }), "unknown key id k9"],
    ["a signature by another key", token(CLAIMS, undefined, other.privateKey), "bad signature"],
    ["another issuer", token({ ...CLAIMS, iss: "https://evil.example.com" }), `issuer "https://evil.example.com" is not ${ISSUER}`],
    ["an expired token", token({ ...CLAIMS, exp: SECONDS - 61 }), "expired"],
    ["no expiry", token({ ...CLAIMS, exp: undefined }), "expired"],
    ["a token not valid yet", token({ ...CLAIMS, nbf: SECONDS + 61 }), "not valid yet"],
    ["another audience", token({ ...CLAIMS, client_id: "client-z" }), "no accepted audience"],
    ["no subject", token({ ...CLAIMS, sub: "" }), "no subject"],
    ["a Cognito ID token", token({ ...CLAIMS, token_use: "id" }), 'token_use "id" is not access'],
  ])("refuses %s with Unauthorized (401), logging why", async (_name, value, reason) => {
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    await expect(authorizer()(connect(value))).rejects.toThrow(/^Unauthorized$/);
    expect(log.mock.calls.map(([line]) => JSON.parse(line))).toEqual([{ message: "token refused", reason }]);
    log.mockRestore();
  });

  test("accepts a token of an issuer that sets no token_use", async () => {
    await expect(authorizer()(connect(token({ ...CLAIMS, token_use: undefined })))).resolves.toMatchObject({ principalId: "user-1" });
  });

  test("tolerates a minute of clock skew", async () => {
    await expect(authorizer()(connect(token({ ...CLAIMS, exp: SECONDS - 30, nbf: SECONDS + 30 })))).resolves.toMatchObject({ principalId: "user-1" });
  });

  test("fails (500, not 401) when the issuer's keys cannot be read", async () => {
    const authorize = createAuthorizer({ issuer: ISSUER, audiences: ["client-a"], fetchJson: async () => ({ jwks_uri: "http://insecure.example.com/jwks" }) });
    await expect(authorize(connect(token(CLAIMS)))).rejects.toThrow('the issuer\'s discovery document has no https jwks_uri: "http://insecure.example.com/jwks"');
  });
});
