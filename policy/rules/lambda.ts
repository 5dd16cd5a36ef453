import type { Rule } from "../types";

export const lambdaPermissionScoped: Rule = {
  id: "APIGW-LAMBDA-PERMISSION",
  severity: "error",
  message: "A Lambda permission must name its principal, and one for API Gateway must be scoped with a source_arn",
  explanation:
    "A `*` principal lets any account invoke the function. A permission for apigateway.amazonaws.com without source_arn lets any API in any account invoke it (the confused deputy); scope it to the API's execution ARN.",
  equivalents: { checkov: ["CKV_AWS_301", "CKV_AWS_364"], securityHub: ["Lambda.1"], trivy: ["AVD-AWS-0067"] },
  references: [],
  check: (stack) =>
    stack.resources("aws_lambda_permission").flatMap((permission) => {
      const { principal, source_arn: sourceArn } = permission.body;
      if (principal === "*") return [{ address: permission.address, detail: "principal is *" }];
      if (principal === "apigateway.amazonaws.com" && !sourceArn) return [{ address: permission.address, detail: "no source_arn" }];
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
