import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { TeamAccess } from "@cdktf/provider-tfe/lib/team-access";
import { Variable } from "@cdktf/provider-tfe/lib/variable";
import { Workspace } from "@cdktf/provider-tfe/lib/workspace";
import { WorkspaceSettings } from "@cdktf/provider-tfe/lib/workspace-settings";
import * as formats from "../config/formats";
import { policyDocument } from "./shared/iam";
import { checkFormat, checkNotEmpty, PropsError } from "./shared/validation";
import type { TfcAwsOidcProvider } from "./tfc-aws-oidc-provider";

export type TfcExecutionMode = "remote" | "local";

/** What a plan may do in AWS: read what it refreshes and what data sources look up. */
const READ_ONLY_POLICY_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/**
 * What ReadOnlyAccess also allows and a plan never needs: the data in the account (objects, items,
 * stream records, messages, log events, secrets). A speculative plan runs unreviewed code, which
 * could otherwise read it and send it out. Refresh only describes resources, so an explicit Deny
 * on these costs a plan nothing.
 */
export const PLAN_DATA_READS: readonly string[] = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:PartiQLSelect",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
  "kinesis:GetRecords",
  "kinesis:GetShardIterator",
  "kinesis:SubscribeToShard",
  "sqs:ReceiveMessage",
  "logs:GetLogEvents",
  "logs:FilterLogEvents",
  "logs:StartQuery",
  "logs:GetQueryResults",
  "logs:StartLiveTail",
  "logs:GetLogRecord",
  "logs:Unmask",
  "secretsmanager:GetSecretValue",
  "secretsmanager:BatchGetSecretValue",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
  "ssm:GetParameterHistory",
  "cloudtrail:LookupEvents",
  "athena:GetQueryResults",
  // The user pool's users (emails, phone numbers, sign-ins, devices) and its app clients' secrets
  // (which mint access tokens with the APIs' scopes: the stacks name pools by ARN and manage no
  // client), request traces, query results, images and source code, instance passwords and screens.
  "cognito-idp:ListUsers",
  "cognito-idp:ListUsersInGroup",
  "cognito-idp:AdminGetUser",
  "cognito-idp:AdminListUserAuthEvents",
  "cognito-idp:AdminListDevices",
  "cognito-idp:AdminGetDevice",
  "cognito-idp:AdminListGroupsForUser",
  "cognito-idp:AdminGetUserAuthFactors",
  "cognito-idp:DescribeUserPoolClient",
  "cognito-idp:ListUserPoolClientSecrets",
  "xray:BatchGetTraces",
  "xray:GetTraceSummaries",
  "xray:GetTraceGraph",
  "logs:ListAnomalies",
  "cloudtrail:GetQueryResults",
  "cloudtrail:GetEventDataStoreData",
  "athena:GetQueryResultsStream",
  "dynamodb:ConditionCheckItem",
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "codecommit:GetBlob",
  "codecommit:GetFile",
  "codecommit:GetFolder",
  "codecommit:GitPull",
  "ec2:GetPasswordData",
  "ec2:GetConsoleOutput",
  "ec2:GetConsoleScreenshot",
  // Step Functions executions' input and output, federated identity providers' client secrets,
  // objects through S3 Object Lambda, retrieved traces.
  "states:DescribeExecution",
  "states:GetExecutionHistory",
  "cognito-idp:DescribeIdentityProvider",
  "s3-object-lambda:GetObject",
  "xray:ListRetrievedTraces",
  // Data of services the stacks do not manage, read in case ReadOnlyAccess holds them: database
  // logs, archives, search, Cassandra, DAX, Redshift and Timestream results, video, retained
  // MQTT messages. None of them is a refresh of this platform's resources.
  "rds:DownloadDBLogFilePortion",
  "rds:DownloadCompleteDBLogFile",
  "glacier:GetJobOutput",
  "es:ESHttpGet",
  "es:ESHttpHead",
  "cassandra:Select",
  "dax:GetItem",
  "dax:BatchGetItem",
  "dax:Query",
  "dax:Scan",
  "redshift-data:GetStatementResult",
  "timestream:Select",
  "kinesisvideo:GetMedia",
  "iot:GetRetainedMessage",
];

