import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import type { ILambdaFunction } from "../lambda-function";
import { movedFrom } from "./addresses";
import { ApiKind, unknownVariables } from "./access-log-variables";

/** What every access log line carries, per API kind: the request, its timing and errors, and who called. */
const ACCESS_LOG_FIELDS: Readonly<Record<ApiKind, Readonly<Record<string, string>>>> = {
  REST: {
    requestId: "$context.requestId",
    extendedRequestId: "$context.extendedRequestId",
    ip: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    path: "$context.path",
    resourcePath: "$context.resourcePath",
    status: "$context.status",
    responseLength: "$context.responseLength",
    responseLatency: "$context.responseLatency",
    integrationLatency: "$context.integrationLatency",
    integrationStatus: "$context.integration.status",
    integrationError: "$context.integration.error",
    authorizerError: "$context.authorizer.error",
    wafError: "$context.waf.error",
    apiKeyId: "$context.identity.apiKeyId",
    caller: "$context.identity.caller",
    userArn: "$context.identity.userArn",
    principalId: "$context.authorizer.principalId",
    sub: "$context.authorizer.claims.sub",
  },
  HTTP: {
    requestId: "$context.requestId",
    extendedRequestId: "$context.extendedRequestId",
    ip: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    path: "$context.path",
    routeKey: "$context.routeKey",
    status: "$context.status",
    responseLength: "$context.responseLength",
    responseLatency: "$context.responseLatency",
    integrationLatency: "$context.integrationLatency",
    integrationStatus: "$context.integration.status",
    integrationError: "$context.integration.error",
    authorizerError: "$context.authorizer.error",
    caller: "$context.identity.caller",
    userArn: "$context.identity.userArn",
    principalId: "$context.authorizer.principalId",
    // The token's subject and client trace each request to a principal.
    sub: "$context.authorizer.claims.sub",
    clientId: "$context.authorizer.claims.client_id",
  },
  // WebSocket APIs know no response latency, WAF or JWT claims.
  WEBSOCKET: {
    requestId: "$context.requestId",
    extendedRequestId: "$context.extendedRequestId",
    ip: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    eventType: "$context.eventType",
    routeKey: "$context.routeKey",
    connectionId: "$context.connectionId",
    messageId: "$context.messageId",
    status: "$context.status",
    integrationLatency: "$context.integrationLatency",
    integrationStatus: "$context.integration.status",
    integrationError: "$context.integration.error",
    error: "$context.error.message",
    authorizerError: "$context.authorizer.error",
    caller: "$context.identity.caller",
    userArn: "$context.identity.userArn",
    principalId: "$context.authorizer.principalId",
  },
};

/**
 * One JSON line per request (per connection event and message for WebSocket); `requestId` ties the
 * access log to execution logs and X-Ray. Every variable is one AWS lists for the kind.
 */
export function accessLogFormat(kind: ApiKind): string {
  const format = JSON.stringify(ACCESS_LOG_FIELDS[kind]);
  const unknown = unknownVariables(kind, format);
  if (unknown.length) throw new Error(`${kind} access log format uses ${unknown.map((v) => `$context.${v}`).join(", ")}, which ${kind} APIs do not log`);
  return format;
}

/** `kmsKeyArn`: a customer managed key for the group, whose key policy lets CloudWatch Logs use it. */
export function accessLogGroup(scope: Construct, apiName: string, stageName: string, retentionDays: number, kmsKeyArn?: string): CloudwatchLogGroup {
  return new CloudwatchLogGroup(scope, "access-logs", {
    name: `/aws/apigateway/${apiName}/${stageName}/access`,
    retentionInDays: retentionDays,
    ...(kmsKeyArn ? { kmsKeyId: kmsKeyArn } : {}),
    // A renamed stage gets a new group; the old one keeps its history until its retention ends.
    skipDestroy: true,
  });
}

/**
 * One invoke permission per function and API, not per route: a function's resource policy
 * is capped at 20 KB, which per-route statements exhaust on larger APIs. Returned by function
 * key, for what calls the function to depend on: a renamed function's new permission is made
 * first, and the old one goes only after those dependents no longer call the old function.
 */
export function grantInvoke(scope: Construct, apiName: string, executionArn: string, functions: Iterable<ILambdaFunction>): Map<string, LambdaPermission> {
  const permissions = new Map<string, LambdaPermission>();
  for (const fn of functions) {
    const permission = new LambdaPermission(scope, `invoke-${fn.key}`, {
      // A prefix, not a fixed id: a permission replaced for the same function (a new source_arn)
      // is created before the old one goes, and Lambda refuses a second statement with the same id
      // (ResourceConflictException, terraform-provider-aws#3312).
      statementIdPrefix: `apigateway-${apiName}-`,
      action: "lambda:InvokeFunction",
      functionName: fn.functionName,
      principal: "apigateway.amazonaws.com",
      sourceArn: `${executionArn}/*`,
      lifecycle: { createBeforeDestroy: true },
    });
    if (fn.formerKey) movedFrom(permission, `invoke-${fn.formerKey}`);
    permissions.set(fn.key, permission);
  }
  return permissions;
}

/**
 * Lets API Gateway call a function as one authorizer only: `<execution arn>/authorizers/<id>`,
 * never `<execution arn>/*`, which would let the API's methods call it as a backend. A replaced
 * authorizer gets its permission before the old one goes (a prefix, so the two statements differ).
 */
export function grantAuthorizerInvoke(scope: Construct, id: string, statementIdPrefix: string, fn: { readonly functionName: string }, executionArn: string, authorizerId: string): LambdaPermission {
  return new LambdaPermission(scope, id, {
    statementIdPrefix,
    action: "lambda:InvokeFunction",
    functionName: fn.functionName,
    principal: "apigateway.amazonaws.com",
    sourceArn: `${executionArn}/authorizers/${authorizerId}`,
    lifecycle: { createBeforeDestroy: true },
  });
}

/** The distinct functions of a route list, in first-use order. */
export function distinctFunctions(functions: Iterable<ILambdaFunction | undefined>): Map<string, ILambdaFunction> {
  const byKey = new Map<string, ILambdaFunction>();
  for (const fn of functions) if (fn && !byKey.has(fn.key)) byKey.set(fn.key, fn);
  return byKey;
}
