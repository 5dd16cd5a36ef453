import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
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
  /** @default none */
  readonly subscriptions?: readonly AlarmSubscription[];
}

/**
 * An SNS topic only this account's CloudWatch alarms may publish to, with the environment's
 * subscriptions, encrypted with a key of its own. CloudWatch publishes to an encrypted topic only
 * with kms:Decrypt and kms:GenerateDataKey* on its key, granted in the key policy
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services);
 * on the AWS managed alias/aws/sns, or on a key whose policy lacks the grant, alarms change state and
 * nobody hears of it. The platform cannot check a key policy it does not own, so it owns this one.
 */
export class AlarmTopic extends Construct {
  public readonly topicArn: string;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const caller = new DataAwsCallerIdentity(this, "account");
    const account = caller.accountId;
    const partition = partitionOf(props.region);
    const alarmsOfThisAccount = {
      ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${props.region}:${account}:alarm:*` },
      StringEquals: { "aws:SourceAccount": account },
    };
    const key = new KmsKey(this, "key", {
      description: `SNS topic ${props.topicName}: CloudWatch alarm notifications`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument([
        // The key policy is the only grant a KMS key has: without the account statement, IAM
        // policies could not give anyone, administrators included, access to it.
        { Sid: "TheAccountAdministersTheKey", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
        // AWS's statement as documented, without source conditions: whether CloudWatch passes
        // aws:SourceArn on to KMS is not documented, and a condition it does not meet would silence
        // every alarm. Only a publisher to this topic uses the key, and the topic's policy admits
        // this account's alarms alone.
        { Sid: "CloudWatchAlarmsPublish", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*" },
      ]),
    });
    new KmsAlias(this, "key-alias", { name: `alias/${props.topicName}`, targetKeyId: key.keyId });
    const topic = new SnsTopic(this, "topic", { name: props.topicName, kmsMasterKeyId: key.arn });
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
          Condition: alarmsOfThisAccount,
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
