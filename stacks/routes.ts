/**
 * The shape of each API: which routes exist and what serves them. Environments differ
 * only in data (config/environments); the routes are the same everywhere.
 */
import { HttpRoute, HttpRouteAuthorization } from "../modules/http-api";
import type { ILambdaFunction } from "../modules/lambda-function";
import { RestIntegration, RestRoute } from "../modules/rest-api";
import type { RestRouteAuthorizer } from "../modules/shared/rest-authorizers";
import { routesFromOpenApi } from "../modules/shared/openapi-import";
import { readApiDefinition } from "./api-definitions";

export interface PrivateApiBackends {
  /** Returns an object of the environment's bucket by key. */
  readonly objectReader: ILambdaFunction;
}

/** The media type a client asks for (`Accept`) to receive an object's bytes rather than base64 text. */
export const OBJECT_MEDIA_TYPE = "application/octet-stream";

export function privateApiRoutes(backends: PrivateApiBackends): RestRoute[] {
  return [
    {
      path: "/files/{key}",
      method: "GET",
      integration: RestIntegration.lambda(backends.objectReader),
      operationId: "getFile",
      // Only callers that sign with SigV4, and whose IAM policy allows them, get through.
      authorization: "AWS_IAM",
      // API Gateway decodes the reader's base64 answer only for an Accept of a binary media type.
      // Accept is not declared as a parameter: OpenAPI ignores a header parameter named Accept.
      summary: `One object of the environment's bucket; send Accept: ${OBJECT_MEDIA_TYPE} for its bytes`,
    },
  ];
}

/** The body of POST /hello, as functions/hello checks it too. */
const GREETING = { type: "object", required: ["name"], properties: { name: { type: "string", minLength: 1, maxLength: 100 } } };

export interface PublicApiBackends {
  readonly helloGet: ILambdaFunction;
  readonly helloPost: ILambdaFunction;
  readonly users: ILambdaFunction;
}

/**
 * Every public method needs an API key of the environment's usage plan, and the authorizer the
 * environment file gives it (`authorizers`, by route key). `/users` is declared in
 * apis/public-users.openapi.yaml; `existingFunction` resolves a `functionArn` backend there.
 */
export function publicApiRoutes(
  backends: PublicApiBackends,
  existingFunction: (functionArn: string) => ILambdaFunction,
  authorizers: Readonly<Record<string, RestRouteAuthorizer>> = {},
): RestRoute[] {
  const keyed = (path: string, method: RestRoute["method"], fn: ILambdaFunction, extra: Partial<RestRoute> = {}): RestRoute => ({
    path,
    method,
    integration: RestIntegration.lambda(fn),
    apiKeyRequired: true,
    ...extra,
  });
  const routes = [
    keyed("/hello", "GET", backends.helloGet),
    keyed("/hello", "POST", backends.helloPost, { validation: { body: { model: "Greeting", schema: GREETING } } }),
    ...routesFromOpenApi(readApiDefinition("public-users.openapi.yaml"), { functions: { users: backends.users }, existingFunction }),
  ];
  checkRouteKeys("publicApi.routeAuthorizers", authorizers, routes);
  return routes.map((r) => {
    const authorizer = authorizers[`${r.method} ${r.path}`];
    return authorizer ? { ...r, authorizer } : r;
  });
}

/** Refuses settings for routes the API does not have, naming the setting and the routes it has. */
function checkRouteKeys(setting: string, keys: Iterable<string> | Readonly<Record<string, unknown>>, routes: readonly { readonly method: string; readonly path: string }[]): void {
  const known = routes.map((r) => `${r.method} ${r.path}`);
  const unknown = [...(Symbol.iterator in keys ? (keys as Iterable<string>) : Object.keys(keys))].find((key) => !known.includes(key));
  if (unknown) throw new Error(`${setting}: no route ${JSON.stringify(unknown)}; the API's routes are ${known.join(", ")}`);
}

export interface HttpApiBackends {
  readonly orders: ILambdaFunction;
  readonly products: ILambdaFunction;
}

/**
 * Every route goes through the JWT authorizer, except those the environment file puts behind
 * the Lambda authorizer (`lambdaRoutes`); `scopes` (route key to OAuth scopes, from the
 * environment file) narrows JWT routes further.
 */
export function httpApiRoutes(backends: HttpApiBackends, scopes: Readonly<Record<string, readonly string[]>>, lambdaRoutes: readonly string[] = []): HttpRoute[] {
  const routes: Omit<HttpRoute, "authorization">[] = [
    { method: "GET", path: "/orders", function: backends.orders },
    { method: "POST", path: "/orders", function: backends.orders },
    { method: "GET", path: "/orders/{id}", function: backends.orders },
    { method: "GET", path: "/products", function: backends.products },
  ];
  const known = routes.map((r) => `${r.method} ${r.path}`);
  const unknown = Object.keys(scopes).find((key) => !known.includes(key));
  if (unknown) throw new Error(`httpApi.routeScopes: no route ${JSON.stringify(unknown)}; the HTTP API's routes are ${known.join(", ")}`);
  checkRouteKeys("httpApi.lambdaAuthorizer.routes", lambdaRoutes, routes);
  const both = lambdaRoutes.find((key) => key in scopes);
  if (both) throw new Error(`httpApi.routeScopes: ${JSON.stringify(both)} is behind the Lambda authorizer (httpApi.lambdaAuthorizer.routes), which checks no scopes`);
  return routes.map((r) => {
    const key = `${r.method} ${r.path}`;
    return { ...r, authorization: lambdaRoutes.includes(key) ? HttpRouteAuthorization.lambda() : HttpRouteAuthorization.jwt(scopes[key]) };
  });
}
