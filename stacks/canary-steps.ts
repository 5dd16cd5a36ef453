import type { EnvironmentConfig } from "../config/schema";

export type CanaryAction = "promote" | "rollback";
export const CANARY_APIS = ["public-api", "private-api"] as const;
export type CanaryApi = (typeof CANARY_APIS)[number];

/** One step an operator (or `--execute`) takes: a command, or an edit of the environment file. */
export interface CanaryStep {
  readonly title: string;
  /** The command, as argv; `$API_ID` stands for the API's id, read by the first step. */
  readonly argv?: readonly string[];
  /** What to change in the environment file (not done by the script). */
  readonly edit?: string;
}

const SECTION: Record<CanaryApi, "publicApi" | "privateApi"> = { "public-api": "publicApi", "private-api": "privateApi" };
const OUTPUT: Record<CanaryApi, string> = { "public-api": "public_api_id", "private-api": "private_api_id" };

/**
 * The steps of promoting or rolling back a REST stage's canary. The canary runs the stage's own
 * deployment with other stage variables (RestApi), so promoting is copying the overrides into
 * the stage's variables and removing the canary; rolling back is removing it. Both act in AWS
 * at once with `aws apigateway update-stage`, and the environment file then says the same, so the
 * next plan shows no change instead of putting the canary back.
 */
export function canarySteps(action: CanaryAction, stack: string, api: CanaryApi, config: EnvironmentConfig, configFile: string): CanaryStep[] {
  const section = SECTION[api];
  const canary = config[section].canary;
  if (!canary) throw new Error(`${configFile}: ${section} has no canary to ${action}; add ${section}.canary (percent, stageVariableOverrides) and apply first`);
  const stageName = config[section].stageName ?? stack;
  const overrides = Object.entries(canary.stageVariableOverrides);
  const readId: CanaryStep = { title: `Read the ${api} id from the stack's state`, argv: ["terraform", `-chdir=cdktf.out/stacks/${stack}`, "output", "-raw", OUTPUT[api]] };
  const alarms = [`apigw-${stack}-${api}-canary-5xx`, `apigw-${stack}-${api}-canary-latency-p99`];
  const plan: CanaryStep = { title: `Synthesize and plan ${stack}: the plan must show no change to the stage`, argv: ["npx", "cdktf", "plan", stack] };
  if (action === "rollback") {
    return [
      readId,
      { title: `Send every request of stage ${stageName} to the stage again (remove the canary)`, argv: ["aws", "apigateway", "update-stage", "--rest-api-id", "$API_ID", "--stage-name", stageName, "--patch-operations", "op=remove,path=/canarySettings"] },
      { title: `Edit ${configFile}`, edit: `delete ${section}.canary` },
      plan,
    ];
  }
  const variables = overrides.map(([name, value]) => `op=replace,path=/variables/${name},value=${value}`);
  return [
    readId,
    { title: "Check that the canary's alarms are OK before promoting", argv: ["aws", "cloudwatch", "describe-alarms", "--alarm-names", ...alarms, "--query", "MetricAlarms[].[AlarmName,StateValue]", "--output", "text"] },
    {
      title: `Give stage ${stageName} the canary's stage variables and remove the canary`,
      argv: ["aws", "apigateway", "update-stage", "--rest-api-id", "$API_ID", "--stage-name", stageName, "--patch-operations", ...variables, "op=remove,path=/canarySettings"],
    },
    {
      title: `Edit ${configFile}`,
      edit: [
        ...overrides.map(([name, value]) => `set ${section}.stageVariables.${name}: ${value}`),
        `delete ${section}.canary`,
      ].join("\n"),
    },
    plan,
  ];
}

/** The steps as a shell-like listing, for the operator to read or run. */
export function formatSteps(steps: readonly CanaryStep[]): string {
  return steps
    .map((step, i) => {
      const body = step.argv ? `   ${step.argv.map(quote).join(" ")}` : (step.edit ?? "").split("\n").map((line) => `   ${line}`).join("\n");
      const command = i === 0 && step.argv ? `   API_ID=$(${step.argv.map(quote).join(" ")})` : body;
      return `${i + 1}. ${step.title}\n${command}`;
    })
    .join("\n");
}

function quote(arg: string): string {
  if (arg === "$API_ID") return '"$API_ID"';
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}
