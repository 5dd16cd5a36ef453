import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import type { ILambdaFunction } from "../lambda-function";
import { movedFrom } from "./addresses";

/** One JSON line per request; `requestId` ties the access log to execution logs and X-Ray. */
export function accessLogFormat(extra: Readonly<Record<string, string>> = {}): string {
  return JSON.stringify({
    requestId: "$context.requestId",
    extendedRequestId: "$context.extendedRequestId",
    ip: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    path: "$context.path",
    status: "$context.status",
    responseLength: "$context.responseLength",
    latency: "$context.responseLatency",
    integrationLatency: "$context.integrationLatency",
    integrationError: "$context.integrationErrorMessage",
    ...extra,
  });
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
