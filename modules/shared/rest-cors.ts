/**
 * CORS for a REST API: a mock `OPTIONS` operation per resource that answers the browser's
 * preflight, and the headers API Gateway's own error answers need (gateway responses) for a
 * browser to read them. A Lambda proxy backend sets the headers of its own answers.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/enable-cors-for-resource-using-swagger-importer-tool.html
 */
import * as formats from "../../config/formats";
import type { Construct } from "constructs";
import { checkFormat, PropsError } from "./validation";

export interface RestCorsOptions {
  /**
   * The one origin allowed, or `*` without credentials. API Gateway's error answers (gateway
   * responses) carry a fixed header value, so a REST API allows one origin.
   */
  readonly allowOrigins: readonly string[];
  /** @default ["authorization", "content-type", "x-api-key"] */
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

/**
 * The preflight `OPTIONS` operation of a resource with `methods`: a mock integration answers 204
 * with the CORS headers, declared as method response headers (undeclared ones are import warnings).
 */
export function preflightOperation(cors: RestCorsOptions, methods: readonly string[]): object {
  const headers = {
    ...commonHeaders(cors),
    "Access-Control-Allow-Methods": `'${[...new Set([...methods, "OPTIONS"])].join(",")}'`,
    "Access-Control-Allow-Headers": `'${(cors.allowHeaders ?? ["authorization", "content-type", "x-api-key"]).join(",")}'`,
    "Access-Control-Max-Age": `'${cors.maxAgeSeconds ?? 600}'`,
  };
  return {
    summary: "CORS preflight",
    responses: {
      "204": {
        description: "The methods and headers browsers may use from the allowed origin",
        headers: Object.fromEntries(Object.keys(headers).map((name) => [name, { schema: { type: "string" } }])),
      },
    },
    "x-amazon-apigateway-integration": {
      type: "mock",
      requestTemplates: { "application/json": JSON.stringify({ statusCode: 204 }) },
      passthroughBehavior: "when_no_match",
      responses: {
        default: {
          statusCode: "204",
          responseParameters: Object.fromEntries(Object.entries(headers).map(([name, value]) => [`method.response.header.${name}`, value])),
        },
      },
    },
  };
}