/**
 * Object reads, denied apart from the objects a refresh reads: the provider refreshes an
 * `aws_s3_object` with HeadObject, which S3 authorizes as s3:GetObject (a Deny there fails the plan
 * with 403 Forbidden).
 */
export const PLAN_OBJECT_READS: readonly string[] = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAttributes", "s3:GetObjectTorrent", "s3:GetObjectVersionForReplication"];

export interface TfcAwsRunRoleProps {
  /** The AWS provider of the account the stack's resources live in; the role is created there. */
  readonly provider: TerraformProvider;
  /** The account's identity provider for Terraform Cloud tokens. */
  readonly oidcProvider: TfcAwsOidcProvider;
  /** Name of the apply role; the plan role is `<roleName>-plan`. IAM names are account-wide. */
  readonly roleName: string;
  /** Managed policies of the apply role: what the workspace's applies may do. */
  readonly policyArns: readonly string[];
  /**
   * Objects (ARN patterns) the stack manages as `aws_s3_object` and a plan must refresh, such as
   * the mutual TLS truststores (public certificates). Every other object read is denied.
   * @default no object readable
   */
  readonly refreshedObjectArns?: readonly string[];
  /**
   * Keys the stack's functions encrypt their environment variables with. Lambda shows a function's
   * variables only to callers that may decrypt them, and ReadOnlyAccess does not include
   * kms:Decrypt: the plan role may decrypt with these keys through Lambda, or every plan would show
   * the variables as added.
   * @default none
   */
  readonly functionEnvironmentKeyArns?: readonly string[];
  /**
   * The tag (key and values) that marks the stack's own API keys, as its provider's default tags
   * set it. The provider refreshes an `aws_api_gateway_api_key` with GetApiKey includeValue=true,
   * which API Gateway authorizes as apigateway:GET on the key and which returns its value: the plan
   * role may read the keys with this tag (their values are in the stack's state anyway) and no
   * others, and may list neither API keys nor usage plan keys (both lists return values).
   * @default no API key readable
   */
  readonly refreshedApiKeyTag?: { readonly key: string; readonly values: readonly string[] };
  /**
   * Partition of the account, for the API key ARNs.
   * @default "aws"
   */
  readonly partition?: string;
}

/** Team ids, each given its access to the workspace. */
export interface TfcTeamAccess {
  /** Pull-request plans: plan access where speculative plans are on, none where they are off. */
  readonly plan?: string;
  /** The pipeline's runs: plan access, which queues runs and confirms none. */
  readonly pipeline?: string;
  /** Those who confirm runs: write access. */
  readonly approvers?: string;
}

export interface TfcVcsRepo {
  /** `<VCS organization>/<repository>`. */
  readonly identifier: string;
  /** @default the repository's default branch */
  readonly branch?: string;
  /** The VCS connection; exactly one of this and `githubAppInstallationId`. */
  readonly oauthTokenId?: string;
  readonly githubAppInstallationId?: string;
}

