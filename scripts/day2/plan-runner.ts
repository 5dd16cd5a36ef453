/**
 * Real plans of day-2 changes: synthesize a before and an after, build a faithful prior state of the
 * before from the real provider's own plan (prior-state.ts), and plan the after against it with
 * `-refresh=false` (no AWS account: the data sources read from stub-aws.ts). One plugin cache and one
 * init per provider set serve every plan; one prior state serves every change of a base.
 */
import { spawnSync } from "child_process";
import { createHash, randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
  AWS_SOURCE,
  findMirror,
  findTerraform,
  firstError,
  newestVersion,
  prepareScratch,
  prepareTerraformEnv,
  requiredProviders,
  runTerraform,
  SCRATCH_STATE,
  StackJson,
  TerraformEnv,
} from "../terraform";
import { encodeDynamic, fillUnknowns, sensitivePaths, ResourceChange, ResourceSchemas, StateInstance, stateFile, stateProvider } from "./prior-state";
import { providerOverrides, startStubAws, StubAws, stubWorldOf } from "./stub-aws";

/** The JSON of `terraform show -json <plan>`, the parts read here. */
export interface PlanJson {
  readonly resource_changes?: readonly ResourceChange[];
  readonly configuration?: { readonly root_module?: { readonly resources?: readonly { address: string; provider_config_key?: string }[] } };
}

/** One changed resource of a plan: its address and the actions, as plan:safety and the day-2 suite read them. */
export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly action: PlannedAction;
  /** Why a replacement: the attribute paths that force it, as terraform gives them. */
  readonly replacePaths?: readonly string[];
  /** The resource's name-like attribute before and after: a replacement that keeps a fixed unique name collides. */
  readonly nameBefore?: string;
  readonly nameAfter?: string;
  /** Destroying it leaves the AWS resource in place (a log group's skip_destroy). */
  readonly keptOnDestroy?: boolean;
}

export type PlannedAction = "create" | "delete" | "update" | "replace (create before destroy)" | "replace (destroy first)";

export function actionOf(actions: readonly string[]): PlannedAction | undefined {
  const table: Record<string, PlannedAction> = {
    create: "create",
    delete: "delete",
    update: "update",
    "create,delete": "replace (create before destroy)",
    "delete,create": "replace (destroy first)",
  };
  return table[actions.join(",")];
}

/** The attribute that names a resource in AWS, by resource type where it is not `name`. */
const NAME_ATTRIBUTES = ["function_name", "bucket", "domain_name", "stage_name", "alarm_name", "dashboard_name", "name"];

function nameOf(values: unknown): string | undefined {
  if (!values || typeof values !== "object") return undefined;
  const record = values as Record<string, unknown>;
  const key = NAME_ATTRIBUTES.find((k) => typeof record[k] === "string");
  return key ? (record[key] as string) : undefined;
}

/** The changed managed resources of a plan, sorted by address; no-ops and data reads left out. */
export function plannedChanges(plan: PlanJson): PlannedChange[] {
  const changes: PlannedChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== "managed") continue;
    const action = actionOf(rc.change.actions);
    if (!action) continue;
    const replacePaths = Array.isArray(rc.change.replace_paths) ? (rc.change.replace_paths as unknown[][]).map((p) => p.join(".")) : [];
    const nameBefore = nameOf(rc.change.before);
    const nameAfter = nameOf(rc.change.after);
    const before = rc.change.before as Record<string, unknown> | null | undefined;
    changes.push({
      address: rc.address,
      type: rc.type,
      action,
      ...(replacePaths.length ? { replacePaths } : {}),
      ...(nameBefore !== undefined ? { nameBefore } : {}),
      ...(nameAfter !== undefined ? { nameAfter } : {}),
      ...(before?.skip_destroy === true ? { keptOnDestroy: true } : {}),
    });
  }
  return changes.sort((a, b) => a.address.localeCompare(b.address));
}

