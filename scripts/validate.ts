/**
 * npm run validate [-- --dir <cdktf output>] [--provider-version <version>|mirror] [--mirror DIR] [--keep]
 * Synthesizes the platform (or takes --dir), then runs `terraform init` and `terraform validate` on a
 * scratch copy of every stack (override files only; cdk.tf.json is never edited). Exit 0 only when every
 * stack validated, 1 when one failed, 2 when none failed but some were NOT VALIDATED (their providers could
 * not be installed: never counted as passed), 3 when terraform itself is missing.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  AWS_SOURCE,
  findMirror,
  firstAlone,
  findTerraform,
  listStacks,
  parallelMap,
  prepareScratch,
  prepareTerraformEnv,
  providerSetKey,
  requiredProviders,
  resolveAwsVersion,
  resultTable,
  optionValue,
  outputToCheck,
  runMain,
  runTerraform,
  summarize,
  terraformParallelism,
} from "./terraform";
import { classifyValidation, StackValidation } from "./terraform/validation";

async function main(args: string[]): Promise<number> {
  const terraform = findTerraform();
  if (!terraform) {
    console.error("!!! NOT RUN: no terraform on PATH (set TERRAFORM to name one): no stack was validated");
    return 3;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-validate-"));
  try {
    const outdir = outputToCheck(args, path.join(root, "synth"));
    if (!outdir) return 1;
    const mirror = findMirror({ mirror: optionValue(args, "--mirror") });
    const tf = prepareTerraformEnv({ root, mirror });
    console.log(`terraform ${terraform.version}; providers from ${mirror ? `the mirror ${mirror.dir} (${Object.entries(mirror.versions).map(([s, v]) => `${s} ${v.join(",")}`).join("; ")}), others from their registry` : "their registries"}`);
    const stacks = listStacks(outdir);
    const initGate = firstAlone();
    const results = await parallelMap(stacks, terraformParallelism(), async (stack): Promise<StackValidation> => {
      const stackDir = path.join(outdir, "stacks", stack);
      const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
      const pinned = requiredProviders(json).find((p) => p.source === AWS_SOURCE)?.version;
      const awsVersion = resolveAwsVersion(optionValue(args, "--provider-version"), pinned, mirror);
      const scratch = prepareScratch(stackDir, path.join(root, "stacks", stack), { awsVersion });
      const providers = requiredProviders(json).map((p) => `${p.name} ${p.source.endsWith("/hashicorp/aws") ? awsVersion ?? "" : p.version ?? ""}`.trim());
      const key = providerSetKey(scratch);
      const init = await initGate(key, () => runTerraform(["init", "-input=false", "-no-color"], { cwd: scratch.dir, env: tf.env, timeoutMs: 300_000 }));
      const validate = init.status === 0 ? await runTerraform(["validate", "-no-color"], { cwd: scratch.dir, env: tf.env, timeoutMs: 300_000 }) : undefined;
      return classifyValidation(stack, providers, init, validate);
    });
    console.log(
      resultTable(
        ["stack", "providers", "result", "seconds", "reason"],
        results.map((r) => [r.stack, r.providers.join(", "), r.result, r.seconds.toFixed(1), r.reason ?? ""]),
      ),
    );
    const count = (result: string) => results.filter((r) => r.result === result).length;
    console.log(`${count("passed")} of ${results.length} stacks validated, ${count("failed")} failed, ${count("NOT VALIDATED")} NOT VALIDATED`);
    return summarize("validate", results, "NOT VALIDATED");
  } finally {
    if (!args.includes("--keep")) fs.rmSync(root, { recursive: true, force: true });
    else console.log(`kept ${root}`);
  }
}

runMain("validate", main);
