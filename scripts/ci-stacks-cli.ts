/**
 * `npm run --silent ci:stacks -- [--dir cdktf.out] [--base <base branch's output>]`: the pipeline's
 * view of the synthesized stacks, as `key=<json>` lines to append to $GITHUB_OUTPUT.
 */
import { parseArgs } from "util";
import { ciStacks, githubOutputs } from "./ci-stacks";

try {
  const { values } = parseArgs({ options: { dir: { type: "string", default: "cdktf.out" }, base: { type: "string" } } });
  process.stdout.write(githubOutputs(ciStacks(values.dir!, values.base)));
} catch (error) {
  console.error(`ci:stacks failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
