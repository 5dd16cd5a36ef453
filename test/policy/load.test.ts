import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadStacks } from "../../policy/load";
import { noArbitraryCode } from "../../policy/rules/arbitrary-code";

/** An output directory with these stacks' texts, and a manifest listing `listed` (none: no manifest). */
function outdir(stacks: Record<string, string>, listed?: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-load-"));
  for (const [name, text] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(dir, "stacks", name), { recursive: true });
    fs.writeFileSync(path.join(dir, "stacks", name, "cdk.tf.json"), text);
  }
  if (listed) fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ stacks: Object.fromEntries(listed.map((n) => [n, { synthesizedStackPath: `stacks/${n}/cdk.tf.json` }])) }));
  return dir;
}
const EXTERNAL = { probe: { program: ["sh", "-c", "env"] } };

describe("loadStacks", () => {
  test.each<[string, unknown]>([
    ["the object form", { data: { external: EXTERNAL } }],
    ["an array of one body", { data: { external: { probe: [EXTERNAL.probe] } } }],
    ["an array at the type level", { data: { external: [EXTERNAL] } }],
    ["an array at the top level", { data: [{ external: EXTERNAL }] }],
  ])("reads blocks written in %s of Terraform's JSON syntax, so rules see them", (_, json) => {
    const [stack] = loadStacks(outdir({ dev: JSON.stringify(json) }));
    expect(noArbitraryCode.check(stack).map((v) => v.address)).toEqual(["data.external.probe"]);
  });

  test.each<[string, Record<string, string>, string[] | undefined, RegExp]>([
    ["a stack's JSON is an array", { dev: "[{}]" }, undefined, /stacks\/dev\/cdk\.tf\.json: expected a JSON object at the top, got an array/],
    ["a block body is a string", { dev: JSON.stringify({ resource: { aws_sqs_queue: { q: "queue" } } }) }, undefined, /resource\.aws_sqs_queue\.q: expected one block body/],
    ["the terraform block is an array of blocks", { dev: JSON.stringify({ terraform: [{ required_providers: {} }, { backend: { http: { address: "https://state.example.net" } } }] }) }, undefined, /stacks\/dev\/cdk\.tf\.json: terraform is an array of blocks; write it as one object/],
    ["the providers are an array of blocks", { dev: JSON.stringify({ provider: [{ aws: [{ region: "eu-west-1" }] }] }) }, undefined, /provider is an array of blocks/],
    ["a top-level key is repeated (JSON.parse keeps the last, Terraform reads both)", { dev: '{"data": {"external": {"x": {"program": ["sh"]}}}, "data": {"aws_region": {"r": {}}}}' }, undefined, /stacks\/dev\/cdk\.tf\.json: the key data appears twice in one object/],
    ["a key inside a block is repeated", { dev: '{"resource": {"aws_sqs_queue": {"q": {"name": "a", "name": "b"}}}}' }, undefined, /the key resource\.aws_sqs_queue\.q\.name appears twice/],
    ["a block is declared twice", { dev: JSON.stringify({ resource: [{ aws_sqs_queue: { q: {} } }, { aws_sqs_queue: { q: {} } }] }) }, undefined, /resource\.aws_sqs_queue\.q: declared twice/],
    ["the manifest lists a stack with no file", { dev: "{}" }, ["dev", "prod"], /manifest\.json lists prod, which has no stacks\/<name>\/cdk\.tf\.json/],
  ])("fails if %s", (_, stacks, listed, message) => {
    expect(() => loadStacks(outdir(stacks, listed))).toThrow(message);
  });

  test("reads the same key in different objects, and keys that are values elsewhere", () => {
    const text = '{"resource": {"aws_sqs_queue": {"a": {"name": "name", "tags": {"name": "x"}}, "b": {"name": "y"}}}, "output": {"name": {"value": ["name", {"name": 1}]}}}';
    expect(() => loadStacks(outdir({ dev: text }))).not.toThrow();
  });

  test("fails if the manifest has no stacks object", () => {
    const dir = outdir({ dev: "{}" });
    fs.writeFileSync(path.join(dir, "manifest.json"), "[]");
    expect(() => loadStacks(dir)).toThrow(/manifest\.json: no "stacks" object/);
  });
});
