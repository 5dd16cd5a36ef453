import type { App } from "cdktf";
import { resolveBackend } from "../config/backend";
import { accountTargetKey, Environment } from "../config/loader";
import { AccountStack } from "./account-stack";
import type { OutputLayout } from "./backend";
import { EnvironmentStack } from "./environment-stack";

export interface Platform {
  readonly environments: readonly EnvironmentStack[];
  readonly accounts: readonly AccountStack[];
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
  const environmentStacks = environments.map((env) => {
    const { config } = env;
    const stack = new EnvironmentStack(app, env.name, {
      config,
      backend: resolveBackend(env.name, config, processEnv, { ownStack: true }),
      layout,
    });
    if (config.manageApiGatewayAccount) {
      const key = accountTargetKey(config);
      let account = accounts.get(key);
      if (!account) {
        // The first environment (by file name) of an account and region decides its backend.
        const name = AccountStack.stackName(config);
        account = new AccountStack(app, name, {
          region: config.region,
          accountId: config.accountId,
          backend: resolveBackend(name, config, processEnv, { ownStack: false }),
          layout,
          tags: config.tags,
        });
        accounts.set(key, account);
      }
      stack.addDependency(account);
    }
    return stack;
  });
  return { environments: environmentStacks, accounts: [...accounts.values()] };
}
