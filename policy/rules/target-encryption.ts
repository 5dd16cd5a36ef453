import { blocks } from "../stack";
import type { Rule } from "../types";

export const integrationTargetEncryption: Rule = {
  id: "APIGW-TARGET-ENCRYPTION",
  severity: "error",
  message: "A Kinesis stream, SQS queue or DynamoDB table must be encrypted at rest with KMS (SQS: SSE-SQS or a KMS key)",
  explanation:
    "What clients send through the API lands in these resources. Kinesis streams are unencrypted unless encryption_type is KMS; an SQS queue is encrypted only with kms_master_key_id or sqs_managed_sse_enabled = true (stated, not left to the default); a DynamoDB table without server_side_encryption enabled uses an AWS owned key, whose use CloudTrail does not show and no key policy can restrict: enable it (the AWS managed key alias/aws/dynamodb, or a customer managed key).",
  references: ["checkov CKV_AWS_43 (Kinesis)", "checkov CKV_AWS_27 (SQS)", "checkov CKV_AWS_119 (DynamoDB)", "Security Hub Kinesis.1, SQS.1"],
  check: (stack) => [
    ...stack
      .resources("aws_kinesis_stream")
      .filter((s) => String(s.body.encryption_type ?? "NONE").toUpperCase() !== "KMS")
      .map((s) => ({ address: s.address, detail: `encryption_type is ${String(s.body.encryption_type ?? "NONE (the default)")}` })),
    ...stack
      .resources("aws_sqs_queue")
      .filter((q) => q.body.kms_master_key_id === undefined && q.body.sqs_managed_sse_enabled !== true)
      .map((q) => ({ address: q.address, detail: `neither kms_master_key_id nor sqs_managed_sse_enabled = true (it is ${JSON.stringify(q.body.sqs_managed_sse_enabled ?? null)})` })),
    ...stack
      .resources("aws_dynamodb_table")
      .filter((t) => blocks(t.body.server_side_encryption)[0]?.enabled !== true)
      .map((t) => ({ address: t.address, detail: "server_side_encryption is not enabled: the table uses an AWS owned key" })),
  ],
};
