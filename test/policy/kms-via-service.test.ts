import { functionKmsThroughService } from "../../policy/rules/kms-via-service";
import { StackView } from "../../policy/stack";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const trust = (service: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });
const fixture = (statement: Record<string, unknown>, service = "lambda.amazonaws.com") =>
  new StackView("fixture", {
    resource: {
      aws_iam_role: { fn: { name: "fn", assume_role_policy: trust(service) } },
      aws_iam_role_policy: { p: { role: "${aws_iam_role.fn.name}", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Resource: KEY, ...statement }] }) } },
    },
  });

describe("APIGW-FUNCTION-KMS-VIA-SERVICE", () => {
  test.each<[string, StackView, string[]]>([
    ["compliant: decrypt through Lambda in the region", fixture({ Action: "kms:Decrypt", Condition: { StringEquals: { "kms:ViaService": "lambda.eu-west-1.amazonaws.com" } } }), []],
    ["compliant: the region as a reference", fixture({ Action: ["kms:GenerateDataKey", "kms:Decrypt"], Condition: { StringEquals: { "kms:ViaService": "sqs.${data.aws_region.current.id}.amazonaws.com" } } }), []],
    ["not applicable: a role no function assumes", fixture({ Action: "kms:Decrypt" }, "apigateway.amazonaws.com"), []],
    ["insecure: decrypt without a condition", fixture({ Action: "kms:Decrypt" }), ["aws_iam_role_policy.p"]],
    ["insecure: kms:* without a condition", fixture({ Action: "kms:*" }), ["aws_iam_role_policy.p"]],
    ["insecure: a wildcard service", fixture({ Action: "kms:Decrypt", Condition: { StringLike: { "kms:ViaService": "*.amazonaws.com" } } }), ["aws_iam_role_policy.p"]],
    ["insecure: a negated condition", fixture({ Action: "kms:Decrypt", Condition: { StringNotEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } } }), ["aws_iam_role_policy.p"]],
  ])("%s", (_name, stack, expected) => {
    expect(functionKmsThroughService.severity).toBe("error");
    expect(functionKmsThroughService.check(stack).map((v) => v.address)).toEqual(expected);
  });
});
