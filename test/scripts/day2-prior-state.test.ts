import { encodeDynamic, fillUnknowns, SchemaBlock, sensitivePaths, stateFile, stateProvider } from "../../scripts/day2/prior-state";
import { providerOverrides, stubAccessKey, stubWorldOf } from "../../scripts/day2/stub-aws";

const ctx = { accountId: "111111111111", region: "eu-west-1" };
const fill = (type: string, after: Record<string, unknown>, unknown: unknown, block?: SchemaBlock, previous?: unknown) =>
  fillUnknowns(after, unknown, block, { type, values: after, seed: `${type}.x` }, ctx, previous) as Record<string, any>;

describe("fillUnknowns", () => {
  test("gives ids and ARNs the form AWS gives them, from the planned name", () => {
    const role = fill("aws_iam_role", { name: "apigw-dev-users-role", path: "/" }, { arn: true, id: true, unique_id: true });
    expect(role).toMatchObject({ arn: "arn:aws:iam::111111111111:role/apigw-dev-users-role", id: "apigw-dev-users-role", path: "/" });
    expect(role.unique_id).toMatch(/^AROA[A-Z2-7]{17}$/);
    const fn = fill("aws_lambda_function", { function_name: "apigw-dev-users" }, { arn: true, invoke_arn: true });
    expect(fn.invoke_arn).toBe("arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111111111111:function:apigw-dev-users/invocations");
    expect(fill("aws_sqs_queue", { name: "q" }, { id: true, url: true }).url).toBe("https://sqs.eu-west-1.amazonaws.com/111111111111/q");
  });

  test("fills a policy with a valid empty policy and leaves an unnamed enumerated attribute null", () => {
    const block: SchemaBlock = { attributes: { policy: { type: "string" }, fifo_throughput_scope: { type: "string" }, delay: { type: "number" } } };
    const filled = fill("aws_sns_topic", { name: "t" }, { policy: true, fifo_throughput_scope: true, delay: true }, block);
    expect(JSON.parse(filled.policy)).toEqual({ Version: "2012-10-17", Statement: [] });
    expect(filled.fifo_throughput_scope).toBeNull();
    expect(filled.delay).toBeNull();
  });

  test("fills an unknown block as a list of one object, by the schema's nesting", () => {
    const block: SchemaBlock = { block_types: { options: { nesting_mode: "list", block: { attributes: { certificate_transparency_logging_preference: { type: "string" } } } } } };
    expect(fill("aws_acm_certificate", { domain_name: "a.example.com" }, { options: true }, block).options).toEqual([{ certificate_transparency_logging_preference: "ENABLED" }]);
  });

  test("keeps what an earlier round filled", () => {
    expect(fill("aws_api_gateway_rest_api", { name: "api" }, { id: true }, undefined, { id: "abc1234567" }).id).toBe("abc1234567");
  });
});

describe("state encoding", () => {
  test("writes dynamically-typed attributes with their type, as terraform_data's", () => {
    const block: SchemaBlock = { attributes: { input: { type: "dynamic" }, id: { type: "string" } } };
    expect(encodeDynamic({ input: { domainName: "a", n: 1 }, id: "x" }, block)).toEqual({ input: { value: { domainName: "a", n: 1 }, type: ["object", { domainName: "string", n: "number" }] }, id: "x" });
  });

  test("marks the attributes the plan marks sensitive, as paths of steps", () => {
    expect(sensitivePaths({ value: true, tags: {}, list: [false, { key: true }] })).toEqual([
      [{ type: "get_attr", value: "value" }],
      [{ type: "get_attr", value: "list" }, { type: "index", value: { value: 1, type: "number" } }, { type: "get_attr", value: "key" }],
    ]);
  });

  test("groups instances by resource and records the aliased provider", () => {
    expect(stateProvider("registry.terraform.io/hashicorp/aws", "aws.us_east_1")).toBe('provider["registry.terraform.io/hashicorp/aws"].us_east_1');
    const instance = { type: "aws_s3_bucket", name: "b", provider: stateProvider("registry.terraform.io/hashicorp/aws", "aws"), schemaVersion: 0, sensitive: [], createBeforeDestroy: false, dependencies: [] };
    const state = stateFile([{ ...instance, address: "aws_s3_bucket.b", attributes: { bucket: "b" } }], "lineage", 1, "1.11.4") as any;
    expect(state).toMatchObject({ version: 4, serial: 1, terraform_version: "1.11.4" });
    expect(state.resources).toEqual([{ mode: "managed", type: "aws_s3_bucket", name: "b", provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 0, attributes: { bucket: "b" }, sensitive_attributes: [] }] }]);
  });
});

describe("stubWorldOf", () => {
  test("finds the roles the stacks look up by exact name and the REST API's authorizers", () => {
    const body = JSON.stringify({ components: { securitySchemes: { tokens: { "x-amazon-apigateway-authorizer": { type: "token" } }, key: { type: "apiKey" } } } });
    const world = stubWorldOf([{ data: { aws_iam_roles: { r: { name_regex: "^apigw-cloudwatch-logs-eu-west-1$" } } }, resource: { aws_api_gateway_rest_api_put: { p: { body } } } }]);
    expect(world).toEqual({ roleNames: ["apigw-cloudwatch-logs-eu-west-1"], authorizers: [{ name: "tokens", type: "TOKEN" }] });
  });

  test("points every AWS provider configuration at the stub with credentials that name its account", () => {
    const overrides = providerOverrides({ provider: { aws: [{ region: "eu-west-1", allowed_account_ids: ["222222222222"] }, { alias: "us_east_1", region: "us-east-1" }] } }, "http://127.0.0.1:1");
    expect(overrides.aws).toEqual([
      expect.objectContaining({ access_key: stubAccessKey("222222222222"), skip_credentials_validation: true, endpoints: [expect.objectContaining({ sts: "http://127.0.0.1:1", apigateway: "http://127.0.0.1:1" })] }),
      expect.objectContaining({ alias: "us_east_1", access_key: stubAccessKey("111111111111") }),
    ]);
  });
});
