import { Testing } from "cdktf";
import type { Environment } from "../../config/loader";
import { checkStack } from "../../policy/check";
import { ALL_RULES } from "../../policy/rules";
import { tfcConfidentialWorkspace } from "../../policy/rules/tfc-workspace";
import { StackView } from "../../policy/stack";
import type { EnvironmentConfig } from "../../config/schema";
import { buildPlatform } from "../../stacks/platform";
import { planTerraformCloud, type PlannedStack } from "../../stacks/tfc";
import { OUTPUT_LAYOUT } from "../fixtures/layout";
import { environmentConfig } from "../fixtures/environment";
import { perSuite } from "../fixtures/per-suite";

function env(name: string, overrides: Record<string, unknown> = {}): Environment {
  return { name, file: `${name}.yaml`, config: environmentConfig(overrides) };
}

/** prod: its own account and VPC, as in the shipped files. */
const PROD = { accountId: "222222222222", network: { vpcId: "vpc-0c1d2e3f4a5b60718", subnetIds: ["subnet-0c1d2e3f4a5b60711"], allowedCidrs: ["10.30.0.0/16"] } };

/** dev and staging share account 111111111111, prod has 222222222222: the shipped layout. */
function shippedLike(overrides: Partial<Record<"dev" | "staging" | "prod", Record<string, unknown>>> = {}): Environment[] {
  return [
    env("dev", overrides.dev),
    env("prod", { ...PROD, ...overrides.prod }),
    env("staging", overrides.staging),
  ];
}

const synthesizedTfc = perSuite((environments: Environment[], processEnv: Record<string, string>) => {
  const platform = buildPlatform(Testing.app(), environments, processEnv, OUTPUT_LAYOUT);
  if (!platform.tfc) throw new Error("no tfc stack");
  return Testing.synth(platform.tfc, true);
});

function tfcStack(environments: Environment[], processEnv: Record<string, string> = { TFC_ORGANIZATION: "acme-platform" }): Record<string, any> {
  return JSON.parse(synthesizedTfc(environments, processEnv));
}

/** The resources of a type keyed by a readable attribute instead of their generated names. */
function byAttribute(synthesized: Record<string, any>, type: string, attribute: string): Record<string, any> {
  return Object.fromEntries(Object.values(synthesized.resource[type] ?? {}).map((r: any) => [r[attribute], r]));
}

/** Resolves `${<type>.<name>.<attr>}` to the resource it references. */
function referenced(synthesized: Record<string, any>, reference: string): any {
  const [, type, name] = /^\$\{([a-z_]+)\.([^.]+)\.[a-z_]+\}$/.exec(reference)!;
  return synthesized.resource[type][name];
}

const STACKS = ["account-111111111111-eu-west-1", "account-222222222222-eu-west-1", "dev", "endpoint-vpc-0123456789abcdef0", "endpoint-vpc-0c1d2e3f4a5b60718", "prod", "staging"];

