import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../policy/cli";
import { blockRegions } from "../../policy/stack";

/** A synth output directory holding the given stacks' JSON, pretty-printed as cdktf writes it. */
function outdir(stacks: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-policy-"));
  for (const [name, json] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(dir, "stacks", name), { recursive: true });
    fs.writeFileSync(path.join(dir, "stacks", name, "cdk.tf.json"), typeof json === "string" ? json : JSON.stringify(json, null, 2));
  }
  return dir;
}

/** Like outdir, under dist/ (ignored by git), as a path relative to the working directory. */
function belowCwd(stacks: Record<string, unknown>): string {
  fs.mkdirSync("dist", { recursive: true });
  const dir = fs.mkdtempSync(path.join("dist", "policy-test-"));
  fs.cpSync(outdir(stacks), dir, { recursive: true });
  return dir;
}

interface SarifResult {
  ruleId: string;
  level?: string;
  message: { text?: string; id?: string; arguments?: string[] };
}

/**
 * Runs Microsoft's SARIF validator with its SARIF and GitHub rules over report files and returns
 * its findings as `<level> <rule>: <message id> <arguments>`. The validator is a .NET program;
 * invariant globalization lets it run without libicu.
 */
function validateSarif(files: string[]): string[] {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sarif-")), "validation.sarif");
  const validator: string = require("@microsoft/sarif-multitool");
  const result = spawnSync(validator, ["validate", ...files, "--rule-kind", "Sarif;Gh", "--output", log], {
    encoding: "utf8",
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1", DOTNET_CLI_TELEMETRY_OPTOUT: "1" },
  });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
  const [run] = JSON.parse(fs.readFileSync(log, "utf8")).runs;
  const rules: { id: string; defaultConfiguration?: { level?: string } }[] = run.tool.driver.rules ?? [];
  return (run.results as SarifResult[]).map((r) => {
    const level = r.level ?? rules.find((rule) => rule.id === r.ruleId)?.defaultConfiguration?.level ?? "warning";
    return `${level} ${r.ruleId}: ${r.message.text ?? `${r.message.id} ${(r.message.arguments ?? []).join(", ")}`}`;
  });
}

/** Every string in a JSON value, keys included. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

/** Runs the CLI; without --suppressions, with an empty file instead of the project's own. */
function run(args: string[]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const withSuppressions = args.some((a) => a.startsWith("--suppressions")) ? args : [...args, "--suppressions", suppressions([])];
  const code = main(withSuppressions, (t) => (out += t), (t) => (err += t));
  return { code, out, err };
}

