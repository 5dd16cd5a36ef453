/**
 * `npm run --silent ci:stacks -- [--dir cdktf.out] [--base <base branch's output>] [--synthesized-only]`:
 * the pipeline's view of the synthesized stacks, as `key=<json>` lines to append to $GITHUB_OUTPUT.
 * --synthesized-only first refuses a directory that holds anything a synth does not write.
 */
import { parseArgs } from "util";
import { checkSynthesizedOnly, ciStacks, githubOutputs } from "./ci-stacks";

try {
  const { values } = parseArgs({ options: { dir: { type: "string", default: "cdktf.out" }, base: { type: "string" }, "synthesized-only": { type: "boolean", default: false } } });
  if (values["synthesized-only"]) checkSynthesizedOnly(values.dir!);
  process.stdout.write(githubOutputs(ciStacks(values.dir!, values.base)));
} catch (error) {
  console.error(`ci:stacks failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
