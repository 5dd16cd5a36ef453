/**
 * A REST API's definition in one shape, whether its routes are Terraform resources
 * (aws_api_gateway_method / aws_api_gateway_integration) or an OpenAPI 3 / Swagger 2 document
 * in the API's `body` or in an aws_api_gateway_rest_api_put.
 */
import { Block, blocks, isTrue, refersTo, StackView } from "./stack";

export type Authorization = "NONE" | "AWS_IAM" | "CUSTOM" | "COGNITO_USER_POOLS";

export interface RestIntegration {
  /** aws_proxy, http_proxy, mock, aws or http (lower case, whatever the source wrote). */
  readonly type?: string;
  readonly uri?: unknown;
  /** `method.request.path.<name>`, `method.request.querystring.<name>`, ... */
  readonly cacheKeyParameters: readonly string[];
  readonly requestParameters: Readonly<Record<string, unknown>>;
  readonly passthroughBehavior?: string;
  /** The role API Gateway assumes to call an AWS service (a reference or an ARN). */
  readonly credentials?: unknown;
  /** `VPC_LINK` for private integrations; INTERNET when absent. */
  readonly connectionType?: string;
  /** tls_config insecure_skip_verification (tlsConfig.insecureSkipVerification in a document). */
  readonly insecureSkipVerification?: boolean;
}

export interface RestRoute {
  /** The aws_api_gateway_method, or the put / API whose document defines the route. */
  readonly address: string;
  /** For a route of a document: the JSON pointer of its operation, `#/paths/~1files~1{key}/get`. */
  readonly pointer?: string;
  /** `/files/{key}`; undefined when a method's resource chain cannot be followed in the configuration. */
  readonly path?: string;
  /** Upper case; `x-amazon-apigateway-any-method` is `ANY`. */
  readonly httpMethod: string;
  readonly authorization: Authorization;
  readonly apiKeyRequired: boolean;
  /** OAuth scopes the method demands (Cognito authorizers). */
  readonly scopes: readonly string[];
  /** The request validator's name (document) or id (resource form), when the method has one. */
  readonly requestValidator?: unknown;
  readonly integration?: RestIntegration;
  /** The path and query string parameters the method declares. */
  readonly parameters: { readonly path: readonly string[]; readonly query: readonly string[] };
}

export interface RestDocument {
  /** The aws_api_gateway_rest_api_put, or the API for its `body`. */
  readonly address: string;
  readonly source: "body" | "put";
  /** Whether importing it replaces what the API had (a put always does; `body` unless put_rest_api_mode is merge). */
  readonly overwrites: boolean;
  /** The parsed document; undefined when it cannot be read from the configuration (YAML, file(), templatefile()). */
  readonly content?: Record<string, any>;
}

export interface RestPolicy {
  readonly address: string;
  /** Policy text, a reference to an aws_iam_policy_document, or a parsed policy object (from a document). */
  readonly value: unknown;
  /** JSON pointer of `x-amazon-apigateway-policy`, for a policy inside a document. */
  readonly pointer?: string;
}

/** A gateway response of the API, from a document or an aws_api_gateway_gateway_response. */
export interface RestGatewayResponse {
  readonly address: string;
  readonly pointer?: string;
  readonly type: string;
  /** Mapping templates by media type. */
  readonly templates: Readonly<Record<string, unknown>>;
  /** `gatewayresponse.header.<name>` mappings. */
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** An authorizer of the API, from a document's security scheme or an aws_api_gateway_authorizer. */
export interface RestAuthorizer {
  readonly address: string;
  readonly pointer?: string;
  readonly name: string;
  /** TOKEN, REQUEST or COGNITO_USER_POOLS. */
  readonly type: string;
  readonly uri?: unknown;
  readonly credentials?: unknown;
}

export interface RestDefinition {
  readonly api: Block;
  readonly documents: readonly RestDocument[];
  /** The method resources and integrations of the resource form. */
  readonly elements: readonly Block[];
  readonly routes: readonly RestRoute[];
  readonly policies: readonly RestPolicy[];
  readonly endpointIds: readonly string[];
  readonly binaryMediaTypes: readonly string[];
  readonly gatewayResponses: readonly RestGatewayResponse[];
  readonly authorizers: readonly RestAuthorizer[];
  /** Whether some method answers with Access-Control-Allow-Origin (a CORS preflight). */
  readonly cors: boolean;
}

const list = (value: unknown): unknown[] => (value === undefined || value === null ? [] : ([] as unknown[]).concat(value));
const strings = (value: unknown): string[] => list(value).filter((v): v is string => typeof v === "string");
const object = (value: unknown): Record<string, any> => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, any>) : {});

