/**
 * npm run diagram -- [--dir <synth output>] [--stack <name>] [--format svg|dot|mermaid]
 *                    [--findings <policy JSON report>] [--policy]
 * Writes <dir>/diagrams/<stack>.svg (.dot, .mmd) for every stack, and in svg format
 * <dir>/diagrams/<stack>-dashboard.svg, a picture of each CloudWatch dashboard. Exit 0, or 2 when
 * the input is unusable.
 */
import * as fs from "fs";
import * as path from "path";
import { checkStacks } from "../policy/check";
import { loadStacks } from "../policy/load";
import { PACKS } from "../policy/rules";
import { DEFAULT_SUPPRESSIONS_FILE, loadSuppressions, UnusableInputError } from "../policy/suppressions";
import type { Finding } from "../policy/types";
import { renderDashboard } from "./dashboard";
import { buildDiagram, withFindings } from "./graph";
import { toDot, toMermaid } from "./render";
import { renderSvg } from "./svg";

export const DIAGRAM_FORMATS = { svg: "svg", dot: "dot", mermaid: "mmd" } as const;
type DiagramFormat = keyof typeof DIAGRAM_FORMATS;

interface Options {
  dir: string;
  format: DiagramFormat;
  stack?: string;
  findings?: string;
  policy: boolean;
}

function parseArgs(args: readonly string[]): Options {
  const options: Options = { dir: "cdktf.out", format: "svg", policy: false };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    if (flag === "--policy") {
      options.policy = true;
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new UnusableInputError(`${flag} needs a value`);
    switch (flag) {
      case "--dir":
        options.dir = value;
        break;
      case "--stack":
        options.stack = value;
        break;
      case "--format":
        if (!(value in DIAGRAM_FORMATS)) throw new UnusableInputError(`--format ${value}: expected one of ${Object.keys(DIAGRAM_FORMATS).join(", ")}`);
        options.format = value as DiagramFormat;
        break;
      case "--findings":
        options.findings = value;
        break;
      default:
        throw new UnusableInputError(`unknown option ${flag}; options: --dir, --stack, --format, --findings, --policy`);
    }
  }
  return options;
}

/** The findings of a `npm run policy -- --format json` report. */
function readFindings(file: string): Finding[] {
  let report: unknown;
  try {
    report = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new UnusableInputError(`${file}: cannot read a policy JSON report: ${(error as Error).message}`);
  }
  const findings = (report as { findings?: unknown })?.findings;
  if (!Array.isArray(findings) || findings.some((f) => typeof f?.stack !== "string" || typeof f?.address !== "string" || typeof f?.rule !== "string")) {
    throw new UnusableInputError(`${file}: not a policy JSON report (npm run policy -- --format json): expected {"findings": [{stack, address, rule, severity}, ...]}`);
  }
  return findings as Finding[];
}

export async function main(args: readonly string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  try {
    const options = parseArgs(args);
    const stacks = loadStacks(options.dir, options.stack);
    const findings = [
      ...(options.findings ? readFindings(options.findings) : []),
      ...(options.policy ? checkStacks(stacks, PACKS.apigw, loadSuppressions(DEFAULT_SUPPRESSIONS_FILE, PACKS.apigw, false)).findings : []),
    ];
    const target = path.join(options.dir, "diagrams");
    fs.mkdirSync(target, { recursive: true });
    for (const stack of stacks) {
      const diagram = withFindings(buildDiagram(stack), findings);
      const text = options.format === "mermaid" ? toMermaid(diagram) : options.format === "dot" ? toDot(diagram) : await renderSvg(toDot(diagram));
      const file = path.join(target, `${stack.name}.${DIAGRAM_FORMATS[options.format]}`);
      fs.writeFileSync(file, text);
      out(`${file}\n`);
      if (options.format !== "svg") continue;
      for (const dashboard of stack.resources("aws_cloudwatch_dashboard")) {
        if (typeof dashboard.body.dashboard_body !== "string") continue;
        const picture = path.join(target, `${stack.name}-dashboard.svg`);
        fs.writeFileSync(picture, renderDashboard(String(dashboard.body.dashboard_name ?? stack.name), dashboard.body.dashboard_body));
        out(`${picture}\n`);
      }
    }
    return 0;
  } catch (error) {
    if (!(error instanceof UnusableInputError)) throw error;
    err(`diagram: ${error.message}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(
    process.argv.slice(2),
    (text) => process.stdout.write(text),
    (text) => process.stderr.write(text),
  ).then((code) => (process.exitCode = code));
}
