import type { App } from "cdktf";
import type { BackendSettings } from "../config/backend";
import { ConfigError } from "../config/errors";
import { partitionOf } from "../config/regions";
import { EnvironmentConfig, TERRAFORM_CLOUD_DEFAULTS } from "../config/schema";
import type { OutputLayout } from "./backend";
import { PROJECT } from "./platform-stack";
import type { TfcTeamAccess, TfcVcsRepo } from "../modules/tfc-workspace";
import { truststoreBucketPrefix } from "../modules/truststore-bucket";
import type { TfcStack } from "./tfc-stack";

/** Classifications that APIGW-TFC-CONFIDENTIAL-WORKSPACE holds to reviewed runs only, strictest first. */
const SENSITIVE_CLASSIFICATIONS = ["secret", "restricted", "confidential"];

/** The `data-classification` tag of a workspace: the strictest its environments give their resources. */
function dataClassification(configs: readonly EnvironmentConfig[]): Record<string, string> {
  const given = configs.map((c) => c.tags["data-classification"]).filter((t): t is string => t !== undefined);
  const strictest = SENSITIVE_CLASSIFICATIONS.find((c) => given.some((g) => g.toLowerCase() === c)) ?? given[0];
  return strictest ? { "data-classification": strictest } : {};
}

/** The name of the stack that manages Terraform Cloud. */
export const TFC_STACK = "tfc";

/** A stack of the platform, as the tfc stack sees it. */
export interface PlannedStack {
  readonly name: string;
  /** The environment's name for an environment stack; none for an account stack. */
  readonly environment?: string;
  readonly backend: BackendSettings;
  /** The environment files the stack serves (an account stack serves every environment of its account and region), first by file name first. */
  readonly configs: readonly EnvironmentConfig[];
  /** Stacks that must be applied before this one. */
  readonly dependsOn: readonly string[];
}

export interface TfcAccount {
  /** The account id, or `current` for environments without one (the account of the credentials the tfc stack runs with). */
  readonly key: string;
  readonly accountId?: string;
  readonly region: string;
  readonly bootstrapRoleArn?: string;
}

export interface TfcWorkspacePlan {
  readonly stack: string;
  readonly workspace: string;
  readonly organization: string;
  readonly project: string;
  readonly workingDirectory: string;
  readonly executionMode: "remote" | "local";
  readonly terraformVersion: string;
  readonly autoApply: boolean;
  readonly speculativePlans: boolean;
  readonly teamAccess?: TfcTeamAccess;
  readonly tags: Readonly<Record<string, string>>;
  readonly account: TfcAccount;
  readonly runRoleName: string;
  readonly runRolePolicyArns: readonly string[];
  /** Objects the stack's plans refresh (its mutual TLS truststores); the plan role reads no other. */
  readonly refreshedObjectArns: readonly string[];
  /** The keys the stack's functions encrypt their environments with, which its plans decrypt through Lambda. */
  readonly functionEnvironmentKeyArns: readonly string[];
  /** The `environment` tag of the stack's API keys (its provider's default tag), which its plans refresh; none for an account stack. */
  readonly apiKeyEnvironments: readonly string[];
  readonly vcsRepo?: TfcVcsRepo;
}

/** What the tfc stack creates, as data: decided here, built by TfcStack. */
export interface TfcPlan {
  /** Terraform Enterprise host; none for app.terraform.io. */
  readonly hostname?: string;
  /** Accounts with remote workspaces, each getting an identity provider for Terraform Cloud. */
  readonly accounts: readonly TfcAccount[];
  readonly workspaces: readonly TfcWorkspacePlan[];
  /** A successful apply in `source` queues a run in `target`. */
  readonly runTriggers: readonly { readonly source: string; readonly target: string }[];
}

/**
 * The tfc stack, when any stack keeps its state in Terraform Cloud and APIGW_TFC_STACK is not
 * `off` (workspaces managed elsewhere; CDK Terrain, which has no prebuilt tfe bindings). Its
 * module, and with it the tfe provider bindings, is loaded only then.
 */
export function buildTerraformCloud(
  app: App,
  stacks: readonly PlannedStack[],
  processEnv: Readonly<Record<string, string | undefined>>,
  layout: OutputLayout,
): TfcStack | undefined {
  if (processEnv.APIGW_TFC_STACK === "off") return undefined;
  const plan = planTerraformCloud(stacks);
  if (!plan) return undefined;
  const bootstrapWorkspace = processEnv.TFC_BOOTSTRAP_WORKSPACE?.trim();
  const backend: BackendSettings = bootstrapWorkspace
    ? { kind: "cloud", organization: plan.workspaces[0].organization, workspace: bootstrapWorkspace, ...(plan.hostname ? { hostname: plan.hostname } : {}) }
    : { kind: "local" };
  const { TfcStack: Stack } = require("./tfc-stack") as typeof import("./tfc-stack");
  return new Stack(app, TFC_STACK, { plan, backend, layout });
}

