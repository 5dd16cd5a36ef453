import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { applyPolicy, PolicyAspectOptions } from "../../policy/aspect";
import { ALL_RULES } from "../../policy/rules";

function appWithLogGroup(retentionInDays?: number) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "dev");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  // With a customer managed key, so that retention is the only thing a finding can be about.
  new CloudwatchLogGroup(stack, "logs", { name: "/x", kmsKeyId: "arn:aws:kms:eu-west-1:111111111111:key/5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d", ...(retentionInDays ? { retentionInDays } : {}) });
  return { app, stack };
}

function options(overrides: Partial<PolicyAspectOptions>): PolicyAspectOptions {
  return { rules: ALL_RULES, suppressions: [], mode: "error", warn: () => undefined, ...overrides };
}

describe("PolicyAspect", () => {
  test("default", () => {
    const { app, stack } = appWithLogGroup(30);
    applyPolicy(app, options({}));
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  test("fails the synth on an error finding", () => {
    const { app, stack } = appWithLogGroup();
    applyPolicy(app, options({}));
    expect(() => Testing.synth(stack, true)).toThrow("[APIGW-LOG-RETENTION] dev aws_cloudwatch_log_group.logs: A log group must set its retention");
  });

  test("only warns when told to", () => {
    const warnings: string[] = [];
    const { app, stack } = appWithLogGroup();
    applyPolicy(app, options({ mode: "warn", warn: (m) => warnings.push(m) }));
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(warnings).toEqual(["policy warning [APIGW-LOG-RETENTION] dev aws_cloudwatch_log_group.logs: A log group must set its retention"]);
  });

  test("honours suppressions", () => {
    const { app, stack } = appWithLogGroup();
    applyPolicy(app, options({ suppressions: [{ rule: "APIGW-LOG-RETENTION", stack: "dev", address: "aws_cloudwatch_log_group.logs", reason: "a test of suppressions" }] }));
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });
});
