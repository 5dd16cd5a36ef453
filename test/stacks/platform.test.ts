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
    for (const stack of platform.environments) expect(stack.dependencies).toEqual([platform.accounts[0]]);
  });

  test("creates one account stack per account and region", () => {
    const platform = buildPlatform(
      Testing.app(),
      [env("dev"), env("eu2", { region: "eu-central-1" }), env("prod", { accountId: "222222222222" }), env("sandbox", { accountId: undefined })],
      {},
      OUTPUT_LAYOUT,
    );
    expect(platform.accounts.map((s) => s.node.id)).toEqual([
      "account-111111111111-eu-west-1",
      "account-111111111111-eu-central-1",
      "account-222222222222-eu-west-1",
      "account-eu-west-1",
    ]);
    const apiGatewayAccounts = platform.accounts.map((s) => Object.keys(synthesized(s).resource.aws_api_gateway_account));
    expect(apiGatewayAccounts.every((names) => names.length === 1)).toBe(true);
  });

  test("puts no API Gateway account setting in environment stacks", () => {
    const platform = buildPlatform(Testing.app(), [env("dev")], {}, OUTPUT_LAYOUT);
    expect(synthesized(platform.environments[0]).resource.aws_api_gateway_account).toBeUndefined();
  });

  test("leaves the account setting out where the account manages it already", () => {
    const platform = buildPlatform(Testing.app(), [env("dev", { manageApiGatewayAccount: false })], {}, OUTPUT_LAYOUT);
    expect(platform.accounts).toEqual([]);
    expect(platform.environments[0].dependencies).toEqual([]);
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
  test.each(environments.map((e) => e.name))("%s", (name) => {
    const platform = buildPlatform(Testing.app(), environments, {}, OUTPUT_LAYOUT);
    const stack = platform.environments.find((s) => s.node.id === name)!;
    expect(Testing.synth(stack, true)).toMatchSnapshot();
  });

  test("account stacks", () => {
    const platform = buildPlatform(Testing.app(), environments, {}, OUTPUT_LAYOUT);
    for (const stack of platform.accounts) expect(Testing.synth(stack, true)).toMatchSnapshot(stack.node.id);
  });
});
