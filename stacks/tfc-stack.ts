import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Project } from "@cdktf/provider-tfe/lib/project";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { RunTrigger } from "@cdktf/provider-tfe/lib/run-trigger";
import type { BackendSettings } from "../config/backend";
import { partitionOf } from "../config/regions";
import { TfcAwsOidcProvider } from "../modules/tfc-aws-oidc-provider";
import { TfcWorkspace } from "../modules/tfc-workspace";
import { configureBackend, OutputLayout } from "./backend";
import { PROJECT } from "./platform-stack";
import type { TfcAccount, TfcPlan } from "./tfc";

export interface TfcStackProps {
  readonly plan: TfcPlan;
  readonly backend: BackendSettings;
  readonly layout: OutputLayout;
}

/**
 * Terraform Cloud as code: a workspace per stack of the platform, the run triggers that make
 * an environment's runs follow its account stack, and in each AWS account the identity provider
 * and per-workspace roles its runs assume. Applied by a person (README, "Terraform Cloud"),
 * before any other stack, since the workspaces and roles must exist before their first run.
 */
export class TfcStack extends TerraformStack {
  public readonly workspaces: ReadonlyMap<string, TfcWorkspace>;

  constructor(scope: Construct, id: string, props: TfcStackProps) {
    super(scope, id);
    const { plan } = props;
    new TfeProvider(this, "tfe", plan.hostname ? { hostname: plan.hostname } : {});
    configureBackend(this, props.backend, props.layout);

    const oidcProviders = new Map(plan.accounts.map((account) => [account.key, this.oidcProvider(account, plan.hostname)]));
    const projects = new Map<string, Project>();
    const workspaces = new Map<string, TfcWorkspace>();
    for (const ws of plan.workspaces) {
      const projectKey = `${ws.organization}/${ws.project}`;
      let project = projects.get(projectKey);
      if (!project) {
        project = new Project(this, `project-${ws.organization}-${ws.project}`.replace(/[^A-Za-z0-9_-]/g, "-"), {
          organization: ws.organization,
          name: ws.project,
          description: `Workspaces of ${PROJECT}, one per stack`,
        });
        projects.set(projectKey, project);
      }
      const oidcProvider = oidcProviders.get(ws.account.key);
      const workspace = new TfcWorkspace(this, ws.stack, {
        name: ws.workspace,
        organization: ws.organization,
        project: { id: project.id, name: ws.project },
        workingDirectory: ws.workingDirectory,
        executionMode: ws.executionMode,
        terraformVersion: ws.terraformVersion,
        autoApply: ws.autoApply,
        speculativePlans: ws.speculativePlans,
        ...(ws.teamAccess ? { teamAccess: ws.teamAccess } : {}),
        tags: ws.tags,
        description: `Stack ${ws.stack} of ${PROJECT}`,
        ...(ws.vcsRepo ? { vcsRepo: ws.vcsRepo } : {}),
        ...(ws.executionMode === "remote" && oidcProvider
          ? {
              awsRunRole: {
                provider: oidcProvider.provider,
                oidcProvider: oidcProvider.construct,
                roleName: ws.runRoleName,
                policyArns: ws.runRolePolicyArns,
                refreshedObjectArns: ws.refreshedObjectArns,
                functionEnvironmentKeyArns: ws.functionEnvironmentKeyArns,
                partition: partitionOf(ws.account.region),
                ...(ws.apiKeyEnvironments.length ? { refreshedApiKeyTag: { key: "environment", values: ws.apiKeyEnvironments } } : {}),
              },
            }
          : {}),
      });
      workspaces.set(ws.stack, workspace);
      if (workspace.runRoleArn) new TerraformOutput(this, `${ws.stack.replace(/-/g, "_")}_run_role_arn`, { value: workspace.runRoleArn });
    }
    for (const trigger of plan.runTriggers) {
      new RunTrigger(this, `run-trigger-${trigger.source}-to-${trigger.target}`, {
        workspaceId: workspaces.get(trigger.target)!.workspaceId,
        sourceableId: workspaces.get(trigger.source)!.workspaceId,
      });
    }
    this.workspaces = workspaces;
  }

  private oidcProvider(account: TfcAccount, hostname: string | undefined): { provider: AwsProvider; construct: TfcAwsOidcProvider } {
    const provider = new AwsProvider(this, `aws-${account.key}`, {
      alias: `account_${account.key.replace(/-/g, "_")}`,
      region: account.region,
      ...(account.accountId ? { allowedAccountIds: [account.accountId] } : {}),
      ...(account.bootstrapRoleArn ? { assumeRole: [{ roleArn: account.bootstrapRoleArn, sessionName: "apigw-tfc-bootstrap" }] } : {}),
      defaultTags: [{ tags: { project: PROJECT, "managed-by": "cdktf" } }],
    });
    return { provider, construct: new TfcAwsOidcProvider(this, `oidc-${account.key}`, { provider, hostname }) };
  }
}
