// @ts-check
// The WebSocket API's $connect authorizer (a Lambda REQUEST authorizer). Browsers cannot set
// headers on the upgrade request, so the client passes its JWT as ?token=. The checks are those
// API Gateway's JWT authorizer makes for the HTTP API: an RS256 signature by a key of the
// issuer's JWKS (found through its OpenID discovery document), iss, exp and nbf, and an aud or
// client_id among the accepted audiences.
const crypto = require("crypto");

/** Clock skew tolerated on exp and nbf, in seconds. */
const LEEWAY_SECONDS = 60;
/** An unknown key id refetches the JWKS (the issuer rotated its keys), at most this often. */
const REFETCH_MS = 60_000;

/** @typedef {(url: string) => Promise<any>} FetchJson */
/** @typedef {{ methodArn: string, queryStringParameters?: Record<string, string | undefined> | null }} AuthorizerEvent */

/** @type {FetchJson} */
async function fetchJson(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response.json();
}

/** A token refused: API Gateway answers the upgrade request with 401 when the authorizer throws "Unauthorized". */
class Refused extends Error {}

/** @param {string} part */
function decodePart(part) {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    throw new Refused("malformed token");
  }
}

/**
 * @param {{ issuer: string, audiences: readonly string[], fetchJson?: FetchJson, now?: () => number }} options
 */
function createAuthorizer({ issuer, audiences, fetchJson: get = fetchJson, now = Date.now }) {
  /** @type {Map<string, crypto.KeyObject> | undefined} */
  let keys;
  let fetchedAt = -Infinity;

  async function loadKeys() {
    const discovery = await get(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
    const jwksUri = discovery?.jwks_uri;
    if (typeof jwksUri !== "string" || !jwksUri.startsWith("https://")) throw new Error(`the issuer's discovery document has no https jwks_uri: ${JSON.stringify(jwksUri)}`);
    const jwks = await get(jwksUri);
    /** @type {any[]} */
    const listed = Array.isArray(jwks?.keys) ? jwks.keys : [];
    keys = new Map(listed.filter((k) => k.kty === "RSA" && (k.use ?? "sig") === "sig" && typeof k.kid === "string").map((k) => [k.kid, crypto.createPublicKey({ key: k, format: "jwk" })]));
    fetchedAt = now();
  }

  /** @param {string} kid */
  async function keyFor(kid) {
    if (!keys || (!keys.has(kid) && now() - fetchedAt > REFETCH_MS)) await loadKeys();
    const key = keys?.get(kid);
    if (!key) throw new Refused(`unknown key id ${kid}`);
    return key;
  }

  /** The token's claims, once it passes every check. @param {unknown} token */
  async function verify(token) {
    if (typeof token !== "string" || token === "") throw new Refused("no token in the query string");
    const parts = token.split(".");
    if (parts.length !== 3) throw new Refused("malformed token");
    const header = decodePart(parts[0]);
    if (header?.alg !== "RS256" || typeof header.kid !== "string") throw new Refused(`unsupported token header ${JSON.stringify({ alg: header?.alg, kid: header?.kid })}`);
    const key = await keyFor(header.kid);
    const signed = crypto.verify("RSA-SHA256", Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], "base64url"));
    if (!signed) throw new Refused("bad signature");
    const claims = decodePart(parts[1]);
    const seconds = now() / 1000;
    if (claims?.iss !== issuer) throw new Refused(`issuer ${JSON.stringify(claims?.iss)} is not ${issuer}`);
    if (typeof claims.exp !== "number" || claims.exp + LEEWAY_SECONDS < seconds) throw new Refused("expired");
    if (typeof claims.nbf === "number" && claims.nbf - LEEWAY_SECONDS > seconds) throw new Refused("not valid yet");
    const presented = [claims.aud ?? [], claims.client_id ?? []].flat();
    if (!presented.some((/** @type {unknown} */ a) => typeof a === "string" && audiences.includes(a))) throw new Refused("no accepted audience");
    if (typeof claims.sub !== "string" || claims.sub === "") throw new Refused("no subject");
    // Cognito marks its ID tokens (the user's attributes, no scopes) token_use=id; other issuers
    // may not set token_use at all, but none that sets it to anything else authorizes a connection.
    if (claims.token_use !== undefined && claims.token_use !== "access") throw new Refused(`token_use ${JSON.stringify(claims.token_use)} is not access`);
    return claims;
  }

  /** @param {AuthorizerEvent} event */
  return async (event) => {
    let claims;
    try {
      claims = await verify(event.queryStringParameters?.token);
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      console.log(JSON.stringify({ message: "token refused", reason: e.message }));
      throw new Error("Unauthorized");
    }
    return {
      principalId: claims.sub,
      policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: event.methodArn }] },
      // The scopes name the rooms the connection may join (rooms/<room>).
      context: { sub: claims.sub, scope: typeof claims.scope === "string" ? claims.scope : "" },
    };
  };
}

/** @type {ReturnType<typeof createAuthorizer> | undefined} */
let authorizer;

/** @param {AuthorizerEvent} event */
exports.handler = (event) => {
  authorizer ??= createAuthorizer({ issuer: String(process.env.ISSUER), audiences: JSON.parse(String(process.env.AUDIENCES)) });
  return authorizer(event);
};
exports.createAuthorizer = createAuthorizer;
