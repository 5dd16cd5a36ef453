/**
 * The shape of each API: which routes exist and what serves them. Environments differ
 * only in data (config/environments); the routes are the same everywhere.
 */
import { HttpRoute, HttpRouteAuthorization } from "../modules/http-api";
import type { ILambdaFunction } from "../modules/lambda-function";
import { RestIntegration, RestRoute } from "../modules/rest-api";
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
      // API Gateway decodes the reader's base64 answer only for an Accept of a binary media type.
      // Accept is not declared as a parameter: OpenAPI ignores a header parameter named Accept.
      summary: `One object of the environment's bucket; send Accept: ${OBJECT_MEDIA_TYPE} for its bytes`,
    },
  ];
}

export interface PublicApiBackends {
  readonly helloGet: ILambdaFunction;
  readonly helloPost: ILambdaFunction;
  readonly users: ILambdaFunction;
}

/**
 * Every public method needs an API key of the environment's usage plan. `/users` is declared
 * in apis/public-users.openapi.yaml; `existingFunction` resolves a `functionArn` backend there.
 */
export function publicApiRoutes(backends: PublicApiBackends, existingFunction: (functionArn: string) => ILambdaFunction): RestRoute[] {
  const keyed = (path: string, method: RestRoute["method"], fn: ILambdaFunction): RestRoute => ({
    path,
    method,
    integration: RestIntegration.lambda(fn),
    apiKeyRequired: true,
  });
  return [
    keyed("/hello", "GET", backends.helloGet),
    keyed("/hello", "POST", backends.helloPost),
    ...routesFromOpenApi(readApiDefinition("public-users.openapi.yaml"), { functions: { users: backends.users }, existingFunction }),
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
