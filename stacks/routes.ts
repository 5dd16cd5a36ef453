/**
 * The shape of each API: which routes exist and what serves them. Environments differ
 * only in data (config/environments); the routes are the same everywhere.
 */
import { HttpRoute, HttpRouteAuthorization } from "../modules/http-api";
import type { ILambdaFunction } from "../modules/lambda-function";
import { RestIntegration, RestRoute } from "../modules/rest-api";

export interface PrivateApiBackends {
  /** Returns an object of the environment's bucket by key. */
  readonly objectReader: ILambdaFunction;
}

export function privateApiRoutes(backends: PrivateApiBackends): RestRoute[] {
  return [{ path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(backends.objectReader) }];
}

export interface PublicApiBackends {
  readonly helloGet: ILambdaFunction;
  readonly helloPost: ILambdaFunction;
  readonly users: ILambdaFunction;
}

/** Every public method needs an API key of the environment's usage plan. */
export function publicApiRoutes(backends: PublicApiBackends): RestRoute[] {
  const keyed = (path: string, method: RestRoute["method"], fn: ILambdaFunction): RestRoute => ({
    path,
    method,
    integration: RestIntegration.lambda(fn),
    apiKeyRequired: true,
  });
  return [
    keyed("/hello", "GET", backends.helloGet),
    keyed("/hello", "POST", backends.helloPost),
    keyed("/users", "GET", backends.users),
    keyed("/users", "POST", backends.users),
    keyed("/users/{id}", "GET", backends.users),
    keyed("/users/{id}", "PUT", backends.users),
    keyed("/users/{id}", "DELETE", backends.users),
  ];
}

export interface HttpApiBackends {
  readonly orders: ILambdaFunction;
  readonly products: ILambdaFunction;
}

/**
 * Every route goes through the JWT authorizer; `scopes` (route key to OAuth scopes, from
 * the environment file) narrows routes further.
 */
export function httpApiRoutes(backends: HttpApiBackends, scopes: Readonly<Record<string, readonly string[]>>): HttpRoute[] {
  const routes: Omit<HttpRoute, "authorization">[] = [
    { method: "GET", path: "/orders", function: backends.orders },
    { method: "POST", path: "/orders", function: backends.orders },
    { method: "GET", path: "/orders/{id}", function: backends.orders },
    { method: "GET", path: "/products", function: backends.products },
  ];
  const known = routes.map((r) => `${r.method} ${r.path}`);
  const unknown = Object.keys(scopes).find((key) => !known.includes(key));
  if (unknown) throw new Error(`httpApi.routeScopes: no route ${JSON.stringify(unknown)}; the HTTP API's routes are ${known.join(", ")}`);
  return routes.map((r) => ({ ...r, authorization: HttpRouteAuthorization.jwt(scopes[`${r.method} ${r.path}`]) }));
}
