import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/errors";

const LOCAL_STATE = /^terraform\.(.+)\.tfstate$/;

/**
 * Refuses a synth that no longer has a stack whose local state (`terraform.<stack>.tfstate`
 * beside cdktf.json) still holds resources: a renamed or removed environment file would
 * otherwise leave them with nothing that can plan or destroy them, and a renamed one would try
 * to create them all again next to the old ones. Remote state (S3, Terraform Cloud) is not
 * visible here; README, "Changing things", says what to do there.
 */
export function checkOrphanedState(projectDir: string, stackNames: readonly string[]): void {
  const problems = fs.readdirSync(projectDir).flatMap((file) => {
    const stack = LOCAL_STATE.exec(file)?.[1];
    if (stack === undefined || stackNames.includes(stack)) return [];
    const resources = managedResources(path.join(projectDir, file));
    if (resources === 0) return [];
    return [
      `${file}: stack ${stack} still manages ${resources} resource${resources === 1 ? "" : "s"}, but no environment file makes that stack any more (renamed or removed?). ` +
        `To remove the environment, put its file back and destroy it first (npx cdktf destroy ${stack}; README, "Changing things", for the validation records it keeps). ` +
        `To rename it, destroy it the same way and deploy the new name, or keep its resources by moving the state: mv ${file} terraform.<new name>.tfstate (every name derived from the environment's name changes, so the next plan replaces most resources).`,
    ];
  });
  if (problems.length) throw new ConfigError(problems);
}

/** Managed resources in a Terraform state file; a destroyed stack's state has none. */
function managedResources(file: string): number {
  let state: { resources?: { mode?: string }[] };
  try {
    state = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw new ConfigError([`${path.basename(file)}: not a readable Terraform state file (JSON); move it away if it is not one`]);
  }
  return (state.resources ?? []).filter((r) => r.mode === "managed").length;
}
