// @ts-check
// The Lambda authorizer of the public REST API (TOKEN and REQUEST events) and of the HTTP API
// (REQUEST, payload format 2.0, simple responses). It accepts a bearer access token
// (token_use=access, a numeric exp) of the configured issuer, verified against the issuer's JWKS
// by aws-jwt-verify, holding one of the scopes the route demands (ROUTE_SCOPES for the REST
// routes, HTTP_ROUTE_SCOPES for the HTTP API's, by route key: each lists every route the function
// fronts, and a route it does not list is denied), and passes who
// the caller is to the backend. Every failure denies; the token is never logged, nor any claim of
// a rejected one.
const { JwtVerifier } = require("aws-jwt-verify");

/**
 * @typedef {Record<string, string[]>} RouteScopes REST route key ("GET /users/{id}") to scopes, one of which a token must hold
 * @typedef {{ issuer: string, audiences: string[], routeScopes?: RouteScopes, httpRouteScopes?: RouteScopes, jwksUri?: string, jwks?: import("aws-jwt-verify/jwk").Jwks }} AuthorizerOptions
 * @typedef {{ type?: string, version?: string, routeKey?: string, authorizationToken?: string, methodArn?: string, routeArn?: string, resource?: string, httpMethod?: string, headers?: Record<string, string | undefined> | null }} AuthorizerEvent
 */

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/** The options from the function's environment, as the stack sets them. */
function fromEnvironment() {
  const issuer = process.env.JWT_ISSUER ?? "";
  const audiences = (process.env.JWT_AUDIENCES ?? "").split(",").filter(Boolean);
  const routeScopes = JSON.parse(process.env.ROUTE_SCOPES || "{}");
  const httpRouteScopes = JSON.parse(process.env.HTTP_ROUTE_SCOPES || "{}");
  return { issuer, audiences, routeScopes, httpRouteScopes, ...(process.env.JWKS_URI ? { jwksUri: process.env.JWKS_URI } : {}) };
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
      // ID tokens carry the user's attributes and no scopes; only access tokens authorize calls.
      if (payload.token_use !== "access") throw new Error("not an access token");
      // The library checks exp only when present: a token without one would never expire.
      if (typeof payload.exp !== "number") throw new Error("no numeric exp");
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
    const scopes = typeof claims?.scope === "string" ? claims.scope.split(" ") : [];
    const demanded = http ? (options.httpRouteScopes ?? {})[event.routeKey ?? ""] : demandedScopes(options.routeScopes ?? {}, event);
    if (claims && demanded === undefined) {
      console.warn(JSON.stringify({ message: "token rejected", reason: "route not configured" }));
      claims = undefined;
    } else if (claims && demanded && demanded.length > 0 && !demanded.some((scope) => scopes.includes(scope))) {
      console.warn(JSON.stringify({ message: "token rejected", reason: "missing scope", demanded }));
      claims = undefined;
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
    return { principalId: claims.sub, policyDocument: allowMethod(event.methodArn ?? ""), context };
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
 * The scopes a REST event's route demands (an empty list: any access token), or undefined for a
 * route ROUTE_SCOPES does not list, which is denied. A REQUEST event names the route API Gateway
 * matched (`resource`, the template, and `httpMethod`); a TOKEN event only the `methodArn`
 * (`<api>/<stage>/<verb>/<path>`), matched against the templates, where `{name}` is one segment,
 * `{name+}` the rest of the path and ANY every verb. A route of its own verb wins over ANY.
 * @param {RouteScopes} routeScopes @param {AuthorizerEvent} event @returns {string[] | undefined}
 */
function demandedScopes(routeScopes, event) {
  const entries = Object.entries(routeScopes).map(([key, scopes]) => ({ method: key.split(" ")[0], template: key.split(" ")[1] ?? "", scopes }));
  /** @param {(template: string) => boolean} matches @param {string} verb */
  const find = (matches, verb) => (entries.find((e) => e.method === verb && matches(e.template)) ?? entries.find((e) => e.method === "ANY" && matches(e.template)))?.scopes;
  if (event.type === "REQUEST" && event.resource && event.httpMethod) return find((template) => template === event.resource, event.httpMethod);
  const [, , verb = "", ...segments] = (event.methodArn ?? "").split("/");
  const path = `/${segments.join("/")}`;
  return find((template) => {
    const pattern = template.replace(/[.*?^$()|[\]\\]/g, "\\$&").replace(/\{[^/}]+\+\}/g, ".+").replace(/\{[^/}]+\}/g, "[^/]+");
    return new RegExp(`^${pattern}$`).test(path);
  }, verb);
}

/**
 * Allow the one method called, never the stage: a cached policy is reused for the caller's next
 * calls, so the REST authorizers cache per route (REQUEST, with context.httpMethod and
 * context.resourcePath among the identity sources) or not at all, never per token alone.
 * @param {string} methodArn arn:aws:execute-api:<region>:<account>:<api>/<stage>/<verb>/<path>
 */
function allowMethod(methodArn) {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "execute-api:Invoke", Resource: methodArn }] };
}

/** @type {ReturnType<typeof createHandler> | undefined} */
let handler;

/** @param {AuthorizerEvent} event */
exports.handler = async (event) => (handler ??= createHandler())(event);
exports.createHandler = createHandler;
