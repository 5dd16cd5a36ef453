import { Testing } from "cdktf";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { environmentConfig, nameOf, resourcesOf } from "../fixtures/environment";

function synthEnvironment(overrides: Record<string, unknown> = {}): Record<string, any> {
  const stack = new EnvironmentStack(Testing.app(), "dev", { config: environmentConfig(overrides), backend: { kind: "local" } });
  return JSON.parse(Testing.synth(stack, true));
}

describe("EnvironmentStack", () => {
  test("default", () => {
    const synthesized = synthEnvironment();
    const endpoint = nameOf(synthesized, "aws_vpc_endpoint");
    expect(nameOf(synthesized, "aws_api_gateway_rest_api")).toBeDefined();
    expect(Object.values(resourcesOf(synthesized, "aws_api_gateway_resource")).map((r) => r.path_part).sort()).toEqual(["files", "{key}"]);
    expect(Object.values(synthesized.data.aws_iam_policy_document)[0]).toMatchObject({
      statement: [{ effect: "Allow" }, { effect: "Deny", condition: [{ variable: "aws:SourceVpce", values: [`\${aws_vpc_endpoint.${endpoint}.id}`] }] }],
    });
    expect(Object.keys(synthesized.output).sort()).toEqual([
      "object_reader_function_name",
      "private_api_endpoint_invoke_urls",
      "private_api_execution_arn",
      "private_api_id",
      "private_api_invoke_url",
      "vpc_endpoint_id",
    ]);
  });

  test("lets the object reader read only its bucket's objects and decrypt only through S3 with its key", () => {
    const synthesized = synthEnvironment();
    const access = Object.values(resourcesOf(synthesized, "aws_iam_role_policy")).find((p) => p.name === "access");
    expect(JSON.parse(access.policy).Statement).toEqual([
      { Sid: "ReadObjects", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::example-files/*" },
      {
        Sid: "DecryptObjectsThroughS3",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: "arn:aws:kms:eu-west-1:111111111111:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
        Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
      },
    ]);
    const fn = resourcesOf(synthesized, "aws_lambda_function")[nameOf(synthesized, "aws_lambda_function")];
    expect(fn).toMatchObject({ function_name: "apigw-dev-object-reader", environment: { variables: { BUCKET_NAME: "example-files" } } });
  });

  test("routes to an existing function and endpoint when the file names them", () => {
    const existing = "arn:aws:lambda:eu-west-1:111111111111:function:legacy-reader";
    const synthesized = synthEnvironment({
      network: { existingVpcEndpointId: "vpce-0123456789abcdef0" },
      privateApi: { objectReader: { existingFunctionArn: existing } },
    });
    expect(resourcesOf(synthesized, "aws_lambda_function")).toEqual({});
    expect(resourcesOf(synthesized, "aws_vpc_endpoint")).toEqual({});
    expect(Object.values(resourcesOf(synthesized, "aws_api_gateway_integration"))[0].uri).toBe(
      `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${existing}/invocations`,
    );
    expect(Object.values(resourcesOf(synthesized, "aws_lambda_permission"))[0].function_name).toBe("legacy-reader");
    expect(Object.values(resourcesOf(synthesized, "aws_api_gateway_rest_api"))[0].endpoint_configuration.vpc_endpoint_ids).toEqual(["vpce-0123456789abcdef0"]);
  });

  test("names the stage after the environment unless the file says otherwise", () => {
    const stageOf = (synthesized: Record<string, any>) => Object.values(resourcesOf(synthesized, "aws_api_gateway_stage"))[0].stage_name;
    expect(stageOf(synthEnvironment())).toBe("dev");
    expect(stageOf(synthEnvironment({ privateApi: { ...environmentConfig().privateApi, stageName: "v1" } }))).toBe("v1");
  });
});
