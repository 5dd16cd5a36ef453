import * as path from "path";
import { Testing } from "cdktf";
import { accountTargetKey, loadEnvironments } from "../../config/loader";
import { buildPlatform } from "../../stacks/platform";
import { OUTPUT_LAYOUT } from "../fixtures/layout";
import constraints from "../fixtures/aws-value-constraints.json";

// The attribute value constraints tflint's AWS ruleset enforces (enums, patterns, lengths),
// for the resource types this platform emits; copied from the team's shared reference
// (shared/reference/aws-value-constraints.json). Terraform itself would only find these at apply.
interface Constraint {
  resource: string;
  attribute: string;
  rule: string;
  enum?: string[];
  pattern?: string;
  min?: number;
  max?: number;
}

/** tflint's patterns are RE2/PCRE: `\x{000D}` becomes JavaScript's `\u{000D}`. */
function toRegExp(pattern: string): RegExp {
  return new RegExp(pattern.replace(/\\x\{([0-9A-Fa-f]+)\}/g, "\\u{$1}"), "u");
}

function violations(value: string, c: Constraint): string[] {
  return [
    ...(c.enum && !c.enum.includes(value) ? [`not one of ${c.enum.join(", ")}`] : []),
    ...(c.pattern && !toRegExp(c.pattern).test(value) ? [`does not match ${c.pattern}`] : []),
    ...(c.min !== undefined && value.length < c.min ? [`shorter than ${c.min}`] : []),
    ...(c.max !== undefined && value.length > c.max ? [`longer than ${c.max}`] : []),
  ];
}

describe("shipped environments", () => {
  const environments = loadEnvironments(path.join("config", "environments"));
  // One build for the tests that only read what its stacks synthesize (as in platform.test.ts).
  let built: ReturnType<typeof buildPlatform> | undefined;
  const shipped = () => (built ??= buildPlatform(Testing.app(), environments, {}, OUTPUT_LAYOUT));

  test("every literal attribute value is one AWS accepts", () => {
    const platform = shipped();
    const problems: string[] = [];
    let checked = 0;
    for (const stack of [...platform.environments, ...platform.accounts]) {
      const resources: Record<string, Record<string, Record<string, unknown>>> = JSON.parse(Testing.synth(stack)).resource ?? {};
      for (const c of constraints as Constraint[]) {
        for (const [name, body] of Object.entries(resources[c.resource] ?? {})) {
          const value = body[c.attribute];
          if (typeof value !== "string" || value.includes("${")) continue;
          checked++;
          for (const problem of violations(value, c)) problems.push(`${stack.node.id} ${c.resource}.${name} ${c.attribute} ${JSON.stringify(value)}: ${problem} (${c.rule})`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  // Lambda refuses a reservation that leaves less than 100 unreserved; a renamed function's
  // replacement (create_before_destroy) reserves its share again before the old one goes.
  test("the functions' reservations fit an account's default concurrency of 1000, with room to replace the largest", () => {
    const platform = shipped();
    const byAccount = new Map<string, number[]>();
    platform.environments.forEach((stack, i) => {
      const functions: Record<string, { reserved_concurrent_executions?: number }> = JSON.parse(Testing.synth(stack)).resource.aws_lambda_function;
      const key = accountTargetKey(environments[i].config);
      byAccount.set(key, [...(byAccount.get(key) ?? []), ...Object.values(functions).map((f) => f.reserved_concurrent_executions ?? 0)]);
    });
    const needed = [...byAccount].map(([account, reserved]): [string, number] => [account, reserved.reduce((a, b) => a + b, 0) + Math.max(...reserved)]);
    expect(needed.filter(([, total]) => total > 900)).toEqual([]);
  });

  test("the check catches a value AWS refuses", () => {
    const runtime = (constraints as Constraint[]).find((c) => c.rule === "aws_lambda_function_invalid_runtime")!;
    expect(violations("nodejs22.x", runtime)).toEqual([]);
    expect(violations("node22", runtime)).toEqual([expect.stringMatching(/^not one of /)]);
  });
});
