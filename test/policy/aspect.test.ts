import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack, Testing } from "cdktf";
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

describe("applyPolicy", () => {
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

  test("judges the JSON the synth writes: each stack is resolved once", () => {
    const { app } = appWithLogGroup(30);
    const resolve = jest.spyOn(TerraformStack.prototype, "toTerraform");
    applyPolicy(app, options({}));
    app.synth();
    expect(resolve).toHaveBeenCalledTimes(1);
    resolve.mockRestore();
  });

  test("judges the stacks together once all are resolved, and fails the synth with every stack's errors", () => {
    const app = Testing.app();
    for (const name of ["dev", "prod"]) {
      const stack = new TerraformStack(app, name);
      new AwsProvider(stack, "aws", { region: "eu-west-1" });
      new CloudwatchLogGroup(stack, "logs", { name: "/x" });
    }
    applyPolicy(app, options({}));
    expect(() => app.synth()).toThrow(
      "the policy check found errors:\n  [APIGW-LOG-RETENTION] dev aws_cloudwatch_log_group.logs: A log group must set its retention\n  [APIGW-LOG-RETENTION] prod aws_cloudwatch_log_group.logs: A log group must set its retention",
    );
  });

  test("fails if the output is HCL, which it cannot read", () => {
    const app = new App({ hclOutput: true, outdir: fs.mkdtempSync(path.join(os.tmpdir(), "apigw-hcl-")) });
    expect(() => applyPolicy(app, options({}))).toThrow("the policy check reads the stacks' JSON: unset SYNTH_HCL_OUTPUT, or set APIGW_POLICY=off");
  });

  test("honours suppressions", () => {
    const { app, stack } = appWithLogGroup();
    applyPolicy(app, options({ suppressions: [{ rule: "APIGW-LOG-RETENTION", stack: "dev", address: "aws_cloudwatch_log_group.logs", reason: "a test of suppressions" }] }));
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });
});
