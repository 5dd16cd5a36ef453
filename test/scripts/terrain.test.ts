import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compareOutputs, describeDifferences, jsonDifferences, rewriteImports, terrainPackageJson } from "../../scripts/terrain";

describe("rewriteImports", () => {
  test.each([
    ['import { App } from "cdktf";', 'import { App } from "cdktn";'],
    ["import type { App } from 'cdktf';", "import type { App } from 'cdktn';"],
    ['import "cdktf/lib/testing/adapters/jest";', 'import "cdktn/lib/testing/adapters/jest";'],
    ['import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";', 'import { Apigatewayv2Api } from "@cdktn/provider-aws/lib/apigatewayv2-api";'],
    ['const { Testing } = require("cdktf");', 'const { Testing } = require("cdktn");'],
    ['const m = await import("cdktf");', 'const m = await import("cdktn");'],
  ])("%s", (source, expected) => {
    expect(rewriteImports(source)).toBe(expected);
  });

  test("leaves the project's own strings alone", () => {
    const source = 'const tags = { "managed-by": "cdktf" };\nconst other = require("cdktf-extra");\nimport x from "@cdktf/provider-google";';
    expect(rewriteImports(source)).toBe(source);
  });
});

describe("terrainPackageJson", () => {
  test("swaps the cdktf packages for pinned cdktn ones and keeps the rest", () => {
    const pkg = {
      name: "p",
      dependencies: { "@cdktf/provider-aws": "21.22.1", cdktf: "0.21.0", constructs: "10.4.3", yaml: "2.9.1" },
      devDependencies: { "cdktf-cli": "0.21.0", jest: "29.7.0" },
      scripts: { cdktf: "CHECKPOINT_DISABLE=1 cdktf", app: "node dist/main.js", synth: "npm run app && cdktf synth" },
    };
    expect(terrainPackageJson(pkg)).toEqual({
      name: "p",
      dependencies: { "@cdktn/provider-aws": "25.7.0", cdktn: "0.24.0", constructs: "10.6.0", yaml: "2.9.1" },
      devDependencies: { "cdktn-cli": "0.24.0", jest: "29.7.0" },
      scripts: { cdktf: "CHECKPOINT_DISABLE=1 cdktn", app: "node dist/main.js", synth: "npm run app && cdktn synth" },
    });
  });
});

describe("jsonDifferences", () => {
  const stack = (version: string, extra: Record<string, unknown> = {}) => ({
    "//": { metadata: { version, stackName: "dev" } },
    terraform: { required_providers: { aws: { source: version === "0.21.0" ? "aws" : "hashicorp/aws", version: version === "0.21.0" ? "6.25.0" : "6.66.0" } } },
    resource: { aws_x: { a: { name: "a", ...extra } } },
  });

  test("allows the library version, the provider version and the provider's source form", () => {
    const differences = jsonDifferences("stacks/dev/cdk.tf.json", stack("0.21.0"), stack("0.24.0"));
    expect(differences.map((d) => [d.path, d.allowed !== undefined])).toEqual([
      ['["//"].metadata.version', true],
      ["terraform.required_providers.aws.source", true],
      ["terraform.required_providers.aws.version", true],
    ]);
  });

  test("fails if anything else differs, with both values", () => {
    const differences = jsonDifferences("stacks/dev/cdk.tf.json", stack("0.21.0"), stack("0.24.0", { tags: { a: "b" } }));
    const unexpected = differences.filter((d) => !d.allowed);
    expect(unexpected).toEqual([{ file: "stacks/dev/cdk.tf.json", path: "resource.aws_x.a.tags", cdktf: undefined, cdktn: { a: "b" } }]);
    expect(describeDifferences(unexpected)).toEqual(['DIFFERENT stacks/dev/cdk.tf.json resource.aws_x.a.tags: cdktf (absent), cdktn {"a":"b"}']);
  });

  test("fails if an allowed path differs in another file", () => {
    expect(jsonDifferences("openapi/dev/api.json", { version: "1" }, { version: "2" })[0].allowed).toBeUndefined();
  });
});

describe("compareOutputs", () => {
  function output(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-terrain-test-"));
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
  }

  test("reports files on one side only and other files whose bytes differ", () => {
    const cdktf = output({ "manifest.json": '{"version":"0.21.0"}', "stacks/dev/assets/a.zip": "AAA", "stacks/dev/only-cdktf.txt": "x" });
    const cdktn = output({ "manifest.json": '{"version":"0.24.0"}', "stacks/dev/assets/a.zip": "AAB", "stacks/dev/only-cdktn.txt": "x" });
    expect(compareOutputs(cdktf, cdktn).map((d) => [d.file, d.cdktf, d.cdktn, d.allowed !== undefined])).toEqual([
      ["manifest.json", "0.21.0", "0.24.0", true],
      ["stacks/dev/assets/a.zip", "3 bytes", "3 bytes, different content", false],
      ["stacks/dev/only-cdktf.txt", "present", "missing", false],
      ["stacks/dev/only-cdktn.txt", "missing", "present", false],
    ]);
  });
});
