import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { bundleFunction, FunctionBundle } from "../../functions/bundle";
import { LambdaFunction, LambdaFunctionProps } from "../../modules/lambda-function";
import { evaluate } from "../fixtures/iam-evaluate";
import { nameOf, resourcesOf, synthConstruct, testStack } from "../fixtures/environment";

function fixtureBundle(): FunctionBundle {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-fn-"));
  fs.mkdirSync(path.join(dir, "hello"));
  fs.writeFileSync(path.join(dir, "hello", "index.js"), "exports.handler = async () => ({ statusCode: 200 });\n");
  return bundleFunction("hello", dir);
}

const PROPS: LambdaFunctionProps = {
  functionName: "orders-reader",
  bundle: fixtureBundle(),
  logRetentionDays: 30,
  policyStatements: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::orders/*" }],
};

function synthFunction(props: Partial<LambdaFunctionProps> = {}): Record<string, any> {
  return synthConstruct((scope) => new LambdaFunction(scope, "fn", { ...PROPS, ...props }));
}

describe("LambdaFunction", () => {
  test("default", () => {
    const synthesized = synthFunction();
    const fn = resourcesOf(synthesized, "aws_lambda_function")[nameOf(synthesized, "aws_lambda_function")];
    const logGroup = nameOf(synthesized, "aws_cloudwatch_log_group");
    expect(fn).toMatchObject({
      function_name: "orders-reader",
      runtime: "nodejs22.x",
      handler: "index.handler",
      architectures: ["arm64"],
      memory_size: 256,
      timeout: 10,
      source_code_hash: PROPS.bundle.sourceCodeHash,
      role: `\${aws_iam_role.${nameOf(synthesized, "aws_iam_role")}.arn}`,
      logging_config: { log_format: "JSON", log_group: `\${aws_cloudwatch_log_group.${logGroup}.name}` },
    });
    expect(fn.filename).toMatch(new RegExp(`^assets/.+/${PROPS.bundle.sha256}/hello-[0-9a-f]{16}\\.zip$`));
    expect(resourcesOf(synthesized, "aws_cloudwatch_log_group")[logGroup]).toEqual(expect.objectContaining({ name: "/aws/lambda/orders-reader", retention_in_days: 30 }));
  });

  test("lets the function write only its own logs and do only what it is granted", () => {
    const synthesized = synthFunction();
    const logGroup = nameOf(synthesized, "aws_cloudwatch_log_group");
    const role = resourcesOf(synthesized, "aws_iam_role")[nameOf(synthesized, "aws_iam_role")];
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    const policies = Object.values(resourcesOf(synthesized, "aws_iam_role_policy")).map((p) => [p.name, JSON.parse(p.policy).Statement]);
    expect(policies).toEqual([
      ["access", PROPS.policyStatements],
      ["write-own-logs", [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `\${aws_cloudwatch_log_group.${logGroup}.arn}:*` }]],
      ["put-traces", [{ Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" }]],
    ]);
    expect(resourcesOf(synthesized, "aws_iam_role_policy_attachment")).toEqual({});
  });

  test("a new function is created before its access policy goes: every role policy is one of its dependencies", () => {
    // The function's create_before_destroy reaches what it depends on: when a rename replaces the role,
    // the real provider's plan replaced an access policy outside depends_on destroy-first (test:day2).
    const synthesized = synthFunction({ kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d", environment: { A: "b" } });
    const fn = resourcesOf(synthesized, "aws_lambda_function")[nameOf(synthesized, "aws_lambda_function")];
    const policies = Object.keys(resourcesOf(synthesized, "aws_iam_role_policy")).map((name) => `aws_iam_role_policy.${name}`);
    expect(policies).toHaveLength(4);
    expect(fn.depends_on).toEqual(expect.arrayContaining(policies));
    expect(fn.lifecycle).toEqual({ create_before_destroy: true });
  });

  test("reserves concurrency, traces, and encrypts its logs and environment with the given key", () => {
    const key = "arn:aws:kms:eu-west-1:111111111111:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
    const synthesized = synthFunction({ reservedConcurrency: 20, kmsKeyArn: key, environment: { TABLE: "orders" } });
    const fn = resourcesOf(synthesized, "aws_lambda_function")[nameOf(synthesized, "aws_lambda_function")];
    expect(fn).toEqual(expect.objectContaining({ reserved_concurrent_executions: 20, kms_key_arn: key, tracing_config: { mode: "Active" } }));
    expect(resourcesOf(synthesized, "aws_cloudwatch_log_group")[nameOf(synthesized, "aws_cloudwatch_log_group")].kms_key_id).toBe(key);
    const decrypt = Object.values(resourcesOf(synthesized, "aws_iam_role_policy")).find((p) => p.name === "decrypt-environment");
    expect(JSON.parse(decrypt.policy).Statement).toEqual([{ Effect: "Allow", Action: "kms:Decrypt", Resource: key, Condition: { StringEquals: { "kms:ViaService": "lambda.eu-west-1.amazonaws.com" } } }]);
    // Through Lambda only: the function's code, holding the role's credentials, cannot call KMS with the key itself.
    expect(evaluate(decrypt.policy, { action: "kms:Decrypt", resource: key, context: { "kms:ViaService": "lambda.eu-west-1.amazonaws.com" } })).toBe("Allow");
    expect(evaluate(decrypt.policy, { action: "kms:Decrypt", resource: key })).toBe("ImplicitDeny");
    expect(fn.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_iam_role_policy\.fn_environment-key-policy_/)]));
  });

  test("leaves tracing off and reserves nothing when asked", () => {
    const synthesized = synthFunction({ tracing: false });
    const fn = resourcesOf(synthesized, "aws_lambda_function")[nameOf(synthesized, "aws_lambda_function")];
    expect(fn).not.toHaveProperty("tracing_config");
    expect(fn).not.toHaveProperty("reserved_concurrent_executions");
    expect(Object.values(resourcesOf(synthesized, "aws_iam_role_policy")).map((p) => p.name)).toEqual(["access", "write-own-logs"]);
  });

  test("packages the same sources into the same bytes", () => {
    expect(fixtureBundle()).toEqual(expect.objectContaining({ sha256: PROPS.bundle.sha256, sourceCodeHash: PROPS.bundle.sourceCodeHash }));
  });

  test.each<[string, Partial<LambdaFunctionProps>, string]>([
    ["the runtime is deprecated", { runtime: "nodejs20.x" as never }, 'test/fn: runtime is "nodejs20.x"; expected a runtime AWS still supports: nodejs22.x, nodejs24.x'],
    ["the name is too long", { functionName: "x".repeat(60) }, "test/fn: functionName is"],
    ["the name has a space", { functionName: "orders reader" }, 'test/fn: functionName is "orders reader"; expected 1-59 letters, digits, hyphens or underscores'],
    ["the timeout exceeds Lambda's", { timeout: 901 }, "test/fn: timeout is 901; expected whole seconds from 1 to 900"],
    ["the memory is too small", { memorySize: 64 }, "test/fn: memorySize is 64; expected whole MB from 128 to 10240"],
    ["a statement grants every action", { policyStatements: [{ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::orders/*" }] }, "test/fn: policyStatements[0] grants more than it names (action *); name the actions and ARNs the function needs"],
    ["a statement grants every action of a service", { policyStatements: [{ Effect: "Allow", Action: ["s3:*"], Resource: "arn:aws:s3:::orders/*" }] }, "test/fn: policyStatements[0] grants more than it names (action s3:*)"],
    ["a statement grants actions by a partial wildcard", { policyStatements: [{ Effect: "Allow", Action: ["s3:Get*"], Resource: "arn:aws:s3:::orders/*" }] }, "test/fn: policyStatements[0] grants more than it names (action s3:Get*)"],
    ["a statement grants every resource", { policyStatements: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }, "test/fn: policyStatements[0] grants more than it names (resource * for s3:GetObject"],
    ["a statement names no resource", { policyStatements: [{ Effect: "Allow", Action: "s3:GetObject" }] }, "test/fn: policyStatements[0] grants more than it names"],
    ["the reserved concurrency is 0", { reservedConcurrency: 0 }, "test/fn: reservedConcurrency is 0; expected a whole number of executions, at least 1"],
    ["the KMS key is an alias", { kmsKeyArn: "alias/logs" }, 'test/fn: kmsKeyArn is "alias/logs"; expected a KMS key ARN'],
  ])("fails if %s", (_name, props, message) => {
    expect(() => new LambdaFunction(testStack(), "fn", { ...PROPS, ...props })).toThrow(message);
  });
});

describe("LambdaFunction.fromFunctionArn", () => {
  test("default", () => {
    expect(LambdaFunction.fromFunctionArn(testStack(), "arn:aws:lambda:eu-central-1:111111111111:function:legacy-reader")).toEqual({
      functionName: "legacy-reader",
      functionArn: "arn:aws:lambda:eu-central-1:111111111111:function:legacy-reader",
      invokeArn: "arn:aws:apigateway:eu-central-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-central-1:111111111111:function:legacy-reader/invocations",
      key: "legacy-reader",
    });
  });

  test("fails if the ARN is not a function's", () => {
    expect(() => LambdaFunction.fromFunctionArn(testStack(), "arn:aws:s3:::bucket")).toThrow(
      'test: existing function ARN is "arn:aws:s3:::bucket"; expected a Lambda function ARN',
    );
  });
});
