import * as fs from "fs";
import * as path from "path";
import type { App } from "cdktf";

/** What `terraform init` leaves in a stack's directory and a re-synth should keep. */
const KEPT_FROM_PREVIOUS_OUTPUT = [".terraform", ".terraform.lock.hcl"];

/**
 * Synthesizes into a sibling temporary directory and swaps it into place only when the
 * whole app synthesized, so a failing synth leaves the previous output exactly as it was.
 */
export function synthAtomically(outdir: string, build: (tmpOutdir: string) => App): void {
  const target = path.resolve(outdir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(`${target}.tmp-`);
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
