import type { App } from "cdktf";
import { resolveBackend } from "../config/backend";
import { ConfigError } from "../config/errors";
import { accountTargetKey, Environment } from "../config/loader";
import type { EnvironmentConfig } from "../config/schema";
import { AccountStack } from "./account-stack";
import type { OutputLayout } from "./backend";
import { EndpointStack } from "./endpoint-stack";
import { EnvironmentStack } from "./environment-stack";
import { buildTerraformCloud, PlannedStack } from "./tfc";
import type { TfcStack } from "./tfc-stack";

export interface Platform {
  readonly environments: readonly EnvironmentStack[];
  readonly accounts: readonly AccountStack[];
  /** One per VPC that environments create their execute-api endpoint in. */
  readonly endpoints: readonly EndpointStack[];
  /** The stack that manages the Terraform Cloud workspaces, when any stack keeps its state there. */
  readonly tfc?: TfcStack;
}

/**
 * Every stack of the platform: one per environment, and one per (account, region) for
 * the region-wide singletons, which the environments there depend on.
 */
export function buildPlatform(
  app: App,
  environments: readonly Environment[],
  processEnv: Readonly<Record<string, string | undefined>>,
  layout: OutputLayout,
): Platform {
  const accounts = new Map<string, AccountStack>();
  const endpoints = new Map<string, EndpointStack>();
  const planned = new Map<string, PlannedStack & { configs: EnvironmentConfig[] }>();
  const environmentStacks = environments.map((env) => {
    const { config } = env;
    const backend = resolveBackend(env.name, config, processEnv, { ownStack: true });
    const stack = new EnvironmentStack(app, env.name, {
      config,
      backend,
      layout,
    });
    const dependsOn: string[] = [];
    planned.set(env.name, { name: env.name, environment: env.name, backend, configs: [config], dependsOn });
    if (config.manageApiGatewayAccount) {
      const key = accountTargetKey(config);
      let account = accounts.get(key);
      if (!account) {
        // The first environment (by file name) of an account and region decides its backend.
        const name = AccountStack.stackName(config);
        const backend = resolveBackend(name, config, processEnv, { ownStack: false });
        account = new AccountStack(app, name, {
          region: config.region,
          accountId: config.accountId,
          backend,
          layout,
          tags: config.tags,
        });
        accounts.set(key, account);
        planned.set(name, { name, backend, configs: [], dependsOn: [] });
      }
      stack.addDependency(account);
      planned.get(account.node.id)!.configs.push(config);
      dependsOn.push(account.node.id);
    }
    if ("vpcId" in config.network) {
      const { vpcId } = config.network;
      let endpoint = endpoints.get(vpcId);
      if (!endpoint) {
        endpoint = endpointStack(app, vpcId, environments, processEnv, layout);
        endpoints.set(vpcId, endpoint);
        planned.set(endpoint.node.id, { name: endpoint.node.id, backend: endpoint.backend, configs: [], dependsOn: [] });
      }
      stack.addDependency(endpoint);
      planned.get(endpoint.node.id)!.configs.push(config);
      dependsOn.push(endpoint.node.id);
    }
    return stack;
  });
  checkPinnedAccounts(environments);
  const tfc = buildTerraformCloud(app, [...planned.values()], processEnv, layout);
  return { environments: environmentStacks, accounts: [...accounts.values()], endpoints: [...endpoints.values()], ...(tfc ? { tfc } : {}) };
}

/**
 * The endpoint stack of a VPC: the loader has checked that its environments agree on region,
 * account, subnets and whose APIs the endpoint policy admits; each lets its own ranges in. The
 * first environment (by file name) decides the backend and names the endpoint, as its stack named
 * it when it created the endpoint itself.
 */
function endpointStack(app: App, vpcId: string, environments: readonly Environment[], processEnv: Readonly<Record<string, string | undefined>>, layout: OutputLayout): EndpointStack {
  const sharing = environments.filter((e) => "vpcId" in e.config.network && e.config.network.vpcId === vpcId);
  const [first] = sharing;
  const network = first.config.network as Extract<EnvironmentConfig["network"], { vpcId: string }>;
  const name = EndpointStack.stackName(vpcId);
  return new EndpointStack(app, name, {
    region: first.config.region,
    accountId: first.config.accountId,
    backend: resolveBackend(name, first.config, processEnv, { ownStack: false }),
    layout,
    tags: { ...first.config.tags, environments: sharing.map((e) => e.name).join(" ") },
    vpcId,
    subnetIds: network.subnetIds,
    allowedCidrs: [...new Set(sharing.flatMap((e) => (e.config.network as typeof network).allowedCidrs))],
    // One policy for every host of the VPC, on which its environments agree (checked at load).
    allowedApiAccountIds: network.allowedApiAccountIds ?? (first.config.accountId && !network.allowedApiOrganizationIds ? [first.config.accountId] : undefined),
    allowedApiOrganizationIds: network.allowedApiOrganizationIds,
    name: `apigw-${first.name}`,
  });
}

/**
 * An environment without accountId may run in the account that another environment of its
 * region pins. Both account stacks would then create the same role, and the second to apply
 * fails with EntityAlreadyExists. A region is in exactly this state while accountId is being
 * added to (or removed from) its files one at a time, which also renames its account stack.
 */
function checkPinnedAccounts(environments: readonly Environment[]): void {
  const managing = environments.filter((e) => e.config.manageApiGatewayAccount);
  for (const unpinned of managing.filter((e) => !e.config.accountId)) {
    const pinned = managing.find((e) => e.config.accountId && e.config.region === unpinned.config.region);
    if (!pinned) continue;
    const { region } = unpinned.config;
    throw new ConfigError([
      `${unpinned.file}: no accountId, but ${pinned.file} sets accountId ${pinned.config.accountId} in the same region (${region}). ` +
        `Their account stacks ${AccountStack.stackName(unpinned.config)} and ${AccountStack.stackName(pinned.config)} would both create role ` +
        `${AccountStack.cloudWatchRoleName(region)} if they run in one account, and the second apply fails with EntityAlreadyExists. ` +
        `Set accountId in every environment of ${region}, or in none; an account stack renamed that way starts with empty state, ` +
        `so move its state first (README, "Account stacks").`,
    ]);
  }
}
