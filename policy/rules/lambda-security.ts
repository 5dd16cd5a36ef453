import { SERVICE_PRINCIPAL } from "../policy-document";
import { expressionsIn, type StackView } from "../stack";
import { ownAccounts } from "./iam-trust";
import type { Rule } from "../types";

export const lambdaPermissionPrincipal: Rule = {
  id: "APIGW-LAMBDA-PERMISSION-PRINCIPAL",
  severity: "error",
  message: "A Lambda permission must grant invocation to a service principal, not to an account or IAM principal",
  explanation:
    "Functions here are invoked by AWS services (API Gateway); a permission for an account id or an IAM ARN lets that principal call the function directly, bypassing the API's authorization, throttling and logs. Grant the service principal (apigateway.amazonaws.com) with a source_arn; give other callers an API route instead.",
  equivalents: { checkov: ["CKV_AWS_301"], securityHub: ["Lambda.1"] },
  references: ["AWS docs: Granting function access to AWS services (resource-based policies)"],
  check: (stack) =>
    stack.resources("aws_lambda_permission").flatMap((permission) => {
      const principal = permission.body.principal;
      // `*` is APIGW-LAMBDA-PERMISSION's; an expression cannot be judged here.
      if (typeof principal !== "string" || principal === "*" || principal.includes("${") || SERVICE_PRINCIPAL.test(principal)) return [];
      return [{ address: permission.address, detail: `principal is ${principal}` }];
    }),
};

/** What is wrong with a literal execute-api source ARN: wildcards in its region, account or API id. */
function literalSourceProblem(arn: string): string | undefined {
  const match = /^arn:aws[a-z-]*:execute-api:([^:]*):([^:]*):([^/]*)(\/.*)?$/.exec(arn);
  if (!match) return `${arn} is not an execute-api ARN`;
  const [, region, account, api] = match;
  const wild = [["region", region], ["account", account], ["API id", api]].filter(([, v]) => v === "" || /[*?]/.test(v)).map(([name]) => name);
  return wild.length ? `${arn} has a wildcard ${wild.join(", ")}` : undefined;
}

/** An API or stage reference at the start of a source ARN: `${aws_api_gateway_rest_api.x.execution_arn}/`, a stage's (narrower: one stage), a data source's. */
const EXECUTION_ARN_PREFIX = /^\$\{((?:data\.)?(?:aws_api_gateway_rest_api|aws_apigatewayv2_api|aws_api_gateway_stage|aws_apigatewayv2_stage)\.[A-Za-z0-9_-]+)\.execution_arn\}\//;
/** A spelled-out ARN around the API's id: `arn:aws:execute-api:<region>:<account>:${aws_..._api.x.id}/`. */
const API_ID_ARN = /^arn:aws[a-z-]*:execute-api:([^:*?]+):([^:*?]+):\$\{((?:data\.)?(?:aws_api_gateway_rest_api|aws_apigatewayv2_api)\.[A-Za-z0-9_-]+)\.id\}\//;

/** What is wrong with an API Gateway permission's source ARN, if anything. */
function sourceArnProblem(stack: StackView, sourceArn: unknown): string | undefined {
  if (typeof sourceArn !== "string") return "source_arn is not a string";
  if (!sourceArn.includes("${")) return literalSourceProblem(sourceArn);
  // The API must be named first, then a "/": whatever follows can only narrow the path within it.
  const api = EXECUTION_ARN_PREFIX.exec(sourceArn)?.[1] ?? API_ID_ARN.exec(sourceArn)?.[3];
  if (api === undefined) return `source_arn ${sourceArn} does not start with an API's execution_arn and a /: an expression around it, or a suffix without /, can widen it to other APIs`;
  if (!stack.block(api)) return `source_arn ${sourceArn} names ${api}, which is not in the stack`;
  // After the API: references to blocks (an authorizer's id) narrow; a local, a variable or a
  // function of a wildcard (`${local.w}`, `${lower("*")}`) can be `*`.
  const widening = expressionsIn(sourceArn).find((e) => /(?<![\w.])(?:local|var|each|count)\./.test(e) || /"[^"]*[*?][^"]*"/.test(e));
  return widening ? `source_arn ${sourceArn} has \${${widening}}, which can widen the route to every route` : undefined;
}

