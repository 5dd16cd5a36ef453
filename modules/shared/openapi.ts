/**
 * The OpenAPI 3.0 pieces both API modules write: the client-facing documents that
 * `npm run synth` exports (no AWS extensions), and the names they share with the REST
 * API's definition document.
 */
import type { HttpMethod, PathSegment } from "./routes";

export const OPENAPI_VERSION = "3.0.3";

export interface OpenApiParameter {
  readonly name: string;
  readonly in: "path" | "query" | "header";
  readonly required: boolean;
}

export interface OpenApiServer {
  readonly url: string;
  readonly description?: string;
  /** Server variables, `{name}` in the URL, with the value a client uses when it knows no better. */
  readonly variables?: Readonly<Record<string, { readonly default: string; readonly description?: string }>>;
}

/** What a client needs to know of one route. */
export interface ClientOperation {
  readonly path: string;
  readonly method: HttpMethod;
  readonly operationId: string;
  readonly summary?: string;
  readonly parameters: readonly OpenApiParameter[];
  /** Names of `securitySchemes` the caller must satisfy together, with their scopes. */
  readonly security: Readonly<Record<string, readonly string[]>>;
  /** An OpenAPI request body object, as declared by the route. */
  readonly requestBody?: object;
  /** OpenAPI response objects by status code, as declared by the route. */
  readonly responses?: Readonly<Record<string, object>>;
}

export interface ClientDocumentProps {
  readonly title: string;
  readonly description?: string;
  readonly servers: readonly OpenApiServer[];
  readonly operations: readonly ClientOperation[];
  readonly securitySchemes: Readonly<Record<string, object>>;
}

/** OpenAPI has no "any method"; a client sees an ANY route as the methods callers use. */
const ANY_AS = ["get", "post", "put", "patch", "delete"] as const;

/** `getFilesKey` for `GET /files/{key}`: stable, and unique for unique routes. */
export function defaultOperationId(method: HttpMethod, segments: readonly PathSegment[]): string {
  const words = [method.toLowerCase(), ...segments.map((s) => s.parameter ?? s.text)].flatMap((w) => w.split(/[^A-Za-z0-9]+/)).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join("");
}

/** The route's parameters as OpenAPI declares them: path parameters required, the others optional. */
export function parametersOf(segments: readonly PathSegment[], query: readonly string[] = [], headers: readonly string[] = []): OpenApiParameter[] {
  return [
    ...segments.filter((s) => s.parameter).map((s) => ({ name: s.parameter as string, in: "path" as const, required: true })),
    ...query.map((name) => ({ name, in: "query" as const, required: false })),
    ...headers.map((name) => ({ name, in: "header" as const, required: false })),
  ];
}

/** A parameter object with the string schema every API Gateway parameter has. */
export function parameterObject(p: OpenApiParameter): object {
  return { name: p.name, in: p.in, required: p.required, schema: { type: "string" } };
}

/** A client's path: API Gateway's greedy `{proxy+}` is an ordinary `{proxy}` that may contain slashes. */
function clientPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\+\}/g, "{$1}");
}

/** A client-facing OpenAPI document, free of `x-amazon-apigateway-*` extensions. */
export function clientDocument(props: ClientDocumentProps): Record<string, unknown> {
  const paths: Record<string, Record<string, object>> = {};
  const tags = new Set<string>();
  for (const operation of props.operations) {
    const path = clientPath(operation.path);
    const item = (paths[path] ??= {});
    const tag = tagOf(path);
    tags.add(tag);
    const body = {
      summary: operation.summary ?? `${operation.method} ${path}`,
      tags: [tag],
      parameters: operation.parameters.map(parameterObject),
      ...(operation.requestBody ? { requestBody: operation.requestBody } : {}),
      responses: { ...gatewayResponses(operation, props.securitySchemes), ...(operation.responses ?? { "2XX": { description: "The backend's answer" } }) },
      security: Object.keys(operation.security).length ? [operation.security] : [],
    };
    if (operation.method === "ANY") {
      for (const method of ANY_AS) item[method] ??= { operationId: `${operation.operationId}${method[0].toUpperCase()}${method.slice(1)}`, ...body };
    } else {
      item[operation.method.toLowerCase()] = { operationId: operation.operationId, ...body };
    }
  }
  return {
    openapi: OPENAPI_VERSION,
    info: { title: props.title, version: "1", ...(props.description ? { description: props.description } : {}) },
    servers: props.servers,
    tags: [...tags].sort().map((name) => ({ name, description: `Routes under /${name}` })),
    paths,
    components: { securitySchemes: props.securitySchemes },
  };
}

/** Operations are grouped by their path's first segment, as portals and generators list them. */
function tagOf(path: string): string {
  return path.split("/").find((s) => s && !s.startsWith("{")) ?? "root";
}

/**
 * What API Gateway itself answers before the backend: 429 when the stage's or a key's throttling
 * or quota is exceeded, 403 for a missing or invalid API key or a denied signature or policy,
 * 401 when an authorizer finds no or a bad token. A route's own responses take precedence.
 */
function gatewayResponses(operation: ClientOperation, schemes: Readonly<Record<string, object>>): Record<string, object> {
  const kinds = Object.keys(operation.security).map((name) => schemes[name] as { type?: string; name?: string } | undefined);
  const tokens = kinds.some((k) => k?.type === "openIdConnect" || (k?.type === "apiKey" && k.name === "Authorization" && !/Signature/.test(JSON.stringify(k))));
  return {
    ...(tokens ? { "401": { description: "API Gateway: no token, or a token the authorizer refuses" } } : {}),
    ...(kinds.length ? { "403": { description: "API Gateway: a missing or invalid API key or signature, or a scope or policy that denies the call" } } : {}),
    "429": { description: "API Gateway: the stage's throttling or the API key's rate or quota is exceeded" },
  };
}