/** Synthesizes a project directory (its own main.ts) into outdir, with the environment files of configDir. */
export function synthesize(projectDir: string, outdir: string, configDir?: string): void {
  const result = spawnSync(process.execPath, ["scripts/run.js", "main.ts"], {
    cwd: projectDir,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1", ...(configDir ? { APIGW_CONFIG_DIR: configDir } : {}) },
  });
  if (result.status !== 0) throw new Error(`synth of ${projectDir}${configDir ? ` with ${configDir}` : ""} failed:\n${result.stderr}${result.stdout}`.trim());
}

const readStack = (stackDir: string) => JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as StackJson;

/** Addresses (type.name) a block refers to, among the stack's resources: the instance's dependencies in state. */
function referencedResources(block: unknown, stack: StackJson, self: string): string[] {
  const text = JSON.stringify(block);
  const found = new Set<string>();
  for (const match of text.matchAll(/\b((?:aws_[a-z0-9_]+|terraform_data))\.([A-Za-z0-9_-]+)/g)) {
    const address = `${match[1]}.${match[2]}`;
    if (address !== self && stack.resource?.[match[1]]?.[match[2]]) found.add(address);
  }
  return [...found];
}

export interface PriorState {
  /** The state file's JSON. */
  readonly state: Record<string, unknown>;
  /** Plans of the before against its own state until it was a no-op. */
  readonly rounds: number;
}

export interface PlanOutcome {
  readonly plan?: PlanJson;
  /** Terraform's first error when the plan failed (a provider's validation, a postcondition). */
  readonly error?: string;
}

export interface PlannerOptions {
  /** Where everything is written; removed by close(). */
  readonly root: string;
  /** The AWS provider version to plan with; default the stacks' pin when the mirror has it, else the mirror's newest. */
  readonly awsVersion?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Leave root behind (to look at the scratch copies). */
  readonly keep?: boolean;
}

export class Day2Planner {
  private readonly tf: TerraformEnv;
  private stub?: StubAws;
  private readonly initialized = new Map<string, string>();
  private schemas?: Record<string, { version: number; block: unknown }>;
  private counter = 0;
  /** Prior states by the before's cdk.tf.json: the same before is settled once. */
  private readonly priors = new Map<string, Promise<PriorState>>();

  /** The version the states are written as (an older terraform refuses a newer one's state). */
  private readonly terraformVersion: string;

  constructor(private readonly options: PlannerOptions) {
    const terraform = findTerraform(options.env);
    if (!terraform) throw new Error("no terraform on PATH (set TERRAFORM to name one)");
    this.terraformVersion = terraform.version;
    fs.mkdirSync(options.root, { recursive: true });
    this.tf = prepareTerraformEnv({ root: options.root, mirror: findMirror({ env: options.env }), env: options.env });
  }

  /** The AWS provider version the plans use. */
  awsVersionFor(stack: StackJson): string | undefined {
    if (this.options.awsVersion) return this.options.awsVersion;
    const pinned = requiredProviders(stack).find((p) => p.source === AWS_SOURCE)?.version;
    const mirror = this.tf.mirror;
    if (!mirror || !pinned || mirror.versions[AWS_SOURCE]?.includes(pinned)) return pinned;
    return newestVersion(mirror, AWS_SOURCE);
  }

  async close(): Promise<void> {
    await this.stub?.close();
    if (!this.options.keep) fs.rmSync(this.options.root, { recursive: true, force: true });
  }

  /** Requests a plan made that the stub had no answer for. */
  unanswered(): readonly string[] {
    return this.stub?.unanswered ?? [];
  }

