/**
 * `npm run --silent ci:stacks -- [--dir cdktf.out] [--base <base branch's output> | --base-missing] [--synthesized-only]`:
 * the pipeline's view of the synthesized stacks, as `key=<json>` lines to append to $GITHUB_OUTPUT.
 * --synthesized-only first refuses a directory that holds anything a synth does not write;
 * --base-missing: the base commit did not synthesize, so no stack is planned.
 */
import { parseArgs } from "util";
import { checkSynthesizedOnly, ciStacks, githubOutputs } from "./ci-stacks";

try {
  const { values } = parseArgs({ options: { dir: { type: "string", default: "cdktf.out" }, base: { type: "string" }, "base-missing": { type: "boolean", default: false }, "synthesized-only": { type: "boolean", default: false } } });
  if (values["synthesized-only"]) checkSynthesizedOnly(values.dir!);
  process.stdout.write(githubOutputs(ciStacks(values.dir!, values.base, { baseMissing: values["base-missing"] })));
} catch (error) {
  console.error(`ci:stacks failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
