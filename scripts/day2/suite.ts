/**
 * Plans a list of day-2 changes: one synth and one prior state per base, one synth per change, and
 * the plans of its stacks against the base's prior states, two terraform processes at a time.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Document, parseDocument } from "yaml";
import { parallelMap, terraformParallelism } from "../terraform";
import { BASES, Day2Change, FileEdit } from "./changes";
import { Day2Planner, PlannedChange, plannedChanges, PriorState } from "./plan-runner";

export interface StackOutcome {
  readonly stack: string;
  /** Whether the before had the stack (else the plan is against an empty state). */
  readonly existed: boolean;
  readonly changes?: readonly PlannedChange[];
  readonly error?: string;
}

export interface ChangeOutcome {
  readonly change: Day2Change;
  readonly stacks: readonly StackOutcome[];
  /** Why the change could not be planned at all (its synth failed, a prior state did not settle). */
  readonly error?: string;
}

/** Runs a command without blocking this process (the stub endpoint answers terraform meanwhile). */
export function runAsync(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("error", (e) => resolve({ status: null, output: output + String(e) }));
    child.on("close", (status) => resolve({ status, output }));
  });
}

/** Synthesizes projectDir's main.ts into outdir with the environment files of configDir. */
export async function synthesizeAsync(projectDir: string, outdir: string, configDir?: string): Promise<void> {
  const env = { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1", ...(configDir ? { APIGW_CONFIG_DIR: configDir } : {}) };
  const result = await runAsync(process.execPath, ["scripts/run.js", "main.ts"], { cwd: projectDir, env });
  if (result.status !== 0) throw new Error(`synth of ${projectDir}${configDir ? ` with ${configDir}` : ""} failed:\n${result.output.trim()}`);
}

/**
 * The project's node_modules in a copy, hard-linked (seconds): with a symbolic link, esbuild resolves
 * the real path and the functions' bundles name their modules by another relative path, so their
 * hashes change and every function would plan an update. A symbolic link where hard links fail.
 */
export function linkNodeModules(repoDir: string, dir: string): void {
  const copy = spawnSync("cp", ["-al", path.join(repoDir, "node_modules"), path.join(dir, "node_modules")]);
  if (copy.status !== 0) {
    fs.rmSync(path.join(dir, "node_modules"), { recursive: true, force: true });
    fs.symlinkSync(path.join(repoDir, "node_modules"), path.join(dir, "node_modules"));
  }
}

/** A copy of the project's tracked files (with its node_modules linked) with edits applied. */
export function projectCopy(repoDir: string, dir: string, edits: readonly FileEdit[]): string {
  const files = spawnSync("git", ["ls-files", "-z"], { cwd: repoDir, encoding: "utf8" }).stdout.split("\0").filter(Boolean);
  for (const file of files) {
    const from = path.join(repoDir, file);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, file));
  }
  linkNodeModules(repoDir, dir);
  for (const edit of edits) {
    const file = path.join(dir, edit.file);
    const text = fs.readFileSync(file, "utf8");
    if (!text.includes(edit.from)) throw new Error(`${edit.file} no longer contains ${JSON.stringify(edit.from)}: update the change's edit (scripts/day2/changes.ts)`);
    fs.writeFileSync(file, text.replace(edit.from, edit.to));
  }
  return dir;
}

function writeEnvironments(repoDir: string, dir: string, files: Record<string, ((doc: Document) => void) | undefined>, extra: Day2Change["addEnvironments"] = {}): string {
  fs.mkdirSync(dir, { recursive: true });
  const read = (name: string) => parseDocument(fs.readFileSync(path.join(repoDir, "config", "environments", `${name}.yaml`), "utf8"));
  const docs = new Map<string, Document>();
  for (const [name, edit] of Object.entries(files)) {
    const doc = read(name);
    edit?.(doc);
    docs.set(name, doc);
  }
  for (const [name, { from, edit }] of Object.entries(extra)) {
    const doc = parseDocument(docs.get(from)?.toString() ?? read(from).toString());
    edit(doc);
    docs.set(name, doc);
  }
  for (const [name, doc] of docs) fs.writeFileSync(path.join(dir, `${name}.yaml`), doc.toString());
  return dir;
}

/** One lock: synths write the project's dist/ bundle cache. */
function serialized(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

export async function planChanges(
  changes: readonly Day2Change[],
  options: { repoDir: string; root: string; planner: Day2Planner; onOutcome?: (outcome: ChangeOutcome) => void },
): Promise<ChangeOutcome[]> {
  const { repoDir, root, planner } = options;
  const synthLock = serialized();
  const bases = new Map<string, Promise<string>>();
  const priors = new Map<string, Promise<PriorState | undefined>>();
  const baseOut = (base: keyof typeof BASES) => {
    if (!bases.has(base)) {
      const dir = path.join(root, "bases", base);
      const configDir = writeEnvironments(repoDir, path.join(dir, "config"), { ...BASES[base] });
      bases.set(base, synthLock(() => synthesizeAsync(repoDir, path.join(dir, "out"), configDir)).then(() => path.join(dir, "out")));
    }
    return bases.get(base)!;
  };
  const priorOf = (base: keyof typeof BASES, stack: string) => {
    const key = `${base}/${stack}`;
    if (!priors.has(key)) {
      priors.set(
        key,
        baseOut(base).then((out) => {
          const stackDir = path.join(out, "stacks", stack);
          return fs.existsSync(path.join(stackDir, "cdk.tf.json")) ? planner.priorState(stackDir) : undefined;
        }),
      );
    }
    return priors.get(key)!;
  };
  return parallelMap(changes, terraformParallelism(), async (change): Promise<ChangeOutcome> => {
    const outcome = await planChange(change).catch((error: unknown): ChangeOutcome => ({ change, stacks: [], error: error instanceof Error ? error.message : String(error) }));
    options.onOutcome?.(outcome);
    return outcome;
  });

  async function planChange(change: Day2Change): Promise<ChangeOutcome> {
    const dir = path.join(root, "changes", change.id);
    const project = change.code ? projectCopy(repoDir, path.join(dir, "project"), change.code) : repoDir;
    const files: Record<string, ((doc: Document) => void) | undefined> = {};
    for (const [name, baseEdit] of Object.entries(BASES[change.base] as Record<string, ((doc: Document) => void) | undefined>)) {
      const edit = change.yaml?.[name];
      files[name] = (doc) => {
        baseEdit?.(doc);
        edit?.(doc);
      };
    }
    const configDir = writeEnvironments(repoDir, path.join(dir, "config"), files, change.addEnvironments);
    const out = path.join(dir, "out");
    await synthLock(() => synthesizeAsync(project, out, configDir));
    const stacks: StackOutcome[] = [];
    for (const stack of change.stacks ?? ["dev"]) {
      const prior = await priorOf(change.base, stack);
      const outcome = await planner.plan(path.join(out, "stacks", stack), prior);
      stacks.push({ stack, existed: prior !== undefined, ...(outcome.plan ? { changes: plannedChanges(outcome.plan) } : { error: outcome.error }) });
    }
    if (change.code) fs.rmSync(path.join(dir, "project"), { recursive: true, force: true });
    return { change, stacks };
  }
}
