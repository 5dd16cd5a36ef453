import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import type { Environment } from "../../config/loader";
import { checkSynthesizedOnly, ciStacks, githubOutputs } from "../../scripts/ci-stacks";
import { buildPlatform } from "../../stacks/platform";
import { environmentConfig } from "../fixtures/environment";

function env(name: string, overrides: Record<string, unknown> = {}): Environment {
  return { name, file: `${name}.yaml`, config: environmentConfig(overrides) };
}

/** prod: its own account and VPC, as in the shipped files. */
const PROD = { accountId: "222222222222", network: { vpcId: "vpc-0c1d2e3f4a5b60718", subnetIds: ["subnet-0c1d2e3f4a5b60711"], allowedCidrs: ["10.30.0.0/16"] } };

const SHIPPED_LIKE = [env("dev"), env("prod", PROD), env("staging")];

/** Synthesizes the platform into a fresh output directory inside a fresh project directory, as `npm run synth` would. */
function synth(environments: Environment[], processEnv: Record<string, string> = { TFC_ORGANIZATION: "acme-platform" }): string {
  const projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-ci-"));
  const outdir = path.join(projectDir, "cdktf.out");
  const app = new App({ outdir });
  buildPlatform(app, environments, processEnv, { outdir, projectDir });
  app.synth();
  return outdir;
}

let shipped: string | undefined;
/** One synthesized output of SHIPPED_LIKE for the tests that only read it. */
const shippedOutput = () => (shipped ??= synth(SHIPPED_LIKE));

const stack = (name: string, account: string) => ({ stack: name, account, region: "eu-west-1" });

describe("ciStacks", () => {
  test("default", () => {
    const stacks = ciStacks(shippedOutput());
    expect(stacks).toEqual({
      first: [
        stack("account-111111111111-eu-west-1", "111111111111"),
        stack("account-222222222222-eu-west-1", "222222222222"),
        stack("endpoint-vpc-0123456789abcdef0", "111111111111"),
        stack("endpoint-vpc-0c1d2e3f4a5b60718", "222222222222"),
      ],
      then: [stack("dev", "111111111111"), stack("prod", "222222222222"), stack("staging", "111111111111")],
      changed: [...stacks.first, ...stacks.then].sort((a, b) => a.stack.localeCompare(b.stack)),
      removed: [],
      localState: [],
      tfcChanged: true,
      notSpeculative: [],
      reconfigured: [],
    });
  });

  test("lists only the stacks whose Terraform JSON differs from the base output, and the removed ones", () => {
    const base = synth([...SHIPPED_LIKE, env("qa")]);
    const head = synth([env("dev"), env("prod", { ...PROD, throttling: { rateLimit: 500, burstLimit: 1000 } }), env("staging")]);
    expect(ciStacks(head, base)).toEqual(// qa shared dev's VPC: its endpoint stack changes too (qa's ranges and tag go).
      expect.objectContaining({ changed: [stack("endpoint-vpc-0123456789abcdef0", "111111111111"), stack("prod", "222222222222")], removed: ["qa"], tfcChanged: true }));
    expect(ciStacks(head, synth([env("dev"), env("prod", { ...PROD, throttling: { rateLimit: 500, burstLimit: 1000 } }), env("staging")]))).toEqual(
      expect.objectContaining({ changed: [], removed: [], tfcChanged: false }),
    );
  });

  test("names the stacks with local state, which a pipeline cannot plan or apply", () => {
    expect(ciStacks(synth(SHIPPED_LIKE, {})).localState).toEqual([
      "account-111111111111-eu-west-1",
      "account-222222222222-eu-west-1",
      "dev",
      "endpoint-vpc-0123456789abcdef0",
      "endpoint-vpc-0c1d2e3f4a5b60718",
      "prod",
      "staging",
    ]);
  });

  test("counts a stack with no backend as keeping local state (Terraform's default)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-ci-nobackend-"));
    fs.cpSync(shippedOutput(), dir, { recursive: true });
    const file = path.join(dir, "stacks", "staging", "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    delete json.terraform.cloud;
    delete json.terraform.backend;
    fs.writeFileSync(file, JSON.stringify(json));
    expect(ciStacks(dir).localState).toEqual(["staging"]);
  });

  test("puts an environment that manages no account setting right after its VPC's endpoint stack", () => {
    const stacks = ciStacks(synth([env("dev", { manageApiGatewayAccount: false, apiGatewayCloudWatchRoleName: "shared-apigw-logs" })]));
    expect([stacks.first, stacks.then]).toEqual([[stack("endpoint-vpc-0123456789abcdef0", "111111111111")], [stack("dev", "111111111111")]]);
  });

  test("leaves out of the plans the changed stacks whose workspace runs no speculative plans, and names them", () => {
    const stacks = ciStacks(synth([env("dev"), env("prod", { ...PROD, terraformCloud: { speculativePlans: false } }), env("staging")]));
    // prod's account and endpoint stacks serve prod only: their workspaces follow it.
    expect(stacks.notSpeculative).toEqual(["account-222222222222-eu-west-1", "endpoint-vpc-0c1d2e3f4a5b60718", "prod"]);
    expect(stacks.changed.map((s) => s.stack)).toEqual(["account-111111111111-eu-west-1", "dev", "endpoint-vpc-0123456789abcdef0", "staging"]);
    expect(stacks.then.map((s) => s.stack)).toContain("prod");
  });

  test("plans no stack whose state or credentials the change chooses: a new backend or cloud block, other accounts, a new stack", () => {
    const head = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-ci-reconfigured-"));
    fs.cpSync(shippedOutput(), head, { recursive: true });
    const edit = (stack: string, change: (json: any) => void) => {
      const file = path.join(head, "stacks", stack, "cdk.tf.json");
      const json = JSON.parse(fs.readFileSync(file, "utf8"));
      change(json);
      fs.writeFileSync(file, JSON.stringify(json));
    };
    edit("staging", (json) => (json.terraform.cloud.organization = "someone-else"));
    edit("prod", (json) => (json.provider.aws[0].allowed_account_ids = ["999999999999"]));
    edit("dev", (json) => (json.resource.aws_cloudwatch_log_group = { extra: { name: "x", retention_in_days: 7 } }));
    fs.cpSync(path.join(head, "stacks", "dev"), path.join(head, "stacks", "dev2"), { recursive: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(head, "manifest.json"), "utf8"));
    manifest.stacks.dev2 = { ...manifest.stacks.dev, synthesizedStackPath: "stacks/dev2/cdk.tf.json" };
    fs.writeFileSync(path.join(head, "manifest.json"), JSON.stringify(manifest));
    const stacks = ciStacks(head, shippedOutput());
    expect(stacks.reconfigured).toEqual(["dev2", "prod", "staging"]);
    expect(stacks.changed.map((s) => s.stack)).toEqual(["dev"]);
  });

  test("plans nothing when the base commit left no output to compare with", () => {
    const stacks = ciStacks(shippedOutput(), undefined, { baseMissing: true });
    expect(stacks.changed).toEqual([]);
    expect(stacks.reconfigured).toEqual([...stacks.first, ...stacks.then].map((s) => s.stack).sort());
  });

  test("writes one GitHub output line per field, in JSON", () => {
    const lines = githubOutputs(ciStacks(shippedOutput())).trimEnd().split("\n");
    expect(lines.map((l) => l.split("=")[0])).toEqual(["first", "then", "changed", "removed", "local-state", "tfc-changed", "not-speculative", "reconfigured"]);
    expect(JSON.parse(lines[1].slice("then=".length))).toHaveLength(3);
  });

  test("fails if there is no synthesized output", () => {
    expect(() => ciStacks(path.join(os.tmpdir(), "apigw-nothing-here"))).toThrow(/apigw-nothing-here\/manifest\.json: no synthesized output \(run npm run synth first\)/);
  });
});

