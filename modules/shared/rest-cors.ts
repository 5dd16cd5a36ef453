/**
 * CORS for a REST API: a mock `OPTIONS` operation per resource that answers the browser's
 * preflight, and the headers API Gateway's own error answers (gateway responses) and non-proxy
 * integrations' answers need for a browser to read them. A proxy backend sets the headers of its own answers.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/enable-cors-for-resource-using-swagger-importer-tool.html
 */
import * as formats from "../../config/formats";
import type { Construct } from "constructs";
import { METHODS_OF_ANY } from "./routes";
import { checkFormat, PropsError } from "./validation";

export interface RestCorsOptions {
  /**
   * The one origin allowed, or `*` without credentials. API Gateway's error answers (gateway
   * responses) carry a fixed header value, so a REST API allows one origin.
   */
  readonly allowOrigins: readonly string[];
  /**
   * Headers a preflight allows besides those a resource's routes read (header parameters,
   * authorizer identity headers), which each resource's preflight adds.
   * @default ["authorization", "content-type", "x-api-key"]
   */
  readonly allowHeaders?: readonly string[];
  /** @default false */
  readonly allowCredentials?: boolean;
  /** Seconds browsers may cache a preflight answer. @default 600 */
  readonly maxAgeSeconds?: number;
}

export function checkCors(scope: Construct, cors: RestCorsOptions): void {
  if (cors.allowOrigins.length !== 1) {
    throw new PropsError(scope, "cors.allowOrigins", `lists ${cors.allowOrigins.length} origins; a REST API's error answers carry one fixed Access-Control-Allow-Origin, so list exactly one (or use the HTTP API, which echoes any listed origin)`);
  }
  const [origin] = cors.allowOrigins;
  if (origin === "*") {
    if (cors.allowCredentials) throw new PropsError(scope, "cors.allowOrigins[0]", "is * while allowCredentials is true; browsers refuse that, and it would expose credentialed responses to every site: name the origin");
  } else {
    checkFormat(scope, "cors.allowOrigins[0]", origin, formats.corsOrigin);
  }
  const maxAge = cors.maxAgeSeconds;
  if (maxAge !== undefined && (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > 86400)) throw new PropsError(scope, "cors.maxAgeSeconds", `is ${maxAge}; expected whole seconds from 0 to 86400`);
}

/** The headers every CORS answer carries, by name, as single-quoted literals of a mapping. */
function commonHeaders(cors: RestCorsOptions): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": `'${cors.allowOrigins[0]}'`,
    ...(cors.allowCredentials ? { "Access-Control-Allow-Credentials": "'true'" } : {}),
  };
}

/** Header mappings of a gateway response, so a browser may read API Gateway's own errors. */
export function gatewayResponseCorsHeaders(cors: RestCorsOptions): Record<string, string> {
  return Object.fromEntries(Object.entries(commonHeaders(cors)).map(([name, value]) => [`gatewayresponse.header.${name}`, value]));
}

/** An answer's headers as a method response declares them and an integration response maps them. */
export interface ResponseHeaders {
  /** The method response's `headers`: a mapping to a header it does not declare is an import warning. */
  readonly declared: Record<string, object>;
  /** An integration response's `responseParameters`. */
  readonly mapped: Record<string, string>;
}

function responseHeaders(headers: Readonly<Record<string, string>>): ResponseHeaders {
  return {
    declared: Object.fromEntries(Object.keys(headers).map((name) => [name, { schema: { type: "string" } }])),
    mapped: Object.fromEntries(Object.entries(headers).map(([name, value]) => [`method.response.header.${name}`, value])),
  };
}

/**
 * The CORS headers of a non-proxy integration's (AWS service, mock) answers, successful or
 * mapped errors: API Gateway adds only what the integration response maps, while a proxy
 * integration passes the backend's headers through and its backend sets them.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html
 */
export function integrationCorsHeaders(cors: RestCorsOptions): ResponseHeaders {
  return responseHeaders(commonHeaders(cors));
}

const DEFAULT_ALLOW_HEADERS = ["authorization", "content-type", "x-api-key"];

/**
 * The preflight `OPTIONS` operation of a resource with `methods` (`ANY` standing for every method
 * but OPTIONS, which this operation answers instead) whose routes read the request headers
 * `routeHeaders`: a mock integration answers 204 with the CORS headers. A browser sending a
 * header that Access-Control-Allow-Headers does not list never sends the request.
 */
export function preflightOperation(cors: RestCorsOptions, methods: readonly string[], routeHeaders: readonly string[] = []): object {
  const allowed = methods.flatMap((m) => (m === "ANY" ? METHODS_OF_ANY : [m]));
  const headers = responseHeaders({
    ...commonHeaders(cors),
    "Access-Control-Allow-Methods": `'${[...new Set([...allowed, "OPTIONS"])].join(",")}'`,
    // Header names are case-insensitive; browsers list the ones they send in lower case.
    "Access-Control-Allow-Headers": `'${[...new Set([...(cors.allowHeaders ?? DEFAULT_ALLOW_HEADERS), ...routeHeaders].map((h) => h.toLowerCase()))].join(",")}'`,
    "Access-Control-Max-Age": `'${cors.maxAgeSeconds ?? 600}'`,
  });
  return {
    summary: "CORS preflight",
    responses: {
      "204": { description: "The methods and headers browsers may use from the allowed origin", headers: headers.declared },
    },
    "x-amazon-apigateway-integration": {
      type: "mock",
      requestTemplates: { "application/json": JSON.stringify({ statusCode: 204 }) },
      passthroughBehavior: "when_no_match",
      responses: { default: { statusCode: "204", responseParameters: headers.mapped } },
    },
  };
}
