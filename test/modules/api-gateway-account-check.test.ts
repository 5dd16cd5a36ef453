import { ApiGatewayAccountCheck } from "../../modules/api-gateway-account-check";
import { synthConstruct, testStack } from "../fixtures/environment";

describe("ApiGatewayAccountCheck", () => {
  test("fails the plan while the role is missing, with the remedy", () => {
    const synthesized = synthConstruct((scope) => new ApiGatewayAccountCheck(scope, "check", { roleName: "apigw-cloudwatch-logs-eu-west-1", remedy: "Apply stack account-eu-west-1 first." }));
    expect(Object.values(synthesized.data.aws_iam_roles)).toEqual([
      {
        name_regex: "^apigw-cloudwatch-logs-eu-west-1$",
        lifecycle: {
          postcondition: [
            {
              condition: "${length(self.names) == 1}",
              error_message:
                "API Gateway cannot write logs in this account and region: the IAM role apigw-cloudwatch-logs-eu-west-1 does not exist. Apply stack account-eu-west-1 first.",
            },
          ],
        },
      },
    ]);
  });

  test("matches the role name literally", () => {
    const synthesized = synthConstruct((scope) => new ApiGatewayAccountCheck(scope, "check", { roleName: "ops.apigw+logs", remedy: "Ask ops." }));
    expect(Object.values(synthesized.data.aws_iam_roles)).toEqual([expect.objectContaining({ name_regex: "^ops\\.apigw\\+logs$" })]);
  });

  test("fails if the role name is not an IAM name", () => {
    expect(() => new ApiGatewayAccountCheck(testStack(), "check", { roleName: "has spaces", remedy: "" })).toThrow(
      'test/check: roleName is "has spaces"; expected an IAM role name: 1-64 letters, digits or +=,.@_-',
    );
  });
});
