/**
 * Rules that guard issue 27's platform fixes: service trusts with a source condition, plan roles
 * that deny data reads, integration targets that only the integration may write, the event
 * archive under SSE-KMS, and a write-only CloudWatch role. Each with compliant, insecure and
 * not-applicable fixtures, in the JSON and the aws_iam_policy_document forms.
 */
import { archiveBucketKms } from "../../policy/rules/archive-encryption";
import { cloudWatchRoleWriteOnly } from "../../policy/rules/cloudwatch-role-reads";
import { integrationTargetWriters } from "../../policy/rules/integration-target-writers";
import { readOnlyDataDenied } from "../../policy/rules/read-only-data";
import { serviceTrustSource } from "../../policy/rules/service-trust";
import { tfcRoleTrustsItsWorkspace } from "../../policy/rules/tfc-role-trust";
import { tfcConfidentialWorkspace } from "../../policy/rules/tfc-workspace";
import { StackView } from "../../policy/stack";
import type { Rule } from "../../policy/types";
import { ref, stack } from "./fixtures";

type Case = [name: string, fixture: StackView, violations: string[]];

const json = (statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: statement });
const ROLE = "aws_iam_role.r";

function expectFindings(rule: Rule, severity: "error" | "warning", fixture: StackView, expected: string[]) {
  expect(rule.severity).toBe(severity);
  expect(rule.check(fixture).map((v) => v.address)).toEqual(expected);
}

describe("APIGW-SERVICE-TRUST-SOURCE", () => {
  const trusted = (service: unknown, condition?: Record<string, unknown>) =>
    stack({ aws_iam_role: { r: { assume_role_policy: json([{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }]) } } });
  const documented = (condition?: Record<string, unknown>) =>
    stack(
      { aws_iam_role: { r: { assume_role_policy: ref("data.aws_iam_policy_document.trust", "json") } } },
      { data: { aws_iam_policy_document: { trust: { statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["states.amazonaws.com"] }], ...(condition ? { condition: [condition] } : {}) }] } } } },
    );
  test.each<Case>([
    ["compliant: Firehose with sts:ExternalId naming the account", trusted("firehose.amazonaws.com", { StringEquals: { "sts:ExternalId": "111111111111" } }), []],
    ["compliant: Step Functions with aws:SourceAccount as a reference", trusted("states.amazonaws.com", { StringEquals: { "aws:SourceAccount": "${data.aws_caller_identity.current.account_id}" } }), []],
    ["compliant: EventBridge with an aws:SourceArn pattern of one account", trusted("events.amazonaws.com", { ArnLike: { "aws:SourceArn": "arn:aws:events:eu-west-1:111111111111:rule/*" } }), []],
    ["compliant, policy document: aws:SourceAccount", documented({ test: "StringEquals", variable: "aws:SourceAccount", values: ["111111111111"] }), []],
    ["not applicable: a Lambda execution role", trusted("lambda.amazonaws.com"), []],
    ["not applicable: an API Gateway role (APIGW-INTEGRATION-ROLE's)", trusted("apigateway.amazonaws.com"), []],
    ["insecure: Firehose without a condition", trusted("firehose.amazonaws.com"), [ROLE]],
    ["insecure: Lambda and Step Functions in one statement, no condition", trusted(["lambda.amazonaws.com", "states.amazonaws.com"]), [ROLE]],
    ["insecure: aws:SourceAccount under StringEqualsIfExists", trusted("states.amazonaws.com", { StringEqualsIfExists: { "aws:SourceAccount": "111111111111" } }), [ROLE]],
    ["insecure: aws:SourceArn of any resource", trusted("events.amazonaws.com", { ArnLike: { "aws:SourceArn": "*" } }), [ROLE]],
    ["insecure: aws:SourceArn of any account's rules", trusted("events.amazonaws.com", { ArnLike: { "aws:SourceArn": "arn:aws:events:eu-west-1:*:rule/*" } }), [ROLE]],
    ["insecure: a negated aws:SourceAccount", trusted("scheduler.amazonaws.com", { StringNotEquals: { "aws:SourceAccount": "999999999999" } }), [ROLE]],
    ["insecure: a condition on another key only", trusted("firehose.amazonaws.com", { Bool: { "aws:SecureTransport": "true" } }), [ROLE]],
    ["insecure, policy document: no condition", documented(), [ROLE]],
  ])("%s", (_name, fixture, expected) => expectFindings(serviceTrustSource, "error", fixture, expected));
});

