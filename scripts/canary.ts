/**
 * `npm run canary -- promote|rollback <stack> <api> [--execute]`: prints the steps that promote or
 * roll back a REST stage's canary (stacks/canary-steps.ts); with --execute it also runs the AWS
 * CLI steps (terraform and aws on PATH, credentials of the stack's account) and leaves the file
 * edit and the plan to the operator.
 */
import { execFileSync } from "child_process";
import * as path from "path";
import { DEFAULT_CONFIG_DIR, loadEnvironments } from "../config/loader";
import { CANARY_APIS, CanaryAction, CanaryApi, canarySteps, formatSteps } from "../stacks/canary-steps";

const USAGE = `usage: npm run canary -- promote|rollback <stack> <${CANARY_APIS.join("|")}> [--execute]`;

function main(argv: string[]): number {
  const execute = argv.includes("--execute");
  const [action, stack, api, ...rest] = argv.filter((a) => a !== "--execute");
  if ((action !== "promote" && action !== "rollback") || !stack || !(CANARY_APIS as readonly string[]).includes(api ?? "") || rest.length) {
    console.error(USAGE);
    return 2;
  }
  const dir = process.env.APIGW_CONFIG_DIR ?? DEFAULT_CONFIG_DIR;
  const environment = loadEnvironments(dir).find((e) => e.name === stack);
  if (!environment) {
    console.error(`no environment ${JSON.stringify(stack)} in ${dir}`);
    return 2;
  }
  const steps = canarySteps(action as CanaryAction, stack, api as CanaryApi, environment.config, path.join(dir, `${stack}.yaml`));
  console.log(formatSteps(steps));
  if (!execute) return 0;
  let apiId = "";
  for (const step of steps) {
    if (!step.argv || step.argv[0] === "npx") continue;
    const [command, ...args] = step.argv.map((a) => (a === "$API_ID" ? apiId : a));
    console.error(`running: ${step.title}`);
    const out = execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (step === steps[0]) apiId = out.trim();
    else if (out.trim()) console.log(out.trim());
  }
  console.error("Now make the file edit above and run the plan: it must show no change to the stage.");
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
