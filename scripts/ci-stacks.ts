import * as fs from "fs";
import * as path from "path";

/** The stack that manages Terraform Cloud: applied by a person at bootstrap, never by the pipeline (README, "Terraform Cloud as code"). */
const PIPELINE_EXCLUDED = new Set(["tfc"]);

export interface CiStack {
  readonly stack: string;
  /** The account id the stack's provider is pinned to, or `current` where the environment names none. */
  readonly account: string;
  /** The region of the stack's provider, for the pipeline's AWS credentials. */
  readonly region: string;
}

/** What a pipeline needs to plan and apply the synthesized stacks in order. */
export interface CiStacks {
  /** Stacks that depend on no other: account stacks, and environments that manage no account setting. Applied first. */
  readonly first: readonly CiStack[];
  /** Stacks that depend on a stack of `first`: applied once all of those have been. */
  readonly then: readonly CiStack[];
  /** Stacks whose Terraform JSON differs from the base output, or that are new; all stacks without a base. */
  readonly changed: readonly CiStack[];
  /** Stacks of the base output that are gone: the pipeline does not destroy them (README, "Pipelines"). */
  readonly removed: readonly string[];
  /** Stacks with local state, which a pipeline's fresh runner would not find: the pipeline plans and applies none while any exists. */
  readonly localState: readonly string[];
  /** Whether the tfc stack changed: a person applies it (README, "Terraform Cloud as code"). */
  readonly tfcChanged: boolean;
}

interface Manifest {
  readonly stacks: Record<string, { readonly dependencies: readonly string[]; readonly synthesizedStackPath: string }>;
}

function readManifest(outdir: string): Manifest {
  const file = path.join(outdir, "manifest.json");
  if (!fs.existsSync(file)) throw new Error(`${file}: no synthesized output (run npm run synth first)`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
}

function stackJson(outdir: string, manifest: Manifest, name: string): string | undefined {
  const entry = manifest.stacks[name];
  return entry ? fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), "utf8") : undefined;
}

/** Orders the synthesized stacks of `outdir` for a pipeline and, given the base branch's output, says which changed. */
export function ciStacks(outdir: string, baseOutdir?: string): CiStacks {
  const manifest = readManifest(outdir);
  const base = baseOutdir ? readManifest(baseOutdir) : undefined;
  const names = Object.keys(manifest.stacks).sort();
  const describe = (name: string): CiStack => {
    const config = JSON.parse(stackJson(outdir, manifest, name)!);
    const aws = config.provider?.aws?.find((p: { alias?: string }) => p.alias === undefined);
    return { stack: name, account: aws?.allowed_account_ids?.[0] ?? "current", region: aws?.region ?? "us-east-1" };
  };
  const isChanged = (name: string) => !base || !baseOutdir || stackJson(outdir, manifest, name) !== stackJson(baseOutdir, base, name);

  const pipeline = names.filter((n) => !PIPELINE_EXCLUDED.has(n));
  const first: CiStack[] = [];
  const then: CiStack[] = [];
  for (const name of pipeline) {
    const dependencies = manifest.stacks[name].dependencies;
    if (dependencies.length === 0) first.push(describe(name));
    else if (dependencies.every((d) => manifest.stacks[d]?.dependencies.length === 0)) then.push(describe(name));
    else throw new Error(`stack ${name} depends on ${dependencies.join(", ")}, which depend on other stacks themselves; the pipeline applies two levels only`);
  }
  const localState = pipeline.filter((n) => JSON.parse(stackJson(outdir, manifest, n)!).terraform?.backend?.local !== undefined);
  return {
    first,
    then,
    changed: pipeline.filter(isChanged).map(describe),
    removed: base ? Object.keys(base.stacks).filter((n) => !manifest.stacks[n] && !PIPELINE_EXCLUDED.has(n)).sort() : [],
    localState,
    tfcChanged: [...PIPELINE_EXCLUDED].some((n) => manifest.stacks[n] !== undefined && isChanged(n)),
  };
}

/** `key=value` lines for $GITHUB_OUTPUT (values are JSON), one per field. */
export function githubOutputs(stacks: CiStacks): string {
  return Object.entries(stacks)
    .map(([key, value]) => `${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}=${JSON.stringify(value)}\n`)
    .join("");
}
