import * as path from "path";
import { Testing } from "cdktf";
import type { Environment } from "../../config/loader";
import { loadEnvironments } from "../../config/loader";
import { buildPlatform } from "../../stacks/platform";
import { OUTPUT_LAYOUT } from "../fixtures/layout";
import { environmentConfig } from "../fixtures/environment";

function env(name: string, overrides: Record<string, unknown> = {}): Environment {
  return { name, file: `${name}.yaml`, config: environmentConfig(overrides) };
}

function synthesized(stack: { node: { id: string } } & Parameters<typeof Testing.synth>[0]): Record<string, any> {
  return JSON.parse(Testing.synth(stack, true));
}

describe("buildPlatform", () => {
  test("default", () => {
    const platform = buildPlatform(Testing.app(), [env("dev"), env("qa")], {}, OUTPUT_LAYOUT);
    expect(platform.environments.map((s) => s.node.id)).toEqual(["dev", "qa"]);
    expect(platform.accounts.map((s) => s.node.id)).toEqual(["account-111111111111-eu-west-1"]);
    expect(platform.endpoints.map((s) => s.node.id)).toEqual(["endpoint-vpc-0123456789abcdef0"]);
    for (const stack of platform.environments) expect(stack.dependencies).toEqual([platform.accounts[0], platform.endpoints[0]]);
  });

  test("creates one account stack per account and region", () => {
    const platform = buildPlatform(
      Testing.app(),
      [env("dev"), env("eu2", { region: "eu-central-1" }), env("prod", { accountId: "222222222222" }), env("sandbox", { region: "us-east-1", accountId: undefined })],
      {},
      OUTPUT_LAYOUT,
    );
    expect(platform.accounts.map((s) => s.node.id)).toEqual([
      "account-111111111111-eu-west-1",
      "account-111111111111-eu-central-1",
      "account-222222222222-eu-west-1",
      "account-us-east-1",
    ]);
    const apiGatewayAccounts = platform.accounts.map((s) => Object.keys(synthesized(s).resource.aws_api_gateway_account));
    expect(apiGatewayAccounts.every((names) => names.length === 1)).toBe(true);
  });

  test("puts no API Gateway account setting in environment stacks", () => {
    const platform = buildPlatform(Testing.app(), [env("dev")], {}, OUTPUT_LAYOUT);
    expect(synthesized(platform.environments[0]).resource.aws_api_gateway_account).toBeUndefined();
  });

  test("leaves the account setting out where the account manages it already", () => {
    const platform = buildPlatform(Testing.app(), [env("dev", { manageApiGatewayAccount: false, apiGatewayCloudWatchRoleName: "shared-apigw-logs" })], {}, OUTPUT_LAYOUT);
    expect(platform.accounts).toEqual([]);
    expect(platform.environments[0].dependencies).toEqual(platform.endpoints);
  });

  // Plain `terraform apply` and VCS-driven runs ignore the stack dependency.
  test("fails an environment's plan until its account stack is applied, naming that stack", () => {
    const platform = buildPlatform(Testing.app(), [env("dev")], {}, OUTPUT_LAYOUT);
    const [check] = Object.values(synthesized(platform.environments[0]).data.aws_iam_roles) as any[];
    expect(check.name_regex).toBe("^apigw-cloudwatch-logs-eu-west-1$");
    expect(check.lifecycle.postcondition).toEqual([
      {
        condition: "${length(self.names) == 1}",
        error_message: expect.stringContaining("role apigw-cloudwatch-logs-eu-west-1 does not exist. Apply stack account-111111111111-eu-west-1 first"),
      },
    ]);
  });

  test("checks the role someone else manages where the account manages the setting", () => {
    const platform = buildPlatform(Testing.app(), [env("dev", { manageApiGatewayAccount: false, apiGatewayCloudWatchRoleName: "shared-apigw-logs" })], {}, OUTPUT_LAYOUT);
    const [check] = Object.values(synthesized(platform.environments[0]).data.aws_iam_roles) as any[];
    expect(check.name_regex).toBe("^shared-apigw-logs$");
    expect(check.lifecycle.postcondition[0].error_message).toMatch(/role shared-apigw-logs does not exist\. The environment sets manageApiGatewayAccount: false, so whoever manages/);
  });

  test("fails if a region mixes environments with and without accountId", () => {
    expect(() => buildPlatform(Testing.app(), [env("dev"), env("sandbox", { accountId: undefined })], {}, OUTPUT_LAYOUT)).toThrow(
      /^sandbox\.yaml: no accountId, but dev\.yaml sets accountId 111111111111 in the same region \(eu-west-1\)\. Their account stacks account-eu-west-1 and account-111111111111-eu-west-1 would both create role apigw-cloudwatch-logs-eu-west-1 .*EntityAlreadyExists/,
    );
  });

  test("tags every resource and pins the account", () => {
    const platform = buildPlatform(Testing.app(), [env("dev", { tags: { team: "payments" } })], {}, OUTPUT_LAYOUT);
    expect(synthesized(platform.environments[0]).provider.aws).toEqual([
      {
        region: "eu-west-1",
        allowed_account_ids: ["111111111111"],
        default_tags: [{ tags: { project: "apigw-platform", "managed-by": "cdktf", environment: "dev", team: "payments" } }],
      },
    ]);
  });

  test("gives every stack its own Terraform Cloud workspace", () => {
    const platform = buildPlatform(Testing.app(), [env("dev"), env("prod", { terraformCloud: { workspace: "payments-prod" } })], { TFC_ORGANIZATION: "acme" }, OUTPUT_LAYOUT);
    const workspaces = [...platform.environments, ...platform.accounts].map((s) => synthesized(s).terraform.cloud.workspaces.name);
    expect(workspaces).toEqual(["apigw-dev", "payments-prod", "apigw-account-111111111111-eu-west-1"]);
  });
});

// The reviewed shape of each shipped environment: a change to a stack shows up here first.
describe("shipped environments", () => {
  const environments = loadEnvironments(path.join("config", "environments"));
  // One build for these tests, which only synthesize its stacks: building the platform (bundling
  // every function) is most of their time, and synthesizing changes nothing they read.
  let built: ReturnType<typeof buildPlatform> | undefined;
  const shipped = () => (built ??= buildPlatform(Testing.app(), environments, {}, OUTPUT_LAYOUT));
  test.each(environments.map((e) => e.name))("%s", (name) => {
    const platform = shipped();
    const stack = platform.environments.find((s) => s.node.id === name)!;
    expect(Testing.synth(stack, true)).toMatchSnapshot();
  });

  // With CORS, API Gateway answers a preflight only where no route matches OPTIONS; an authorized
  // ANY or OPTIONS route would refuse the preflight, which carries no token.
  test.each(environments.filter((e) => e.config.httpApi?.cors).map((e) => e.name))("%s HTTP API leaves every preflight to its CORS configuration", (name) => {
    const platform = shipped();
    const routes = Object.values<any>(synthesized(platform.environments.find((s) => s.node.id === name)!).resource.aws_apigatewayv2_route);
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.filter((r) => /^(ANY|OPTIONS) /.test(r.route_key) && r.authorization_type !== "NONE").map((r) => r.route_key)).toEqual([]);
  });

  test("account stacks", () => {
    const platform = shipped();
    for (const stack of platform.accounts) expect(Testing.synth(stack, true)).toMatchSnapshot(stack.node.id);
  });

  test("endpoint stacks", () => {
    const platform = shipped();
    for (const stack of platform.endpoints) expect(Testing.synth(stack, true)).toMatchSnapshot(stack.node.id);
  });
});
