import { coversAction, rolePermissions } from "../policy-document";
import type { Rule } from "../types";

const PUSH_TO_CLOUDWATCH = /:iam::aws:policy\/service-role\/AmazonAPIGatewayPushToCloudWatchLogs$/;
const LOG_READS = ["logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery", "logs:GetQueryResults"];

export const cloudWatchRoleWriteOnly: Rule = {
  id: "APIGW-ACCOUNT-CLOUDWATCH-WRITE-ONLY",
  severity: "warning",
  message: "The API Gateway account's CloudWatch role should only write logs, not read them",
  explanation:
    "API Gateway creates log groups and streams and puts events with this role; it never reads them. AmazonAPIGatewayPushToCloudWatchLogs also grants logs:GetLogEvents and logs:FilterLogEvents on every log group of the account, so whoever can pass or assume the role reads every log in the region. Use an inline policy with logs:CreateLogGroup, CreateLogStream, DescribeLogGroups, DescribeLogStreams and PutLogEvents (the account stack's write-logs policy).",
  equivalents: {},
  references: ["AWS managed policy reference: AmazonAPIGatewayPushToCloudWatchLogs", "AWS docs: Permissions for CloudWatch logging"],
  check: (stack) =>
    stack.resources("aws_api_gateway_account").flatMap((account) => {
      const role = stack.referenced(account.body.cloudwatch_role_arn, "aws_iam_role");
      if (!role) return [];
      const names = (value: unknown) => stack.identifies(value, role, "name") || stack.identifies(value, role, "id");
      const managed = [...([] as unknown[]).concat(role.body.managed_policy_arns ?? []), ...stack.resources("aws_iam_role_policy_attachment").filter((a) => names(a.body.role)).map((a) => a.body.policy_arn)].some(
        (arn) => typeof arn === "string" && PUSH_TO_CLOUDWATCH.test(arn),
      );
      const allows = rolePermissions(stack, role).filter((s) => s.effect === "Allow");
      const reads = LOG_READS.filter((action) => allows.some((s) => coversAction(s, action)));
      const problems = [...(managed ? ["AmazonAPIGatewayPushToCloudWatchLogs (log reads included)"] : []), ...(reads.length ? [`an inline policy allowing ${reads.join(", ")}`] : [])];
      return problems.length ? [{ address: role.address, detail: `reads logs through ${problems.join(" and ")}` }] : [];
    }),
};
