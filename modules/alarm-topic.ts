import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import * as formats from "../config/formats";
import { partitionOf } from "../config/regions";
import { policyDocument } from "./shared/iam";
import { checkFormat, PropsError } from "./shared/validation";

/** Who hears an alarm: an email address or an HTTPS endpoint (both must confirm the subscription). */
export type AlarmSubscription = { readonly email: string } | { readonly https: string };

export interface AlarmTopicProps {
  /** The topic's name. */
  readonly topicName: string;
  readonly region: string;
  /**
   * A customer managed key to encrypt the topic with. Its key policy must let
   * cloudwatch.amazonaws.com use it (kms:Decrypt, kms:GenerateDataKey*), or alarms cannot publish.
   * @default no encryption: CloudWatch cannot publish to a topic under the AWS managed key alias/aws/sns
   */
  readonly kmsKeyArn?: string;
  /** @default none */
  readonly subscriptions?: readonly AlarmSubscription[];
}

/** An SNS topic only this account's CloudWatch alarms may publish to, with the environment's subscriptions. */
export class AlarmTopic extends Construct {
  public readonly topicArn: string;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if (props.kmsKeyArn !== undefined) checkFormat(this, "kmsKeyArn", props.kmsKeyArn, formats.kmsKeyArn);
    const topic = new SnsTopic(this, "topic", { name: props.topicName, ...(props.kmsKeyArn ? { kmsMasterKeyId: props.kmsKeyArn } : {}) });
    const account = new DataAwsCallerIdentity(this, "account").accountId;
    // The confused deputy: without the source conditions, any account's alarm could publish here.
    new SnsTopicPolicy(this, "policy", {
      arn: topic.arn,
      policy: policyDocument([
        {
          Sid: "CloudWatchAlarmsOfThisAccount",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:Publish",
          Resource: topic.arn,
          Condition: { ArnLike: { "aws:SourceArn": `arn:${partitionOf(props.region)}:cloudwatch:${props.region}:${account}:alarm:*` }, StringEquals: { "aws:SourceAccount": account } },
        },
        { Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: topic.arn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
      ]),
    });
    const seen = new Set<string>();
    for (const subscription of props.subscriptions ?? []) {
      const [protocol, endpoint] = "email" in subscription ? ["email", subscription.email] : ["https", subscription.https];
      if (protocol === "https") checkFormat(this, "subscriptions https", endpoint, formats.httpsUrl);
      // Keyed by endpoint, so removing one subscription leaves the others' addresses alone.
      const key = `${protocol}-${endpoint.replace(/^https:\/\//, "").replace(/[^A-Za-z0-9]+/g, "-").replace(/-+$/, "").toLowerCase()}`;
      if (seen.has(key)) throw new PropsError(this, "subscriptions", `lists ${protocol} ${endpoint} twice`);
      seen.add(key);
      new SnsTopicSubscription(this, key, { topicArn: topic.arn, protocol, endpoint });
    }
    this.topicArn = topic.arn;
  }
}