/** `{key}` and `{proxy+}` of a path template, by name. */
export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{([^{}+]+)\+?\}/g)].map(([, name]) => name);
}

/** JSON pointer escaping (RFC 6901). */
const pointerOf = (...segments: string[]) => `#/${segments.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;

/** The documents defining an API: its `body` and every aws_api_gateway_rest_api_put naming it. */
export function documentsOf(stack: StackView, api: Block): RestDocument[] {
  const puts = stack.resources("aws_api_gateway_rest_api_put").filter((p) => stack.identifies(p.body.rest_api_id, api, "id"));
  return [
    ...(api.body.body !== undefined ? [{ address: api.address, source: "body" as const, overwrites: api.body.put_rest_api_mode !== "merge", content: parseDocument(api.body.body) }] : []),
    ...puts.map((p) => ({ address: p.address, source: "put" as const, overwrites: true, content: parseDocument(p.body.body) })),
  ];
}

function parseDocument(body: unknown): Record<string, any> | undefined {
  if (typeof body !== "string") return undefined;
  try {
    const parsed = JSON.parse(body);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function restDefinition(stack: StackView, api: Block): RestDefinition {
  const documents = documentsOf(stack, api);
  const elements = ["aws_api_gateway_method", "aws_api_gateway_integration"].flatMap((type) =>
    stack.resources(type).filter((b) => stack.identifies(b.body.rest_api_id, api, "id")),
  );
  const readable = documents.filter((d) => d.content !== undefined);
  const attached = stack
    .resources("aws_api_gateway_rest_api_policy")
    .filter((p) => stack.identifies(p.body.rest_api_id, api, "id"))
    .map((p) => ({ address: p.address, value: p.body.policy }));
  return {
    api,
    documents,
    elements,
    routes: [...resourceRoutes(stack, api, elements), ...readable.flatMap((d) => documentRoutes(d.address, d.content!))],
    policies: [
      ...(api.body.policy !== undefined ? [{ address: api.address, value: api.body.policy }] : []),
      ...attached,
      ...readable
        .filter((d) => d.content!["x-amazon-apigateway-policy"] !== undefined)
        .map((d) => ({ address: d.address, value: d.content!["x-amazon-apigateway-policy"], pointer: pointerOf("x-amazon-apigateway-policy") })),
    ],
    endpointIds: [
      ...blocks(api.body.endpoint_configuration).flatMap((c) => strings(c.vpc_endpoint_ids)),
      // Swagger 2 has the extension at the top level, OpenAPI 3 on its Server objects.
      ...readable.flatMap((d) =>
        [d.content!, ...list(d.content!.servers).map(object)].flatMap((holder) => strings(object(holder["x-amazon-apigateway-endpoint-configuration"]).vpcEndpointIds)),
      ),
    ],
    binaryMediaTypes: [...strings(api.body.binary_media_types), ...readable.flatMap((d) => strings(d.content!["x-amazon-apigateway-binary-media-types"]))],
    gatewayResponses: [
      ...stack
        .resources("aws_api_gateway_gateway_response")
        .filter((r) => stack.identifies(r.body.rest_api_id, api, "id"))
        .map((r) => ({ address: r.address, type: String(r.body.response_type), templates: object(r.body.response_templates), parameters: object(r.body.response_parameters) })),
      ...readable.flatMap((d) =>
        Object.entries(object(d.content!["x-amazon-apigateway-gateway-responses"])).map(([type, response]) => ({
          address: d.address,
          pointer: pointerOf("x-amazon-apigateway-gateway-responses", type),
          type,
          templates: object(object(response).responseTemplates),
          parameters: object(object(response).responseParameters),
        })),
      ),
    ],
    authorizers: [
      ...stack
        .resources("aws_api_gateway_authorizer")
        .filter((a) => stack.identifies(a.body.rest_api_id, api, "id"))
        .map((a) => ({ address: a.address, name: String(a.body.name), type: String(a.body.type ?? "TOKEN").toUpperCase(), uri: a.body.authorizer_uri, credentials: a.body.authorizer_credentials })),
      ...readable.flatMap((d) =>
        Object.entries(object(d.content!.components?.securitySchemes ?? d.content!.securityDefinitions))
          .filter(([, scheme]) => object(scheme)["x-amazon-apigateway-authorizer"] !== undefined)
          .map(([name, scheme]) => {
            const authorizer = object(object(scheme)["x-amazon-apigateway-authorizer"]);
            return {
              address: d.address,
              pointer: pointerOf(d.content!.components ? "components" : "securityDefinitions", ...(d.content!.components ? ["securitySchemes"] : []), name),
              name,
              type: String(authorizer.type ?? "").toUpperCase(),
              uri: authorizer.authorizerUri,
              credentials: authorizer.authorizerCredentials,
            };
          }),
      ),
    ],
    cors: corsPreflight(stack, api, elements, readable),
  };
}

const ALLOW_ORIGIN = /^method\.response\.header\.access-control-allow-origin$/i;

/** Whether an OPTIONS method's integration response sets Access-Control-Allow-Origin. */
function corsPreflight(stack: StackView, api: Block, elements: Block[], documents: RestDocument[]): boolean {
  const inResources = stack
    .resources("aws_api_gateway_integration_response")
    .filter((r) => stack.identifies(r.body.rest_api_id, api, "id"))
    .some((r) => Object.keys(object(r.body.response_parameters)).some((k) => ALLOW_ORIGIN.test(k)) && elements.some((m) => m.type === "aws_api_gateway_method" && String(m.body.http_method).toUpperCase() === "OPTIONS"));
  const inDocuments = documents.some((d) =>
    Object.values(object(d.content!.paths)).some((item) =>
      Object.values(object(object(object(object(item).options)["x-amazon-apigateway-integration"]).responses)).some((response) => Object.keys(object(object(response).responseParameters)).some((k) => ALLOW_ORIGIN.test(k))),
    ),
  );
  return inResources || inDocuments;
}

/** The path of an aws_api_gateway_resource id (or the API's root_resource_id), followed through parent_id. */
function resourcePath(stack: StackView, api: Block, id: unknown, seen = new Set<string>()): string | undefined {
  if (refersTo(id, api.address, "root_resource_id")) return "/";
  const resource = stack.referenced(id, "aws_api_gateway_resource");
  if (!resource || seen.has(resource.address) || typeof resource.body.path_part !== "string") return undefined;
  const parent = resourcePath(stack, api, resource.body.parent_id, seen.add(resource.address));
  return parent === undefined ? undefined : `${parent === "/" ? "" : parent}/${resource.body.path_part}`;
}

function resourceRoutes(stack: StackView, api: Block, elements: Block[]): RestRoute[] {
  const integrations = elements.filter((b) => b.type === "aws_api_gateway_integration");
  return elements
    .filter((b) => b.type === "aws_api_gateway_method")
    .map((method) => {
      const body = method.body;
      const integration = integrationOf(method, integrations)?.body;
      const declared = Object.keys(object(body.request_parameters));
      const named = (location: string) => declared.filter((k) => k.startsWith(`method.request.${location}.`)).map((k) => k.slice(`method.request.${location}.`.length));
      const authorization = String(body.authorization ?? "NONE").toUpperCase();
      return {
        address: method.address,
        path: resourcePath(stack, api, body.resource_id),
        httpMethod: String(body.http_method).toUpperCase(),
        authorization: (["AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"].includes(authorization) ? authorization : "NONE") as Authorization,
        apiKeyRequired: body.api_key_required === true,
        scopes: strings(body.authorization_scopes),
        ...(body.request_validator_id !== undefined ? { requestValidator: body.request_validator_id } : {}),
        ...(integration
          ? {
              integration: {
                ...(typeof integration.type === "string" ? { type: integration.type.toLowerCase() } : {}),
                ...(integration.uri !== undefined ? { uri: integration.uri } : {}),
                cacheKeyParameters: strings(integration.cache_key_parameters),
                requestParameters: object(integration.request_parameters),
                ...(typeof integration.passthrough_behavior === "string" ? { passthroughBehavior: integration.passthrough_behavior } : {}),
                ...(integration.credentials !== undefined ? { credentials: integration.credentials } : {}),
                ...(typeof integration.connection_type === "string" ? { connectionType: integration.connection_type } : {}),
                ...(blocks(integration.tls_config).some((t) => isTrue(t.insecure_skip_verification)) ? { insecureSkipVerification: true } : {}),
              },
            }
          : {}),
        parameters: { path: named("path"), query: named("querystring") },
      };
    });
}

/** A method's aws_api_gateway_integration: the one naming its resource and verb, by value or through the method's attributes. */
export function integrationOf(method: Block, integrations: readonly Block[]): Block | undefined {
  const same = (i: Block, attribute: string) => i.body[attribute] === method.body[attribute] || refersTo(i.body[attribute], method.address, attribute);
  return integrations.find((i) => same(i, "resource_id") && same(i, "http_method"));
}

const OPERATIONS = ["get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method"];

function documentRoutes(address: string, document: Record<string, any>): RestRoute[] {
  const schemes = object(document.components?.securitySchemes ?? document.securityDefinitions);
  return Object.entries(object(document.paths)).flatMap(([path, item]) =>
    // Operation keys in any case: the checker reads `PATCH` as API Gateway might, rather than skip it.
    OPERATIONS.flatMap((operation) => Object.keys(object(item)).filter((key) => key.toLowerCase() === operation))
      .map((key) => {
        const verb = key.toLowerCase();
        const operation = object(item[key]);
        const parameters = [...list(item.parameters), ...list(operation.parameters)].map(object);
        const named = (location: string) => [...new Set(parameters.filter((p) => p.in === location && typeof p.name === "string").map((p) => p.name as string))];
        const integration = operation["x-amazon-apigateway-integration"];
        return {
          address,
          pointer: pointerOf("paths", path, key),
          path,
          httpMethod: verb === "x-amazon-apigateway-any-method" ? "ANY" : verb.toUpperCase(),
          ...security(operation.security ?? document.security, schemes, operation["x-amazon-apigateway-auth"] ?? document["x-amazon-apigateway-auth"]),
          ...(operation["x-amazon-apigateway-request-validator"] ?? document["x-amazon-apigateway-request-validator"]
            ? { requestValidator: operation["x-amazon-apigateway-request-validator"] ?? document["x-amazon-apigateway-request-validator"] }
            : {}),
          ...(integration !== undefined ? { integration: documentIntegration(object(integration)) } : {}),
          parameters: { path: named("path"), query: named("query") },
        };
      }),
  );
}

function documentIntegration(integration: Record<string, any>): RestIntegration {
  return {
    ...(typeof integration.type === "string" ? { type: integration.type.toLowerCase() } : {}),
    ...(integration.uri !== undefined ? { uri: integration.uri } : {}),
    cacheKeyParameters: strings(integration.cacheKeyParameters),
    requestParameters: object(integration.requestParameters),
    ...(typeof integration.passthroughBehavior === "string" ? { passthroughBehavior: integration.passthroughBehavior } : {}),
    ...(integration.credentials !== undefined ? { credentials: integration.credentials } : {}),
    ...(typeof integration.connectionType === "string" ? { connectionType: integration.connectionType } : {}),
    ...(isTrue(object(integration.tlsConfig).insecureSkipVerification) ? { insecureSkipVerification: true } : {}),
  };
}

/**
 * What an operation's security requirements let through. One requirement object names schemes
 * that must all hold; API Gateway applies one authorizer per method plus the API key, so every
 * scheme of it contributes (unknown scheme names add nothing). A list of several objects means, in
 * OpenAPI, that any one of them suffices: API Gateway has no alternatives, and tools that read the
 * document (clients, portals, linters) take it so, so the weakest alternative is what the route
 * promises: `[{jwt: []}, {api_key: []}]` is an API key only, `[{cognito: []}, {}]` no
 * authorization at all. An empty list means no authorization.
 */
function security(requirements: unknown, schemes: Record<string, any>, auth: unknown): { authorization: Authorization; apiKeyRequired: boolean; scopes: string[] } {
  // x-amazon-apigateway-auth {type: AWS_IAM} sets IAM authorization without a security scheme.
  const iam = String(object(auth).type ?? "").toUpperCase() === "AWS_IAM";
  type Protection = { authorization: Authorization; apiKeyRequired: boolean; scopes: string[] };
  const alternatives = list(requirements).map((requirement): Protection => {
    const named = Object.entries(object(requirement)).map(([name, scopes]) => ({ kind: schemeKind(object(schemes[name])), scopes: strings(scopes) }));
    const kinds = [...named.map((n) => n.kind), ...(iam ? ["AWS_IAM" as const] : [])];
    const authorization = (["AWS_IAM", "COGNITO_USER_POOLS", "CUSTOM"] as const).find((k) => kinds.includes(k)) ?? "NONE";
    return { authorization, apiKeyRequired: kinds.includes("API_KEY"), scopes: named.filter((n) => n.kind === "COGNITO_USER_POOLS").flatMap((n) => n.scopes) };
  });
  const strength = (a: Protection) => (a.authorization !== "NONE" ? 2 : a.apiKeyRequired ? 1 : 0) * 1000 + a.scopes.length;
  const weakest = alternatives.reduce<Protection | undefined>((weak, a) => (weak === undefined || strength(a) < strength(weak) ? a : weak), undefined);
  return weakest ?? { authorization: iam ? "AWS_IAM" : "NONE", apiKeyRequired: false, scopes: [] };
}

function schemeKind(scheme: Record<string, any>): Authorization | "API_KEY" | undefined {
  const authtype = String(scheme["x-amazon-apigateway-authtype"] ?? "").toLowerCase();
  const authorizer = object(scheme["x-amazon-apigateway-authorizer"]);
  const authorizerType = String(authorizer.type ?? "").toLowerCase();
  if (authtype === "awssigv4") return "AWS_IAM";
  if (authtype === "cognito_user_pools" || authorizerType === "cognito_user_pools") return "COGNITO_USER_POOLS";
  if (authorizerType === "token" || authorizerType === "request") return "CUSTOM";
  if (authtype === "" && scheme.type === "apiKey" && scheme.in === "header" && String(scheme.name).toLowerCase() === "x-api-key") return "API_KEY";
  return undefined;
}

/** Where a route is, for a finding's detail: `GET /files/{key}` (and the JSON pointer for a document). */
export function describeRoute(route: RestRoute): string {
  return `${route.httpMethod} ${route.path ?? "<unresolved path>"}${route.pointer ? ` (${route.pointer})` : ""}`;
}

/** Findings for the documents whose content a rule needs but cannot read. */
export function unreadableDocuments(definition: RestDefinition): { address: string; detail: string }[] {
  return definition.documents
    .filter((d) => d.content === undefined)
    .map((d) => ({ address: d.address, detail: `its ${d.source === "body" ? "body" : "document"} cannot be read from the configuration (not JSON text: YAML, file() or templatefile())` }));
}
