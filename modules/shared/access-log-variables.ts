/**
 * The `$context` variables API Gateway accepts in access log formats, per API kind, as AWS lists
 * them ("Variables for access logging for API Gateway" (REST), "Customize HTTP API access logs",
 * "Configure logging for WebSocket APIs"). A variable a kind does not know is logged as "-" or
 * refused when the stage is updated, so formats are checked against these lists at synth.
 * Only the variables the platform uses, or an operator is likely to add, are listed.
 */
export type ApiKind = "REST" | "HTTP" | "WEBSOCKET";

const COMMON = [
  "apiId", "requestId", "extendedRequestId", "requestTime", "requestTimeEpoch", "stage", "status", "domainName",
  "identity.sourceIp", "identity.caller", "identity.user", "identity.userArn", "identity.userAgent", "identity.accountId",
  "authorizer.principalId", "authorizer.error", "error.message", "error.messageString", "error.responseType",
  "integration.error", "integration.status", "integration.integrationStatus", "integration.latency", "integrationLatency",
];

export const ACCESS_LOG_VARIABLES: Readonly<Record<ApiKind, ReadonlySet<string>>> = {
  REST: new Set([
    ...COMMON, "httpMethod", "path", "resourcePath", "protocol", "responseLength", "responseLatency", "integrationErrorMessage", "integrationStatus",
    "identity.apiKeyId", "authorizer.claims.*", "authorizer.latency", "authorizer.status", "waf.error", "waf.status", "waf.latency", "webaclArn", "xrayTraceId",
  ]),
  HTTP: new Set([
    ...COMMON, "httpMethod", "path", "routeKey", "protocol", "responseLength", "responseLatency", "integrationErrorMessage", "integrationStatus", "authorizer.claims.*",
    // $context.authorizer.<key>: a key of the context a Lambda authorizer returns; the platform's returns sub.
    "authorizer.sub",
  ]),
  WEBSOCKET: new Set([...COMMON, "eventType", "routeKey", "connectionId", "messageId", "identity.apiKeyId", "authorizer.latency", "authorizer.status"]),
};

/** The `$context` variables a format uses, without the prefix. */
export function contextVariables(format: string): string[] {
  return [...format.matchAll(/\$context\.([A-Za-z0-9_.]+[A-Za-z0-9_])/g)].map(([, name]) => name);
}

/** The variables of a format that the kind does not know; `authorizer.claims.<name>` stands for any claim. */
export function unknownVariables(kind: ApiKind, format: string): string[] {
  const known = ACCESS_LOG_VARIABLES[kind];
  return contextVariables(format).filter((name) => !known.has(name) && !(name.startsWith("authorizer.claims.") && known.has("authorizer.claims.*")));
}
