import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { synthAtomically } from "../../stacks/synth";

function appWith(outdir: string, stacks: string[], valid = true): App {
  const app = new App({ outdir });
  for (const name of stacks) {
    const stack = new TerraformStack(app, name);
    // Without a provider, cdktf's validation fails during app.synth(), after some stacks are written.
    if (valid || name !== stacks[stacks.length - 1]) new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new SecurityGroup(stack, "sg", { name });
  }
  return app;
}

/** Every file below a directory with its content, to compare two states of the output. */
function snapshotTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files[path.relative(dir, file)] = fs.readFileSync(file, "utf8");
    }
  }
  return files;
}

describe("synthAtomically", () => {
  let workdir: string;
  beforeEach(() => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-synth-"));
  });

  test("default", () => {
    const outdir = path.join(workdir, "cdktf.out");
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev", "prod"]));
    expect(Object.keys(snapshotTree(outdir)).sort()).toEqual(["manifest.json", "stacks/dev/cdk.tf.json", "stacks/prod/cdk.tf.json"]);
    expect(fs.readdirSync(workdir)).toEqual(["cdktf.out"]);
  });

  test("fails without touching the previous output when a stack fails validation", () => {
    const outdir = path.join(workdir, "cdktf.out");
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev", "prod"]));
    const before = snapshotTree(outdir);
    expect(() => synthAtomically(outdir, (tmp) => appWith(tmp, ["dev", "qa", "zz"], false))).toThrow(/Found resources without a matching provider/);
    expect(snapshotTree(outdir)).toEqual(before);
    expect(fs.readdirSync(workdir)).toEqual(["cdktf.out"]);
  });

  test("fails without touching the previous output when building the app throws", () => {
    const outdir = path.join(workdir, "cdktf.out");
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev"]));
    const before = snapshotTree(outdir);
    expect(() =>
      synthAtomically(outdir, () => {
        throw new Error("bad props");
      }),
    ).toThrow("bad props");
    expect(snapshotTree(outdir)).toEqual(before);
  });

  test("keeps what terraform init left in the stacks that still exist", () => {
    const outdir = path.join(workdir, "cdktf.out");
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev", "old"]));
    for (const stack of ["dev", "old"]) {
      fs.mkdirSync(path.join(outdir, "stacks", stack, ".terraform", "providers"), { recursive: true });
      fs.writeFileSync(path.join(outdir, "stacks", stack, ".terraform.lock.hcl"), `# ${stack}\n`);
    }
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev"]));
    expect(fs.existsSync(path.join(outdir, "stacks", "dev", ".terraform", "providers"))).toBe(true);
    expect(fs.readFileSync(path.join(outdir, "stacks", "dev", ".terraform.lock.hcl"), "utf8")).toBe("# dev\n");
    expect(fs.existsSync(path.join(outdir, "stacks", "old"))).toBe(false);
  });
});
