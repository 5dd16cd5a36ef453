/**
 * npm run policy -- [--dir <synth output>] [--format table|json|sarif] [--stack <name>]
 *                   [--suppressions <file>] [--pack <name>]
 * Exit 0: no error finding; 1: at least one; 2: the input cannot be checked.
 * The project's own suppressions (policy/suppressions.yaml) apply only to a --dir inside the
 * project: they name this project's stacks and addresses, which another output may reuse for
 * other resources. Pass --suppressions for any other output.
 */
import * as path from "path";
import { checkStacks } from "./check";
import { loadStacks } from "./load";
import { Format, FORMATS, render } from "./report";
import { PACKS } from "./rules";
import { DEFAULT_SUPPRESSIONS_FILE, loadSuppressions, UnusableInputError } from "./suppressions";

interface Options {
  dir: string;
  format: Format;
  stack?: string;
  suppressions?: string;
  pack: string;
}

function parseArgs(args: readonly string[]): Options {
  const options: Options = { dir: "cdktf.out", format: "table", pack: "apigw" };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    const value = inline ?? args[++i];
    if (value === undefined) throw new UnusableInputError(`${flag} needs a value`);
    switch (flag) {
      case "--dir":
        options.dir = value;
        break;
      case "--format":
        if (!(FORMATS as readonly string[]).includes(value)) throw new UnusableInputError(`--format ${value}: expected one of ${FORMATS.join(", ")}`);
        options.format = value as Format;
        break;
      case "--stack":
        options.stack = value;
        break;
      case "--suppressions":
        options.suppressions = value;
        break;
      case "--pack":
        if (!PACKS[value]) throw new UnusableInputError(`--pack ${value}: expected one of ${Object.keys(PACKS).join(", ")}`);
        options.pack = value;
        break;
      default:
        throw new UnusableInputError(`unknown option ${flag}; options: --dir, --format, --stack, --suppressions, --pack`);
    }
  }
  return options;
}

/** Whether a directory lies inside the project (the working directory, where policy/suppressions.yaml is). */
function insideProject(dir: string): boolean {
  const relative = path.relative(process.cwd(), path.resolve(dir));
  return !relative.startsWith("..") && !path.isAbsolute(relative);
}

export function main(args: readonly string[], out: (text: string) => void, err: (text: string) => void): number {
  try {
    const options = parseArgs(args);
    const rules = PACKS[options.pack];
    const suppressions = options.suppressions !== undefined ? loadSuppressions(options.suppressions, rules, true) : insideProject(options.dir) ? loadSuppressions(DEFAULT_SUPPRESSIONS_FILE, rules, false) : [];
    const stacks = loadStacks(options.dir, options.stack);
    const report = checkStacks(stacks, rules, suppressions);
    out(render(report, options.format, rules, { dir: options.dir, stacks }));
    return report.summary.errors > 0 ? 1 : 0;
  } catch (error) {
    if (!(error instanceof UnusableInputError)) throw error;
    err(`policy: ${error.message}\n`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(
    process.argv.slice(2),
    (text) => process.stdout.write(text),
    (text) => process.stderr.write(text),
  );
}
