import { wildcardMatch } from "../iam-actions";
import { coversAction, rolePermissions, Statement } from "../policy-document";
import { blocks, StackView } from "../stack";
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

/** Terraform's suffix for a `bucket_prefix`: a timestamp and a counter, 26 digits. */
const PREFIX_SUFFIX = "20261206000000000000000001";

/**
 * The names of the buckets the stacks checked together create, each with whether a custom domain
 * reads its truststore from it. A plan's refresh reads a truststore object (the provider checks
 * the domain's truststore), nothing else in S3.
 */
function bucketsOf(all: readonly StackView[]): { name: string; truststore: boolean }[] {
  return all.flatMap((stack) => {
    const uris = [...stack.resources("aws_api_gateway_domain_name"), ...stack.resources("aws_apigatewayv2_domain_name")].flatMap((d) =>
      blocks(d.body.mutual_tls_authentication).map((m) => m.truststore_uri).filter((u): u is string => typeof u === "string"),
    );
    return stack.resources("aws_s3_bucket").flatMap((b) => {
      const name = typeof b.body.bucket === "string" ? b.body.bucket : typeof b.body.bucket_prefix === "string" ? b.body.bucket_prefix + PREFIX_SUFFIX : undefined;
      if (name === undefined) return [];
      const truststore = uris.some((u) => u.startsWith(`s3://\${${b.address}.`) || u.startsWith(`s3://${name}/`));
      return [{ name, truststore }];
    });
  });
}

/** An exception of a Deny of object reads names objects of truststore buckets only, and at least one. */
const onlyTruststores = (exception: string, buckets: readonly { name: string; truststore: boolean }[]) => {
  const match = /^arn:aws[a-z-]*:s3:::([^/]+)\/.+$/.exec(exception);
  if (!match) return false;
  const named = buckets.filter((b) => wildcardMatch(match[1], b.name, false));
  return named.length > 0 && named.every((b) => b.truststore);
};

/** A Deny that holds for every caller of the role: no condition, every resource (or all but truststore objects). */
const deniesEverywhere = (s: Statement, action: string, buckets: readonly { name: string; truststore: boolean }[]) =>
  s.effect === "Deny" &&
  s.conditions.length === 0 &&
  coversAction(s, action) &&
  (s.resources.includes("*") || (s.resources.length === 0 && s.notResources.length > 0 && action.startsWith("s3:") && s.notResources.every((r) => onlyTruststores(r, buckets))));

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
    "ReadOnlyAccess is read access to the data, not only to the configuration: s3:GetObject, DynamoDB GetItem/Query/Scan, kinesis:GetRecords, log events, secret values. A Terraform plan role needs describe and list calls to refresh state, and holding the data reads lets an unreviewed speculative plan (any pull request's code) read the buckets, tables and streams and send them out. Attach an inline policy with an unconditioned Deny on Resource `*` (NotResource may list objects of truststore buckets only, the one object read a refresh makes: buckets a custom domain of the stacks checked together takes its truststore_uri from, and no other bucket of theirs) of s3:GetObject, dynamodb:GetItem, Query and Scan, kinesis:GetRecords, sqs:ReceiveMessage, logs:GetLogEvents, FilterLogEvents and StartQuery, secretsmanager:GetSecretValue and ssm:GetParameter (wildcards such as s3:GetObject* count). ReadOnlyAccess also includes apigateway:GET, which reads API key values: deny it on `arn:aws:apigateway:*::/apikeys` and `/usageplans/*/keys` (the lists, which return every value) and on `/apikeys/*`, where a StringNotEquals condition on aws:ResourceTag may leave the stack's own keys readable (a refresh reads them, and their values are in its state). The tfc stack's plan roles do.",
  equivalents: {},
  references: ["AWS managed policy reference: ReadOnlyAccess", "IAM User Guide: Policy evaluation logic (an explicit deny overrides any allow)", "HashiCorp: Terraform Cloud dynamic provider credentials (plan and apply roles)"],
  check: (stack, all = [stack]) =>
    stack.resources("aws_iam_role").flatMap((role) => {
      const names = (value: unknown) => stack.identifies(value, role, "name") || stack.identifies(value, role, "id");
      const managed = [
        ...([] as unknown[]).concat(role.body.managed_policy_arns ?? []),
        ...stack.resources("aws_iam_role_policy_attachment").filter((a) => names(a.body.role)).map((a) => a.body.policy_arn),
        ...stack.resources("aws_iam_role_policy_attachments_exclusive").filter((a) => names(a.body.role_name)).flatMap((a) => blocks(a.body).flatMap((b) => ([] as unknown[]).concat(b.policy_arns ?? []))),
      ].filter((arn): arn is string => typeof arn === "string" && DATA_READING_POLICIES.test(arn));
      if (managed.length === 0) return [];
      const statements = rolePermissions(stack, role);
      const buckets = bucketsOf(all);
      const open = DATA_READS.filter((action) => !statements.some((s) => deniesEverywhere(s, action, buckets)));
      if (managed.some((arn) => arn.endsWith("/ReadOnlyAccess")) && !deniesApiKeyValues(statements)) open.push("apigateway:GET on API keys");
      return open.length ? [{ address: role.address, detail: `${managed.join(", ")} without a Deny of ${open.join(", ")}` }] : [];
    }),
};
