import { Token } from "cdktf";
import { Construct } from "constructs";
import { DataAwsArn } from "@cdktf/provider-aws/lib/data-aws-arn";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import * as formats from "../config/formats";
import { policyDocument, PolicyStatement } from "./shared/iam";
import type { ServiceTarget } from "./shared/service-integrations";
import { checkFormat } from "./shared/validation";

export interface EventArchiveProps {
  /** The delivery stream's name, also its log group's. */
  readonly name: string;
  /** The Kinesis stream whose records are stored. */
  readonly stream: ServiceTarget;
  /** The bucket to create for them. */
  readonly bucketName: string;
  readonly logRetentionDays: number;
  /**
   * Customer managed KMS key of the delivery log group (its key policy must let CloudWatch Logs use it).
   * @default the AWS owned key
   */
  readonly logKmsKeyArn?: string;
}

/** Where the records land: `events/year=YYYY/month=MM/day=DD/<delivery stream>-...`, as written by Firehose. */
export const ARCHIVE_PREFIX = "events/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/";

/**
 * Kinesis Data Firehose reading a stream and writing its records to a new S3 bucket: encrypted
 * with a key of its own (SSE-KMS with an S3 bucket key, so S3 calls KMS once per bucket key rather
 * than per object), refusing puts without that key, never public, owner-enforced, TLS only. Records land as sent, so JSON records with a
 * trailing newline make JSON-lines objects, one every 5 MB or 5 minutes.
 */
export class EventArchive extends Construct {
  public readonly bucketName: string;
  public readonly deliveryStreamName: string;

  constructor(scope: Construct, id: string, props: EventArchiveProps) {
    super(scope, id);
    checkFormat(this, "bucketName", props.bucketName, formats.s3BucketName);
    const bucket = new S3Bucket(this, "bucket", { bucket: props.bucketName });
    // The records are the stream's, decrypted by Firehose: they get a customer managed key, so
    // reading them takes kms:Decrypt on it besides s3:GetObject (SSE-S3 takes s3:GetObject alone).
    const key = new KmsKey(this, "key", { description: `S3 objects of ${props.bucketName}: the ${props.name} event archive`, enableKeyRotation: true, deletionWindowInDays: 30 });
    new S3BucketServerSideEncryptionConfigurationA(this, "bucket-encryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
    });
    new S3BucketPublicAccessBlock(this, "bucket-public-access", { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    new S3BucketOwnershipControls(this, "bucket-ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketPolicy(this, "bucket-policy", {
      bucket: bucket.id,
      policy: policyDocument([
        { Sid: "DenyPlainHttp", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket.arn, `${bucket.arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
        // Firehose sends SSE-KMS headers with the key (kms_key_arn below); any other put is refused.
        { Sid: "DenyPutsWithoutKms", Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: `${bucket.arn}/*`, Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } } },
        { Sid: "DenyPutsWithAnotherKey", Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: `${bucket.arn}/*`, Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption-aws-kms-key-id": key.arn } } },
      ]),
    });

    const logs = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/kinesisfirehose/${props.name}`,
      retentionInDays: props.logRetentionDays,
      ...(props.logKmsKeyArn ? { kmsKeyId: props.logKmsKeyArn } : {}),
    });
    const logStream = new CloudwatchLogStream(this, "delivery-log", { name: "S3Delivery", logGroupName: logs.name });

    // Firehose sends the account that owns the delivery stream as sts:ExternalId when it assumes
    // the role (the trust the Firehose developer guide gives, "Grant Firehose access to an Amazon
    // S3 destination"): another account's delivery stream cannot use this role. Firehose reads only
    // streams of its own account, so the stream's ARN names it.
    const account = Token.isUnresolved(props.stream.arn) ? new DataAwsArn(this, "stream-arn", { arn: props.stream.arn }).account : props.stream.arn.split(":")[4];
    const role = new IamRole(this, "role", {
      name: `${props.name}-firehose`,
      assumeRolePolicy: policyDocument([{ Effect: "Allow", Principal: { Service: "firehose.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": account } } }]),
    });
    const statements: PolicyStatement[] = [
      { Sid: "ReadTheStream", Effect: "Allow", Action: ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"], Resource: props.stream.arn },
      { Sid: "ListTheBucket", Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], Resource: bucket.arn },
      { Sid: "WriteObjects", Effect: "Allow", Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"], Resource: `${bucket.arn}/*` },
      { Sid: "EncryptObjects", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: key.arn, Condition: { StringEquals: { "kms:ViaService": `s3.${props.stream.region}.amazonaws.com` } } },
      { Sid: "WriteDeliveryErrors", Effect: "Allow", Action: "logs:PutLogEvents", Resource: `${logs.arn}:log-stream:${logStream.name}` },
    ];
    if (props.stream.kmsKeyArn) {
      statements.push({ Sid: "DecryptTheStream", Effect: "Allow", Action: "kms:Decrypt", Resource: props.stream.kmsKeyArn, Condition: { StringEquals: { "kms:ViaService": `kinesis.${props.stream.region}.amazonaws.com` } } });
    }
    const policy = new IamRolePolicy(this, "role-policy", { name: "deliver", role: role.name, policy: policyDocument(statements) });

    const delivery = new KinesisFirehoseDeliveryStream(this, "delivery", {
      name: props.name,
      destination: "extended_s3",
      kinesisSourceConfiguration: { kinesisStreamArn: props.stream.arn, roleArn: role.arn },
      extendedS3Configuration: {
        roleArn: role.arn,
        bucketArn: bucket.arn,
        prefix: ARCHIVE_PREFIX,
        kmsKeyArn: key.arn,
        errorOutputPrefix: "errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
        bufferingSize: 5,
        bufferingInterval: 300,
        compressionFormat: "UNCOMPRESSED",
        cloudwatchLoggingOptions: { enabled: true, logGroupName: logs.name, logStreamName: logStream.name },
      },
      // Firehose checks at creation that its role can read the stream: the policy must be there first.
      dependsOn: [policy],
    });
    this.bucketName = props.bucketName;
    this.deliveryStreamName = delivery.name;
  }
}
