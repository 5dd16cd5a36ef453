/**
 * The shape of each API: which routes exist and what serves them. Environments differ
 * only in data (config/environments); the routes are the same everywhere.
 */
import { HttpPrivateBackend, HttpRoute, HttpRouteAuthorization } from "../modules/http-api";
import type { ILambdaFunction } from "../modules/lambda-function";
import { RestIntegration, RestRoute } from "../modules/rest-api";
import type { RestRouteAuthorizer } from "../modules/shared/rest-authorizers";
import { routesFromOpenApi } from "../modules/shared/openapi-import";
import { HttpServiceCalls, QueueTarget, ServiceCalls, ServiceTarget } from "../modules/shared/service-integrations";
import { readApiDefinition } from "./api-definitions";
import { mappingTemplates } from "./mapping-templates";

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
/** An event is any JSON object: the stream stores it as it came, so only its form is checked. */
const EVENT = { type: "object" };

export interface PublicApiBackends {
  readonly helloGet: ILambdaFunction;
  readonly helloPost: ILambdaFunction;
  readonly users: ILambdaFunction;
}

/** The AWS services and private backends of the public API, where the environment file has them. */
export interface PublicApiServices {
  /** POST /events writes to this stream. */
  readonly events?: ServiceTarget;
  /** GET /users/{id} reads this table instead of calling the users function. */
  readonly usersTable?: ServiceTarget;
  /** ANY /legacy/{proxy+} goes through this VPC link to https://${stageVariables.legacyHost}/{proxy}. */
  readonly legacyVpcLinkId?: string;
  /** GET /stream streams this function's answer, waiting for it up to `timeoutMillis`. */
  readonly stream?: { readonly function: ILambdaFunction; readonly timeoutMillis: number };
}

/**
 * Every public method needs an API key of the environment's usage plan, and the authorizer the
 * environment file gives it (`authorizers`, by route key); a write method it gives none requires SigV4. `/users` is declared in
 * apis/public-users.openapi.yaml; `existingFunction` resolves a `functionArn` backend there.
 */
export function publicApiRoutes(
  backends: PublicApiBackends,
  existingFunction: (functionArn: string) => ILambdaFunction,
  services: PublicApiServices = {},
  authorizers: Readonly<Record<string, RestRouteAuthorizer>> = {},
): RestRoute[] {
  const keyed = (path: string, method: RestRoute["method"], fn: ILambdaFunction, extra: Partial<RestRoute> = {}): RestRoute => ({
    path,
    method,
    integration: RestIntegration.lambda(fn),
    apiKeyRequired: true,
    ...extra,
  });
  const users = routesFromOpenApi(readApiDefinition("public-users.openapi.yaml"), { functions: { users: backends.users }, existingFunction });
  const table = services.usersTable;
  const routes: RestRoute[] = [
    keyed("/hello", "GET", backends.helloGet),
    keyed("/hello", "POST", backends.helloPost, { validation: { body: { model: "Greeting", schema: GREETING } } }),
    ...(table ? users.map((r) => (r.operationId === "getUser" ? { ...r, integration: RestIntegration.service(ServiceCalls.dynamodb("users-get-item", "GetItem", table, mappingTemplates("dynamodb-get-user"))) } : r)) : users),
    ...(services.events
      ? [
          {
            path: "/events",
            method: "POST" as const,
            integration: RestIntegration.service(ServiceCalls.kinesisPutRecord("events-put-record", services.events, mappingTemplates("kinesis-put-record"))),
            apiKeyRequired: true,
            operationId: "putEvent",
            summary: "Store one JSON event; events with the same X-Partition-Key keep their order",
            headerParameters: ["X-Partition-Key"],
            validation: { body: { model: "Event", schema: EVENT } },
          },
        ]
      : []),
    ...(services.stream
      ? [
          keyed("/stream", "GET", services.stream.function, {
            operationId: "getStream",
            summary: "Newline-delimited JSON, sent part by part as the function writes it (?parts=1..20)",
            queryParameters: ["parts"],
            streaming: { timeoutMillis: services.stream.timeoutMillis },
          }),
        ]
      : []),
    ...(services.legacyVpcLinkId
      ? [
          {
            path: "/legacy/{proxy+}",
            method: "ANY" as const,
            integration: RestIntegration.privateHttpProxy("https://${stageVariables.legacyHost}/{proxy}", services.legacyVpcLinkId),
            apiKeyRequired: true,
            operationId: "legacy",
            summary: "The legacy backend, inside the VPC",
          },
        ]
      : []),
  ];
  checkRouteKeys("publicApi.routeAuthorizers", authorizers, routes);
  return routes.map((r) => {
    const authorizer = authorizers[`${r.method} ${r.path}`];
    if (authorizer) return { ...r, authorizer };
    // An API key identifies a client, it does not authorize a write (APIGW-WRITE-KEY-ONLY): a write
    // route the environment gives no authorizer requires SigV4 instead of being left to the key.
    return WRITE_METHODS.includes(r.method) && r.authorization === undefined ? { ...r, authorization: "AWS_IAM" as const } : r;
  });
}

