/**
 * npm run plan:safety -- --base <git ref | cdktf output dir> [--head <cdktf output dir>] [--stacks a,b]
 *                        [--ack FILE] [--markdown FILE] [--json] [--provider-version X] [--keep]
 * The change-safety report of a change (README, "Day-2 plans and change safety"): the real provider's
 * plan of the head against a faithful prior state of the base, each changed resource with its action
 * and verdict. Prints a table (or, with --json, the report as JSON), writes markdown for a pull request
 * comment with --markdown. Exit 0 when it passes, 1 on a collision, unacknowledged data loss or a plan
 * the provider refused, 3 when terraform is missing (nothing was checked).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findTerraform, optionValue, resultTable, runMain } from "./terraform";
import { Day2Planner } from "./day2/plan-runner";
import { planSafety, resolveSide } from "./day2/safety";
import { synthesizeAsync } from "./day2/suite";
import { markdownReport, parseAcknowledgements } from "./day2/verdict";

export const DEFAULT_ACK_FILE = "plan-safety.ack";


async function main(args: string[]): Promise<number> {
  const baseSpec = optionValue(args, "--base");
  if (!baseSpec) throw new Error("--base <git ref or cdktf output dir> is required (for a pull request: origin/main)");
  if (!findTerraform()) {
    console.error("!!! NOT RUN: no terraform on PATH (set TERRAFORM to name one): no change was checked");
    return 3;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-plan-safety-"));
  const planner = new Day2Planner({ root: path.join(root, "terraform"), awsVersion: optionValue(args, "--provider-version"), keep: args.includes("--keep") });
  const started = Date.now();
  try {
    const repoDir = process.cwd();
    const base = await resolveSide(baseSpec, { repoDir, root, name: "base" });
    let head = optionValue(args, "--head");
    if (!head) {
      head = path.join(root, "head-out");
      await synthesizeAsync(repoDir, head);
    }
    const ackFile = optionValue(args, "--ack") ?? DEFAULT_ACK_FILE;
    const acknowledged = fs.existsSync(ackFile) ? parseAcknowledgements(fs.readFileSync(ackFile, "utf8")) : new Set<string>();
    const stacks = optionValue(args, "--stacks")?.split(",");
    const report = await planSafety({ base, head, planner, acknowledged, ...(stacks ? { stacks } : {}) });
    const markdown = markdownReport(report);
    const markdownFile = optionValue(args, "--markdown");
    if (markdownFile) fs.writeFileSync(markdownFile, markdown);
    if (args.includes("--json")) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(resultTable(["stack", "resource", "action", "verdict", "why"], report.changes.map((c) => [c.stack, c.address, c.action, c.verdict, c.reason])));
      for (const b of report.blocked) console.log(`${b.stack}: plan refused: ${b.error}`);
      for (const s of report.skipped) console.log(`${s.stack}: ${s.reason}`);
      console.log(`${report.changes.length} changed resource(s) in ${((Date.now() - started) / 1000).toFixed(0)} s; ${report.failures.length ? `FAILS:\n  ${report.failures.join("\n  ")}` : "passes"}`);
    }
    const unanswered = planner.unanswered();
    if (unanswered.length) console.error(`note: the plans asked the stub for ${unanswered.join("; ")}`);
    return report.failures.length ? 1 : 0;
  } finally {
    await planner.close();
    if (!args.includes("--keep")) fs.rmSync(root, { recursive: true, force: true });
    else console.error(`kept ${root}`);
  }
}

runMain("plan:safety", main);
