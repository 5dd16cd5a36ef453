import * as path from "path";
import { Testing } from "cdktf";
import { loadEnvironments } from "../../config/loader";
import { buildPlatform } from "../../stacks/platform";
import { OUTPUT_LAYOUT } from "../fixtures/layout";
import {
  authorizerOverrides,
  classifyTest,
  expr,
  firstAlone,
  hclBlock,
  hclString,
  hclValue,
  mockArn,
  mockDefaults,
  negativeCases,
  parseTestOutput,
  preventDestroyOverride,
  ProvidersSchema,
  requiredProviders,
  providerConfigs,
  SchemaBlock,
  StackJson,
  testFile,
} from "../../scripts/terraform";

const ctx = { account: "111111111111", region: "eu-west-1", partition: "aws" };
const resource = (type: string) => ({ kind: "resource" as const, type });
const run = (status: number | null, stdout = "", timedOut = false) => ({ args: [], status, stdout, stderr: "", seconds: 1, timedOut });

/** A schema that knows every type of the stack, each with the given block (default: none computed). */
function schemaFor(stack: StackJson, blocks: Record<string, SchemaBlock> = {}): ProvidersSchema {
  const of = (kind: "resource" | "data") => Object.fromEntries(Object.keys(stack[kind] ?? {}).map((type) => [type, { block: blocks[type] ?? {} }]));
  const sources = requiredProviders(stack).map((p) => p.source);
  return { provider_schemas: Object.fromEntries(sources.map((source) => [source, { resource_schemas: of("resource"), data_source_schemas: of("data") }])) };
}

describe("hclValue", () => {
  test("escapes quotes and template sequences so that Terraform reads strings literally", () => {
    expect(hclString('a "b" ${c} %{d}\n')).toBe('"a \\"b\\" $${c} %%{d}\\n"');
  });
  test("writes objects with bare or quoted keys, lists and expressions", () => {
    expect(hclValue({ ids: ["a", 1, true, null], "x.y": {}, target: expr("data.aws_x.y") })).toBe(
      '{\n  ids = [\n    "a",\n    1,\n    true,\n    null,\n  ]\n  "x.y" = {}\n  target = data.aws_x.y\n}',
    );
  });
  test("fails if a number has no HCL form", () => {
    expect(() => hclValue(Number.NaN)).toThrow(/no HCL form/);
  });
});

describe("hclBlock", () => {
  test("writes labels, then arguments, then nested blocks", () => {
    expect(hclBlock({ type: "run", labels: ["apply"], attributes: { command: expr("apply") }, blocks: [{ type: "override_data", attributes: { values: { names: [] } } }] })).toBe(
      'run "apply" {\n  command = apply\n  override_data {\n    values = {\n      names = []\n    }\n  }\n}',
    );
    expect(hclBlock({ type: "mock_provider", labels: ["aws"] })).toBe('mock_provider "aws" {}');
  });
});

