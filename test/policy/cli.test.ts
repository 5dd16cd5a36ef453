import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../policy/cli";
import { blockRegions } from "../../policy/stack";

/** A synth output directory holding the given stacks' JSON. */
function outdir(stacks: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-policy-"));
  for (const [name, json] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(dir, "stacks", name), { recursive: true });
    fs.writeFileSync(path.join(dir, "stacks", name, "cdk.tf.json"), typeof json === "string" ? json : JSON.stringify(json));
  }
  return dir;
}

/** Runs the CLI; without --suppressions, with an empty file instead of the project's own. */
function run(args: string[]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const withSuppressions = args.some((a) => a.startsWith("--suppressions")) ? args : [...args, "--suppressions", suppressions([])];
  const code = main(withSuppressions, (t) => (out += t), (t) => (err += t));
  return { code, out, err };
}

const CLEAN = { resource: { aws_cloudwatch_log_group: { logs: { retention_in_days: 30 } } } };
/** A private REST stage that is fine but for X-Ray, a warning. */
const WARNING = {
  resource: {
    aws_api_gateway_stage: { s: { rest_api_id: "a1b2c3", stage_name: "prod", xray_tracing_enabled: false, access_log_settings: { destination_arn: "arn:aws:logs:eu-west-1:111111111111:log-group:x" } } },
    aws_api_gateway_method_settings: {
      all: { rest_api_id: "a1b2c3", stage_name: "prod", method_path: "*/*", settings: { logging_level: "ERROR", metrics_enabled: true, throttling_rate_limit: 1, throttling_burst_limit: 1 } },
    },
  },
};
const ERROR = { resource: { aws_cloudwatch_log_group: { forever: {} } } };

function suppressions(entries: unknown[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "apigw-supp-")), "suppressions.yaml");
  fs.writeFileSync(file, JSON.stringify({ suppressions: entries }));
  return file;
}

