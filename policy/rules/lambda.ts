import type { Rule } from "../types";

/** A service principal as checkov CKV_AWS_364 recognizes one: `<name>.amazonaws.com...`. */
const isServicePrincipal = (principal: string) => principal.split(".")[1] === "amazonaws" && principal.split(".")[2] === "com";

/** What an aws_lambda_permission may grant; the provider takes any action name. */
const INVOKE_ACTIONS = ["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"];

export const lambdaPermissionScoped: Rule = {
  id: "APIGW-LAMBDA-PERMISSION",
  severity: "error",
  message: "A Lambda permission must name its principal and grant invocation only; one for an AWS service must be scoped with a source_arn (or, other than API Gateway, a source_account)",
  explanation:
    "A `*` principal lets any account invoke the function. A permission for a service principal (apigateway.amazonaws.com, events.amazonaws.com, s3.amazonaws.com, ...) without source_arn or source_account lets that service invoke it on behalf of any resource in any account (the confused deputy), as checkov CKV_AWS_364 checks. For API Gateway, source_account is not enough: every API of the account could invoke the function, so source_arn is required, scoped to the API's execution ARN. The action must be lambda:InvokeFunction (or lambda:InvokeFunctionUrl): a permission is a resource policy statement, and `lambda:*` in it would let the principal update, delete or read the function.",
  equivalents: { checkov: ["CKV_AWS_301", "CKV_AWS_364"], securityHub: ["Lambda.1"], trivy: ["AVD-AWS-0067"] },
  references: ["AWS docs: Use resource-based policies for Lambda (source ARN, source account)"],
  check: (stack) =>
    stack.resources("aws_lambda_permission").flatMap((permission) => {
      const { source_arn: sourceArn, source_account: sourceAccount } = permission.body;
      // data.aws_service_principal names a service's principal; any other expression could be one.
      const lookup = stack.referenced(permission.body.principal, "aws_service_principal");
      const principal = lookup && typeof lookup.body.service_name === "string" ? `${lookup.body.service_name}.amazonaws.com` : permission.body.principal;
      if (principal === "*") return [{ address: permission.address, detail: "principal is *" }];
      if (typeof principal === "string" && principal.includes("${") && !sourceArn) return [{ address: permission.address, detail: `principal ${principal} may be a service's, and there is no source_arn` }];
      // lambda:* or lambda:Update* would let the service (or whoever it acts for) change the function.
      if (typeof permission.body.action === "string" && !INVOKE_ACTIONS.includes(permission.body.action)) return [{ address: permission.address, detail: `action is ${permission.body.action}, not an invoke action` }];
      if (principal === "apigateway.amazonaws.com" && !sourceArn) return [{ address: permission.address, detail: "no source_arn" }];
      if (typeof principal === "string" && isServicePrincipal(principal) && !sourceArn && !sourceAccount) return [{ address: permission.address, detail: `${principal} without source_arn or source_account` }];
      return [];
    }),
};

export const logGroupRetention: Rule = {
  id: "APIGW-LOG-RETENTION",
  severity: "error",
  message: "A log group must set its retention",
  explanation: "Without retention_in_days, logs are kept (and billed) forever, and personal data in them outlives every deletion policy.",
  equivalents: { checkov: ["CKV_AWS_66"], securityHub: ["CloudWatch.16"] },
  references: [],
  check: (stack) =>
    stack
      .resources("aws_cloudwatch_log_group")
      .filter((group) => !(typeof group.body.retention_in_days === "number" && group.body.retention_in_days > 0))
      .map((group) => ({ address: group.address })),
};
