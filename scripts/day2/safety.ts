/**
 * The change-safety report of a pull request: every stack of the base and the head, the head's real
 * plan against a faithful prior state of the base (plan-runner.ts), each changed resource judged
 * (verdict.ts). A stack the head removes is planned as a destroy; a stack whose synthesized JSON is
 * the same on both sides is not planned.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { AWS_SOURCE, listStacks, parallelMap, requiredProviders, StackJson, terraformParallelism } from "../terraform";
import { Day2Planner, plannedChanges } from "./plan-runner";
import { linkNodeModules, synthesizeAsync } from "./suite";
import { BlockedStack, judge, JudgedChange, safetyReport, SafetyReport } from "./verdict";

/** A cdktf output directory as given, or a git ref synthesized in a clean copy of it (under root). */
export async function resolveSide(spec: string, options: { repoDir: string; root: string; name: string }): Promise<string> {
  if (fs.existsSync(path.join(spec, "stacks"))) return path.resolve(spec);
  const rev = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${spec}^{commit}`], { cwd: options.repoDir, encoding: "utf8" });
  if (rev.status !== 0) throw new Error(`${spec} is neither a cdktf output directory (with stacks/) nor a git ref of ${options.repoDir}`);
  const project = path.join(options.root, `${options.name}-project`);
  fs.mkdirSync(project, { recursive: true });
  const archive = spawnSync("sh", ["-c", `git archive ${rev.stdout.trim()} | tar -x -C "${project}"`], { cwd: options.repoDir, encoding: "utf8" });
  if (archive.status !== 0) throw new Error(`git archive ${spec} failed: ${archive.stderr}`);
  linkNodeModules(options.repoDir, project);
  const out = path.join(options.root, `${options.name}-out`);
  await synthesizeAsync(project, out);
  return out;
}

const readStack = (dir: string, stack: string): StackJson | undefined => {
  const file = path.join(dir, "stacks", stack, "cdk.tf.json");
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as StackJson) : undefined;
};

/** The JSON without what differs between two checkouts of the same code (the local state's path, metadata). */
function comparable(stack: StackJson | undefined): string {
  if (!stack) return "";
  const { terraform, ...rest } = stack as StackJson & Record<string, unknown>;
  const { backend, ...settings } = terraform ?? {};
  void backend;
  return JSON.stringify({ ...rest, terraform: settings }, (key, value) => (key === "//" ? undefined : value));
}

export interface SafetyOptions {
  readonly base: string;
  readonly head: string;
  readonly planner: Day2Planner;
  readonly acknowledged?: ReadonlySet<string>;
  /** Only these stacks (default every stack with AWS-only providers). */
  readonly stacks?: readonly string[];
}

export interface SafetyResult extends SafetyReport {
  /** Stacks not planned, with the reason (other providers, unchanged). */
  readonly skipped: readonly { stack: string; reason: string }[];
}

export async function planSafety(options: SafetyOptions): Promise<SafetyResult> {
  const names = [...new Set([...listStacks(options.base), ...listStacks(options.head)])].sort().filter((s) => !options.stacks || options.stacks.includes(s));
  const skipped: { stack: string; reason: string }[] = [];
  const results = await parallelMap(names, terraformParallelism(), async (stack): Promise<{ changes: JudgedChange[]; blocked?: BlockedStack }> => {
    const before = readStack(options.base, stack);
    const after = readStack(options.head, stack);
    const others = requiredProviders((after ?? before)!).filter((p) => p.source !== AWS_SOURCE);
    if (others.length) {
      skipped.push({ stack, reason: `not planned: providers ${others.map((p) => p.source).join(", ")} have no local answers` });
      return { changes: [] };
    }
    if (comparable(before) === comparable(after)) {
      skipped.push({ stack, reason: "unchanged" });
      return { changes: [] };
    }
    const prior = before ? await options.planner.priorState(path.join(options.base, "stacks", stack)) : undefined;
    const outcome = after
      ? await options.planner.plan(path.join(options.head, "stacks", stack), prior)
      : await options.planner.plan(path.join(options.base, "stacks", stack), prior, { destroy: true });
    if (!outcome.plan) return { changes: [], blocked: { stack, error: outcome.error ?? "plan failed" } };
    return { changes: plannedChanges(outcome.plan).map((c) => judge(stack, c, options.acknowledged)) };
  });
  const report = safetyReport(
    results.flatMap((r) => r.changes),
    results.flatMap((r) => (r.blocked ? [r.blocked] : [])),
  );
  return { ...report, skipped: skipped.sort((a, b) => a.stack.localeCompare(b.stack)) };
}