describe("mockDefaults", () => {
  const role: SchemaBlock = {
    attributes: {
      arn: { type: "string", computed: true },
      name: { type: "string", optional: true, computed: true },
      assume_role_policy: { type: "string", required: true },
      max_session_duration: { type: "number", optional: true },
      tags_all: { type: ["map", "string"], computed: true },
    },
    block_types: { inline_policy: { nesting_mode: "set", block: { attributes: { name: { type: "string", computed: true } } } } },
  };
  test("gives every computed attribute a value and leaves the others to the configuration", () => {
    expect(mockDefaults(ctx, resource("aws_iam_role"), role)).toEqual({ arn: "arn:aws:iam::111111111111:role/mock-iam-role", name: "mock-iam-role", tags_all: {} });
  });
  test("an ACM certificate's validation record is a CNAME with a name and value", () => {
    const certificate: SchemaBlock = {
      attributes: {
        arn: { type: "string", computed: true },
        domain_validation_options: { type: ["set", ["object", { domain_name: "string", resource_record_name: "string", resource_record_type: "string", resource_record_value: "string" }]], computed: true },
      },
    };
    const defaults = mockDefaults(ctx, resource("aws_acm_certificate"), certificate) as Record<string, any>;
    expect(defaults.arn).toMatch(/^arn:aws:acm:eu-west-1:111111111111:certificate\/[0-9a-f-]{36}$/);
    expect(defaults.domain_validation_options).toEqual([
      { domain_name: "mock.example.com", resource_record_name: expect.stringMatching(/^_[0-9a-f]{32}\.mock\.example\.com\.$/), resource_record_type: "CNAME", resource_record_value: expect.stringMatching(/\.acm-validations\.aws\.$/) },
    ]);
  });
  test("Lambda's invoke ARN is API Gateway's path to the function, API ids look like API Gateway's", () => {
    const fn = mockDefaults(ctx, resource("aws_lambda_function"), { attributes: { invoke_arn: { type: "string", computed: true }, qualified_arn: { type: "string", computed: true } } });
    expect(fn.invoke_arn).toBe("arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111111111111:function:mock-lambda-function/invocations");
    expect(fn.qualified_arn).toBe("arn:aws:lambda:eu-west-1:111111111111:function:mock-lambda-function:1");
    const api = mockDefaults(ctx, resource("aws_api_gateway_rest_api"), { attributes: { id: { type: "string", computed: true }, execution_arn: { type: "string", computed: true } } });
    expect(api.id).toMatch(/^[a-z0-9]{10}$/);
    expect(api.execution_arn).toMatch(/^arn:aws:execute-api:eu-west-1:111111111111:[a-z0-9]{10}$/);
  });
  test("lists of ARNs or names get one element, other collections stay empty, nested attributes are objects", () => {
    const roles = mockDefaults(ctx, { kind: "data", type: "aws_iam_roles" }, { attributes: { arns: { type: ["set", "string"], computed: true }, names: { type: ["set", "string"], computed: true }, subnet_ids: { type: ["list", "string"], computed: true } } });
    expect(roles).toEqual({ arns: ["arn:aws:iam::111111111111:role/mock-iam-roles"], names: ["mock-iam-roles"], subnet_ids: [] });
    const nested = mockDefaults(ctx, resource("aws_vpc_endpoint"), {
      attributes: { dns_entry: { nested_type: { nesting_mode: "list", attributes: { dns_name: { type: "string", computed: true }, hosted_zone_id: { type: "string", computed: true } } }, computed: true } },
    }) as Record<string, any>;
    expect(nested.dns_entry).toEqual([{ dns_name: expect.stringMatching(/^vpce-[0-9a-f]{17}-[a-z0-9]{8}\.execute-api\.eu-west-1\.vpce\.amazonaws\.com$/), hosted_zone_id: expect.stringMatching(/^Z[A-Z0-9]{13}$/) }]);
  });
  test("ids are what Terraform makes them: a role's its name, a topic's its ARN, a KMS key's its key id", () => {
    const id = { attributes: { id: { type: "string", computed: true }, arn: { type: "string", computed: true }, key_id: { type: "string", computed: true } } } as const;
    expect(mockDefaults(ctx, resource("aws_iam_role"), id).id).toBe("mock-iam-role");
    const topic = mockDefaults(ctx, resource("aws_sns_topic"), id);
    expect(topic.id).toBe(topic.arn);
    const key = mockDefaults(ctx, resource("aws_kms_key"), id);
    expect(key.id).toBe(key.key_id);
    expect(key.arn).toBe(`arn:aws:kms:eu-west-1:111111111111:key/${key.key_id}`);
  });
  test("is the same on every run", () => {
    expect(mockArn(ctx, resource("aws_kms_key"))).toBe(mockArn(ctx, resource("aws_kms_key")));
  });
  test.each([
    ["aws_s3_bucket", /^arn:aws:s3:::mock-s3-bucket$/],
    ["aws_cloudwatch_log_group", /^arn:aws:logs:eu-west-1:111111111111:log-group:mock-cloudwatch-log-group$/],
    ["aws_kinesis_stream", /^arn:aws:kinesis:eu-west-1:111111111111:stream\/mock-kinesis-stream$/],
    ["aws_dynamodb_table", /^arn:aws:dynamodb:eu-west-1:111111111111:table\/mock-dynamodb-table$/],
    ["aws_sns_topic", /^arn:aws:sns:eu-west-1:111111111111:mock-sns-topic$/],
    ["aws_apigatewayv2_api", /^arn:aws:apigateway:eu-west-1::\/apis\/[a-z0-9]{10}$/],
  ])("the ARN of %s is one of its service", (type, pattern) => {
    expect(mockArn(ctx, resource(type))).toMatch(pattern);
  });
});

const REST_BODY = JSON.stringify({ components: { securitySchemes: { api_key: { type: "apiKey" }, users: { "x-amazon-apigateway-authorizer": {} }, tokens: { "x-amazon-apigateway-authorizer": {} } } } });
const STACK: StackJson = {
  terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" } } },
  provider: { aws: [{ region: "eu-west-1", allowed_account_ids: ["222222222222"] }, { alias: "edge", region: "us-east-1" }] },
  resource: {
    aws_api_gateway_rest_api_put: { definition: { body: REST_BODY } },
    aws_route53_record: { validation: { lifecycle: { prevent_destroy: true, ignore_changes: ["name"] } }, alias: { lifecycle: { create_before_destroy: true } } },
    aws_acm_certificate: { edge: { provider: "aws.edge" } },
  },
  data: {
    aws_api_gateway_authorizers: { ids: { depends_on: ["aws_api_gateway_rest_api_put.definition"] } },
    aws_api_gateway_authorizer: { a0: { authorizer_id: "${element(data.aws_api_gateway_authorizers.ids.ids, 0)}" }, a1: { authorizer_id: "${element(data.aws_api_gateway_authorizers.ids.ids, 1)}" } },
    aws_iam_roles: { role: { lifecycle: { postcondition: [{ condition: "${length(self.names) == 1}", error_message: "the role is missing" }] } } },
  },
};

