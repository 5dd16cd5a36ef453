import * as fs from "fs";
import * as path from "path";
import type { App } from "cdktf";

/** What `terraform init` leaves in a stack's directory and a re-synth should keep. */
const KEPT_FROM_PREVIOUS_OUTPUT = [".terraform", ".terraform.lock.hcl"];

/**
 * A synth's siblings of the output directory, named with its pid so that the next synth can
 * tell a dead process's from a running one's: `<outdir>.tmp-<pid>-XXXXXX` (mkdtemp's suffix),
 * its new output, and `<outdir>.old-<pid>`, the previous output while it is being replaced.
 */
const SYNTH_SIBLING = /^\.(?:tmp-(\d+)-[A-Za-z0-9]{6}|old-(\d+))$/;

/**
 * Synthesizes into a sibling temporary directory and swaps it into place only when the
 * whole app synthesized, so a failing synth leaves the previous output exactly as it was.
 */
export function synthAtomically(outdir: string, build: (tmpOutdir: string) => App): void {
  const target = path.resolve(outdir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  recoverFromDeadSynths(target);
  const staging = fs.mkdtempSync(`${target}.tmp-${process.pid}-`);
  try {
    build(staging).synth();
    carryOverTerraformState(target, staging);
    const retired = `${target}.old-${process.pid}`;
    const hadPrevious = fs.existsSync(target);
    if (hadPrevious) fs.renameSync(target, retired);
    fs.renameSync(staging, target);
    if (hadPrevious) fs.rmSync(retired, { recursive: true, force: true });
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Removes what killed synths left beside the output and, when one died between its two
 * renames (no output, its `.old-<pid>` still there), first puts that last good output back.
 * A running process's directories are left alone: two synths may run side by side.
 */
function recoverFromDeadSynths(target: string): void {
  const parent = path.dirname(target);
  const prefix = path.basename(target);
  const dead = fs.readdirSync(parent).flatMap((name) => {
    const match = name.startsWith(prefix) ? SYNTH_SIBLING.exec(name.slice(prefix.length)) : null;
    if (!match) return [];
    const pid = Number(match[1] ?? match[2]);
    // This process has not created any yet, so one with its pid is a dead process's (pids are reused, often in containers).
    if (pid !== process.pid && isRunning(pid)) return [];
    return [{ dir: path.join(parent, name), retired: match[2] !== undefined }];
  });
  if (!fs.existsSync(target)) {
    const lastGood = dead
      .filter((entry) => entry.retired)
      .map((entry) => ({ dir: entry.dir, mtime: fs.statSync(entry.dir).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime)[0];
    if (lastGood) restore(lastGood.dir, target);
  }
  for (const { dir } of dead) fs.rmSync(dir, { recursive: true, force: true });
}

function restore(retired: string, target: string): void {
  try {
    fs.renameSync(retired, target);
  } catch (error) {
    // Another synth starting at the same time restored it, or put a new output in place, first.
    if (!["ENOENT", "ENOTEMPTY", "EEXIST"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
  }
}

/**
 * Signal 0 checks that the process exists; EPERM means it does, under another user. But a killed
 * process stays in the process table as a zombie until its parent reaps it, and signal 0 succeeds
 * for a zombie: in a container without a reaping init, a killed synth's orphans may never be
 * reaped. Linux's /proc tells a zombie from a running process.
 */
function isRunning(pid: number): boolean {
  const state = procState(pid);
  if (state !== undefined) return state !== "Z" && state !== "X";
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * The state letter in /proc/<pid>/stat ("<pid> (<command>) <state> ...", the command may hold
 * spaces and parentheses of its own). None where there is no /proc, or no entry in it: gone, or
 * hidden (hidepid), which signal 0 tells apart.
 */
function procState(pid: number): string | undefined {
  if (process.platform !== "linux") return undefined;
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  const end = stat.lastIndexOf(")");
  return end < 0 ? undefined : stat.charAt(end + 2);
}

function carryOverTerraformState(previous: string, next: string): void {
  const stacksDir = path.join(previous, "stacks");
  if (!fs.existsSync(stacksDir)) return;
  for (const stack of fs.readdirSync(stacksDir)) {
    const destination = path.join(next, "stacks", stack);
    if (!fs.existsSync(destination)) continue;
    for (const entry of KEPT_FROM_PREVIOUS_OUTPUT) {
      const source = path.join(stacksDir, stack, entry);
      if (fs.existsSync(source)) fs.renameSync(source, path.join(destination, entry));
    }
  }
}
