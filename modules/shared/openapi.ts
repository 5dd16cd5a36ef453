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
  for (const operation of props.operations) {
    const item = (paths[clientPath(operation.path)] ??= {});
    const body = {
      ...(operation.summary ? { summary: operation.summary } : {}),
      parameters: operation.parameters.map(parameterObject),
      ...(operation.requestBody ? { requestBody: operation.requestBody } : {}),
      responses: operation.responses ?? { default: { description: "The backend's answer" } },
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
    paths,
    components: { securitySchemes: props.securitySchemes },
  };
}