describe("providerConfigs", () => {
  test("one per provider block, aliases included, with the account and region each is pinned to", () => {
    expect(providerConfigs(STACK)).toEqual([
      { name: "aws", context: { account: "222222222222", region: "eu-west-1", partition: "aws" } },
      { name: "aws", alias: "edge", context: { account: "123456789012", region: "us-east-1", partition: "aws" } },
    ]);
  });
  test("adds the unaliased configuration Terraform implies when a stack writes only aliased ones", () => {
    expect(providerConfigs({ terraform: STACK.terraform, provider: { aws: [{ alias: "a" }] } }).map((c) => c.alias)).toEqual(["a", undefined]);
  });
});

describe("authorizerOverrides", () => {
  test("lists the ids and names each read-back after the document's authorizers, in its order", () => {
    const blocks = authorizerOverrides(STACK);
    const values = blocks.map((b) => [(b.attributes!.target as { expression: string }).expression, b.attributes!.values]);
    const ids = (values[0][1] as { ids: string[] }).ids;
    expect(ids).toHaveLength(2);
    expect(values).toEqual([
      ["data.aws_api_gateway_authorizers.ids", { ids }],
      ["data.aws_api_gateway_authorizer.a0", { name: "users", authorizer_id: ids[0] }],
      ["data.aws_api_gateway_authorizer.a1", { name: "tokens", authorizer_id: ids[1] }],
    ]);
  });
  test("fails if the listing depends on no REST API document", () => {
    expect(() => authorizerOverrides({ data: { aws_api_gateway_authorizers: { ids: {} } } })).toThrow(/data.aws_api_gateway_authorizers.ids depends on no REST API document/);
  });
});

describe("preventDestroyOverride", () => {
  test("turns prevent_destroy off on exactly the resources that set it", () => {
    expect(preventDestroyOverride(STACK)).toEqual({ resource: { aws_route53_record: { validation: { lifecycle: { prevent_destroy: false } } } } });
    expect(preventDestroyOverride({ resource: { aws_s3_bucket: { b: {} } } })).toBeUndefined();
  });
});

describe("negativeCases", () => {
  test("the CloudWatch role check fails when the role is missing: no names", () => {
    const { cases, unknown } = negativeCases(STACK);
    expect(unknown).toEqual([]);
    expect(cases.map((c) => [c.name, c.condition.address, c.blocks[0].attributes!.values])).toEqual([
      ["violates_postcondition_data_aws_iam_roles_role", "data.aws_iam_roles.role", { names: [], arns: [] }],
    ]);
  });
  test("fails if a condition has no rule: it is reported, not skipped", () => {
    const stack: StackJson = { resource: { aws_s3_bucket: { b: { lifecycle: { precondition: [{ condition: "${var.x != \"\"}", error_message: "x" }] } } } }, check: { health: { assert: [{ condition: "${true}", error_message: "y" }] } } };
    expect(negativeCases(stack).unknown.map((c) => [c.address, c.kind])).toEqual([
      ["aws_s3_bucket.b", "precondition"],
      ["check.health", "assert"],
    ]);
  });
});

