import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../policy/cli";

/** dev's public REST stage at the address policy/suppressions.yaml exempts from APIGW-STAGE-WAF. */
const DEV = {
  resource: {
    aws_api_gateway_rest_api: { "public-api_C4FBBFD0": { name: "public", endpoint_configuration: { types: ["REGIONAL"] } } },
    aws_api_gateway_stage: { "public-api_stage_585AE32E": { rest_api_id: "${aws_api_gateway_rest_api.public-api_C4FBBFD0.id}", stage_name: "dev" } },
  },
};

const roots: string[] = [];
afterAll(() => roots.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function outdirUnder(parent: string): string {
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, "apigw-supp-scope-"));
  roots.push(dir);
  fs.mkdirSync(path.join(dir, "stacks", "dev"), { recursive: true });
  fs.writeFileSync(path.join(dir, "stacks", "dev", "cdk.tf.json"), JSON.stringify(DEV));
  return dir;
}

function suppressed(dir: string): number {
  let out = "";
  main(["--dir", dir, "--format", "json"], (t) => (out += t), () => undefined);
  return JSON.parse(out).summary.suppressed;
}

describe("policy CLI default suppressions", () => {
  test("apply to a synth output inside the project", () => {
    expect(suppressed(outdirUnder("dist"))).toBeGreaterThan(0);
  });

  test("do not apply to an output outside the project, whose stacks and addresses may be another project's", () => {
    expect(suppressed(outdirUnder(os.tmpdir()))).toBe(0);
  });
});