describe("policy CLI", () => {
  test("default", () => {
    const result = run(["--dir", outdir({ dev: CLEAN })]);
    expect(result).toEqual({ code: 0, out: "1 stack, 1 resources: 0 errors, 0 warnings, 0 suppressed\n", err: "" });
  });

  test("exits 1 on an error finding and lists it in a table grouped by stack", () => {
    const result = run(["--dir", outdir({ dev: ERROR, prod: CLEAN })]);
    expect(result.code).toBe(1);
    expect(result.out.split("\n")).toEqual([
      "dev",
      "  error    APIGW-LOG-RETENTION  aws_cloudwatch_log_group.forever  A log group must set its retention",
      "",
      "2 stacks, 2 resources: 1 error, 0 warnings, 0 suppressed",
      "",
    ]);
  });

  test("exits 0 on warnings only", () => {
    const result = run(["--dir", outdir({ dev: WARNING }), "--format", "json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out).findings.map((f: { rule: string }) => f.rule)).toEqual(["APIGW-STAGE-XRAY"]);
  });

  test("writes the documented JSON shape", () => {
    const result = run(["--dir", outdir({ dev: ERROR }), "--format", "json"]);
    expect(JSON.parse(result.out)).toEqual({
      findings: [
        {
          rule: "APIGW-LOG-RETENTION",
          severity: "error",
          stack: "dev",
          address: "aws_cloudwatch_log_group.forever",
          message: "A log group must set its retention",
          references: ["checkov CKV_AWS_66", "Security Hub CloudWatch.16"],
        },
      ],
      summary: { stacks: 1, resources: 1, errors: 1, warnings: 0, suppressed: 0 },
    });
  });

  test("writes SARIF 2.1.0 with every rule and a located result per finding", () => {
    const dir = outdir({ dev: ERROR, prod: WARNING });
    const sarif = JSON.parse(run(["--dir", dir, "--format=sarif"]).out);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(sarif.runs).toHaveLength(1);
    const [runResult] = sarif.runs;
    const rules: { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[] = runResult.tool.driver.rules;
    expect(runResult.tool.driver.name).toBe("apigw-policy");
    for (const rule of rules) {
      expect(rule.shortDescription.text).toEqual(expect.any(String));
      expect(["error", "warning", "note"]).toContain(rule.defaultConfiguration.level);
    }
    expect(runResult.results.length).toBeGreaterThanOrEqual(2);
    for (const result of runResult.results) {
      expect(rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(["error", "warning"]).toContain(result.level);
      expect(result.message.text).toEqual(expect.any(String));
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(/\/stacks\/(dev|prod)\/cdk\.tf\.json$/);
      expect(result.locations[0].logicalLocations[0]).toEqual(expect.objectContaining({ kind: "resource", name: expect.any(String) }));
    }
  });

  test("checks one stack with --stack", () => {
    expect(run(["--dir", outdir({ dev: ERROR, prod: CLEAN }), "--stack", "prod"]).code).toBe(0);
  });

  test("counts suppressed findings and reports suppressions that match nothing", () => {
    const file = suppressions([
      { rule: "APIGW-LOG-RETENTION", stack: "dev", address: "aws_cloudwatch_log_group.forever", reason: "kept forever for the audit trail" },
      { rule: "APIGW-STAGE-XRAY", stack: "dev", address: "aws_api_gateway_stage.gone", reason: "stage removed last quarter" },
    ]);
    const result = run(["--dir", outdir({ dev: ERROR }), "--suppressions", file, "--format", "json"]);
    const report = JSON.parse(result.out);
    expect(result.code).toBe(0);
    expect(report.summary).toEqual({ stacks: 1, resources: 1, errors: 0, warnings: 1, suppressed: 1 });
    expect(report.findings).toEqual([expect.objectContaining({ rule: "APIGW-UNUSED-SUPPRESSION", severity: "warning", address: "aws_api_gateway_stage.gone" })]);
  });

  test.each<[string, () => string[], RegExp]>([
    ["the directory is missing", () => ["--dir", "/nonexistent/out"], /^policy: \/nonexistent\/out: no such directory/],
    ["there are no stacks", () => ["--dir", outdir({})], /no stacks/],
    ["a stack's JSON is malformed", () => ["--dir", outdir({ dev: "{ not json" })], /stacks\/dev\/cdk\.tf\.json: malformed JSON/],
    ["the stack does not exist", () => ["--dir", outdir({ dev: CLEAN }), "--stack", "qa"], /no stack "qa"; stacks: dev/],
    ["the format is unknown", () => ["--format", "xml"], /--format xml: expected one of table, json, sarif/],
    ["an option is unknown", () => ["--verbose", "yes"], /unknown option --verbose/],
    ["a suppression has no reason", () => ["--dir", outdir({ dev: CLEAN }), "--suppressions", suppressions([{ rule: "APIGW-LOG-RETENTION", stack: "dev", address: "x", reason: "because" }])], /reason must say why, in at least 10 characters/],
    ["a suppression names an unknown rule", () => ["--dir", outdir({ dev: CLEAN }), "--suppressions", suppressions([{ rule: "NOPE", stack: "dev", address: "x", reason: "a long enough reason" }])], /unknown rule "NOPE"/],
    ["the suppressions file is missing", () => ["--dir", outdir({ dev: CLEAN }), "--suppressions", "/nonexistent.yaml"], /no such suppressions file/],
  ])("exits 2 with one line when %s", (_name, args, message) => {
    const result = run(args());
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.trim().split("\n")).toHaveLength(1);
    expect(result.out).toBe("");
  });
});

describe("blockRegions", () => {
  test.each<[string, string, Record<string, unknown>]>([
    ["a pretty-printed file", JSON.stringify({ resource: { aws_x: { a: { n: 1 }, b: {} } } }, null, 2), { "aws_x.a": { startLine: 4, startColumn: 7, endLine: 6, endColumn: 8 }, "aws_x.b": { startLine: 7, startColumn: 7, endLine: 7, endColumn: 14 } }],
    ["a data source, with nested blocks and lists", '{"data": {\n "aws_y": {\n  "d": {"filter": [{"a": "}"}, {}]}}}}', { "data.aws_y.d": { startLine: 3, startColumn: 3, endLine: 3, endColumn: 36 } }],
    ["names and strings with escapes", '{"resource": {"aws_x": {"a\\"b": {"s": "\\\\"}}}}', { 'aws_x.a"b': { startLine: 1, startColumn: 25, endLine: 1, endColumn: 44 } }],
  ])("finds every block of %s", (_name, text, regions) => {
    expect(Object.fromEntries(blockRegions(text))).toEqual(regions);
  });
});
