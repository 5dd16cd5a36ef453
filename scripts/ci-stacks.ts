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
  /**
   * Changed stacks whose Terraform Cloud workspace (in this output's tfc stack) runs no speculative
   * plans: not in `changed`, as a pull request's plan would still be one (speculative_enabled only
   * stops the plans Terraform Cloud starts for pull requests itself).
   */
  readonly notSpeculative: readonly string[];
  /**
   * Changed stacks whose state or credentials the pull request chooses: new ones, and those whose
   * backend (or cloud block) or providers' accounts and assumed roles differ from the base's. A plan
   * of them would refresh a state of the pull request's choosing with the plan role of an account of
   * its choosing; they are not in `changed`.
   */
  readonly reconfigured: readonly string[];
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

const STACK_NAME = /^[A-Za-z0-9_-]+$/;
/** What cdktf writes under a stack's directory besides cdk.tf.json: assets/<asset>/<hash>/<file>. */
const ASSET = /^assets\/[^/]+\/[0-9A-Fa-f]+\/[^/]+$/;

/**
 * Refuses an output that holds anything but what a synth writes: the manifest, each stack's
 * cdk.tf.json at the path the manifest names, and asset files. Terraform also reads other files of
 * a stack's directory (a provider binary under terraform.d/plugins, *.tf files), which no policy
 * check of cdk.tf.json sees.
 */
export function checkSynthesizedOnly(outdir: string): void {
  const manifest = readManifest(outdir);
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(manifest.stacks)) {
    if (!STACK_NAME.test(name)) problems.push(`stack name ${JSON.stringify(name)}: expected letters, digits, - and _`);
    else if (entry.synthesizedStackPath !== `stacks/${name}/cdk.tf.json`) problems.push(`stack ${name}: synthesizedStackPath is ${JSON.stringify(entry.synthesizedStackPath)}; expected "stacks/${name}/cdk.tf.json"`);
  }
  for (const entry of fs.readdirSync(outdir, { recursive: true, withFileTypes: true })) {
    const relative = path.relative(outdir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
    if (entry.isSymbolicLink()) problems.push(`${relative}: a symbolic link`);
    if (!entry.isFile()) continue;
    const [top, stack, ...rest] = relative.split("/");
    const inStack = top === "stacks" && manifest.stacks[stack] !== undefined && (rest.join("/") === "cdk.tf.json" || ASSET.test(rest.join("/")));
    if (relative !== "manifest.json" && !inStack) problems.push(`${relative}: not a file a synth writes`);
  }
  if (problems.length) throw new Error(`${outdir} holds more than synthesized stacks:\n  ${problems.join("\n  ")}`);
}

/**
 * Orders the synthesized stacks of `outdir` for a pipeline and, given the base branch's output, says
 * which changed. `baseMissing`: there is a base commit but no output of it, so every stack counts as
 * reconfigured (none is planned).
 */
export function ciStacks(outdir: string, baseOutdir?: string, options: { baseMissing?: boolean } = {}): CiStacks {
  const manifest = readManifest(outdir);
  const base = baseOutdir ? readManifest(baseOutdir) : undefined;
  const names = Object.keys(manifest.stacks).sort();
  const describe = (name: string): CiStack => {
    const config = JSON.parse(stackJson(outdir, manifest, name)!);
    const aws = config.provider?.aws?.find((p: { alias?: string }) => p.alias === undefined);
    return { stack: name, account: aws?.allowed_account_ids?.[0] ?? "current", region: aws?.region ?? "us-east-1" };
  };
  const isChanged = (name: string) => !base || !baseOutdir || stackJson(outdir, manifest, name) !== stackJson(baseOutdir, base, name);
  /** What decides where a stack's state is and whose credentials it plans with. */
  const whereAndWho = (json: string | undefined) => {
    if (json === undefined) return undefined;
    const config = JSON.parse(json);
    const providers = Object.values<unknown[]>(config.provider ?? {}).flatMap((list) => ([] as any[]).concat(list).map((p) => [p?.alias, p?.allowed_account_ids, p?.assume_role, p?.assume_role_with_web_identity]));
    return JSON.stringify([config.terraform?.backend, config.terraform?.cloud, providers]);
  };
  // Without the base's output (it did not synthesize), nothing shows what a stack's backend was.
  const reconfigured = (name: string) => options.baseMissing === true || (base !== undefined && baseOutdir !== undefined && whereAndWho(stackJson(outdir, manifest, name)) !== whereAndWho(stackJson(baseOutdir, base, name)));

  const pipeline = names.filter((n) => !PIPELINE_EXCLUDED.has(n));
  const first: CiStack[] = [];
  const then: CiStack[] = [];
  for (const name of pipeline) {
    const dependencies = manifest.stacks[name].dependencies;
    if (dependencies.length === 0) first.push(describe(name));
    else if (dependencies.every((d) => manifest.stacks[d]?.dependencies.length === 0)) then.push(describe(name));
    else throw new Error(`stack ${name} depends on ${dependencies.join(", ")}, which depend on other stacks themselves; the pipeline applies two levels only`);
  }
  const tfc = manifest.stacks.tfc ? JSON.parse(stackJson(outdir, manifest, "tfc")!) : undefined;
  const speculativeOff = new Set(
    Object.values<{ name?: unknown; speculative_enabled?: unknown }>(tfc?.resource?.tfe_workspace ?? {})
      .filter((w) => w.speculative_enabled === false)
      .map((w) => w.name),
  );
  const notSpeculative = pipeline.filter((n) => speculativeOff.has(JSON.parse(stackJson(outdir, manifest, n)!).terraform?.cloud?.workspaces?.name));
  // Terraform's default backend is local: a stack without a cloud block or another backend keeps local state.
  const localState = pipeline.filter((n) => {
    const terraform = JSON.parse(stackJson(outdir, manifest, n)!).terraform ?? {};
    return terraform.cloud === undefined && Object.keys(terraform.backend ?? {}).every((kind) => kind === "local");
  });
  return {
    first,
    then,
    changed: pipeline.filter((n) => isChanged(n) && !notSpeculative.includes(n) && !reconfigured(n)).map(describe),
    removed: base ? Object.keys(base.stacks).filter((n) => !manifest.stacks[n] && !PIPELINE_EXCLUDED.has(n)).sort() : [],
    localState,
    tfcChanged: [...PIPELINE_EXCLUDED].some((n) => manifest.stacks[n] !== undefined && isChanged(n)),
    notSpeculative: notSpeculative.filter(isChanged),
    reconfigured: pipeline.filter(reconfigured),
  };
}

/** `key=value` lines for $GITHUB_OUTPUT (values are JSON), one per field. */
export function githubOutputs(stacks: CiStacks): string {
  return Object.entries(stacks)
    .map(([key, value]) => `${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}=${JSON.stringify(value)}\n`)
    .join("");
}