export const lambdaPermissionSourceApi: Rule = {
  id: "APIGW-LAMBDA-PERMISSION-SOURCE",
  severity: "error",
  message: "A Lambda permission for API Gateway must name, in its source_arn, one API of the stack: no wildcard region, account or API id, no expression that can widen it; one for another service must name one account",
  explanation:
    "source_arn is what keeps other APIs from invoking the function through API Gateway (the confused deputy). `arn:aws:execute-api:*:*:*/*` or a wildcard API id admits every API of every account; so does an expression around the execution ARN (replace(), a variable) or a suffix glued to it without a / (`${...execution_arn}*` matches every API id that begins with this one's). Write `${aws_api_gateway_rest_api.x.execution_arn}/<stage>/<method>/<path>` (aws_apigatewayv2_api's, or a data source's for an API of another stack), `arn:aws:execute-api:<region>:<account>:${<api>.id}/...`, or a literal ARN with the region, account and API id spelled out. For another service (sns, events, s3, ...), a source_arn with a wildcard account, such as `arn:aws:sns:*:*:*`, admits every account's topics or rules: name the account in it, or add source_account.",
  equivalents: { securityHub: ["Lambda.1"], trivy: ["AVD-AWS-0067"] },
  references: ["AWS docs: Use resource-based policies for Lambda (source ARN for API Gateway)", "AWS docs: API Gateway execute-api ARN format"],
  check: (stack) =>
    stack.resources("aws_lambda_permission").flatMap((permission) => {
      const { principal, source_arn: sourceArn, source_account: sourceAccount } = permission.body;
      if (sourceArn === undefined) return [];
      if (principal !== "apigateway.amazonaws.com") {
        // Another service's source ARN: whatever else it leaves open, it must name one account.
        const account = typeof sourceArn === "string" && !sourceArn.includes("${") ? sourceArn.split(":")[4] : undefined;
        const open = account !== undefined && (account === "" || /[*?]/.test(account)) && sourceAccount === undefined;
        return open && typeof principal === "string" && SERVICE_PRINCIPAL.test(principal) ? [{ address: permission.address, detail: `source_arn ${sourceArn} admits ${principal} for any account's resources, and there is no source_account` }] : [];
      }
      const own = ownAccounts(stack, permission);
      const account = typeof sourceArn === "string" && !sourceArn.includes("${") ? sourceArn.split(":")[4] : undefined;
      const foreign = account !== undefined && own.length > 0 && /^\d{12}$/.test(account) && !own.includes(account);
      const problem = sourceArnProblem(stack, sourceArn) ?? (foreign ? `source_arn ${sourceArn} names an API of account ${account}, not the stack's (${own.join(", ")})` : undefined);
      return problem ? [{ address: permission.address, detail: problem }] : [];
    }),
};

/** The part of an execute-api source ARN after the API: `/<stage>/<method>/<path>`, or `/authorizers/<id>`. */
function afterApi(sourceArn: string): string | undefined {
  const reference = /^\$\{[^}]+\}(.*)$/.exec(sourceArn);
  if (reference) return reference[1];
  const literal = /^arn:[^:]+:execute-api:[^:]*:[^:]*:[^/]+(.*)$/.exec(sourceArn);
  return literal?.[1];
}

export const lambdaPermissionRoute: Rule = {
  id: "APIGW-LAMBDA-PERMISSION-ROUTE",
  severity: "warning",
  message: "A Lambda permission for API Gateway should name the method and path (or the authorizer) it serves, not every route of the API",
  explanation:
    "`<execution arn>/*` or `/*/*` lets every route and stage of the API invoke the function, including routes added later for another backend and a test stage nobody watches. Name the stage or `*`, the method and the path of the route the function serves (`<execution arn>/*/GET/files/*`), one permission per route, or `<execution arn>/authorizers/<id>` for an authorizer; WebSocket routes are `<execution arn>/<stage>/<route key>`. A function that serves many routes needs many permissions (Lambda caps the policy at 20 KB).",
  references: ["AWS docs: Use resource-based policies for Lambda (source ARN for API Gateway)", "AWS docs: API Gateway execute-api ARN format"],
  check: (stack) =>
    stack.resources("aws_lambda_permission").flatMap((permission) => {
      const { principal, source_arn: sourceArn } = permission.body;
      if (principal !== "apigateway.amazonaws.com" || typeof sourceArn !== "string") return [];
      const rest = afterApi(sourceArn);
      if (rest === undefined || /^\/authorizers\//.test(rest)) return [];
      const [, , method, ...path] = rest.split("/");
      // No method, or a wildcard method with no path beyond a wildcard: every route.
      const everyRoute = method === undefined || (method === "*" && path.every((p) => p === "*" || p === ""));
      return everyRoute ? [{ address: permission.address, detail: `source_arn ${sourceArn} admits every route of the API` }] : [];
    }),
};

export const lambdaFunctionUrlAuth: Rule = {
  id: "APIGW-LAMBDA-URL-AUTH",
  severity: "error",
  message: "A Lambda function URL must require IAM authorization (authorization_type AWS_IAM)",
  explanation:
    "A function URL with authorization_type NONE is a public HTTPS endpoint that bypasses the API in front of the function: no authorizer, no throttling, no WAF, no access logs. Serve the function through the API, or set AWS_IAM.",
  equivalents: { checkov: ["CKV_AWS_258"], securityHub: ["Lambda.1"] },
  references: ["AWS docs: Control access to Lambda function URLs"],
  check: (stack) =>
    stack
      .resources("aws_lambda_function_url")
      .filter((url) => url.body.authorization_type !== "AWS_IAM")
      .map((url) => ({ address: url.address, detail: `authorization_type is ${url.body.authorization_type ?? "unset"}` })),
};

export const lambdaReservedConcurrency: Rule = {
  id: "APIGW-LAMBDA-CONCURRENCY",
  severity: "warning",
  message: "A Lambda function should reserve its concurrency",
  explanation:
    "Without reserved_concurrent_executions every function draws on the account's shared pool: one flooded route can take all of it and throttle every other function of the account and region, and nothing caps what a flood costs. Reserve a number per function (reservedConcurrency in the environment file); Lambda keeps 100 of the account's concurrency unreserved.",
  equivalents: { checkov: ["CKV_AWS_115"] },
  references: ["AWS docs: Configuring reserved concurrency for a function"],
  check: (stack) =>
    stack
      .resources("aws_lambda_function")
      .filter((fn) => !(typeof fn.body.reserved_concurrent_executions === "number" && fn.body.reserved_concurrent_executions > 0))
      .map((fn) => ({ address: fn.address })),
};
