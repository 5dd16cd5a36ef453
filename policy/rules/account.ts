import { wildcardMatch } from "../iam-actions";
import { statementsOf } from "../policy-document";
import type { Rule } from "../types";

const PUSH_TO_CLOUDWATCH = /:iam::aws:policy\/service-role\/AmazonAPIGatewayPushToCloudWatchLogs$/;
/** What API Gateway does with the role; the managed policy grants these (and two log reads). */
const LOG_WRITES = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents"];

export const accountCloudWatchRole: Rule = {
  id: "APIGW-ACCOUNT-CLOUDWATCH-ROLE",
  severity: "error",
  message: "The API Gateway account setting must use a role trusted by apigateway.amazonaws.com with the push-to-CloudWatch policy",
  explanation:
    "Execution and access logging of every API in the region depend on this one role. It must trust apigateway.amazonaws.com and carry AmazonAPIGatewayPushToCloudWatchLogs or an inline policy allowing its log writes (CreateLogGroup, CreateLogStream, DescribeLogGroups, DescribeLogStreams, PutLogEvents), or stages fail to log (and new stages with logging fail to deploy).",
  references: ["AWS docs: Permissions for CloudWatch logging"],
  check: (stack) =>
    stack.resources("aws_api_gateway_account").flatMap((account) => {
      const arn = account.body.cloudwatch_role_arn;
      if (!arn) return [{ address: account.address, detail: "no cloudwatch_role_arn" }];
      const role = stack.referenced(arn, "aws_iam_role");
      if (!role) return [];
      const trusted = (statementsOf(stack, role.body.assume_role_policy) ?? []).some(
        (s) => s.effect === "Allow" && s.principals.includes("apigateway.amazonaws.com") && s.actions.includes("sts:AssumeRole"),
      );
      const attached = stack
        .resources("aws_iam_role_policy_attachment")
        .some((a) => stack.identifies(a.body.role, role, "name") && typeof a.body.policy_arn === "string" && PUSH_TO_CLOUDWATCH.test(a.body.policy_arn));
      const inline = stack.resources("aws_iam_role_policy").some((p) => {
        if (!stack.identifies(p.body.role, role, "name")) return false;
        const allows = (statementsOf(stack, p.body.policy) ?? []).filter((s) => s.effect === "Allow");
        return LOG_WRITES.every((action) => allows.some((s) => s.actions.some((pattern) => wildcardMatch(pattern, action, true))));
      });
      const problems = [...(trusted ? [] : ["the role does not trust apigateway.amazonaws.com"]), ...(attached || inline ? [] : ["neither AmazonAPIGatewayPushToCloudWatchLogs nor an inline policy with its log writes is attached"])];
      return problems.length ? [{ address: account.address, detail: problems.join(", ") }] : [];
    }),
};