  private async scratch(stackDir: string): Promise<{ dir: string; stack: StackJson }> {
    const stack = readStack(stackDir);
    this.stub ??= await startStubAws(stubWorldOf([]));
    this.stub.learn(stubWorldOf([stack]));
    const dir = path.join(this.options.root, "plans", `${++this.counter}-${path.basename(stackDir)}`);
    const awsVersion = this.awsVersionFor(stack);
    prepareScratch(stackDir, dir, { awsVersion, files: { "zz_day2_provider_override.tf.json": { provider: providerOverrides(stack, this.stub.url) } } });
    const key = requiredProviders(stack)
      .map((p) => `${p.source}@${p.source === AWS_SOURCE ? awsVersion : p.version}`)
      .sort()
      .join(";");
    const initialized = this.initialized.get(key);
    if (initialized) {
      fs.cpSync(path.join(initialized, ".terraform"), path.join(dir, ".terraform"), { recursive: true, verbatimSymlinks: true });
      fs.copyFileSync(path.join(initialized, ".terraform.lock.hcl"), path.join(dir, ".terraform.lock.hcl"));
    } else {
      const init = await runTerraform(["init", "-input=false", "-no-color", "-backend=true"], { cwd: dir, env: this.tf.env, timeoutMs: 300_000 });
      if (init.status !== 0) throw new Error(`terraform init of ${stackDir} failed: ${firstError(init.stdout + init.stderr)}`);
      this.initialized.set(key, dir);
    }
    return { dir, stack };
  }

  private async loadSchemas(dir: string): Promise<void> {
    if (this.schemas) return;
    const run = await runTerraform(["providers", "schema", "-json"], { cwd: dir, env: this.tf.env, timeoutMs: 300_000 });
    if (run.status !== 0) throw new Error(`terraform providers schema failed: ${firstError(run.stdout + run.stderr)}`);
    const json = JSON.parse(run.stdout);
    const all: Record<string, { version: number; block: unknown }> = {};
    for (const provider of Object.values(json.provider_schemas ?? {}) as { resource_schemas?: Record<string, { version: number; block: unknown }> }[]) Object.assign(all, provider.resource_schemas);
    this.schemas = all;
  }

  private async planIn(dir: string, state?: Record<string, unknown>, destroy = false): Promise<PlanOutcome> {
    if (state) fs.writeFileSync(path.join(dir, SCRATCH_STATE), JSON.stringify(state));
    else fs.rmSync(path.join(dir, SCRATCH_STATE), { force: true });
    const plan = await runTerraform(["plan", ...(destroy ? ["-destroy"] : []), "-refresh=false", "-input=false", "-lock=false", "-no-color", "-parallelism=4", "-out=day2.tfplan"], {
      cwd: dir,
      env: this.tf.env,
      timeoutMs: 600_000,
    });
    if (plan.status !== 0) return { error: planError(plan.stdout + plan.stderr) || `terraform plan exited ${plan.status}` };
    const show = await runTerraform(["show", "-json", "day2.tfplan"], { cwd: dir, env: this.tf.env, timeoutMs: 300_000 });
    if (show.status !== 0) return { error: firstError(show.stdout + show.stderr) };
    return { plan: JSON.parse(show.stdout) as PlanJson };
  }

  /**
   * The prior state of a synthesized stack: plan it against an empty state, fill the unknowns, and plan
   * it again against what was written until the provider plans no change (at most 5 rounds).
   */
  priorState(stackDir: string): Promise<PriorState> {
    const key = createHash("sha256").update(fs.readFileSync(path.join(stackDir, "cdk.tf.json"))).digest("hex");
    if (!this.priors.has(key)) this.priors.set(key, this.buildPriorState(stackDir));
    return this.priors.get(key)!;
  }

