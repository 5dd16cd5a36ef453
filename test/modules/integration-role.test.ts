import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { IntegrationRole, IntegrationRoleProps } from "../../modules/integration-role";
import { evaluate, IamRequest } from "../fixtures/iam-evaluate";
import { nameOf, resourcesOf, synthConstruct, testStack } from "../fixtures/environment";

const API = "arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5";
const STREAM = "arn:aws:kinesis:eu-west-1:111111111111:stream/apigw-dev-events";
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";

const PROPS: IntegrationRoleProps = { roleName: "apigw-dev-public-events-put-record", apiExecutionArn: API, action: "kinesis:PutRecord", resourceArn: STREAM };

function policies(props: Partial<IntegrationRoleProps> = {}): { trust: string; permissions: string } {
  const synthesized = synthConstruct((scope) => new IntegrationRole(scope, "role", { ...PROPS, ...props }));
  const role = resourcesOf(synthesized, "aws_iam_role")[nameOf(synthesized, "aws_iam_role")];
  const policy = resourcesOf(synthesized, "aws_iam_role_policy")[nameOf(synthesized, "aws_iam_role_policy")];
  return { trust: role.assume_role_policy, permissions: policy.policy };
}

const apiGateway = (context?: Record<string, string>): IamRequest => ({ principal: { Service: "apigateway.amazonaws.com" }, action: "sts:AssumeRole", ...(context ? { context } : {}) });

describe("IntegrationRole", () => {
  describe("trust", () => {
    const { trust } = policies();
    test.each<[string, IamRequest, string]>([
      ["API Gateway for this API", apiGateway({ "aws:SourceAccount": "111111111111", "aws:SourceArn": `${API}/dev/POST/events` }), "Allow"],
      // What API Gateway sends today when it assumes an integration's credentials (no source keys).
      ["API Gateway without source keys", apiGateway(), "Allow"],
      ["API Gateway for another account", apiGateway({ "aws:SourceAccount": "222222222222", "aws:SourceArn": "arn:aws:execute-api:eu-west-1:222222222222:zzz/dev/POST/events" }), "ImplicitDeny"],
      ["API Gateway for another API of the account", apiGateway({ "aws:SourceAccount": "111111111111", "aws:SourceArn": "arn:aws:execute-api:eu-west-1:111111111111:other/dev/POST/events" }), "ImplicitDeny"],
      ["another service", { principal: { Service: "lambda.amazonaws.com" }, action: "sts:AssumeRole" }, "ImplicitDeny"],
      ["a user of the account", { principal: { AWS: "arn:aws:iam::111111111111:user/ada" }, action: "sts:AssumeRole" }, "ImplicitDeny"],
    ])("%s", (_name, request, decision) => {
      expect(evaluate(trust, request)).toBe(decision);
    });
  });

  describe("permissions", () => {
    test.each<[string, Partial<IntegrationRoleProps>, IamRequest, string]>([
      ["the action on the resource", {}, { action: "kinesis:PutRecord", resource: STREAM }, "Allow"],
      ["another action on the resource", {}, { action: "kinesis:PutRecords", resource: STREAM }, "ImplicitDeny"],
      ["reading the resource", {}, { action: "kinesis:GetRecords", resource: STREAM }, "ImplicitDeny"],
      ["the action on another resource", {}, { action: "kinesis:PutRecord", resource: `${STREAM}-2` }, "ImplicitDeny"],
      ["no KMS without a customer key", {}, { action: "kms:GenerateDataKey", resource: KEY }, "ImplicitDeny"],
      ["the key's allowed use, through the service", { kms: { keyArn: KEY, actions: ["kms:GenerateDataKey"] } }, { action: "kms:GenerateDataKey", resource: KEY, context: { "kms:ViaService": "kinesis.eu-west-1.amazonaws.com" } }, "Allow"],
      ["the key's allowed use, directly", { kms: { keyArn: KEY, actions: ["kms:GenerateDataKey"] } }, { action: "kms:GenerateDataKey", resource: KEY }, "ImplicitDeny"],
      ["the key's allowed use, through another service", { kms: { keyArn: KEY, actions: ["kms:GenerateDataKey"] } }, { action: "kms:GenerateDataKey", resource: KEY, context: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } }, "ImplicitDeny"],
      ["another use of the key", { kms: { keyArn: KEY, actions: ["kms:GenerateDataKey"] } }, { action: "kms:Decrypt", resource: KEY, context: { "kms:ViaService": "kinesis.eu-west-1.amazonaws.com" } }, "ImplicitDeny"],
      ["another key", { kms: { keyArn: KEY, actions: ["kms:GenerateDataKey"] } }, { action: "kms:GenerateDataKey", resource: KEY.replace("0f1e", "aaaa"), context: { "kms:ViaService": "kinesis.eu-west-1.amazonaws.com" } }, "ImplicitDeny"],
    ])("%s", (_name, props, request, decision) => {
      expect(evaluate(policies(props).permissions, request)).toBe(decision);
    });
  });

  test("names the account of an API only known at apply through its execution ARN", () => {
    const synthesized = synthConstruct((scope) => {
      const api = new ApiGatewayRestApi(scope, "api", { name: "public" });
      new IntegrationRole(scope, "role", { ...PROPS, apiExecutionArn: api.executionArn });
    });
    const api = nameOf(synthesized, "aws_api_gateway_rest_api");
    const trust = JSON.parse(resourcesOf(synthesized, "aws_iam_role")[nameOf(synthesized, "aws_iam_role")].assume_role_policy);
    expect(Object.values(synthesized.data.aws_arn)).toMatchObject([{ arn: `\${aws_api_gateway_rest_api.${api}.execution_arn}` }]);
    expect(trust.Statement[0].Condition).toEqual({
      StringEqualsIfExists: { "aws:SourceAccount": `\${data.aws_arn.${Object.keys(synthesized.data.aws_arn)[0]}.account}` },
      ArnLikeIfExists: { "aws:SourceArn": `\${aws_api_gateway_rest_api.${api}.execution_arn}/*` },
    });
  });

  test.each([
    ["the action has a wildcard", { action: "kinesis:*" }, 'test/role: action is "kinesis:*"; expected one IAM action such as kinesis:PutRecord, without wildcards'],
    ["the resource has a wildcard", { resourceArn: "arn:aws:kinesis:eu-west-1:111111111111:stream/*" }, "test/role: resourceArn is \"arn:aws:kinesis:eu-west-1:111111111111:stream/*\"; expected one ARN, without wildcards"],
    ["the resource is *", { resourceArn: "*" }, 'test/role: resourceArn is "*"; expected one ARN, without wildcards'],
    ["the role name is too long", { roleName: "r".repeat(65) }, "test/role: roleName is"],
    ["a KMS key is given without its use", { kms: { keyArn: KEY, actions: [] } }, "test/role: kms.actions is empty"],
  ])("fails if %s", (_name, props, message) => {
    expect(() => new IntegrationRole(testStack(), "role", { ...PROPS, ...(props as Partial<IntegrationRoleProps>) })).toThrow(message);
  });
});
