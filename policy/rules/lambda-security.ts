import { referencesIn } from "../stack";
import type { Rule } from "../types";

const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;
const API_TYPES = ["aws_api_gateway_rest_api", "aws_apigatewayv2_api"];

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

export const lambdaPermissionSourceApi: Rule = {
  id: "APIGW-LAMBDA-PERMISSION-SOURCE",
  severity: "error",
  message: "A Lambda permission for API Gateway must name, in its source_arn, an API of the stack: no wildcard region, account or API id",
  explanation:
    "source_arn is what keeps other APIs from invoking the function through API Gateway (the confused deputy). `arn:aws:execute-api:*:*:*/*` or a wildcard API id admits every API of every account. Use the API's execution ARN, `${aws_api_gateway_rest_api.x.execution_arn}/*` (or aws_apigatewayv2_api's), or a literal ARN with the region, account and API id spelled out.",
  equivalents: { checkov: ["CKV_AWS_364"], securityHub: ["Lambda.1"], trivy: ["AVD-AWS-0067"] },
  references: ["AWS docs: Use resource-based policies for Lambda (source ARN for API Gateway)"],
  check: (stack) =>
    stack.resources("aws_lambda_permission").flatMap((permission) => {
      const { principal, source_arn: sourceArn } = permission.body;
      if (principal !== "apigateway.amazonaws.com" || sourceArn === undefined) return [];
      const references = referencesIn(sourceArn);
      if (references.length > 0) {
        const api = references.find((r) => API_TYPES.some((t) => r.address.startsWith(`${t}.`)) && (r.attribute === "execution_arn" || r.attribute === "id"));
        return api && stack.block(api.address) ? [] : [{ address: permission.address, detail: `source_arn ${sourceArn} names no API of the stack` }];
      }
      const problem = typeof sourceArn === "string" ? literalSourceProblem(sourceArn) : "source_arn is not a string";
      return problem ? [{ address: permission.address, detail: problem }] : [];
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
