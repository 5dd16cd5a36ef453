/**
 * The shape of each API: which routes exist and what serves them. Environments differ
 * only in data (config/environments); the routes are the same everywhere.
 */
import { HttpPrivateBackend, HttpRoute, HttpRouteAuthorization } from "../modules/http-api";
import type { ILambdaFunction } from "../modules/lambda-function";
import { RestIntegration, RestRoute } from "../modules/rest-api";
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

/** The AWS services and private backends of the public API, where the environment file has them. */
export interface PublicApiServices {
  /** POST /events writes to this stream. */
  readonly events?: ServiceTarget;
  /** GET /users/{id} reads this table instead of calling the users function. */
  readonly usersTable?: ServiceTarget;
  /** ANY /legacy/{proxy+} goes through this VPC link to https://${stageVariables.legacyHost}/{proxy}. */
  readonly legacyVpcLinkId?: string;
}

/**
 * Every public method needs an API key of the environment's usage plan. `/users` is declared
 * in apis/public-users.openapi.yaml; `existingFunction` resolves a `functionArn` backend there.
 */
export function publicApiRoutes(backends: PublicApiBackends, existingFunction: (functionArn: string) => ILambdaFunction, services: PublicApiServices = {}): RestRoute[] {
  const keyed = (path: string, method: RestRoute["method"], fn: ILambdaFunction): RestRoute => ({
    path,
    method,
    integration: RestIntegration.lambda(fn),
    apiKeyRequired: true,
  });
  const users = routesFromOpenApi(readApiDefinition("public-users.openapi.yaml"), { functions: { users: backends.users }, existingFunction });
  const table = services.usersTable;
  return [
    keyed("/hello", "GET", backends.helloGet),
    keyed("/hello", "POST", backends.helloPost),
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
          },
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
 * Every route goes through the JWT authorizer; `scopes` (route key to OAuth scopes, from
 * the environment file) narrows routes further.
 */
export function httpApiRoutes(backends: HttpApiBackends, scopes: Readonly<Record<string, readonly string[]>>): HttpRoute[] {
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
  return routes.map((r) => ({ ...r, authorization: HttpRouteAuthorization.jwt(scopes[`${r.method} ${r.path}`]) }));
}
