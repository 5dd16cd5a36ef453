import { ApiGatewayCloudWatchRole } from "../../modules/api-gateway-cloudwatch-role";
import { resourcesOf, synthConstruct, testStack } from "../fixtures/environment";
import { evaluate } from "../fixtures/iam-evaluate";

describe("ApiGatewayCloudWatchRole", () => {
  test("default", () => {
    const synthesized = synthConstruct((scope) => new ApiGatewayCloudWatchRole(scope, "logs"));
    const [role] = Object.values(resourcesOf(synthesized, "aws_iam_role"));
    expect(role.name_prefix).toBe("apigw-cloudwatch-");
    expect(synthesized.resource.aws_iam_role_policy_attachment).toBeUndefined();
  });

  // API Gateway documents no source keys for the logging role: a request without them is let in,
  // one naming another account is not.
  test.each([
    ["API Gateway, no source keys", "Allow", { Service: "apigateway.amazonaws.com" }, {}],
    ["API Gateway for this account", "Allow", { Service: "apigateway.amazonaws.com" }, { "aws:SourceAccount": "111111111111" }],
    ["API Gateway for another account", "ImplicitDeny", { Service: "apigateway.amazonaws.com" }, { "aws:SourceAccount": "999999999999" }],
    ["another service", "ImplicitDeny", { Service: "lambda.amazonaws.com" }, {}],
  ])("its trust evaluates %s to %s", (_name, decision, principal, context) => {
    const synthesized = synthConstruct((scope) => new ApiGatewayCloudWatchRole(scope, "logs"));
    const [role] = Object.values<any>(resourcesOf(synthesized, "aws_iam_role"));
    const trust = (role.assume_role_policy as string).replace(/\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}/g, "111111111111");
    expect(trust).not.toContain("${");
    expect(evaluate(trust, { principal, action: "sts:AssumeRole", context })).toBe(decision);
  });

  // The managed AmazonAPIGatewayPushToCloudWatchLogs also allows logs:GetLogEvents and
  // logs:FilterLogEvents on every log group; API Gateway only writes.
  test.each([
    ["logs:CreateLogGroup", "Allow"],
    ["logs:CreateLogStream", "Allow"],
    ["logs:DescribeLogGroups", "Allow"],
    ["logs:DescribeLogStreams", "Allow"],
    ["logs:PutLogEvents", "Allow"],
    ["logs:GetLogEvents", "ImplicitDeny"],
    ["logs:FilterLogEvents", "ImplicitDeny"],
    ["logs:StartQuery", "ImplicitDeny"],
    ["logs:DeleteLogGroup", "ImplicitDeny"],
  ])("its policy evaluates %s to %s", (action, decision) => {
    const synthesized = synthConstruct((scope) => new ApiGatewayCloudWatchRole(scope, "logs"));
    const [policy] = Object.values<any>(resourcesOf(synthesized, "aws_iam_role_policy"));
    // The data sources' values in account 111111111111, eu-west-1 (aws_region's id is the region's name).
    const known: Record<string, string> = { partition: "aws", id: "eu-west-1", account_id: "111111111111" };
    const resolved = (policy.policy as string).replace(/\$\{data\.[\w-]+\.[\w-]+\.(\w+)\}/g, (_m, attribute: string) => known[attribute]);
    expect(resolved).not.toContain("${");
    expect(evaluate(resolved, { action, resource: "arn:aws:logs:eu-west-1:111111111111:log-group:API-Gateway-Execution-Logs_abc/prod:log-stream:x" })).toBe(decision);
  });

  test("points the region's account setting at the role, after the policy is attached", () => {
    const synthesized = synthConstruct((scope) => new ApiGatewayCloudWatchRole(scope, "logs"));
    const [roleName] = Object.keys(resourcesOf(synthesized, "aws_iam_role"));
    const [policyName] = Object.keys(resourcesOf(synthesized, "aws_iam_role_policy"));
    expect(Object.values(resourcesOf(synthesized, "aws_api_gateway_account"))).toEqual([
      expect.objectContaining({
        cloudwatch_role_arn: `\${aws_iam_role.${roleName}.arn}`,
        depends_on: [`aws_iam_role_policy.${policyName}`],
      }),
    ]);
  });

  // Destroying the setting resets the region's role ARN (AWS provider 6); without the role or its
  // policy the setting is as good as reset.
  test("refuses to destroy or replace the setting, the role and its policy", () => {
    const synthesized = synthConstruct((scope) => new ApiGatewayCloudWatchRole(scope, "logs"));
    for (const type of ["aws_api_gateway_account", "aws_iam_role", "aws_iam_role_policy"]) {
      expect(Object.values(resourcesOf(synthesized, type))).toEqual([expect.objectContaining({ lifecycle: { prevent_destroy: true } })]);
    }
  });

  test("uses the given role name", () => {
    const synthesized = synthConstruct((scope) => new ApiGatewayCloudWatchRole(scope, "logs", { roleName: "apigw-logs-cn-north-1" }));
    expect(Object.values(resourcesOf(synthesized, "aws_iam_role"))[0].name).toBe("apigw-logs-cn-north-1");
  });

  test("fails if the role name is not an IAM name", () => {
    const stack = testStack();
    expect(() => new ApiGatewayCloudWatchRole(stack, "logs", { roleName: "has spaces" })).toThrow(
      'test/logs: roleName is "has spaces"; expected an IAM role name: 1-64 letters, digits or +=,.@_-',
    );
  });
});