export function planTerraformCloud(stacks: readonly PlannedStack[]): TfcPlan | undefined {
  const managed = stacks.filter((s): s is PlannedStack & { backend: Extract<BackendSettings, { kind: "cloud" }> } => s.backend.kind === "cloud");
  if (managed.length === 0) return undefined;
  const errors: string[] = [];
  if (stacks.some((s) => s.name === TFC_STACK)) {
    errors.push(`environment "${TFC_STACK}": the name is taken by the stack that manages Terraform Cloud; rename the file`);
  }
  const hostnames = [...new Set(managed.map((s) => s.backend.hostname ?? "app.terraform.io"))];
  if (hostnames.length > 1) {
    errors.push(`terraformCloud.hostname: the stacks name ${hostnames.join(" and ")}; one tfc stack manages one Terraform Cloud or Enterprise host, so every environment file must name the same`);
  }

  const accounts = new Map<string, TfcAccount>();
  const workspaces = managed.map((stack): TfcWorkspacePlan => {
    const [first] = stack.configs;
    const settings = first.terraformCloud ?? TERRAFORM_CLOUD_DEFAULTS;
    const key = first.accountId ?? "current";
    const bootstrapRoleArn = stack.configs.map((c) => c.terraformCloud?.bootstrapRoleArn).find((arn) => arn !== undefined);
    const account = accounts.get(key) ?? { key, accountId: first.accountId, region: first.region, bootstrapRoleArn };
    if (account.bootstrapRoleArn !== bootstrapRoleArn && bootstrapRoleArn !== undefined) {
      errors.push(`terraformCloud.bootstrapRoleArn: environments of account ${key} name ${account.bootstrapRoleArn ?? "none"} and ${bootstrapRoleArn}; name the same role (or none) in each`);
    }
    if (settings.executionMode === "remote") accounts.set(key, account);
    return {
      stack: stack.name,
      workspace: stack.backend.workspace,
      organization: stack.backend.organization,
      project: stack.backend.project ?? PROJECT,
      // Where VCS-driven runs find the committed output: the repository's cdktf.out, whatever
      // directory this synth writes to.
      workingDirectory: `cdktf.out/stacks/${stack.name}`,
      executionMode: settings.executionMode,
      terraformVersion: settings.terraformVersion,
      // A stack shared by several environments is only as automatic as the strictest of them.
      autoApply: stack.configs.every((c) => c.terraformCloud?.autoApply === true),
      speculativePlans: stack.configs.every((c) => (c.terraformCloud ?? TERRAFORM_CLOUD_DEFAULTS).speculativePlans),
      ...(settings.teams ? { teamAccess: settings.teams } : {}),
      tags: {
        ...(stack.environment ? { environment: stack.environment } : {}),
        ...dataClassification(stack.configs),
        ...(first.accountId ? { account: first.accountId } : {}),
        region: first.region,
      },
      account,
      runRoleName: `apigw-tfc-${stack.name}`,
      runRolePolicyArns: settings.runRolePolicyArns ?? [`arn:${partitionOf(first.region)}:iam::aws:policy/AdministratorAccess`],
      // Only an environment stack manages domains: account and endpoint stacks read no truststore.
      refreshedObjectArns: stack.environment !== undefined && stack.configs.some((c) => Object.values(c.customDomains).some((d) => d !== undefined && "mutualTls" in d && d.mutualTls))
        ? [`arn:${partitionOf(first.region)}:s3:::${truststoreBucketPrefix(stack.name)}*/*`]
        : [],
      apiKeyEnvironments: stack.environment ? [...new Set(stack.configs.map((c) => c.tags.environment ?? stack.environment!))] : [],
      functionEnvironmentKeyArns: [...new Set(stack.configs.flatMap((c) => (c.logging.kmsKeyArn ? [c.logging.kmsKeyArn] : [])))],
      ...(settings.vcsRepo ? { vcsRepo: settings.vcsRepo } : {}),
    };
  });

  const seen = new Map<string, string>();
  for (const ws of workspaces) {
    const id = `${ws.organization}/${ws.workspace}`;
    const other = seen.get(id);
    if (other) errors.push(`stacks ${other} and ${ws.stack} both use workspace ${id}; give one of them another terraformCloud.workspace`);
    seen.set(id, ws.stack);
  }
  // An auto-applying workspace applies whatever reaches its branch with its run role, by default
  // AdministratorAccess in its account: in an account that an environment with reviewed applies
  // also uses, that would bypass those reviews. Narrowed run-role policies are the file's decision.
  for (const ws of workspaces) {
    const stack = managed.find((m) => m.name === ws.stack)!;
    if (!ws.autoApply || stack.configs.some((c) => c.terraformCloud?.runRolePolicyArns !== undefined)) continue;
    const reviewed = workspaces.filter((other) => other.account.key === ws.account.key && !other.autoApply).map((other) => other.stack);
    if (reviewed.length > 0) {
      errors.push(
        `stack ${ws.stack}: terraformCloud.autoApply makes workspace ${ws.workspace} apply unreviewed changes as AdministratorAccess in account ${ws.account.key}, which ${reviewed.join(", ")} (applied only after review) also use${reviewed.length === 1 ? "s" : ""}: give it an account of its own, narrow terraformCloud.runRolePolicyArns, or turn autoApply off`,
      );
    }
  }
  const byStack = new Map(workspaces.map((ws) => [ws.stack, ws]));
  const runTriggers = managed.flatMap((stack) =>
    stack.dependsOn.flatMap((source) => {
      const from = byStack.get(source);
      const to = byStack.get(stack.name)!;
      if (!from) return [];
      if (from.organization !== to.organization) {
        errors.push(`stack ${stack.name} (organization ${to.organization}) depends on ${source} (organization ${from.organization}); run triggers only connect workspaces of one organization`);
        return [];
      }
      return [{ source, target: stack.name }];
    }),
  );
  if (errors.length > 0) throw new ConfigError(errors);
  return { ...(hostnames[0] !== "app.terraform.io" ? { hostname: hostnames[0] } : {}), accounts: [...accounts.values()], workspaces, runTriggers };
}
