// @ts-check
// The Lambda authorizer of the public REST API (TOKEN and REQUEST events) and of the HTTP API
// (REQUEST, payload format 2.0, simple responses). It accepts a bearer JWT of the configured
// issuer, verified against the issuer's JWKS by aws-jwt-verify, and passes who the caller is to
// the backend. Every failure denies; the token is never logged, nor any claim of a rejected one.
const { JwtVerifier } = require("aws-jwt-verify");

/**
 * @typedef {{ issuer: string, audiences: string[], jwksUri?: string, jwks?: import("aws-jwt-verify/jwk").Jwks }} AuthorizerOptions
 * @typedef {{ type?: string, version?: string, authorizationToken?: string, methodArn?: string, routeArn?: string, headers?: Record<string, string | undefined> | null }} AuthorizerEvent
 */

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/** The options from the function's environment, as the stack sets them. */
function fromEnvironment() {
  const issuer = process.env.JWT_ISSUER ?? "";
  const audiences = (process.env.JWT_AUDIENCES ?? "").split(",").filter(Boolean);
  return { issuer, audiences, ...(process.env.JWKS_URI ? { jwksUri: process.env.JWKS_URI } : {}) };
}

/**
 * A handler for one issuer. `jwks` preloads the signing keys (tests); otherwise they are fetched
 * from `jwksUri` (default `<issuer>/.well-known/jwks.json`, Cognito's) and cached by the library.
 * @param {AuthorizerOptions} options
 */
function createHandler(options = fromEnvironment()) {
  const { issuer, audiences } = options;
  if (!issuer || audiences.length === 0) throw new Error("authorizer: JWT_ISSUER and JWT_AUDIENCES must be set");
  const verifier = JwtVerifier.create({
    issuer,
    jwksUri: options.jwksUri ?? `${issuer.replace(/\/$/, "")}/.well-known/jwks.json`,
    // Cognito access tokens carry the app client in client_id and no aud; ID tokens and other
    // issuers use aud. Either must name an accepted audience, as API Gateway's JWT authorizer checks.
    audience: null,
    customJwtCheck: ({ payload }) => {
      const claimed = [payload.aud ?? [], payload.client_id ?? []].flat();
      if (!claimed.some((value) => typeof value === "string" && audiences.includes(value))) throw new Error("audience not accepted");
    },
  });
  if (options.jwks) verifier.cacheJwks(options.jwks);

  /** @param {AuthorizerEvent} event */
  return async (event) => {
    const http = event.version === "2.0";
    let claims;
    try {
      const token = tokenOf(event);
      claims = token ? await verifier.verify(token) : undefined;
    } catch (error) {
      // The reason only: never the token, nor claims the caller made up.
      console.warn(JSON.stringify({ message: "token rejected", reason: error instanceof Error ? error.name : "unknown" }));
    }
    if (!claims || typeof claims.sub !== "string") {
      if (http) return { isAuthorized: false };
      // API Gateway answers 401 (UNAUTHORIZED) for exactly this error message.
      throw new Error("Unauthorized");
    }
    const context = {
      sub: claims.sub,
      scope: typeof claims.scope === "string" ? claims.scope : "",
      clientId: String(claims.client_id ?? claims.aud ?? ""),
    };
    if (http) return { isAuthorized: true, context };
    return { principalId: claims.sub, policyDocument: allowStage(event.methodArn ?? ""), context };
  };
}

/**
 * The bearer token of a TOKEN event (`authorizationToken`) or of a REQUEST event's Authorization
 * header (REST headers keep the caller's case; HTTP API 2.0 headers are lower case).
 * @param {AuthorizerEvent} event
 */
function tokenOf(event) {
  const headers = event.headers ?? {};
  const header = event.type === "TOKEN" ? event.authorizationToken : Object.entries(headers).find(([name]) => name.toLowerCase() === "authorization")?.[1];
  return BEARER.exec(header ?? "")?.[1];
}

/**
 * Allow every method of the stage the call came in on: with result caching, the policy is reused
 * for the caller's next calls to other methods, which a policy naming only this method would deny.
 * @param {string} methodArn arn:aws:execute-api:<region>:<account>:<api>/<stage>/<verb>/<path>
 */
function allowStage(methodArn) {
  const [prefix, stage] = methodArn.split("/");
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "execute-api:Invoke", Resource: prefix && stage ? `${prefix}/${stage}/*` : methodArn }],
  };
}

/** @type {ReturnType<typeof createHandler> | undefined} */
let handler;

/** @param {AuthorizerEvent} event */
exports.handler = async (event) => (handler ??= createHandler())(event);
exports.createHandler = createHandler;
