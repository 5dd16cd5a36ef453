import * as fs from "fs";
import * as path from "path";
import { StackView } from "./stack";
import { UnusableInputError } from "./suppressions";

/** Reads `<dir>/stacks/*\/cdk.tf.json` of any cdktf output, optionally one stack only. */
export function loadStacks(dir: string, only?: string): StackView[] {
  const stacksDir = path.join(dir, "stacks");
  if (!fs.existsSync(dir)) throw new UnusableInputError(`${dir}: no such directory (synthesize first: npm run synth)`);
  if (!fs.existsSync(stacksDir)) throw new UnusableInputError(`${stacksDir}: no stacks directory; is ${dir} a cdktf output directory?`);
  const names = fs
    .readdirSync(stacksDir)
    .filter((name) => fs.existsSync(path.join(stacksDir, name, "cdk.tf.json")))
    .sort();
  if (names.length === 0) throw new UnusableInputError(`${stacksDir}: no stacks (no */cdk.tf.json)`);
  if (only !== undefined && !names.includes(only)) throw new UnusableInputError(`${stacksDir}: no stack ${JSON.stringify(only)}; stacks: ${names.join(", ")}`);
  return names
    .filter((name) => only === undefined || name === only)
    .map((name) => {
      // Terraform reads every .tf and .tf.json file of the directory (overrides included); only cdk.tf.json is checked.
      const others = fs.readdirSync(path.join(stacksDir, name)).filter((f) => /\.tf(\.json)?$/.test(f) && f !== "cdk.tf.json");
      if (others.length) throw new UnusableInputError(`${path.join(stacksDir, name)}: holds ${others.join(", ")} besides cdk.tf.json; Terraform would plan and apply them too, unchecked: remove them`);
      const file = path.join(stacksDir, name, "cdk.tf.json");
      const text = fs.readFileSync(file, "utf8");
      try {
        return new StackView(name, JSON.parse(text), text);
      } catch (error) {
        throw new UnusableInputError(`${file}: malformed JSON: ${(error as Error).message}`);
      }
    });
}