describe("testFile", () => {
  const file = testFile(STACK, schemaFor(STACK, { aws_iam_role: {} }), "prod");
  test("mocks every provider configuration, plans, applies and runs each negative case with expect_failures", () => {
    expect(file.text.match(/^mock_provider "aws" \{\n(  alias = "edge"\n)?/gm)).toEqual(['mock_provider "aws" {\n', 'mock_provider "aws" {\n  alias = "edge"\n']);
    expect(file.text).toMatch(/^run "plan" \{\n  command = plan\n\}/m);
    expect(file.text).toMatch(/^run "apply" \{\n  command = apply\n\}/m);
    expect(file.text).toMatch(/^run "violates_postcondition_data_aws_iam_roles_role" \{\n  command = plan\n  expect_failures = \[\n    data.aws_iam_roles.role,\n  \]\n  override_data \{/m);
    expect(file.text.indexOf('run "plan"')).toBeLessThan(file.text.indexOf('run "apply"'));
  });
  test("fails if the schema lacks a type the stack uses", () => {
    const schema = schemaFor(STACK);
    delete (schema.provider_schemas!["registry.terraform.io/hashicorp/aws"].resource_schemas as Record<string, unknown>).aws_route53_record;
    expect(() => testFile(STACK, schema, "prod")).toThrow(/has no resource type aws_route53_record/);
  });
});

describe("parseTestOutput", () => {
  test("reads each run's status", () => {
    const output = 'tests/apigw.tftest.hcl... in progress\n  run "plan"... pass\n  run "apply"... fail\n  run "violates_x"... skip\ntests/apigw.tftest.hcl... tearing down\n';
    expect(parseTestOutput(output)).toEqual({ plan: "pass", apply: "fail", violates_x: "skip" });
  });
});

describe("classifyTest", () => {
  const file = testFile(STACK, schemaFor(STACK), "prod");
  const allPass = 'run "plan"... pass\nrun "apply"... pass\nrun "violates_postcondition_data_aws_iam_roles_role"... pass\n';
  test("passes only when plan, apply and every negative case pass", () => {
    expect(classifyTest("prod", run(0), run(0, allPass), file)).toMatchObject({ result: "passed", plan: "pass", apply: "pass", negativesPassed: 1, negatives: 1 });
  });
  test("fails if a negative case did not fail as it should", () => {
    const output = 'run "plan"... pass\nrun "apply"... pass\nrun "violates_postcondition_data_aws_iam_roles_role"... fail\n\nError: Missing expected failure\n';
    expect(classifyTest("prod", run(0), run(1, output), file)).toMatchObject({ result: "failed", negativesPassed: 0, reason: expect.stringContaining('run "violates_postcondition_data_aws_iam_roles_role" fail') });
  });
  test("fails if the apply failed, and if terraform test exited non-zero after passing runs (teardown)", () => {
    expect(classifyTest("prod", run(0), run(1, 'run "plan"... pass\nrun "apply"... fail\n'), file)).toMatchObject({ result: "failed", apply: "fail" });
    expect(classifyTest("prod", run(0), run(1, `${allPass}\nError: Instance cannot be destroyed\n`), file)).toMatchObject({ result: "failed", reason: expect.stringContaining("Instance cannot be destroyed") });
  });
  test("is NOT RUN when the providers could not be installed, never passed", () => {
    const registryDown = "Error: Failed to query available provider packages\n\nCould not retrieve the list of available versions for provider hashicorp/tfe";
    expect(classifyTest("tfc", run(1, registryDown), undefined, undefined)).toMatchObject({ result: "NOT RUN", reason: expect.stringContaining("Failed to query available provider packages") });
  });
  test("fails if a condition has no negative case", () => {
    const stack: StackJson = { ...STACK, check: { health: { assert: [{ condition: "${true}", error_message: "y" }] } } };
    const unknownFile = testFile(stack, schemaFor(stack), "prod");
    expect(classifyTest("prod", run(0), run(0, allPass), unknownFile)).toMatchObject({ result: "failed", reason: expect.stringContaining("no negative case for check.health assert") });
  });
});

describe("firstAlone", () => {
  test("runs the first call of a key alone and the others after it", async () => {
    const gate = firstAlone();
    const events: string[] = [];
    const task = (name: string, ms: number) => async () => {
      events.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([gate("aws", task("first", 20)), gate("aws", task("second", 1)), gate("tfe", task("other", 1))]);
    expect(results).toEqual(["first", "second", "other"]);
    expect(events.indexOf("start second")).toBeGreaterThan(events.indexOf("end first"));
    expect(events.indexOf("start other")).toBeLessThan(events.indexOf("end first"));
  });
});

describe("shipped stacks", () => {
  // The generator reads only the synthesized JSON: one synth of the platform serves every test here.
  const platform = buildPlatform(Testing.app(), loadEnvironments(path.join("config", "environments")), { TFC_ORGANIZATION: "acme" }, OUTPUT_LAYOUT);
  const stacks = [...platform.environments, ...platform.accounts, ...platform.endpoints, ...(platform.tfc ? [platform.tfc] : [])].map(
    (s) => [s.node.id, JSON.parse(Testing.synth(s, true)) as StackJson] as const,
  );
  test.each(stacks.map(([name, json]) => [name, json]))("%s: every condition has a negative case and the test file generates", (name, json) => {
    expect(negativeCases(json).unknown).toEqual([]);
    expect(() => testFile(json, schemaFor(json), name)).not.toThrow();
  });
  test("the CloudWatch role postcondition of each environment stack gets its negative case", () => {
    const withCase = stacks.filter(([, json]) => negativeCases(json).cases.some((c) => c.condition.address.startsWith("data.aws_iam_roles.cloudwatch-role-check"))).map(([name]) => name);
    expect(withCase).toEqual(platform.environments.map((s) => s.node.id));
  });
});
