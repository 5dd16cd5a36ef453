import { spawnSync } from "child_process";
import { buildSync } from "esbuild";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../diagram/cli";
import { ref } from "../policy/fixtures";

// The CLI as users run it: bundled, in a child process (the renderer is an ES module loaded with import()).
const ROOT = path.resolve(__dirname, "..", "..");
const BUNDLE = path.join(ROOT, "dist", "diagram-test.js");

beforeAll(() => {
  buildSync({ entryPoints: [path.join(ROOT, "diagram", "cli.ts")], bundle: true, platform: "node", target: "node20", packages: "external", outfile: BUNDLE, logLevel: "warning" });
});

function run(args: string[]) {
  return spawnSync(process.execPath, [BUNDLE, ...args], { cwd: ROOT, encoding: "utf8" });
}

/** A synth output with one stack: an HTTP API with one route on a function. */
function synthOutput(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-diagram-"));
  const api = "aws_apigatewayv2_api.api";
  const json = {
    resource: {
      aws_apigatewayv2_api: { api: { name: "orders", protocol_type: "HTTP" } },
      aws_lambda_function: { f: { function_name: "orders", runtime: "nodejs22.x" } },
      aws_apigatewayv2_integration: { i: { api_id: ref(api, "id"), integration_type: "AWS_PROXY", integration_uri: ref("aws_lambda_function.f", "invoke_arn") } },
      aws_apigatewayv2_route: { r: { api_id: ref(api, "id"), route_key: "GET /orders", target: `integrations/${ref("aws_apigatewayv2_integration.i", "id")}` } },
    },
  };
  fs.mkdirSync(path.join(dir, "stacks", "qa"), { recursive: true });
  fs.writeFileSync(path.join(dir, "stacks", "qa", "cdk.tf.json"), JSON.stringify(json));
  return dir;
}

describe("npm run diagram", () => {
  test("default: an SVG per stack in <dir>/diagrams, naming its DOT source", () => {
    const dir = synthOutput();
    const result = run(["--dir", dir]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${path.join(dir, "diagrams", "qa.svg")}\n`);
    const svg = fs.readFileSync(path.join(dir, "diagrams", "qa.svg"), "utf8");
    expect(svg).toMatch(/<!-- apigw-diagram-source [0-9a-f]{16} -->\n<svg /);
    expect(svg).toContain(">Lambda orders</text>");
  });

  test("--format mermaid with --findings marks the resource's node", () => {
    const dir = synthOutput();
    const report = path.join(dir, "report.json");
    fs.writeFileSync(report, JSON.stringify({ findings: [{ rule: "APIGW-HTTP-ROUTE-AUTH", severity: "error", stack: "qa", address: "aws_apigatewayv2_route.r", message: "m", references: [] }] }));
    const result = run(["--dir", dir, "--stack", "qa", "--format=mermaid", "--findings", report]);
    expect(result.status).toBe(0);
    const mermaid = fs.readFileSync(path.join(dir, "diagrams", "qa.mmd"), "utf8");
    expect(mermaid).toContain('n2["<b>/orders</b><br/>GET /orders<br/>error: APIGW-HTTP-ROUTE-AUTH"]');
    expect(mermaid).toContain("class n2 error");
  });

  test.each([
    [["--format", "png"], "diagram: --format png: expected one of svg, dot, mermaid\n"],
    [["--colour", "red"], "diagram: unknown option --colour; options: --dir, --stack, --format, --findings, --policy\n"],
    [["--stack", "nope"], /^diagram: .*stacks: no stack "nope"; stacks: qa\n$/],
    [["--findings", "missing.json"], /^diagram: missing\.json: cannot read a policy JSON report: ENOENT/],
    [["--findings", "package.json"], /^diagram: package\.json: not a policy JSON report \(npm run policy -- --format json\)/],
  ])("fails with exit 2 on %j", async (args, message) => {
    let stderr = "";
    expect(await main(["--dir", synthOutput(), ...args], () => undefined, (text) => (stderr += text))).toBe(2);
    expect(stderr).toMatch(message);
  });
});