describe("checkSynthesizedOnly", () => {
  /** A copy of the shipped-like output, changed by `edit`. */
  function copy(edit: (dir: string) => void): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-ci-artifact-"));
    fs.cpSync(shippedOutput(), dir, { recursive: true });
    for (const extra of ["apis", "openapi", "asyncapi"]) fs.rmSync(path.join(dir, extra), { recursive: true, force: true });
    edit(dir);
    return dir;
  }
  const manifestOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
  const writeManifest = (dir: string, manifest: unknown) => fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));

  test("accepts the manifest, each stack's cdk.tf.json and its assets", () => {
    const dir = copy(() => undefined);
    expect(fs.readdirSync(path.join(dir, "stacks", "dev", "assets")).length).toBeGreaterThan(0);
    expect(() => checkSynthesizedOnly(dir)).not.toThrow();
  });

  test.each<[string, (dir: string) => void, RegExp]>([
    ["a provider binary in a stack's directory", (dir) => { fs.mkdirSync(path.join(dir, "stacks/prod/terraform.d/plugins/registry.terraform.io/hashicorp/aws/6.25.0/linux_amd64"), { recursive: true }); fs.writeFileSync(path.join(dir, "stacks/prod/terraform.d/plugins/registry.terraform.io/hashicorp/aws/6.25.0/linux_amd64/terraform-provider-aws"), "#!/bin/sh\n"); }, /stacks\/prod\/terraform\.d\/plugins\/.*terraform-provider-aws: not a file a synth writes/],
    ["a .tf file beside cdk.tf.json", (dir) => fs.writeFileSync(path.join(dir, "stacks/dev/extra.tf"), 'data "external" "x" {}'), /stacks\/dev\/extra\.tf: not a file a synth writes/],
    ["a directory of no stack", (dir) => { fs.mkdirSync(path.join(dir, "stacks/evil")); fs.writeFileSync(path.join(dir, "stacks/evil/main.tf"), ""); }, /stacks\/evil\/main\.tf: not a file a synth writes/],
    ["a symbolic link", (dir) => fs.symlinkSync("/etc/passwd", path.join(dir, "stacks/dev/assets/link")), /stacks\/dev\/assets\/link: a symbolic link/],
    ["a manifest path outside the stack's directory", (dir) => { const m = manifestOf(dir); m.stacks.dev.synthesizedStackPath = "../../../etc/cdk.tf.json"; writeManifest(dir, m); }, /stack dev: synthesizedStackPath is "\.\.\/\.\.\/\.\.\/etc\/cdk\.tf\.json"; expected "stacks\/dev\/cdk\.tf\.json"/],
    ["a stack name with a path in it", (dir) => { const m = manifestOf(dir); m.stacks["../x"] = m.stacks.dev; writeManifest(dir, m); }, /stack name "\.\.\/x": expected letters, digits, - and _/],
  ])("fails if the output holds %s", (_, edit, message) => {
    expect(() => checkSynthesizedOnly(copy(edit))).toThrow(message);
  });
});
