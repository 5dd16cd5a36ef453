/**
 * npm run policy -- [--dir <synth output>] [--format table|json|sarif] [--stack <name>]
 *                   [--suppressions <file>] [--pack <name>]
 * Exit 0: no error finding; 1: at least one; 2: the input cannot be checked.
 */
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

export function main(args: readonly string[], out: (text: string) => void, err: (text: string) => void): number {
  try {
    const options = parseArgs(args);
    const rules = PACKS[options.pack];
    const suppressions = loadSuppressions(options.suppressions ?? DEFAULT_SUPPRESSIONS_FILE, rules, options.suppressions !== undefined);
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
