import { MockContext, MockKind, mockDefaults, ProvidersSchema, schemaOf, token } from "./mock";
import { expr, HclBlock, hclFile, HclValue } from "./hcl";
import { requiredProviders, StackJson } from "./provider";
import { firstError, initFailureKind, TerraformRun } from "./run";

/** Where the generated test lives in a scratch copy (terraform test reads tests/*.tftest.hcl). */
export const TEST_FILE = "tests/apigw.tftest.hcl";
/** The test-only override file: prevent_destroy off, so that the test's own teardown can destroy. */
export const TEST_OVERRIDE_FILE = "zz_apigw_test_override.tf.json";

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** A provider configuration of the stack: its local name and alias, and the account and region it is pinned to. */
export interface ProviderConfig {
  readonly name: string;
  readonly alias?: string;
  readonly context: MockContext;
}

const asArray = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value : value && typeof value === "object" ? [value as Record<string, unknown>] : []);

/** Every provider configuration, one unaliased per required provider even when the stack writes none. */
export function providerConfigs(stack: StackJson): ProviderConfig[] {
  const configs: ProviderConfig[] = [];
  for (const { name } of requiredProviders(stack)) {
    const blocks = asArray(stack.provider?.[name]);
    if (!blocks.some((b) => !b.alias)) blocks.push({});
    for (const block of blocks) {
      const accounts = block.allowed_account_ids as string[] | undefined;
      const context = { account: accounts?.[0] ?? "123456789012", region: typeof block.region === "string" ? block.region : "us-east-1", partition: "aws" };
      configs.push({ name, ...(typeof block.alias === "string" ? { alias: block.alias } : {}), context });
    }
  }
  return configs;
}

/** The resource and data source types of a stack, by provider local name (a type's prefix, or its `provider`). */
export function typesByProvider(stack: StackJson): Map<string, { kind: MockKind; type: string }[]> {
  const found = new Map<string, { kind: MockKind; type: string }[]>();
  for (const kind of ["resource", "data"] as const) {
    for (const [type, blocks] of Object.entries((stack[kind] ?? {}) as Blocks)) {
      const names = new Set(Object.values(blocks).map((b) => (typeof b.provider === "string" ? b.provider.split(".")[0] : type.split("_")[0])));
      for (const name of names) {
        if (!found.has(name)) found.set(name, []);
        found.get(name)!.push({ kind, type });
      }
    }
  }
  return found;
}

/** One mock_provider block per provider configuration, with generated defaults for every type the stack uses. */
export function mockProviders(stack: StackJson, schema: ProvidersSchema): HclBlock[] {
  const sources = new Map(requiredProviders(stack).map((p) => [p.name, p.source]));
  const types = typesByProvider(stack);
  return providerConfigs(stack).map((config) => ({
    type: "mock_provider",
    labels: [config.name],
    ...(config.alias ? { attributes: { alias: config.alias } } : {}),
    blocks: (types.get(config.name) ?? []).map((target) => ({
      type: target.kind === "resource" ? "mock_resource" : "mock_data",
      labels: [target.type],
      attributes: { defaults: mockDefaults(config.context, target, schemaOf(schema, sources.get(config.name) ?? config.name, target)) as HclValue },
    })),
  }));
}


/**
 * The authorizers a REST API's OpenAPI document defines, in document order: the securitySchemes with an
 * `x-amazon-apigateway-authorizer`.
 */
export function documentAuthorizers(body: string): string[] {
  const document = JSON.parse(body) as { components?: { securitySchemes?: Record<string, Record<string, unknown>> }; securityDefinitions?: Record<string, Record<string, unknown>> };
  const schemes = document.components?.securitySchemes ?? document.securityDefinitions ?? {};
  return Object.entries(schemes)
    .filter(([, scheme]) => scheme["x-amazon-apigateway-authorizer"] !== undefined)
    .map(([name]) => name);
}

/**
 * override_data for the authorizer read-back (modules/shared/rest-authorizers.ts): API Gateway assigns
 * the ids when the document is imported, the stack lists them (aws_api_gateway_authorizers) and reads
 * each one's name (aws_api_gateway_authorizer). A mock lists none and names them at random, so the
 * lookup by name fails; these give the listed ids and the document's names in its order.
 */
