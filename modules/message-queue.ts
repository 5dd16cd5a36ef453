import { Construct } from "constructs";
import { DataAwsArn } from "@cdktf/provider-aws/lib/data-aws-arn";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { onlyWriterStatement, policyDocument } from "./shared/iam";
import type { QueueTarget } from "./shared/service-integrations";
import { checkFormat, PropsError } from "./shared/validation";

export interface MessageQueueProps {
  /** The queue's name; its dead-letter queue is `<name>-dlq`. */
  readonly queueName: string;
  readonly region: string;
  /**
   * Receives after which a message moves to the dead-letter queue (1 to 1000).
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * A customer managed key to encrypt both queues with; senders then need kms:GenerateDataKey and kms:Decrypt on it.
   * @default SQS managed encryption (SSE-SQS)
   */
  readonly kmsKeyArn?: string;
}

/** An encrypted SQS queue whose messages that keep failing move to an encrypted dead-letter queue. */
export class MessageQueue extends Construct implements QueueTarget {
  public readonly arn: string;
  public readonly url: string;
  public readonly name: string;
  public readonly region: string;
  public readonly kmsKeyArn?: string;
  public readonly deadLetterQueueArn: string;
  public readonly deadLetterQueueName: string;

  constructor(scope: Construct, id: string, props: MessageQueueProps) {
    super(scope, id);
    checkFormat(this, "queueName", props.queueName, (name) => (/^[A-Za-z0-9_-]{1,76}$/.test(name) ? undefined : "a queue name: 1-76 letters, digits, _ - (the dead-letter queue adds -dlq)"));
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new PropsError(this, "maxReceiveCount", `is ${maxReceiveCount}; SQS takes 1 to 1000`);
    }
    const encryption = props.kmsKeyArn ? { kmsMasterKeyId: props.kmsKeyArn } : { sqsManagedSseEnabled: true };
    // Dead letters are kept the longest SQS allows, for someone to look at them.
    const deadLetters = new SqsQueue(this, "dead-letters", { name: `${props.queueName}-dlq`, messageRetentionSeconds: 1209600, ...encryption });
    const queue = new SqsQueue(this, "queue", {
      name: props.queueName,
      ...encryption,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetters.arn, maxReceiveCount }),
    });
    this.arn = queue.arn;
    this.url = queue.url;
    this.name = props.queueName;
    this.region = props.region;
    this.kmsKeyArn = props.kmsKeyArn;
    this.deadLetterQueueArn = deadLetters.arn;
    this.deadLetterQueueName = `${props.queueName}-dlq`;
  }

  /**
   * Refuses SendMessage to every principal but `roleArn` (the queue's resource policy); call once.
   * A redrive of dead letters back to the queue (StartMessageMoveTask) sends with its caller's
   * identity, so the roles that may redrive are admitted as senders too.
   */
  public admitOnlySender(roleArn: string, redriveRoleArns: readonly string[] = []): void {
    new SqsQueuePolicy(this, "policy", { queueUrl: this.url, policy: policyDocument([onlyWriterStatement(["sqs:SendMessage"], this.arn, roleArn, redriveRoleArns)]) });
  }

  private accountId?: string;

  /**
   * The queue's account, parsed from its ARN by aws_arn (locally, at apply), made on first use: an
   * expression with string literals would put unescaped quotes into the JSON text it is used in.
   */
  public get account(): string {
    this.accountId ??= new DataAwsArn(this, "queue-arn", { arn: this.arn }).account;
    return this.accountId;
  }
}