export interface TfcWorkspaceProps {
  /** Workspace name, the one the stack's `cloud` block names. */
  readonly name: string;
  readonly organization: string;
  /** The project that holds the workspace; its name is part of the runs' identity token. */
  readonly project: { readonly id: string; readonly name: string };
  /**
   * Directory of the stack's Terraform JSON, relative to the repository root, for VCS-driven runs
   * (with `vcsRepo` only). A CLI-driven run uploads the directory it starts in, minus this suffix:
   * set there, it would upload the whole repository (local state files and all) and run in a
   * directory the upload may not have.
   */
  readonly workingDirectory: string;
  /**
   * Where runs execute.
   * @default "remote"
   */
  readonly executionMode?: TfcExecutionMode;
  /**
   * Terraform version or constraint of the runs.
   * @default the newest version Terraform Cloud offers
   */
  readonly terraformVersion?: string;
  /**
   * Apply successful plans, also those of runs queued by run triggers, without confirmation.
   * @default false
   */
  readonly autoApply?: boolean;
  /**
   * Allow speculative plans (of pull requests, of `terraform plan` from the CLI): plans nobody
   * applies, of code nobody has reviewed yet.
   * @default true
   */
  readonly speculativePlans?: boolean;
  /**
   * Teams given access to the workspace ("plan" access queues plans and runs; confirming a run
   * takes "write"). The plan team gets none where speculative plans are off: without access it
   * cannot start a speculative plan from the CLI or the API either, which speculative_enabled alone
   * does not stop. Where it has access, it may queue plans but not read the state or variables
   * (remote runs read the state themselves).
   * @default no team access managed here
   */
  readonly teamAccess?: TfcTeamAccess;
  /**
   * Key-value tags of the workspace.
   * @default no tags
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * @default no description
   */
  readonly description?: string;
  /**
   * The repository whose pushes start runs, in the working directory.
   * @default none: runs are started by the CLI or the API
   */
  readonly vcsRepo?: TfcVcsRepo;
  /**
   * Dynamic AWS credentials for remote runs: a role that trusts only this workspace's runs, and
   * the workspace variables that make Terraform Cloud assume it.
   * @default no AWS credentials
   */
  readonly awsRunRole?: TfcAwsRunRoleProps;
}

/** One Terraform Cloud workspace of a stack, with its execution settings and, for remote runs, its AWS role. */
export class TfcWorkspace extends Construct {
  public readonly workspaceId: string;
  /** The role's ARN, when the workspace has AWS credentials. */
  public readonly runRoleArn?: string;