export function authorizerOverrides(stack: StackJson): HclBlock[] {
  const data = (stack.data ?? {}) as Blocks;
  const resources = (stack.resource ?? {}) as Blocks;
  const blocks: HclBlock[] = [];
  for (const [listName, list] of Object.entries(data.aws_api_gateway_authorizers ?? {})) {
    const definition = ((list.depends_on as string[] | undefined) ?? []).map((d) => d.split(".")).find(([type]) => type === "aws_api_gateway_rest_api_put" || type === "aws_api_gateway_rest_api");
    const body = definition ? resources[definition[0]]?.[definition[1]]?.body : undefined;
    if (typeof body !== "string") throw new Error(`data.aws_api_gateway_authorizers.${listName} depends on no REST API document (aws_api_gateway_rest_api_put) whose authorizers could name the ids`);
    const names = documentAuthorizers(body);
    const ids = names.map((name) => token(`${listName}.${name}`, 6));
    blocks.push({ type: "override_data", attributes: { target: expr(`data.aws_api_gateway_authorizers.${listName}`), values: { ids } } });
    for (const [readName, read] of Object.entries(data.aws_api_gateway_authorizer ?? {})) {
      const match = new RegExp(`^\\$\\{element\\(data\\.aws_api_gateway_authorizers\\.${listName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.ids, (\\d+)\\)\\}$`).exec(String(read.authorizer_id));
      if (!match) continue;
      const index = Number(match[1]);
      if (index >= names.length) throw new Error(`data.aws_api_gateway_authorizer.${readName} reads authorizer ${index} of ${listName}, whose document defines ${names.length}`);
      blocks.push({ type: "override_data", attributes: { target: expr(`data.aws_api_gateway_authorizer.${readName}`), values: { name: names[index], authorizer_id: ids[index] } } });
    }
  }
  return blocks;
}

/** The resources that refuse to be destroyed, as the test-only override that lets the teardown destroy them. */
export function preventDestroyOverride(stack: StackJson): Record<string, unknown> | undefined {
  const resource: Record<string, Record<string, unknown>> = {};
  for (const [type, blocks] of Object.entries((stack.resource ?? {}) as Blocks)) {
    for (const [name, block] of Object.entries(blocks)) {
      if ((block.lifecycle as { prevent_destroy?: unknown } | undefined)?.prevent_destroy === true) (resource[type] ??= {})[name] = { lifecycle: { prevent_destroy: false } };
    }
  }
  return Object.keys(resource).length ? { resource } : undefined;
}

/** A custom condition of the stack: a resource's or data source's pre/postcondition, a check's assert, an output's precondition, a variable's validation. */
export interface StackCondition {
  /** What expect_failures names: data.aws_iam_roles.x, check.y, output.z, var.v. */
  readonly address: string;
  readonly kind: "precondition" | "postcondition" | "assert" | "validation";
  readonly condition: string;
  readonly errorMessage: string;
}

export function stackConditions(stack: StackJson & { variable?: Record<string, unknown> }): StackCondition[] {
  const found: StackCondition[] = [];
  const add = (address: string, kind: StackCondition["kind"], rules: unknown) => {
    for (const rule of asArray(rules)) found.push({ address, kind, condition: String(rule.condition), errorMessage: String(rule.error_message ?? "") });
  };
  for (const kind of ["resource", "data"] as const) {
    for (const [type, blocks] of Object.entries((stack[kind] ?? {}) as Blocks)) {
      for (const [name, block] of Object.entries(blocks)) {
        const lifecycle = (block.lifecycle ?? {}) as Record<string, unknown>;
        const address = `${kind === "data" ? "data." : ""}${type}.${name}`;
        add(address, "precondition", lifecycle.precondition);
        add(address, "postcondition", lifecycle.postcondition);
      }
    }
  }
  for (const [name, check] of Object.entries((stack.check ?? {}) as Record<string, Record<string, unknown>>)) add(`check.${name}`, "assert", check.assert);
  for (const [name, output] of Object.entries((stack.output ?? {}) as Record<string, Record<string, unknown>>)) add(`output.${name}`, "precondition", output.precondition);
  for (const [name, variable] of Object.entries((stack.variable ?? {}) as Record<string, Record<string, unknown>>)) add(`var.${name}`, "validation", variable.validation);
  return found;
}

/** A run that must fail on one condition: its overrides violate it, expect_failures names it. */
export interface NegativeCase {
  readonly name: string;
  readonly condition: StackCondition;
  /** What the run changes to violate the condition. */
  readonly how: string;
  readonly blocks: readonly HclBlock[];
}

/**
 * The ways a condition can be violated, by its form. A condition no rule knows fails the test run (its
 * negative case is missing), so a new condition cannot go untested.
 */
const VIOLATIONS: readonly {
  readonly matches: (condition: StackCondition) => RegExpExecArray | null;
  readonly violate: (condition: StackCondition, match: RegExpExecArray) => { how: string; blocks: HclBlock[] };
}[] = [
  {
    // A data source's result counted: `length(self.names) == 1` (the CloudWatch role exists, once).
    matches: (c) => (c.kind === "postcondition" && c.address.startsWith("data.") ? /^\$\{length\(self\.([a-z_]+)\) == (\d+)\}$/.exec(c.condition) : null),
    violate: (c, [, attribute, count]) => {
      const values = Number(count) === 0 ? ["mock-extra"] : [];
      return {
        how: `${c.address}.${attribute} = ${JSON.stringify(values)}`,
        blocks: [{ type: "override_data", attributes: { target: expr(c.address), values: { [attribute]: values, ...(attribute === "names" ? { arns: [] } : {}) } } }],
      };
    },
  },
];

