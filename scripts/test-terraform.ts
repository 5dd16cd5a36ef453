/**
 * npm run test:terraform [-- --dir <cdktf output>] [--provider-version <version>|mirror] [--mirror DIR] [--stack NAME]... [--keep]
 * Synthesizes the platform into dist/test-terraform (or takes --dir), then runs `terraform test` on a scratch copy of every stack
 * with mocked providers whose values are generated from `terraform providers schema -json`: a plan, an
 * apply, and one plan per custom condition that must fail on it (expect_failures). Exit 0 only when every
 * stack passed, 1 when one failed, 2 when none failed but some were NOT RUN (their providers could not be
 * installed: never counted as passed), 3 when terraform itself is missing.
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
  ProvidersSchema,
  requiredProviders,
  resolveAwsVersion,
  resultTable,
  optionValue,
  outputToCheck,
  runMain,
  runTerraform,
  summarize,
  StackTest,
  terraformParallelism,
  classifyTest,
  preventDestroyOverride,
  TEST_FILE,
  TEST_OVERRIDE_FILE,
  testFile,
} from "./terraform";

const options = (args: string[], name: string) => args.flatMap((a, i) => (a === name && args[i + 1] ? [args[i + 1]] : []));

async function main(args: string[]): Promise<number> {
  const terraform = findTerraform();
  if (!terraform) {
    console.error("!!! NOT RUN: no terraform on PATH (set TERRAFORM to name one): no stack was tested");
    return 3;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-tftest-"));
  try {
    // Without --dir, a dist/ directory of its own, as `npm run synth` writes it: other commands' outputs stay as they are.
    const outdir = outputToCheck(args, path.join("dist", "test-terraform"));
    if (!outdir) return 1;
    const mirror = findMirror({ mirror: optionValue(args, "--mirror") });
    const tf = prepareTerraformEnv({ root, mirror });
    console.log(`terraform ${terraform.version}; providers from ${mirror ? `the mirror ${mirror.dir}, others from their registry` : "their registries"}`);
    const wanted = options(args, "--stack");
    const stacks = listStacks(outdir).filter((s) => wanted.length === 0 || wanted.includes(s));
    const missing = wanted.filter((s) => !stacks.includes(s));
    if (missing.length) throw new Error(`--stack ${missing.join(", ")}: no such stack in ${outdir} (has ${listStacks(outdir).join(", ")})`);
    // One schema per set of provider versions: it is the same for every stack that pins the same ones.
    const schemas = new Map<string, Promise<ProvidersSchema | string>>();
    const initGate = firstAlone();
    const results = await parallelMap(stacks, terraformParallelism(), async (stack): Promise<StackTest> => {
      const stackDir = path.join(outdir, "stacks", stack);
      const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
      const pinned = requiredProviders(json).find((p) => p.source === AWS_SOURCE)?.version;
      const awsVersion = resolveAwsVersion(optionValue(args, "--provider-version"), pinned, mirror);
      const undestroyable = preventDestroyOverride(json);
      const scratch = prepareScratch(stackDir, path.join(root, "stacks", stack), { awsVersion, files: undestroyable ? { [TEST_OVERRIDE_FILE]: undestroyable } : {} });
      const key = providerSetKey(scratch);
      const init = await initGate(key, () => runTerraform(["init", "-input=false", "-no-color"], { cwd: scratch.dir, env: tf.env, timeoutMs: 300_000 }));
      if (init.status !== 0) return classifyTest(stack, init, undefined, undefined);
      if (!schemas.has(key)) {
        schemas.set(
          key,
          runTerraform(["providers", "schema", "-json"], { cwd: scratch.dir, env: tf.env, timeoutMs: 300_000 }).then((run) =>
            run.status === 0 ? (JSON.parse(run.stdout) as ProvidersSchema) : `terraform providers schema: ${run.stderr.trim() || run.stdout.trim()}`,
          ),
        );
      }
      const schema = await schemas.get(key)!;
      if (typeof schema === "string") return classifyTest(stack, init, undefined, undefined, schema);
      let file;
      try {
        file = testFile(json, schema, stack);
      } catch (error) {
        return classifyTest(stack, init, undefined, undefined, `generating the test: ${error instanceof Error ? error.message : String(error)}`);
      }
      fs.mkdirSync(path.join(scratch.dir, path.dirname(TEST_FILE)), { recursive: true });
      fs.writeFileSync(path.join(scratch.dir, TEST_FILE), file.text);
      const test = await runTerraform(["test", "-no-color"], { cwd: scratch.dir, env: tf.env, timeoutMs: 1_200_000 });
      return classifyTest(stack, init, test, file);
    });
    console.log(
      resultTable(
        ["stack", "plan", "apply", "negative cases", "result", "seconds", "reason"],
        results.map((r) => [r.stack, r.plan, r.apply, `${r.negativesPassed}/${r.negatives}`, r.result, r.seconds.toFixed(1), r.reason ?? ""]),
      ),
    );
    const planned = results.filter((r) => r.plan === "pass").length;
    const applied = results.filter((r) => r.apply === "pass").length;
    const negatives = results.reduce((n, r) => n + r.negatives, 0);
    const negativesPassed = results.reduce((n, r) => n + r.negativesPassed, 0);
    console.log(`${planned} of ${results.length} stacks planned, ${applied} applied; ${negativesPassed} of ${negatives} negative cases failed as they should`);
    return summarize("test:terraform", results, "NOT RUN");
  } finally {
    if (!args.includes("--keep")) fs.rmSync(root, { recursive: true, force: true });
    else console.log(`kept ${root}`);
  }
}

runMain("test:terraform", main);
