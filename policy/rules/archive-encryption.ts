import { coversAction, Statement, statementsOf } from "../policy-document";
import { Block, blocks, StackView } from "../stack";
import type { Rule } from "../types";

/** The buckets a delivery stream writes KMS-protected records to: its source stream is KMS-encrypted, or it names a KMS key for the objects. */
function archiveBuckets(stack: StackView): { bucket: Block; stream: Block }[] {
  return stack.resources("aws_kinesis_firehose_delivery_stream").flatMap((stream) => {
    const s3 = blocks(stream.body.extended_s3_configuration)[0] ?? blocks(stream.body.s3_configuration)[0];
    const bucket = stack.referenced(s3?.bucket_arn, "aws_s3_bucket");
    const source = stack.referenced(blocks(stream.body.kinesis_source_configuration)[0]?.kinesis_stream_arn, "aws_kinesis_stream");
    const protectedData = String(source?.body.encryption_type ?? "").toUpperCase() === "KMS" || s3?.kms_key_arn !== undefined;
    return bucket && protectedData ? [{ bucket, stream }] : [];
  });
}

/** A Deny of PutObject to everyone whose request does not ask for SSE-KMS. */
const deniesPlainPuts = (s: Statement) =>
  s.effect === "Deny" &&
  s.principals.includes("*") &&
  coversAction(s, "s3:PutObject") &&
  s.conditions.length === 1 &&
  s.conditions.every((c) => /^s3:x-amz-server-side-encryption$/i.test(c.variable) && /^StringNotEquals(IfExists)?$/.test(c.test) && c.values.length > 0 && c.values.every((v) => /^aws:kms(:dsse)?$/.test(v)));

export const archiveBucketKms: Rule = {
  id: "APIGW-ARCHIVE-BUCKET-KMS",
  severity: "error",
  message: "A bucket a Firehose stream archives KMS-protected records to must default to SSE-KMS with a bucket key, and its policy must deny puts that do not ask for SSE-KMS",
  explanation:
    "Firehose decrypts the records of a KMS-encrypted stream and writes them as objects: under SSE-S3 (AES256) anyone with s3:GetObject on the bucket reads them, and the stream's key policy, which decided who may read the records, no longer applies. Set aws_s3_bucket_server_side_encryption_configuration with sse_algorithm aws:kms (a customer managed key) and bucket_key_enabled = true (one data key per bucket and period instead of a KMS call per object), give the delivery stream the key (kms_key_arn), and add a bucket policy Deny of s3:PutObject to Principal `*` under StringNotEquals s3:x-amz-server-side-encryption aws:kms, so no writer, Firehose or another, stores an object under another encryption. Not applicable: delivery streams whose source is unencrypted and that name no KMS key.",
  equivalents: {},
  references: [
    "Amazon S3 User Guide: Using server-side encryption with AWS KMS keys (SSE-KMS), S3 Bucket Keys",
    "Amazon S3 User Guide: Requiring server-side encryption (s3:x-amz-server-side-encryption)",
    "Amazon Data Firehose Developer Guide: Data protection (server-side encryption with Kinesis Data Streams as the source)",
  ],
  check: (stack) =>
    archiveBuckets(stack).flatMap(({ bucket, stream }) => {
      const rules = stack
        .resources("aws_s3_bucket_server_side_encryption_configuration")
        .filter((c) => stack.identifies(c.body.bucket, bucket, "id") || stack.identifies(c.body.bucket, bucket, "bucket"))
        .flatMap((c) => blocks(c.body.rule));
      const kms = rules.some((r) => /^aws:kms(:dsse)?$/.test(String(blocks(r.apply_server_side_encryption_by_default)[0]?.sse_algorithm ?? "")) && r.bucket_key_enabled === true);
      const statements = stack
        .resources("aws_s3_bucket_policy")
        .filter((p) => stack.identifies(p.body.bucket, bucket, "id") || stack.identifies(p.body.bucket, bucket, "bucket"))
        .flatMap((p) => statementsOf(stack, p.body.policy) ?? []);
      const problems = [
        ...(kms ? [] : ["its default encryption is not aws:kms with bucket_key_enabled = true"]),
        ...(statements.some(deniesPlainPuts) ? [] : ["no bucket policy denies s3:PutObject without SSE-KMS"]),
      ];
      return problems.length ? [{ address: bucket.address, detail: `${stream.address} archives to it, but ${problems.join(" and ")}` }] : [];
    }),
};
