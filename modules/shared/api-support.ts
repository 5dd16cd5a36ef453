import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import type { ILambdaFunction } from "../lambda-function";
import type { PathSegment } from "./routes";
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
    // Routes of the Lambda authorizer (simple responses carry no principalId): the sub it returns in its context.
    authorizerSub: "$context.authorizer.sub",
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

/** One route a function serves: `id` names it in the permission's construct id, `source` is the part of the ARN after the execution ARN. */
export interface RouteGrant {
  readonly function: ILambdaFunction;
  readonly id: string;
  readonly source: string;
}

/**
 * Route permissions one function may get in a stack. Lambda caps a function's resource policy at
 * 20 KB; an API Gateway statement is about 350 bytes plus its route, so 40 leave room for the
 * authorizer and other services' statements.
 */
export const MAX_ROUTE_PERMISSIONS = 40;
/** Route permissions made so far per stack and function key: a function may serve several APIs. */
const granted = new WeakMap<TerraformStack, Map<string, number>>();

/**
 * The `<stage>/<method>/<path>` part of a route's execute-api ARN: `ANY` and each `{param}`
 * or greedy `{proxy+}` become `*`, the root is an empty path (AWS: "Use IAM policies for API execution").
 */
export function routeSource(stage: string, method: string, segments: readonly PathSegment[]): string {
  return `${stage}/${method === "ANY" ? "*" : method}/${segments.map((s) => (s.parameter ? "*" : s.text)).join("/")}`;
}

/**
 * One invoke permission per function and route it serves, so a backend is callable only through
 * its own routes. Returned by function key, for what calls the function to depend on: a renamed
 * function's new permissions are made first, and the old ones go only after those dependents no
 * longer call the old function. The per-function `invoke-<key>` permissions of earlier releases
 * (`<execution arn>/*`) are not moved: no route is theirs. Terraform destroys them after what
 * depended on them is updated, and that now depends on the route permissions.
 */
export function grantInvoke(scope: Construct, apiName: string, executionArn: string, grants: readonly RouteGrant[]): Map<string, LambdaPermission[]> {
  const permissions = new Map<string, LambdaPermission[]>();
  const stack = TerraformStack.of(scope);
  const counts = granted.get(stack) ?? new Map<string, number>();
  granted.set(stack, counts);
  for (const grant of grants) {
    const fn = grant.function;
    const count = (counts.get(fn.key) ?? 0) + 1;
    if (count > MAX_ROUTE_PERMISSIONS) {
      throw new Error(
        `Function "${fn.key}" would get more than ${MAX_ROUTE_PERMISSIONS} API Gateway route permissions (API "${apiName}", route ${grant.id}); Lambda caps a function's resource policy at 20 KB. Split its routes over more functions.`,
      );
    }
    counts.set(fn.key, count);
    const permission = new LambdaPermission(scope, `invoke-${fn.key}:${grant.id}`, {
      // A prefix, not a fixed id: a permission replaced for the same function (a new source_arn)
      // is created before the old one goes, and Lambda refuses a second statement with the same id
      // (ResourceConflictException, terraform-provider-aws#3312).
      statementIdPrefix: `apigateway-${apiName}-`,
      action: "lambda:InvokeFunction",
      functionName: fn.functionName,
      principal: "apigateway.amazonaws.com",
      sourceArn: `${executionArn}/${grant.source}`,
      lifecycle: { createBeforeDestroy: true },
    });
    permissions.set(fn.key, [...(permissions.get(fn.key) ?? []), permission]);
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