  constructor(scope: Construct, id: string, props: TfcWorkspaceProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,90}$/.test(props.name)) {
      throw new PropsError(this, "name", `is ${JSON.stringify(props.name)}; expected a workspace name of letters, digits, - and _ (90 at most)`);
    }
    const executionMode = props.executionMode ?? "remote";
    if (props.vcsRepo && (props.vcsRepo.oauthTokenId === undefined) === (props.vcsRepo.githubAppInstallationId === undefined)) {
      throw new PropsError(this, "vcsRepo", "needs exactly one of oauthTokenId and githubAppInstallationId");
    }
    if (props.awsRunRole && executionMode !== "remote") {
      throw new PropsError(this, "awsRunRole", `is set with executionMode "${executionMode}"; only remote runs receive dynamic credentials, local runs use the caller's`);
    }

    const workspace = new Workspace(this, "workspace", {
      name: props.name,
      organization: props.organization,
      projectId: props.project.id,
      ...(props.terraformVersion ? { terraformVersion: props.terraformVersion } : {}),
      autoApply: props.autoApply ?? false,
      autoApplyRunTrigger: props.autoApply ?? false,
      speculativeEnabled: props.speculativePlans ?? true,
      ...(props.tags ? { tags: { ...props.tags } } : {}),
      ...(props.description ? { description: props.description } : {}),
      ...(props.vcsRepo ? { vcsRepo: { ...props.vcsRepo }, workingDirectory: props.workingDirectory } : {}),
    });
    // execution_mode of tfe_workspace is deprecated in favour of this resource.
    new WorkspaceSettings(this, "settings", { workspaceId: workspace.id, executionMode });
    this.workspaceId = workspace.id;
    const access = props.teamAccess ?? {};
    if (access.plan !== undefined && props.speculativePlans !== false) {
      // The plan preset also reads the state (a stack's API key values among it) and the
      // variables: pull-request plans need neither where runs are remote, where the state is
      // read by the run itself. A local-execution plan reads the state from the runner.
      new TeamAccess(this, "team-access-plan", {
        teamId: access.plan,
        workspaceId: workspace.id,
        permissions: [{ runs: "plan", variables: "none", stateVersions: executionMode === "local" ? "read" : "none", sentinelMocks: "none", workspaceLocking: false, runTasks: false }],
      });
    }
    if (access.pipeline !== undefined) new TeamAccess(this, "team-access-pipeline", { teamId: access.pipeline, workspaceId: workspace.id, access: "plan" });
    if (access.approvers !== undefined) new TeamAccess(this, "team-access-approvers", { teamId: access.approvers, workspaceId: workspace.id, access: "write" });

    if (props.awsRunRole) {
      this.runRoleArn = this.awsRunRole(workspace, props, props.awsRunRole);
    }
  }

  private awsRunRole(workspace: Workspace, props: TfcWorkspaceProps, aws: TfcAwsRunRoleProps): string {
    checkFormat(this, "awsRunRole.roleName", aws.roleName, formats.iamRoleName);
    if (aws.roleName.length > 59) {
      throw new PropsError(this, "awsRunRole.roleName", `is ${JSON.stringify(aws.roleName)} (${aws.roleName.length} characters); at most 59, as the plan role is named <roleName>-plan and IAM allows 64`);
    }
    checkNotEmpty(this, "awsRunRole.policyArns", aws.policyArns);
    aws.policyArns.forEach((arn, i) => checkFormat(this, `awsRunRole.policyArns[${i}]`, arn, formats.iamPolicyArn));
    const { hostname, audience, arn: oidcProviderArn } = aws.oidcProvider;
    // The subject names organization, project, workspace and run phase. A plan runs code nobody
    // has approved yet (any speculative plan, any CLI upload), so it gets a read-only role; the
    // apply, after confirmation, gets the role with the workspace's policies.
    const trustedBy = (phase: "plan" | "apply") =>
      policyDocument([
        {
          Effect: "Allow",
          Principal: { Federated: oidcProviderArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { [`${hostname}:aud`]: audience },
            StringLike: { [`${hostname}:sub`]: `organization:${props.organization}:project:${props.project.name}:workspace:${props.name}:run_phase:${phase}` },
          },
        },
      ]);
    const role = new IamRole(this, "run-role", {
      provider: aws.provider,
      name: aws.roleName,
      description: `Terraform Cloud applies of workspace ${props.organization}/${props.name}`,
      assumeRolePolicy: trustedBy("apply"),
    });
    const apiGateway = `arn:${aws.partition ?? "aws"}:apigateway:*::`;
    const planRole = new IamRole(this, "plan-role", {
      provider: aws.provider,
      name: `${aws.roleName}-plan`,
      description: `Terraform Cloud plans of workspace ${props.organization}/${props.name}: read only`,
      assumeRolePolicy: trustedBy("plan"),
    });
    new IamRolePolicyAttachment(this, "plan-role-read-only", { provider: aws.provider, role: planRole.name, policyArn: READ_ONLY_POLICY_ARN });
    new IamRolePolicy(this, "plan-role-no-data", {
      provider: aws.provider,
      name: "deny-data-reads",
      role: planRole.name,
      policy: policyDocument([
        { Sid: "NoDataReads", Effect: "Deny", Action: [...PLAN_DATA_READS], Resource: "*" },
        aws.refreshedObjectArns?.length
          ? { Sid: "NoObjectReads", Effect: "Deny", Action: [...PLAN_OBJECT_READS], NotResource: [...aws.refreshedObjectArns] }
          : { Sid: "NoObjectReads", Effect: "Deny", Action: [...PLAN_OBJECT_READS], Resource: "*" },
        // API key values: aws:ResourceTag on apikeys is documented in the Service Authorization
        // Reference (API Gateway's ApiKey resource type); a key without the tag is denied too.
        { Sid: "NoApiKeyLists", Effect: "Deny", Action: "apigateway:GET", Resource: [`${apiGateway}/apikeys`, `${apiGateway}/usageplans/*/keys`] },
        aws.refreshedApiKeyTag
          ? {
              Sid: "OnlyOwnApiKeys",
              Effect: "Deny",
              Action: "apigateway:GET",
              Resource: `${apiGateway}/apikeys/*`,
              Condition: { StringNotEquals: { [`aws:ResourceTag/${aws.refreshedApiKeyTag.key}`]: [...aws.refreshedApiKeyTag.values] } },
            }
          : { Sid: "OnlyOwnApiKeys", Effect: "Deny", Action: "apigateway:GET", Resource: `${apiGateway}/apikeys/*` },
        // GetUsagePlanKey returns the key's value, and refreshing an aws_api_gateway_usage_plan_key
        // calls it. aws:ResourceTag is listed for the usage plan key resource type; a key whose
        // request carries another environment's tag is denied, one without the tag (were it not
        // passed on from the plan) stays readable so that the refresh does not fail.
        ...(aws.refreshedApiKeyTag
          ? [
              {
                Sid: "OnlyOwnUsagePlanKeys",
                Effect: "Deny" as const,
                Action: "apigateway:GET",
                Resource: `${apiGateway}/usageplans/*/keys/*`,
                Condition: {
                  StringNotEquals: { [`aws:ResourceTag/${aws.refreshedApiKeyTag.key}`]: [...aws.refreshedApiKeyTag.values] },
                  Null: { [`aws:ResourceTag/${aws.refreshedApiKeyTag.key}`]: "false" },
                },
              },
            ]
          : []),
        // Decryption through Lambda is allowed (functionEnvironmentKeyArns); any direct kms:Decrypt denied.
        {
          Sid: "DecryptOnlyThroughLambda",
          Effect: "Deny",
          Action: "kms:Decrypt",
          Resource: "*",
          Condition: { StringNotLike: { "kms:ViaService": "lambda.*.amazonaws.com" } },
        },
      ]),
    });
    if (aws.functionEnvironmentKeyArns?.length) {
      aws.functionEnvironmentKeyArns.forEach((arn, i) => checkFormat(this, `awsRunRole.functionEnvironmentKeyArns[${i}]`, arn, formats.kmsKeyArn));
      new IamRolePolicy(this, "plan-role-decrypt-environments", {
        provider: aws.provider,
        name: "decrypt-function-environments",
        role: planRole.name,
        policy: policyDocument([
          {
            Sid: "ReadFunctionEnvironments",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: [...aws.functionEnvironmentKeyArns],
            Condition: { StringLike: { "kms:ViaService": "lambda.*.amazonaws.com" } },
          },
        ]),
      });
    }
    for (const policyArn of aws.policyArns) {
      new IamRolePolicyAttachment(this, `run-role-${policyArn.split(":").slice(4).join("-").replace(/[^A-Za-z0-9-]/g, "-")}`, {
        provider: aws.provider,
        role: role.name,
        policyArn,
      });
    }
    new Variable(this, "aws-provider-auth", {
      workspaceId: workspace.id,
      category: "env",
      key: "TFC_AWS_PROVIDER_AUTH",
      value: "true",
      description: "Runs authenticate to AWS with dynamic credentials",
    });
    new Variable(this, "aws-run-role-arn", {
      workspaceId: workspace.id,
      category: "env",
      key: "TFC_AWS_RUN_ROLE_ARN",
      value: role.arn,
      description: "The role applies of this workspace assume",
    });
    // Terraform Cloud takes the plan phase's role from TFC_AWS_PLAN_ROLE_ARN where it is set.
    new Variable(this, "aws-plan-role-arn", {
      workspaceId: workspace.id,
      category: "env",
      key: "TFC_AWS_PLAN_ROLE_ARN",
      value: planRole.arn,
      description: "The read-only role plans of this workspace assume",
    });
    return role.arn;
  }
}
