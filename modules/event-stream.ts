import { Construct } from "constructs";
import { KinesisResourcePolicy } from "@cdktf/provider-aws/lib/kinesis-resource-policy";
import { KinesisStream } from "@cdktf/provider-aws/lib/kinesis-stream";
import { onlyWriterStatement, policyDocument } from "./shared/iam";
import type { ServiceTarget } from "./shared/service-integrations";
import { checkFormat, PropsError } from "./shared/validation";

export interface EventStreamProps {
  /** The stream's name; changing it replaces the stream and drops the records it still holds. */
  readonly streamName: string;
  readonly region: string;
  /**
   * Hours a record stays readable (24 to 8760).
   * @default 24
   */
  readonly retentionHours?: number;
  /**
   * A customer managed key to encrypt with; writers then need kms:GenerateDataKey on it.
   * @default the AWS managed key alias/aws/kinesis
   */
  readonly kmsKeyArn?: string;
}

/**
 * A Kinesis data stream in on-demand mode (no shards to size; on-demand streams take no
 * shard_count, terraform-provider-aws#36625), encrypted at rest with KMS.
 */
export class EventStream extends Construct implements ServiceTarget {
  public readonly arn: string;
  public readonly name: string;
  public readonly region: string;
  public readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: EventStreamProps) {
    super(scope, id);
    checkFormat(this, "streamName", props.streamName, (name) => (/^[A-Za-z0-9_.-]{1,128}$/.test(name) ? undefined : "a stream name: 1-128 letters, digits, _ . -"));
    const retention = props.retentionHours ?? 24;
    if (!Number.isInteger(retention) || retention < 24 || retention > 8760) {
      throw new PropsError(this, "retentionHours", `is ${retention}; Kinesis keeps records 24 to 8760 hours`);
    }
    const stream = new KinesisStream(this, "stream", {
      name: props.streamName,
      streamModeDetails: { streamMode: "ON_DEMAND" },
      retentionPeriod: retention,
      encryptionType: "KMS",
      kmsKeyId: props.kmsKeyArn ?? "alias/aws/kinesis",
    });
    this.arn = stream.arn;
    this.name = props.streamName;
    this.region = props.region;
    this.kmsKeyArn = props.kmsKeyArn;
  }

  /** Refuses PutRecord and PutRecords to every principal but `roleArn` (the stream's resource policy); call once. */
  public admitOnlyWriter(roleArn: string): void {
    new KinesisResourcePolicy(this, "policy", { resourceArn: this.arn, policy: policyDocument([onlyWriterStatement(["kinesis:PutRecord", "kinesis:PutRecords"], this.arn, roleArn)]) });
  }
}