describe("APIGW-READ-ONLY-DATA-DENY", () => {
  const ALL_READS = ["s3:GetObject", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "kinesis:GetRecords", "sqs:ReceiveMessage", "logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery", "secretsmanager:GetSecretValue", "ssm:GetParameter"];
  const planRole = (deny: unknown[] | undefined, arn = "arn:aws:iam::aws:policy/ReadOnlyAccess", others: Record<string, unknown> = {}) =>
    stack({
      ...others,
      aws_iam_role: { r: { name: "plan", assume_role_policy: json([{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/app.terraform.io" }, Action: "sts:AssumeRoleWithWebIdentity" }]) } },
      aws_iam_role_policy_attachment: { ro: { role: ref(ROLE, "name"), policy_arn: arn } },
      ...(deny ? { aws_iam_role_policy: { no: { role: ref(ROLE, "name"), policy: json(deny) } } } : {}),
    });
  // A truststore bucket (a domain's truststore_uri names it) and a data bucket.
  const buckets = {
    aws_s3_bucket: { truststores: { bucket_prefix: "apigw-prod-truststores-" }, events: { bucket: "acme-prod-events" } },
    aws_apigatewayv2_domain_name: { d: { domain_name: "api.example.com", mutual_tls_authentication: { truststore_uri: "s3://${aws_s3_bucket.truststores.bucket}/partners.pem" } } },
  };
  const exceptObjects = (arn: string) => ({ Effect: "Deny", Action: "s3:GetObject", NotResource: [arn] });
  const denyAll = (extra: Record<string, unknown> = {}) => ({ Effect: "Deny", Action: ALL_READS, Resource: "*", ...extra });
  const LISTS = { Effect: "Deny", Action: "apigateway:GET", Resource: ["arn:aws:apigateway:*::/apikeys", "arn:aws:apigateway:*::/usageplans/*/keys"] };
  const ownKeys = { StringNotEquals: { "aws:ResourceTag/environment": ["prod"] } };
  const keys = (condition?: Record<string, unknown>) => [LISTS, { Effect: "Deny", Action: "apigateway:GET", Resource: "arn:aws:apigateway:*::/apikeys/*", ...(condition ? { Condition: condition } : {}) }];
  test.each<Case>([
    ["compliant: ReadOnlyAccess with a Deny of every data read and of API keys", planRole([denyAll(), ...keys()]), []],
    ["compliant: the stack's own API keys (by tag) readable for its refresh", planRole([denyAll(), ...keys(ownKeys)]), []],
    ["compliant: the reads denied by wildcards in another case", planRole([{ Effect: "Deny", Action: ["S3:GetObject*", "dynamodb:*", "kinesis:Get*", "sqs:Receive*", "logs:*", "secretsmanager:Get*", "ssm:GetParameter*", "apigateway:G*"], Resource: "*" }]), []],
    [
      "compliant: object reads denied but for the truststore objects a refresh reads (NotResource)",
      planRole([{ ...denyAll(), Action: ALL_READS.slice(1) }, exceptObjects("arn:aws:s3:::apigw-prod-truststores-*/*"), ...keys()], undefined, buckets),
      [],
    ],
    ["insecure: NotResource excepting a data bucket's objects", planRole([{ ...denyAll(), Action: ALL_READS.slice(1) }, exceptObjects("arn:aws:s3:::acme-prod-events/*"), ...keys()], undefined, buckets), [ROLE]],
    [
      "insecure: NotResource excepting a pattern that takes in a data bucket too",
      planRole([{ ...denyAll(), Action: ALL_READS.slice(1) }, exceptObjects("arn:aws:s3:::*-prod-*/*"), ...keys()], undefined, buckets),
      [ROLE],
    ],
    ["insecure: NotResource excepting a bucket of no stack checked", planRole([{ ...denyAll(), Action: ALL_READS.slice(1) }, exceptObjects("arn:aws:s3:::apigw-prod-truststores-*/*"), ...keys()]), [ROLE]],
    ["insecure: NotResource excepting truststores from a Deny of DynamoDB reads", planRole([{ ...denyAll(), Action: ALL_READS.filter((a) => a !== "dynamodb:Scan") }, { ...exceptObjects("arn:aws:s3:::apigw-prod-truststores-*/*"), Action: ["s3:GetObject", "dynamodb:Scan"] }, ...keys()], undefined, buckets), [ROLE]],
    ["compliant: AmazonS3ReadOnlyAccess (no apigateway:GET) with a Deny of every data read", planRole([denyAll()], "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"), []],
    ["insecure: ReadOnlyAccess reads API key values", planRole([denyAll()]), [ROLE]],
    ["insecure: the key lists denied, single keys readable", planRole([denyAll(), LISTS]), [ROLE]],
    ["insecure: the usage plan key list readable", planRole([denyAll(), { ...LISTS, Resource: "arn:aws:apigateway:*::/apikeys" }, keys()[1]]), [ROLE]],
    ["insecure: API key reads denied only under a condition on another key", planRole([denyAll(), ...keys({ StringEquals: { "aws:RequestedRegion": "us-east-1" } })]), [ROLE]],
    ["insecure: the key lists denied only under a tag condition", planRole([denyAll(), { ...LISTS, Condition: ownKeys }, keys()[1]]), [ROLE]],
    ["not applicable: a role with ViewOnlyAccess", planRole(undefined, "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"), []],
    ["insecure: ReadOnlyAccess alone", planRole(undefined), [ROLE]],
    ["insecure: AmazonS3ReadOnlyAccess alone", planRole(undefined, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"), [ROLE]],
    ["insecure: the Deny leaves out object reads", planRole([{ ...denyAll(), Action: ALL_READS.slice(1) }]), [ROLE]],
    ["insecure: the Deny holds only under a condition", planRole([denyAll({ Condition: { StringEquals: { "aws:RequestedRegion": "us-east-1" } } })]), [ROLE]],
    ["insecure: the Deny names one bucket only", planRole([denyAll({ Resource: "arn:aws:s3:::orders/*" })]), [ROLE]],
    ["insecure: NotResource excepting every bucket", planRole([{ ...denyAll(), Action: ALL_READS.slice(1) }, { Effect: "Deny", Action: "s3:GetObject", NotResource: "arn:aws:s3:::*" }]), [ROLE]],
  ])("%s", (_name, fixture, expected) => expectFindings(readOnlyDataDenied, "error", fixture, expected));
});

describe("APIGW-INTEGRATION-TARGET-WRITERS", () => {
  const QUEUE = "aws_sqs_queue.q";
  const STREAM = "aws_kinesis_stream.s";
  const integrationRole = (action: string, target: string) => ({
    aws_iam_role: { r: { name: "integration", assume_role_policy: json([{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }]) } },
    aws_iam_role_policy: { p: { role: ref(ROLE, "name"), policy: json([{ Effect: "Allow", Action: action, Resource: ref(target, "arn") }]) } },
  });
  const onlyRole = (action: unknown, extra: Record<string, unknown> = {}) => ({
    Effect: "Deny",
    Principal: "*",
    Action: action,
    Resource: "*",
    Condition: { ArnNotEquals: { "aws:PrincipalArn": [ref(ROLE, "arn"), "arn:aws:iam::111111111111:role/operator"] } },
    ...extra,
  });
  const queue = (policy?: unknown, inAttribute = false) =>
    stack({
      ...integrationRole("sqs:SendMessage", QUEUE),
      aws_sqs_queue: { q: { name: "orders", sqs_managed_sse_enabled: true, ...(inAttribute && policy ? { policy: json(policy) } : {}) } },
      ...(!inAttribute && policy ? { aws_sqs_queue_policy: { qp: { queue_url: ref(QUEUE, "url"), policy: json(policy) } } } : {}),
    });
  const kinesis = (policy?: unknown) =>
    stack({
      ...integrationRole("kinesis:PutRecord", STREAM),
      aws_kinesis_stream: { s: { name: "events", encryption_type: "KMS" } },
      ...(policy ? { aws_kinesis_resource_policy: { sp: { resource_arn: ref(STREAM, "arn"), policy: json(policy) } } } : {}),
    });
  test.each<Case>([
    ["compliant: a queue policy denying SendMessage to all but the role", queue([onlyRole("sqs:SendMessage")]), []],
    ["compliant: the queue's own policy attribute, sqs:* denied", queue([onlyRole("SQS:*")], true), []],
    ["compliant: a stream policy denying PutRecord to all but the role", kinesis([onlyRole(["kinesis:PutRecord", "kinesis:PutRecords"])]), []],
    ["not applicable: a queue no integration role writes to", stack({ aws_sqs_queue: { q: { name: "jobs" } } }), []],
    ["insecure: a queue without a policy", queue(), [QUEUE]],
    ["insecure: a stream without a policy", kinesis(), [STREAM]],
    ["insecure: the Deny admits every role of the account", queue([onlyRole("sqs:SendMessage", { Condition: { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/*" } } })]), [QUEUE]],
    ["insecure: the Deny made inert by a second condition", kinesis([onlyRole("kinesis:PutRecord", { Condition: { ArnNotEquals: { "aws:PrincipalArn": ref(ROLE, "arn") }, StringEquals: { "aws:PrincipalAccount": "999999999999" } } })]), [STREAM]],
    ["insecure: the Deny names one principal instead of everyone", queue([onlyRole("sqs:SendMessage", { Principal: { AWS: "arn:aws:iam::111111111111:role/intruder" } })]), [QUEUE]],
    ["insecure: an Allow instead of a Deny", queue([{ ...onlyRole("sqs:SendMessage"), Effect: "Allow" }]), [QUEUE]],
  ])("%s", (_name, fixture, expected) => expectFindings(integrationTargetWriters, "error", fixture, expected));
});

describe("APIGW-ARCHIVE-BUCKET-KMS", () => {
  const BUCKET = "aws_s3_bucket.b";
  const denyPlain = { Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: "${aws_s3_bucket.b.arn}/*", Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } } };
  const archive = ({ algorithm = "aws:kms", bucketKey = true, policy = [denyPlain] as unknown[] | undefined, source = "KMS" } = {}) =>
    stack({
      aws_kinesis_stream: { s: { name: "events", encryption_type: source } },
      aws_s3_bucket: { b: { bucket: "archive" } },
      aws_s3_bucket_server_side_encryption_configuration: { e: { bucket: ref(BUCKET, "id"), rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: algorithm }, bucket_key_enabled: bucketKey }] } },
      ...(policy ? { aws_s3_bucket_policy: { p: { bucket: ref(BUCKET, "id"), policy: json(policy) } } } : {}),
      aws_kinesis_firehose_delivery_stream: {
        f: { name: "archive", destination: "extended_s3", extended_s3_configuration: { bucket_arn: ref(BUCKET, "arn"), role_arn: "r" }, kinesis_source_configuration: { kinesis_stream_arn: ref("aws_kinesis_stream.s", "arn"), role_arn: "r" } },
      },
    });
  test.each<Case>([
    ["compliant: SSE-KMS with a bucket key and a Deny of other puts", archive(), []],
    ["not applicable: an unencrypted source and no key named", archive({ algorithm: "AES256", policy: undefined, source: "NONE" }), []],
    ["insecure: SSE-S3", archive({ algorithm: "AES256" }), [BUCKET]],
    ["insecure: SSE-KMS without a bucket key", archive({ bucketKey: false }), [BUCKET]],
    ["insecure: no Deny of plain puts", archive({ policy: [] }), [BUCKET]],
    ["insecure: the Deny accepts AES256 too", archive({ policy: [{ ...denyPlain, Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": ["aws:kms", "AES256"] } } }] }), [BUCKET]],
  ])("%s", (_name, fixture, expected) => expectFindings(archiveBucketKms, "error", fixture, expected));
});

describe("APIGW-ACCOUNT-CLOUDWATCH-WRITE-ONLY", () => {
  const account = (extra: Record<string, Record<string, Record<string, unknown>>>) =>
    stack({ aws_api_gateway_account: { a: { cloudwatch_role_arn: ref(ROLE, "arn") } }, aws_iam_role: { r: { name: "cw", assume_role_policy: json([{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }]) } }, ...extra });
  const inline = (actions: string[]) => account({ aws_iam_role_policy: { p: { role: ref(ROLE, "name"), policy: json([{ Effect: "Allow", Action: actions, Resource: "*" }]) } } });
  test.each<Case>([
    ["compliant: an inline policy with the writes only", inline(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents"]), []],
    ["insecure: the managed push policy", account({ aws_iam_role_policy_attachment: { m: { role: ref(ROLE, "name"), policy_arn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs" } } }), [ROLE]],
    ["insecure: an inline logs:* ", inline(["logs:*"]), [ROLE]],
  ])("%s", (_name, fixture, expected) => expectFindings(cloudWatchRoleWriteOnly, "warning", fixture, expected));
});

describe("APIGW-TFC-CONFIDENTIAL-WORKSPACE", () => {
  const W = "tfe_workspace.w";
  const workspace = (body: Record<string, unknown>, settings?: Record<string, unknown>) =>
    stack({
      tfe_workspace: { w: { name: "apigw-prod", organization: "acme", ...body } },
      ...(settings ? { tfe_workspace_settings: { s: { workspace_id: ref(W, "id"), ...settings } } } : {}),
    });
  const confidential = { tags: { "data-classification": "confidential", environment: "prod" } };
  const REMOTE = { execution_mode: "remote" };
  test.each<Case>([
    ["compliant: a confidential workspace run remotely, without speculative plans or auto-apply", workspace({ ...confidential, speculative_enabled: false, auto_apply: false, auto_apply_run_trigger: false }, REMOTE), []],
    ["compliant: run on the organization's agents", workspace({ ...confidential, speculative_enabled: false }, { execution_mode: "agent", agent_pool_id: "apool-1" }), []],
    ["compliant: remote execution on the workspace (the deprecated attribute)", workspace({ ...confidential, speculative_enabled: false, execution_mode: "remote" }), []],
    ["insecure: local execution (Terraform Cloud keeps only the state)", workspace({ ...confidential, speculative_enabled: false }, { execution_mode: "local" }), [W]],
    ["insecure: local execution on the workspace, remote on its settings", workspace({ ...confidential, speculative_enabled: false, execution_mode: "local" }, REMOTE), [W]],
    ["insecure: the execution mode left to the organization's default", workspace({ ...confidential, speculative_enabled: false }), [W]],
    ["insecure: the execution mode from a variable", workspace({ ...confidential, speculative_enabled: false }, { execution_mode: "${var.mode}" }), [W]],
    ["not applicable: an unclassified workspace with speculative plans", workspace({ tags: { environment: "dev" }, speculative_enabled: true }), []],
    ["not applicable: an internal one", workspace({ tags: { "data-classification": "internal" } }), []],
    ["insecure: speculative plans on (the default)", workspace({ ...confidential }), [W]],
    ["insecure: speculative plans on, as a string", workspace({ ...confidential, speculative_enabled: "true" }), [W]],
    ["insecure: auto-apply", workspace({ ...confidential, speculative_enabled: false, auto_apply: true }, REMOTE), [W]],
    ["insecure: auto-apply of runs queued by run triggers", workspace({ ...confidential, speculative_enabled: false, auto_apply_run_trigger: true }, REMOTE), [W]],
    ["insecure: auto-apply on its settings", workspace({ ...confidential, speculative_enabled: false }, { execution_mode: "remote", auto_apply: true }), ["tfe_workspace_settings.s"]],
    ["insecure: restricted, in another case", workspace({ tags: { "data-classification": "Restricted" } }), [W]],
  ])("%s", (_name, fixture, expected) => expectFindings(tfcConfidentialWorkspace, "error", fixture, expected));
});

describe("APIGW-TFC-CONFIDENTIAL-WORKSPACE, checked with the stacks the workspaces run", () => {
  const tfc = stack({ tfe_workspace: { w: { name: "apigw-prod", organization: "acme", speculative_enabled: true } } });
  const prod = (classification: string) =>
    new StackView("prod", { terraform: { cloud: { organization: "acme", workspaces: { name: "apigw-prod" } } }, provider: { aws: [{ region: "eu-west-1", default_tags: [{ tags: { "data-classification": classification } }] }] } });
  test.each<[string, StackView[], string[]]>([
    ["insecure: the tag dropped from the workspace, still on the stack's resources", [tfc, prod("confidential")], ["tfe_workspace.w"]],
    ["not applicable: the stack's resources are internal", [tfc, prod("internal")], []],
    ["not applicable: the workspace's stack is not among those checked", [tfc], []],
  ])("%s", (_name, all, expected) => {
    expect(tfcConfidentialWorkspace.check(tfc, all).map((v) => v.address)).toEqual(expected);
  });
});

describe("APIGW-TFC-ROLE-WORKSPACE", () => {
  const sub = (workspace = "apigw-prod", phase = "apply", organization = "acme", project = "apigw-platform") => `organization:${organization}:project:${project}:workspace:${workspace}:run_phase:${phase}`;
  const tfc = (subject: string | undefined, key = "TFC_AWS_RUN_ROLE_ARN") =>
    stack({
      tfe_project: { p: { name: "apigw-platform", organization: "acme" } },
      tfe_workspace: { w: { name: "apigw-prod", organization: "acme", project_id: ref("tfe_project.p", "id") } },
      aws_iam_role: {
        r: {
          name: "apigw-tfc-prod",
          assume_role_policy: json([
            {
              Effect: "Allow",
              Principal: { Federated: ref("aws_iam_openid_connect_provider.tfc", "arn") },
              Action: "sts:AssumeRoleWithWebIdentity",
              Condition: { StringEquals: { "app.terraform.io:aud": "aws.workload.identity" }, ...(subject ? { StringLike: { "app.terraform.io:sub": subject } } : {}) },
            },
          ]),
        },
      },
      tfe_variable: { v: { key, value: ref(ROLE, "arn"), category: "env", workspace_id: ref("tfe_workspace.w", "id") } },
    });
  test.each<Case>([
    ["compliant: the workspace's applies", tfc(sub()), []],
    ["compliant: the plan role trusts the workspace's plans", tfc(sub("apigw-prod", "plan"), "TFC_AWS_PLAN_ROLE_ARN"), []],
    ["insecure: another workspace's applies", tfc(sub("apigw-staging")), [ROLE]],
    ["insecure: another organization's workspace of the same name", tfc(sub("apigw-prod", "apply", "evilcorp")), [ROLE]],
    ["insecure: another project", tfc(sub("apigw-prod", "apply", "acme", "sandbox")), [ROLE]],
    ["insecure: the plan phase for the apply role", tfc(sub("apigw-prod", "plan")), [ROLE]],
    ["insecure: every workspace", tfc(sub("*")), [ROLE]],
    ["insecure: no subject at all", tfc(undefined), [ROLE]],
  ])("%s", (_name, fixture, expected) => expectFindings(tfcRoleTrustsItsWorkspace, "error", fixture, expected));
});
