import { wildcardMatch } from "../iam-actions";
import { coversAction, rolePermissions, Statement } from "../policy-document";
import { blocks } from "../stack";
import type { Rule } from "../types";

/** AWS managed policies whose "read" includes the data itself: objects, items, records, log events, secrets. */
const DATA_READING_POLICIES = /:iam::aws:policy\/(ReadOnlyAccess|AmazonS3ReadOnlyAccess|AmazonDynamoDBReadOnlyAccess|AmazonKinesisReadOnlyAccess|AmazonSQSReadOnlyAccess|CloudWatchLogsReadOnlyAccess)$/;
/** One read of each kind of data an API platform keeps: a Deny must cover every one. */
const DATA_READS = [
  "s3:GetObject",
  "dynamodb:GetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "kinesis:GetRecords",
  "sqs:ReceiveMessage",
  "logs:GetLogEvents",
  "logs:FilterLogEvents",
  "logs:StartQuery",
  "secretsmanager:GetSecretValue",
  "ssm:GetParameter",
];

/** A Deny that holds for every caller of the role: no condition, every resource (or all but named exceptions). */
const deniesEverywhere = (s: Statement, action: string) =>
  s.effect === "Deny" &&
  s.conditions.length === 0 &&
  coversAction(s, action) &&
  (s.resources.includes("*") || (s.resources.length === 0 && s.notResources.length > 0 && s.notResources.every((r) => !/^(\*|arn:aws[a-z-]*:[a-z0-9-]*:[^:]*:[^:]*:\*)/.test(r) && !/^arn:aws[a-z-]*:s3:::\*/.test(r))));

const TAG_CONDITION = /^aws:ResourceTag\//i;
/** API key values: GetApiKeys and GetUsagePlanKeys return every key's; GetApiKey (a refresh) one key's. */
const deniesApiKeyValues = (statements: readonly Statement[]) => {
  const denies = (resource: string, allowTagCondition: boolean) =>
    statements.some(
      (s) =>
        s.effect === "Deny" &&
        coversAction(s, "apigateway:GET") &&
        s.resources.some((r) => wildcardMatch(r, resource, false)) &&
        s.conditions.every((c) => allowTagCondition && /^StringNotEquals(IgnoreCase)?$/.test(c.test) && TAG_CONDITION.test(c.variable)),
    );
  return (
    denies("arn:aws:apigateway:eu-west-1::/apikeys", false) &&
    denies("arn:aws:apigateway:eu-west-1::/usageplans/a1b2c3/keys", false) &&
    denies("arn:aws:apigateway:eu-west-1::/apikeys/k1l2m3", true)
  );
};

export const readOnlyDataDenied: Rule = {
  id: "APIGW-READ-ONLY-DATA-DENY",
  severity: "error",
  message: "A role with an AWS managed read-only policy (ReadOnlyAccess, AmazonS3ReadOnlyAccess, ...) must deny the data reads it includes: objects, items, records, messages, log events, secrets and parameters",
  explanation:
    "ReadOnlyAccess is read access to the data, not only to the configuration: s3:GetObject, DynamoDB GetItem/Query/Scan, kinesis:GetRecords, log events, secret values. A Terraform plan role needs describe and list calls to refresh state, and holding the data reads lets an unreviewed speculative plan (any pull request's code) read the buckets, tables and streams and send them out. Attach an inline policy with an unconditioned Deny on Resource `*` (NotResource may list the few objects a refresh reads, such as a truststore) of s3:GetObject, dynamodb:GetItem, Query and Scan, kinesis:GetRecords, sqs:ReceiveMessage, logs:GetLogEvents, FilterLogEvents and StartQuery, secretsmanager:GetSecretValue and ssm:GetParameter (wildcards such as s3:GetObject* count). ReadOnlyAccess also includes apigateway:GET, which reads API key values: deny it on `arn:aws:apigateway:*::/apikeys` and `/usageplans/*/keys` (the lists, which return every value) and on `/apikeys/*`, where a StringNotEquals condition on aws:ResourceTag may leave the stack's own keys readable (a refresh reads them, and their values are in its state). The tfc stack's plan roles do.",
  equivalents: {},
  references: ["AWS managed policy reference: ReadOnlyAccess", "IAM User Guide: Policy evaluation logic (an explicit deny overrides any allow)", "HashiCorp: Terraform Cloud dynamic provider credentials (plan and apply roles)"],
  check: (stack) =>
    stack.resources("aws_iam_role").flatMap((role) => {
      const names = (value: unknown) => stack.identifies(value, role, "name") || stack.identifies(value, role, "id");
      const managed = [
        ...([] as unknown[]).concat(role.body.managed_policy_arns ?? []),
        ...stack.resources("aws_iam_role_policy_attachment").filter((a) => names(a.body.role)).map((a) => a.body.policy_arn),
        ...stack.resources("aws_iam_role_policy_attachments_exclusive").filter((a) => names(a.body.role_name)).flatMap((a) => blocks(a.body).flatMap((b) => ([] as unknown[]).concat(b.policy_arns ?? []))),
      ].filter((arn): arn is string => typeof arn === "string" && DATA_READING_POLICIES.test(arn));
      if (managed.length === 0) return [];
      const statements = rolePermissions(stack, role);
      const open = DATA_READS.filter((action) => !statements.some((s) => deniesEverywhere(s, action)));
      if (managed.some((arn) => arn.endsWith("/ReadOnlyAccess")) && !deniesApiKeyValues(statements)) open.push("apigateway:GET on API keys");
      return open.length ? [{ address: role.address, detail: `${managed.join(", ")} without a Deny of ${open.join(", ")}` }] : [];
    }),
};