describe("TfcStack", () => {
  test("default", () => {
    const synthesized = tfcStack(shippedLike());
    const workspaces = byAttribute(synthesized, "tfe_workspace", "name");
    expect(Object.keys(workspaces).sort()).toEqual(STACKS.map((s) => `apigw-${s}`));
    expect(workspaces["apigw-dev"]).toEqual(
      expect.objectContaining({
        organization: "acme-platform",
        terraform_version: "~> 1.12",
        auto_apply: false,
        auto_apply_run_trigger: false,
        tags: { environment: "dev", account: "111111111111", region: "eu-west-1" },
      }),
    );
    expect(workspaces["apigw-account-222222222222-eu-west-1"].tags).toEqual({ account: "222222222222", region: "eu-west-1" });
    // CLI-driven runs upload the stack's own directory: a working directory would widen the upload to
    // the repository (local state files included) and move the run where the upload may have nothing.
    for (const workspace of Object.values(workspaces)) expect(workspace).not.toHaveProperty("working_directory");
    const [project] = Object.values(synthesized.resource.tfe_project) as any[];
    expect(project).toEqual(expect.objectContaining({ organization: "acme-platform", name: "apigw-platform" }));
    for (const ws of Object.values(workspaces)) expect(referenced(synthesized, ws.project_id)).toBe(project);
    const settings = Object.values(synthesized.resource.tfe_workspace_settings) as any[];
    expect(settings.map((s) => [referenced(synthesized, s.workspace_id).name, s.execution_mode]).sort()).toEqual(STACKS.map((s) => [`apigw-${s}`, "remote"]));
    expect(synthesized.terraform.backend).toEqual({ local: { path: "../../../terraform.tfc.tfstate" } });
  });

  // The runs deploy stacks that create IAM roles: administrator-equivalent whatever they hold, and confined by the trust policy.
  test("passes every policy rule with its default AdministratorAccess apply roles and read-only plan roles", () => {
    const synthesized = tfcStack(shippedLike());
    const attached = Object.values(synthesized.resource.aws_iam_role_policy_attachment) as any[];
    expect(new Set(attached.map((a) => a.policy_arn))).toEqual(new Set(["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"]));
    expect(checkStack(new StackView("tfc", synthesized), ALL_RULES).filter((f) => f.severity === "error")).toEqual([]);
  });

  test("makes each environment's runs follow its account and endpoint stacks", () => {
    const synthesized = tfcStack(shippedLike());
    const triggers = (Object.values(synthesized.resource.tfe_run_trigger) as any[]).map((t) => [
      referenced(synthesized, t.sourceable_id).name,
      referenced(synthesized, t.workspace_id).name,
    ]);
    expect(triggers.sort()).toEqual([
      ["apigw-account-111111111111-eu-west-1", "apigw-dev"],
      ["apigw-account-111111111111-eu-west-1", "apigw-staging"],
      ["apigw-account-222222222222-eu-west-1", "apigw-prod"],
      ["apigw-endpoint-vpc-0123456789abcdef0", "apigw-dev"],
      ["apigw-endpoint-vpc-0123456789abcdef0", "apigw-staging"],
      ["apigw-endpoint-vpc-0c1d2e3f4a5b60718", "apigw-prod"],
    ]);
  });

  test("gives each workspace a role that trusts only its own runs, through the account's identity provider for app.terraform.io", () => {
    const synthesized = tfcStack(shippedLike());
    const providers = byAttribute(synthesized, "aws_iam_openid_connect_provider", "provider");
    expect(Object.keys(providers).sort()).toEqual(["aws.account_111111111111", "aws.account_222222222222"]);
    for (const provider of Object.values(providers)) {
      expect(provider).toEqual(expect.objectContaining({ url: "https://app.terraform.io", client_id_list: ["aws.workload.identity"] }));
      expect(provider.thumbprint_list).toBeUndefined();
    }
    expect(synthesized.provider.aws).toEqual([
      expect.objectContaining({ alias: "account_111111111111", allowed_account_ids: ["111111111111"] }),
      expect.objectContaining({ alias: "account_222222222222", allowed_account_ids: ["222222222222"] }),
    ]);

    const roles = byAttribute(synthesized, "aws_iam_role", "name");
    const prod = roles["apigw-tfc-prod"];
    expect(prod.provider).toBe("aws.account_222222222222");
    const [statement, ...others] = JSON.parse(prod.assume_role_policy).Statement;
    expect(others).toEqual([]);
    expect(statement.Effect).toBe("Allow");
    expect(statement.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(referenced(synthesized, statement.Principal.Federated)).toBe(providers["aws.account_222222222222"]);
    expect(statement.Condition).toEqual({
      StringEquals: { "app.terraform.io:aud": "aws.workload.identity" },
      StringLike: { "app.terraform.io:sub": "organization:acme-platform:project:apigw-platform:workspace:apigw-prod:run_phase:apply" },
    });
    // Plans run code nobody approved yet: their own role, read-only.
    expect(JSON.parse(roles["apigw-tfc-prod-plan"].assume_role_policy).Statement[0].Condition.StringLike).toEqual({
      "app.terraform.io:sub": "organization:acme-platform:project:apigw-platform:workspace:apigw-prod:run_phase:plan",
    });

    const variables = (Object.values(synthesized.resource.tfe_variable) as any[]).filter((v) => referenced(synthesized, v.workspace_id).name === "apigw-prod");
    expect(variables.map((v) => [v.key, v.value, v.category]).sort()).toEqual([
      ["TFC_AWS_PLAN_ROLE_ARN", expect.stringMatching(/^\$\{aws_iam_role\.[^.]+\.arn\}$/), "env"],
      ["TFC_AWS_PROVIDER_AUTH", "true", "env"],
      ["TFC_AWS_RUN_ROLE_ARN", expect.stringMatching(/^\$\{aws_iam_role\.[^.]+\.arn\}$/), "env"],
    ]);
    expect(referenced(synthesized, variables.find((v) => v.key === "TFC_AWS_PLAN_ROLE_ARN").value)).toBe(roles["apigw-tfc-prod-plan"]);
    expect(referenced(synthesized, variables.find((v) => v.key === "TFC_AWS_RUN_ROLE_ARN").value)).toBe(prod);
    const attachments = (Object.values(synthesized.resource.aws_iam_role_policy_attachment) as any[]).filter((a) => referenced(synthesized, a.role) === prod);
    expect(attachments.map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/AdministratorAccess"]);
  });

  test("puts the sub in the file's project and on its Terraform Enterprise host", () => {
    const tfe = { hostname: "tfe.example.com", project: "payments", workspace: "payments-dev" };
    const synthesized = tfcStack([env("dev", { terraformCloud: tfe })]);
    const role = byAttribute(synthesized, "aws_iam_role", "name")["apigw-tfc-dev"];
    expect(JSON.parse(role.assume_role_policy).Statement[0].Condition).toEqual({
      StringEquals: { "tfe.example.com:aud": "aws.workload.identity" },
      StringLike: { "tfe.example.com:sub": "organization:acme-platform:project:payments:workspace:payments-dev:run_phase:apply" },
    });
    expect(Object.values(synthesized.resource.aws_iam_openid_connect_provider)).toEqual([expect.objectContaining({ url: "https://tfe.example.com" })]);
    expect(synthesized.provider.tfe).toEqual([{ hostname: "tfe.example.com" }]);
  });

  test("applies automatically only where every environment of the stack says so", () => {
    // dev shares staging's account: auto-apply there needs a run role narrower than AdministratorAccess.
    const synthesized = tfcStack(shippedLike({ dev: { terraformCloud: { autoApply: true, runRolePolicyArns: ["arn:aws:iam::111111111111:policy/apigw-dev-deploy"] } }, prod: { terraformCloud: { autoApply: false } } }));
    const autoApply = Object.fromEntries((Object.values(synthesized.resource.tfe_workspace) as any[]).map((w) => [w.name, [w.auto_apply, w.auto_apply_run_trigger]]));
    expect(autoApply).toEqual({
      "apigw-dev": [true, true],
      "apigw-staging": [false, false],
      "apigw-prod": [false, false],
      // Shared by dev and staging: staging wants a person to confirm.
      "apigw-account-111111111111-eu-west-1": [false, false],
      "apigw-account-222222222222-eu-west-1": [false, false],
      "apigw-endpoint-vpc-0123456789abcdef0": [false, false],
      "apigw-endpoint-vpc-0c1d2e3f4a5b60718": [false, false],
    });
  });

  test("runs speculative plans only where every environment of the stack allows them", () => {
    const synthesized = tfcStack(shippedLike({ prod: { terraformCloud: { speculativePlans: false } } }));
    const speculative = Object.fromEntries((Object.values(synthesized.resource.tfe_workspace) as any[]).map((w) => [w.name, w.speculative_enabled]));
    expect(speculative).toEqual({
      "apigw-dev": true,
      "apigw-staging": true,
      "apigw-prod": false,
      "apigw-account-111111111111-eu-west-1": true,
      // Serves prod: no plan of unreviewed code with its plan role either.
      "apigw-account-222222222222-eu-west-1": false,
      "apigw-endpoint-vpc-0123456789abcdef0": true,
      "apigw-endpoint-vpc-0c1d2e3f4a5b60718": false,
    });
  });

  test("tags each workspace with the strictest data-classification of its environments, and the checker holds the classified ones to reviewed runs", () => {
    const synthesized = tfcStack(shippedLike({ dev: { tags: { "data-classification": "internal" } }, staging: { tags: { "data-classification": "confidential" } }, prod: { tags: { "data-classification": "confidential" }, terraformCloud: { speculativePlans: false } } }));
    const classification = Object.fromEntries((Object.values(synthesized.resource.tfe_workspace) as any[]).map((w) => [w.name, w.tags["data-classification"]]));
    expect(classification).toEqual({
      "apigw-dev": "internal",
      "apigw-staging": "confidential",
      "apigw-prod": "confidential",
      // dev's and staging's: the stricter.
      "apigw-account-111111111111-eu-west-1": "confidential",
      "apigw-account-222222222222-eu-west-1": "confidential",
      "apigw-endpoint-vpc-0123456789abcdef0": "confidential",
      "apigw-endpoint-vpc-0c1d2e3f4a5b60718": "confidential",
    });
    const flagged = tfcConfidentialWorkspace.check(new StackView("tfc", synthesized)).map((v) => synthesized.resource.tfe_workspace[v.address.split(".")[1]].name);
    // staging lets speculative plans run: confidential data wants them off.
    expect(flagged.sort()).toEqual(["apigw-account-111111111111-eu-west-1", "apigw-endpoint-vpc-0123456789abcdef0", "apigw-staging"]);
  });

  test("gives the environment file's teams their access: the plan team none where speculative plans are off", () => {
    const teams = { plan: "team-PrPlans", pipeline: "team-Runs", approvers: "team-Approvers" };
    const synthesized = tfcStack(shippedLike({ dev: { terraformCloud: { teams } }, staging: { terraformCloud: { teams } }, prod: { terraformCloud: { speculativePlans: false, teams: { ...teams, approvers: "team-ProdApprovers" } } } }));
    const names = Object.fromEntries((Object.entries(synthesized.resource.tfe_workspace) as [string, any][]).map(([id, w]) => [`\${tfe_workspace.${id}.id}`, w.name]));
    const access: Record<string, string[]> = {};
    for (const grant of Object.values(synthesized.resource.tfe_team_access) as any[]) {
      (access[names[grant.workspace_id]] ??= []).push(`${grant.team_id}:${grant.access ?? `runs ${grant.permissions[0].runs}, state ${grant.permissions[0].state_versions}, variables ${grant.permissions[0].variables}`}`);
    }
    for (const list of Object.values(access)) list.sort();
    expect(access).toEqual({
      "apigw-dev": ["team-Approvers:write", "team-PrPlans:runs plan, state none, variables none", "team-Runs:plan"],
      "apigw-staging": ["team-Approvers:write", "team-PrPlans:runs plan, state none, variables none", "team-Runs:plan"],
      "apigw-prod": ["team-ProdApprovers:write", "team-Runs:plan"],
      "apigw-account-111111111111-eu-west-1": ["team-Approvers:write", "team-PrPlans:runs plan, state none, variables none", "team-Runs:plan"],
      "apigw-account-222222222222-eu-west-1": ["team-ProdApprovers:write", "team-Runs:plan"],
      "apigw-endpoint-vpc-0123456789abcdef0": ["team-Approvers:write", "team-PrPlans:runs plan, state none, variables none", "team-Runs:plan"],
      "apigw-endpoint-vpc-0c1d2e3f4a5b60718": ["team-ProdApprovers:write", "team-Runs:plan"],
    });
  });

  test("fails if a workspace would auto-apply as AdministratorAccess in an account whose other environments are reviewed", () => {
    expect(() => tfcStack(shippedLike({ dev: { terraformCloud: { autoApply: true } } }))).toThrow(
      /stack dev: terraformCloud\.autoApply makes workspace apigw-dev apply unreviewed changes as AdministratorAccess in account 111111111111, which .*staging \(applied only after review\) also use: give it an account of its own, narrow terraformCloud\.runRolePolicyArns, or turn autoApply off/,
    );
  });

  test("creates no role or variables for a workspace whose runs execute locally", () => {
    const synthesized = tfcStack([env("dev", { accountId: "333333333333", terraformCloud: { executionMode: "local" } }), env("prod", PROD)]);
    const names = Object.keys(byAttribute(synthesized, "aws_iam_role", "name")).sort();
    expect(names).toEqual([
      "apigw-tfc-account-222222222222-eu-west-1",
      "apigw-tfc-account-222222222222-eu-west-1-plan",
      "apigw-tfc-endpoint-vpc-0c1d2e3f4a5b60718",
      "apigw-tfc-endpoint-vpc-0c1d2e3f4a5b60718-plan",
      "apigw-tfc-prod",
      "apigw-tfc-prod-plan",
    ]);
    expect(Object.keys(byAttribute(synthesized, "aws_iam_openid_connect_provider", "provider"))).toEqual(["aws.account_222222222222"]);
    const local = (Object.values(synthesized.resource.tfe_workspace_settings) as any[]).filter((s) => s.execution_mode === "local");
    expect(local.map((s) => referenced(synthesized, s.workspace_id).name).sort()).toEqual(["apigw-account-333333333333-eu-west-1", "apigw-dev", "apigw-endpoint-vpc-0123456789abcdef0"]);
  });

  test("assumes the file's bootstrap role in the account and attaches the file's policies", () => {
    const bootstrapRoleArn = "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole";
    const runRolePolicyArns = ["arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::111111111111:policy/apigw-iam"];
    const synthesized = tfcStack([env("dev", { terraformCloud: { bootstrapRoleArn, runRolePolicyArns } })]);
    expect(synthesized.provider.aws).toEqual([expect.objectContaining({ assume_role: [{ role_arn: bootstrapRoleArn, session_name: "apigw-tfc-bootstrap" }] })]);
    const dev = byAttribute(synthesized, "aws_iam_role", "name")["apigw-tfc-dev"];
    const attached = (Object.values(synthesized.resource.aws_iam_role_policy_attachment) as any[]).filter((a) => referenced(synthesized, a.role) === dev);
    expect(attached.map((a) => a.policy_arn).sort()).toEqual(runRolePolicyArns.slice().sort());
  });

  test("connects the workspaces to the repository the file names, for VCS-driven runs in each stack's directory", () => {
    const vcsRepo = { identifier: "acme/apigw-platform", branch: "synthesized", oauthTokenId: "ot-AbC123" };
    const synthesized = tfcStack([env("dev", { terraformCloud: { vcsRepo } })]);
    const workspaces = byAttribute(synthesized, "tfe_workspace", "name");
    expect(workspaces["apigw-dev"]).toEqual(expect.objectContaining({ vcs_repo: { identifier: "acme/apigw-platform", branch: "synthesized", oauth_token_id: "ot-AbC123" }, working_directory: "cdktf.out/stacks/dev" }));
    expect(workspaces["apigw-account-111111111111-eu-west-1"].vcs_repo).toEqual(workspaces["apigw-dev"].vcs_repo);
  });

  test("keeps its own state in the bootstrap workspace TFC_BOOTSTRAP_WORKSPACE names", () => {
    const synthesized = tfcStack([env("dev")], { TFC_ORGANIZATION: "acme-platform", TFC_BOOTSTRAP_WORKSPACE: "apigw-tfc" });
    expect(synthesized.terraform.cloud).toEqual({ organization: "acme-platform", workspaces: { name: "apigw-tfc" } });
    expect(synthesized.terraform.backend).toBeUndefined();
  });

  test("is not built while no stack uses Terraform Cloud", () => {
    expect(buildPlatform(Testing.app(), shippedLike(), {}, OUTPUT_LAYOUT).tfc).toBeUndefined();
    expect(buildPlatform(Testing.app(), shippedLike({ dev: { terraformCloud: { autoApply: true } } }), {}, OUTPUT_LAYOUT).tfc).toBeUndefined();
  });

  test("is not built with APIGW_TFC_STACK=off, while the stacks keep their cloud blocks", () => {
    const platform = buildPlatform(Testing.app(), shippedLike(), { TFC_ORGANIZATION: "acme-platform", APIGW_TFC_STACK: "off" }, OUTPUT_LAYOUT);
    expect(platform.tfc).toBeUndefined();
    expect(JSON.parse(Testing.synth(platform.environments[0])).terraform.cloud).toEqual({ organization: "acme-platform", workspaces: { name: "apigw-dev" } });
  });

  test("is built for the stacks whose file names an organization, without TFC_ORGANIZATION", () => {
    const synthesized = tfcStack(shippedLike({ prod: { terraformCloud: { organization: "acme-prod" } } }), {});
    expect(Object.keys(byAttribute(synthesized, "tfe_workspace", "name")).sort()).toEqual(["apigw-account-222222222222-eu-west-1", "apigw-endpoint-vpc-0c1d2e3f4a5b60718", "apigw-prod"]);
  });

  test.each<[string, Environment[], Record<string, string>, RegExp]>([
    ["an environment is named tfc", [env("tfc")], { TFC_ORGANIZATION: "acme" }, /^environment "tfc": the name is taken by the stack that manages Terraform Cloud/],
    ["the files name different hosts", [env("dev"), env("prod", { ...PROD, terraformCloud: { hostname: "tfe.example.com" } })], { TFC_ORGANIZATION: "acme" }, /^terraformCloud\.hostname: the stacks name app\.terraform\.io and tfe\.example\.com/],
    ["two stacks share a workspace", [env("dev", { terraformCloud: { workspace: "shared" } }), env("qa", { terraformCloud: { workspace: "shared" } })], { TFC_ORGANIZATION: "acme" }, /^stacks dev and qa both use workspace acme\/shared/],
    [
      "environments of one account name different bootstrap roles",
      [env("dev", { terraformCloud: { bootstrapRoleArn: "arn:aws:iam::111111111111:role/a" } }), env("qa", { terraformCloud: { bootstrapRoleArn: "arn:aws:iam::111111111111:role/b" } })],
      { TFC_ORGANIZATION: "acme" },
      /^terraformCloud\.bootstrapRoleArn: environments of account 111111111111 name arn:aws:iam::111111111111:role\/a and arn:aws:iam::111111111111:role\/b/,
    ],
    ["an environment's organization differs from its account stack's", [env("dev"), env("qa", { terraformCloud: { organization: "other" } })], { TFC_ORGANIZATION: "acme" }, /^stack qa \(organization other\) depends on account-111111111111-eu-west-1 \(organization acme\); run triggers only connect workspaces of one organization/],
  ])("fails if %s", (_name, environments, processEnv, expected) => {
    expect(() => buildPlatform(Testing.app(), environments, processEnv, OUTPUT_LAYOUT)).toThrow(expected);
  });
});

describe("planTerraformCloud", () => {
  const stack = (name: string, customDomains: Record<string, unknown>): PlannedStack => ({
    name,
    environment: name,
    backend: { kind: "cloud", organization: "acme", workspace: `apigw-${name}` },
    configs: [{ ...environmentConfig({ region: "eu-west-1" }), customDomains } as EnvironmentConfig],
    dependsOn: [],
  });

  test("lets plans refresh the truststores of a stack whose domains use mutual TLS, and no object elsewhere", () => {
    const plan = planTerraformCloud([
      stack("prod", { httpApi: { domainName: "app.example.com", mutualTls: { truststore: "config/truststores/partners.pem", expiryWarningDays: 30 } } }),
      stack("dev", { httpApi: { domainName: "app.dev.example.com" } }),
    ])!;
    const byStack = Object.fromEntries(plan.workspaces.map((ws) => [ws.stack, ws.refreshedObjectArns]));
    expect(byStack).toEqual({ prod: ["arn:aws:s3:::apigw-prod-truststores-*/*"], dev: [] });
  });

  test("lets plans decrypt, through Lambda, the keys of the stack's function environments", () => {
    const key = "arn:aws:kms:eu-west-1:222222222222:key/7e6d5c4b-3a29-4f18-a7e6-d5c4b3a29f18";
    const withKey = { ...stack("prod", {}), configs: [{ ...environmentConfig({ region: "eu-west-1", logging: { retentionDays: 30, kmsKeyArn: key } }), customDomains: {} } as EnvironmentConfig] };
    const plan = planTerraformCloud([withKey, stack("dev", {})])!;
    expect(Object.fromEntries(plan.workspaces.map((ws) => [ws.stack, ws.functionEnvironmentKeyArns]))).toEqual({ prod: [key], dev: [] });
  });
});
