import { EventArchive } from "../../modules/event-archive";
import { resourcesOf, synthConstruct } from "../fixtures/environment";
import { evaluate } from "../fixtures/iam-evaluate";

// Firehose names the account of the delivery stream as sts:ExternalId: the role admits that account's streams only.
describe("EventArchive trust", () => {
  const synthesized = synthConstruct((scope) => {
    new EventArchive(scope, "archive", { name: "apigw-dev-events", stream: { arn: "arn:aws:kinesis:eu-west-1:111111111111:stream/apigw-dev-events", name: "apigw-dev-events", region: "eu-west-1" }, bucketName: "acme-dev-events", logRetentionDays: 30 });
  });
  const [role] = Object.values<any>(resourcesOf(synthesized, "aws_iam_role"));
  const assume = (context: Record<string, string>) => evaluate(role.assume_role_policy, { principal: { Service: "firehose.amazonaws.com" }, action: "sts:AssumeRole", context });

  test.each<[string, Record<string, string>, string]>([
    ["a delivery stream of the account", { "sts:ExternalId": "111111111111" }, "Allow"],
    ["a delivery stream of another account", { "sts:ExternalId": "999999999999" }, "ImplicitDeny"],
    ["a request without the external id", {}, "ImplicitDeny"],
  ])("%s: %s", (_name, context, decision) => {
    expect(assume(context)).toBe(decision);
  });
});

// The bucket policy's answer to Firehose's puts and anyone else's.
describe("EventArchive bucket encryption", () => {
  const synthesized = synthConstruct((scope) => {
    new EventArchive(scope, "archive", { name: "apigw-dev-events", stream: { arn: "arn:aws:kinesis:eu-west-1:111111111111:stream/apigw-dev-events", name: "apigw-dev-events", region: "eu-west-1" }, bucketName: "acme-dev-events", logRetentionDays: 30 });
  });
  const [key] = Object.keys(resourcesOf(synthesized, "aws_kms_key"));
  const keyArn = `\${aws_kms_key.${key}.arn}`;
  const [bucket] = Object.keys(resourcesOf(synthesized, "aws_s3_bucket"));
  const [policy] = Object.values<any>(resourcesOf(synthesized, "aws_s3_bucket_policy"));
  const put = (context: Record<string, string>) =>
    evaluate(policy.policy, { principal: { AWS: "arn:aws:iam::111111111111:role/apigw-dev-events-firehose" }, action: "s3:PutObject", resource: `\${aws_s3_bucket.${bucket}.arn}/events/x`, context: { "aws:SecureTransport": "true", ...context } });

  test("encrypts by default with the archive's own key and an S3 bucket key", () => {
    expect(Object.values<any>(resourcesOf(synthesized, "aws_s3_bucket_server_side_encryption_configuration"))[0].rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: keyArn }, bucket_key_enabled: true },
    ]);
    expect(Object.values<any>(resourcesOf(synthesized, "aws_kms_key"))[0]).toMatchObject({ enable_key_rotation: true });
    expect(Object.values<any>(resourcesOf(synthesized, "aws_kinesis_firehose_delivery_stream"))[0].extended_s3_configuration.kms_key_arn).toBe(keyArn);
  });

  test.each<[string, Record<string, string>, string]>([
    ["a put with the archive's key", { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn }, "ImplicitDeny"],
    ["a put without encryption headers", {}, "ExplicitDeny"],
    ["an SSE-S3 put", { "s3:x-amz-server-side-encryption": "AES256" }, "ExplicitDeny"],
    ["a put with another key", { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:eu-west-1:999999999999:key/x" }, "ExplicitDeny"],
  ])("%s: %s by the bucket policy (the role's policy grants the rest)", (_name, context, decision) => {
    expect(put(context)).toBe(decision);
  });
});