const WRITE_METHODS: readonly string[] = ["POST", "PUT", "PATCH", "DELETE", "ANY"];

/** Refuses settings for routes the API does not have, naming the setting and the routes it has. */
function checkRouteKeys(setting: string, keys: Iterable<string> | Readonly<Record<string, unknown>>, routes: readonly { readonly method: string; readonly path: string }[]): void {
  const known = routes.map((r) => `${r.method} ${r.path}`);
  const unknown = [...(Symbol.iterator in keys ? (keys as Iterable<string>) : Object.keys(keys))].find((key) => !known.includes(key));
  if (unknown) throw new Error(`${setting}: no route ${JSON.stringify(unknown)}; the API's routes are ${known.join(", ")}`);
}

export interface HttpApiBackends {
  readonly orders: ILambdaFunction;
  readonly products: ILambdaFunction;
  /** POST /orders/queue sends the order to this queue, where the environment file has one. */
  readonly ordersQueue?: QueueTarget;
  /** ANY /legacy/{proxy+} goes to this backend in the VPC, where the environment file has one. */
  readonly legacy?: HttpPrivateBackend;
}

/**
 * Every route goes through the JWT authorizer, except those the environment file puts behind
 * the Lambda authorizer (`lambdaRoutes`); `scopes` (route key to OAuth scopes, from the
 * environment file) narrows routes further: API Gateway checks them for JWT routes, the
 * authorizer function (HTTP_ROUTE_SCOPES) for Lambda routes, since HTTP APIs take authorization
 * scopes for JWT authorizers only.
 */
export function httpApiRoutes(backends: HttpApiBackends, scopes: Readonly<Record<string, readonly string[]>>, lambdaRoutes: readonly string[] = []): HttpRoute[] {
  const routes: Omit<HttpRoute, "authorization">[] = [
    { method: "GET", path: "/orders", function: backends.orders },
    { method: "POST", path: "/orders", function: backends.orders },
    { method: "GET", path: "/orders/{id}", function: backends.orders },
    { method: "GET", path: "/products", function: backends.products },
    ...(backends.ordersQueue ? [{ method: "POST" as const, path: "/orders/queue", service: HttpServiceCalls.sqsSendMessage("orders-send-message", backends.ordersQueue) }] : []),
    ...(backends.legacy ? [{ method: "ANY" as const, path: "/legacy/{proxy+}", privateBackend: backends.legacy }] : []),
  ];
  const known = routes.map((r) => `${r.method} ${r.path}`);
  const unknown = Object.keys(scopes).find((key) => !known.includes(key));
  if (unknown) throw new Error(`httpApi.routeScopes: no route ${JSON.stringify(unknown)}; the HTTP API's routes are ${known.join(", ")}`);
  checkRouteKeys("httpApi.lambdaAuthorizer.routes", lambdaRoutes, routes);
  return routes.map((r) => {
    const key = `${r.method} ${r.path}`;
    return { ...r, authorization: lambdaRoutes.includes(key) ? HttpRouteAuthorization.lambda() : HttpRouteAuthorization.jwt(scopes[key]) };
  });
}
