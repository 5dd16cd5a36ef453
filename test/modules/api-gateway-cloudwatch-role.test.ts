import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { ApiGatewayCloudWatchRole } from "../../modules/api-gateway-cloudwatch-role";
import { resourcesOf, synthConstruct, testStack } from "../fixtures/environment";

describe("ApiGatewayCloudWatchRole", () => {
  test("default", () => {
    const synthesized = synthConstruct((scope) => new ApiGatewayCloudWatchRole(scope, "logs"));
    const [role] = Object.values(resourcesOf(synthesized, "aws_iam_role"));
    expect(role.name_prefix).toBe("apigw-cloudwatch-");
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    expect(JSON.stringify(synthesized)).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    });
  });

  test("points the region's account setting at the role, after the policy is attached", () => {
    const synthesized = synthConstruct((scope) => new ApiGatewayCloudWatchRole(scope, "logs"));
    const [roleName] = Object.keys(resourcesOf(synthesized, "aws_iam_role"));
    const [attachmentName] = Object.keys(resourcesOf(synthesized, "aws_iam_role_policy_attachment"));
    expect(Object.values(resourcesOf(synthesized, "aws_api_gateway_account"))).toEqual([
      expect.objectContaining({
        cloudwatch_role_arn: `\${aws_iam_role.${roleName}.arn}`,
        depends_on: [`aws_iam_role_policy_attachment.${attachmentName}`],
      }),
    ]);
  });

  // Destroying the setting resets the region's role ARN (AWS provider 6); without the role or its
  // policy the setting is as good as reset.
  test("refuses to destroy or replace the setting, the role and its policy attachment", () => {
    const synthesized = synthConstruct((scope) => new ApiGatewayCloudWatchRole(scope, "logs"));
    for (const type of ["aws_api_gateway_account", "aws_iam_role", "aws_iam_role_policy_attachment"]) {
      expect(Object.values(resourcesOf(synthesized, type))).toEqual([expect.objectContaining({ lifecycle: { prevent_destroy: true } })]);
    }
  });

  test("uses the given role name and partition", () => {
    const synthesized = synthConstruct((scope) => new ApiGatewayCloudWatchRole(scope, "logs", { roleName: "apigw-logs-cn-north-1", partition: "aws-cn" }));
    expect(Object.values(resourcesOf(synthesized, "aws_iam_role"))[0].name).toBe("apigw-logs-cn-north-1");
    expect(Object.values(resourcesOf(synthesized, "aws_iam_role_policy_attachment"))[0].policy_arn).toBe(
      "arn:aws-cn:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    );
  });

  test("fails if the role name is not an IAM name", () => {
    const stack = testStack();
    expect(() => new ApiGatewayCloudWatchRole(stack, "logs", { roleName: "has spaces" })).toThrow(
      'test/logs: roleName is "has spaces"; expected an IAM role name: 1-64 letters, digits or +=,.@_-',
    );
  });
});