export function negativeCases(stack: StackJson): { cases: NegativeCase[]; unknown: StackCondition[] } {
  const cases: NegativeCase[] = [];
  const unknown: StackCondition[] = [];
  for (const condition of stackConditions(stack)) {
    const rule = VIOLATIONS.map((v) => ({ v, match: v.matches(condition) })).find((r) => r.match);
    if (!rule) {
      unknown.push(condition);
      continue;
    }
    const { how, blocks } = rule.v.violate(condition, rule.match!);
    const name = `violates_${condition.kind}_${condition.address.replace(/[^A-Za-z0-9_-]/g, "_")}`;
    cases.push({ name, condition, how, blocks });
  }
  return { cases, unknown };
}

export interface TestFile {
  readonly text: string;
  readonly negatives: readonly NegativeCase[];
  /** Conditions without a negative case: the stack fails. */
  readonly unknown: readonly StackCondition[];
}

/**
 * The test file of a stack: mocked providers, the authorizer read-back, `run "plan"` (command = plan),
 * `run "apply"` (command = apply), then one plan per negative case that must fail on its condition.
 */
export function testFile(stack: StackJson, schema: ProvidersSchema, stackName: string): TestFile {
  const { cases, unknown } = negativeCases(stack);
  const runs: HclBlock[] = [
    { type: "run", labels: ["plan"], attributes: { command: expr("plan") } },
    { type: "run", labels: ["apply"], attributes: { command: expr("apply") } },
    ...cases.map((c) => ({ type: "run", labels: [c.name], attributes: { command: expr("plan"), expect_failures: [expr(c.condition.address)] }, blocks: c.blocks })),
  ];
  const text = hclFile(
    [...mockProviders(stack, schema), ...authorizerOverrides(stack), ...runs],
    `Generated by npm run test:terraform for stack ${stackName}: do not edit.\nMock values come from the providers' schemas (scripts/terraform/mock.ts).`,
  );
  return { text, negatives: cases, unknown };
}

export type RunStatus = "pass" | "fail" | "error" | "skip";

/** The runs' results in terraform test's plain output: `  run "plan"... pass`. */
export function parseTestOutput(output: string): Record<string, RunStatus> {
  const runs: Record<string, RunStatus> = {};
  for (const match of output.matchAll(/^\s*run "([^"]+)"\.\.\. (pass|fail|error|skip)\s*$/gm)) runs[match[1]] = match[2] as RunStatus;
  return runs;
}

export type TestResult = "passed" | "failed" | "NOT RUN";

export interface StackTest {
  readonly stack: string;
  readonly result: TestResult;
  readonly plan: RunStatus | "-";
  readonly apply: RunStatus | "-";
  /** Negative cases that failed as they should, of how many. */
  readonly negativesPassed: number;
  readonly negatives: number;
  readonly seconds: number;
  readonly reason?: string;
  readonly output?: string;
}

/**
 * One stack's result: NOT RUN when its providers could not be installed (nothing was tested); passed
 * only when terraform test exited 0, plan, apply and every negative case passed and every condition has
 * a negative case; failed otherwise.
 */
export function classifyTest(stack: string, init: TerraformRun, test: TerraformRun | undefined, file: TestFile | undefined, error?: string): StackTest {
  const seconds = init.seconds + (test?.seconds ?? 0);
  const none = { stack, plan: "-" as const, apply: "-" as const, negativesPassed: 0, negatives: file?.negatives.length ?? 0, seconds };
  if (init.status !== 0) {
    const output = `${init.stdout}${init.stderr}`;
    const kind = init.timedOut ? "error" : initFailureKind(output);
    return { ...none, result: kind === "providers" ? "NOT RUN" : "failed", reason: init.timedOut ? "terraform init timed out" : `init: ${firstError(output)}`, output };
  }
  if (error || !test || !file) return { ...none, result: "failed", reason: error ?? "terraform test did not run" };
  const output = `${test.stdout}${test.stderr}`;
  const runs = parseTestOutput(output);
  const negativesPassed = file.negatives.filter((n) => runs[n.name] === "pass").length;
  const base = { ...none, plan: runs.plan ?? ("-" as const), apply: runs.apply ?? ("-" as const), negativesPassed };
  const failedRun = Object.entries(runs).find(([, status]) => status !== "pass");
  if (test.status !== 0 || failedRun || base.plan !== "pass" || base.apply !== "pass" || negativesPassed < file.negatives.length) {
    const reason = test.timedOut ? "terraform test timed out" : failedRun ? `run "${failedRun[0]}" ${failedRun[1]}: ${firstError(output)}` : firstError(output);
    return { ...base, result: "failed", reason, output };
  }
  if (file.unknown.length > 0) {
    return { ...base, result: "failed", reason: `no negative case for ${file.unknown.map((c) => `${c.address} ${c.kind} ${c.condition}`).join("; ")} (add a rule to VIOLATIONS in scripts/terraform/tftest.ts)` };
  }
  return { ...base, result: "passed" };
}