  private async buildPriorState(stackDir: string): Promise<PriorState> {
    const { dir, stack } = await this.scratch(stackDir);
    await this.loadSchemas(dir);
    const schemas = this.schemas as unknown as ResourceSchemas;
    const aws = (stack.provider?.aws as Record<string, unknown>[] | undefined)?.[0] ?? {};
    const ctx = { accountId: ((aws.allowed_account_ids as string[] | undefined) ?? ["111111111111"])[0], region: String(aws.region ?? "us-east-1") };
    const lineage = randomUUID();
    let state: Record<string, unknown> | undefined;
    let previous = new Map<string, Record<string, unknown>>();
    for (let round = 0; round < 5; round++) {
      const outcome = await this.planIn(dir, state);
      if (!outcome.plan) throw new Error(`plan of ${path.basename(stackDir)} (prior state, round ${round}) failed: ${outcome.error}`);
      const managed = (outcome.plan.resource_changes ?? []).filter((rc) => rc.mode === "managed");
      if (state && managed.every((rc) => rc.change.actions.join() === "no-op")) return { state, rounds: round };
      if (state && this.options.env?.APIGW_DAY2_DEBUG) for (const rc of managed.filter((r) => r.change.actions.join() !== "no-op")) console.error(`round ${round}: ${rc.address} ${rc.change.actions} ${differingKeys(rc).join(" ")}`);
      const configKeys = new Map((outcome.plan.configuration?.root_module?.resources ?? []).map((r) => [r.address, r.provider_config_key]));
      const instances: StateInstance[] = [];
      const next = new Map<string, Record<string, unknown>>();
      for (const rc of managed) {
        if (rc.change.actions.join() === "delete") continue;
        const base = rc.address.replace(/\[[^\]]*\]$/, "");
        const schema = schemas[rc.type];
        const values = (rc.change.after ?? {}) as Record<string, unknown>;
        const attributes = fillUnknowns(values, rc.change.after_unknown, schema?.block, { type: rc.type, values, seed: rc.address }, ctx, previous.get(rc.address)) as Record<string, unknown>;
        // Keep what an earlier round filled where this round's plan has it unknown again (a replacement's id).
        const prior = previous.get(rc.address);
        if (prior) for (const [k, v] of Object.entries(prior)) if (attributes[k] === undefined || attributes[k] === null) if (isUnknownAt(rc.change.after_unknown, k)) attributes[k] = v;
        next.set(rc.address, attributes);
        const block = stack.resource?.[rc.type]?.[rc.name] as { lifecycle?: { create_before_destroy?: boolean } } | undefined;
        instances.push({
          address: rc.address,
          type: rc.type,
          name: rc.name,
          ...(rc.index !== undefined ? { index: rc.index } : {}),
          provider: stateProvider(rc.provider_name, configKeys.get(base)),
          schemaVersion: schema?.version ?? 0,
          attributes: encodeDynamic(attributes, schema?.block),
          sensitive: sensitivePaths((rc.change as { after_sensitive?: unknown }).after_sensitive),
          createBeforeDestroy: block?.lifecycle?.create_before_destroy === true,
          dependencies: referencedResources(block, stack, base),
        });
      }
      previous = next;
      state = stateFile(instances, lineage, round + 1, this.terraformVersion);
    }
    throw new Error(`the prior state of ${path.basename(stackDir)} did not settle in 5 rounds: the filled values still plan changes`);
  }

  /** The plan of a synthesized stack against a prior state (or an empty one: a new stack); `destroy`: of its removal. */
  async plan(stackDir: string, prior?: PriorState, options: { destroy?: boolean } = {}): Promise<PlanOutcome> {
    const { dir } = await this.scratch(stackDir);
    return this.planIn(dir, prior?.state, options.destroy);
  }
}

function isUnknownAt(unknown: unknown, key: string): boolean {
  return !!unknown && typeof unknown === "object" && (unknown as Record<string, unknown>)[key] === true;
}

/** Terraform's first error with the resource it names ("with aws_x.y"). */
function planError(output: string): string {
  const first = firstError(output);
  const where = /^\W*with ([^,\n]+)/m.exec(output.slice(output.search(/Error: /)));
  return where ? `${first} (${where[1].trim()})` : first;
}

/** The top-level attributes a planned change changes (for APIGW_DAY2_DEBUG). */
function differingKeys(rc: ResourceChange): string[] {
  const before = (rc.change.before ?? {}) as Record<string, unknown>;
  const after = (rc.change.after ?? {}) as Record<string, unknown>;
  const unknown = (rc.change.after_unknown ?? {}) as Record<string, unknown>;
  return Object.keys({ ...before, ...after }).filter((k) => unknown[k] === true || JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => `${k}=${JSON.stringify(before[k])?.slice(0, 80)}->${unknown[k] === true ? "(known after apply)" : JSON.stringify(after[k])?.slice(0, 80)}`);
}