/** A customer managed key: log groups without one raise APIGW-LOG-GROUP-CMK, a warning. */
const KMS_KEY = "arn:aws:kms:eu-west-1:111111111111:key/5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d";
const CLEAN = { resource: { aws_cloudwatch_log_group: { logs: { retention_in_days: 30, kms_key_id: KMS_KEY } } } };
/** A private REST stage that is fine but for X-Ray, a warning. */
const WARNING = {
  resource: {
    aws_api_gateway_stage: { s: { rest_api_id: "a1b2c3", stage_name: "prod", xray_tracing_enabled: false, access_log_settings: { destination_arn: "arn:aws:logs:eu-west-1:111111111111:log-group:x" } } },
    aws_api_gateway_method_settings: {
      all: { rest_api_id: "a1b2c3", stage_name: "prod", method_path: "*/*", settings: { logging_level: "ERROR", metrics_enabled: true, throttling_rate_limit: 1, throttling_burst_limit: 1 } },
    },
    aws_cloudwatch_metric_alarm: Object.fromEntries(
      ["5XXError", "Latency"].map((metric) => [metric, { alarm_name: metric, namespace: "AWS/ApiGateway", metric_name: metric, dimensions: { ApiName: "api", Stage: "prod" }, alarm_actions: ["arn:aws:sns:eu-west-1:111111111111:alarms"] }]),
    ),
  },
};
const ERROR = { resource: { aws_cloudwatch_log_group: { forever: { kms_key_id: KMS_KEY } } } };

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
    const rules: { id: string; shortDescription: { text: string }; help: { text: string; markdown: string }; defaultConfiguration: { level: string } }[] = runResult.tool.driver.rules;
    expect(runResult.tool.driver).toEqual(expect.objectContaining({ name: "apigw-policy", version: require("../../package.json").version }));
    for (const rule of rules) {
      expect(rule.shortDescription.text).toEqual(expect.any(String));
      expect(rule.help).toEqual({ text: expect.any(String), markdown: expect.any(String) });
      expect(["error", "warning", "note"]).toContain(rule.defaultConfiguration.level);
    }
    expect(rules.find((r) => r.id === "APIGW-LOG-RETENTION")?.help.markdown).toMatch(/\n\nReferences:\n\n- checkov CKV_AWS_66\n- Security Hub CloudWatch\.16$/);
    expect(runResult.results.length).toBeGreaterThanOrEqual(2);
    for (const result of runResult.results) {
      expect(rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(["error", "warning"]).toContain(result.level);
      expect(result.message.text).toEqual(expect.any(String));
      expect(result.locations[0].physicalLocation.artifactLocation).toEqual({ uri: expect.stringMatching(/^stacks\/(dev|prod)\/cdk\.tf\.json$/), uriBaseId: "SYNTH_OUT" });
      expect(result.locations[0].logicalLocations[0]).toEqual(expect.objectContaining({ kind: "resource", name: expect.any(String) }));
    }
  });

  test("locates each result at its block in the stack's file, relative to the synth output", () => {
    const dir = outdir({ dev: { terraform: { required_providers: { aws: { source: "aws" } } }, resource: { aws_s3_bucket: { b: {} }, ...ERROR.resource } } });
    const [result] = JSON.parse(run(["--dir", dir, "--format", "sarif"]).out).runs[0].results;
    const lines = fs.readFileSync(path.join(dir, "stacks", "dev", "cdk.tf.json"), "utf8").split("\n");
    const line = lines.findIndex((l) => l.includes('"forever": {')) + 1;
    // The block ends at the brace indented as its name.
    const indent = lines[line - 1].indexOf('"forever"');
    const end = lines.findIndex((l, i) => i >= line && l.startsWith(`${" ".repeat(indent)}}`)) + 1;
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "stacks/dev/cdk.tf.json", uriBaseId: "SYNTH_OUT" },
      region: { startLine: line, startColumn: indent + 1, endLine: end, endColumn: lines[end - 1].length + 1 },
    });
  });

  test.each<[string, (absolute: string, below: string) => string, Record<string, unknown>]>([
    ["absolute", (absolute) => absolute, {}],
    ["relative, outside the working directory", (absolute) => path.relative(process.cwd(), absolute), {}],
    ["relative, below the working directory", (_absolute, below) => below, { uriBaseId: "%SRCROOT%" }],
  ])("writes no absolute path of the machine into SARIF when --dir is %s", (_name, given, base) => {
    const absolute = outdir({ dev: ERROR });
    const below = belowCwd({ dev: ERROR });
    try {
      const sarif = JSON.parse(run(["--dir", given(absolute, below), "--format", "sarif"]).out);
      const uri = base.uriBaseId ? { uri: `${below}/` } : {};
      expect(sarif.runs[0].originalUriBaseIds.SYNTH_OUT).toEqual({ ...uri, ...base, description: { text: expect.any(String) } });
      expect(strings(sarif).filter((s) => /^(\/|file:|[A-Za-z]:[\\/])/.test(s) || s.includes(os.tmpdir()) || s.includes(process.cwd()))).toEqual([]);
    } finally {
      fs.rmSync(below, { recursive: true });
    }
  });

  test("writes SARIF that Microsoft's validator accepts with its GitHub code scanning rules", () => {
    const absolute = outdir({ dev: ERROR, prod: WARNING });
    const below = belowCwd({ dev: ERROR, prod: WARNING });
    try {
      const files = [absolute, below].map((given, i) => {
        const file = path.join(absolute, `report-${i}.sarif`);
        fs.writeFileSync(file, run(["--dir", given, "--format", "sarif"]).out);
        return file;
      });
      const problems = validateSarif(files);
      expect(problems.filter((p) => p.startsWith("error "))).toEqual([]);
      // The project has no published home page to name as the tool's informationUri.
      expect(problems).toEqual(files.map(() => "warning SARIF2005: Warning_ProvideToolnformationUri runs[0].tool.driver, apigw-policy"));
    } finally {
      fs.rmSync(below, { recursive: true });
    }
  
    // The validator is a .NET program: about 4 s on 2 cores, more when tests run beside it.
  }, 60_000);

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
    [
      "a stack directory holds another Terraform file, which no rule would read",
      () => {
        const dir = outdir({ dev: CLEAN });
        fs.writeFileSync(path.join(dir, "stacks", "dev", "zz_override.tf.json"), "{}");
        return ["--dir", dir];
      },
      /stacks\/dev: holds zz_override\.tf\.json besides cdk\.tf\.json; Terraform would plan and apply them too, unchecked: remove them/,
    ],
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
