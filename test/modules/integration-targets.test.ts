import { DataTable } from "../../modules/data-table";
import { EventArchive } from "../../modules/event-archive";
import { EventStream, EventStreamProps } from "../../modules/event-stream";
import { HttpVpcLink } from "../../modules/http-vpc-link";
import { MessageQueue } from "../../modules/message-queue";
import { RestVpcLink } from "../../modules/rest-vpc-link";
import { existingTarget } from "../../modules/shared/service-integrations";
import { evaluate } from "../fixtures/iam-evaluate";
import { nameOf, resourcesOf, synthConstruct, testStack } from "../fixtures/environment";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
const NLB = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/legacy/50dc6c495c0c9188";
const only = (synthesized: Record<string, any>, type: string) => resourcesOf(synthesized, type)[nameOf(synthesized, type)];

describe("EventStream", () => {
  const PROPS: EventStreamProps = { streamName: "apigw-dev-events", region: "eu-west-1" };

  test("default: on demand, no shard count, KMS with the AWS managed key", () => {
    const stream = only(synthConstruct((scope) => new EventStream(scope, "events", PROPS)), "aws_kinesis_stream");
    expect(stream).toMatchObject({ name: "apigw-dev-events", stream_mode_details: { stream_mode: "ON_DEMAND" }, retention_period: 24, encryption_type: "KMS", kms_key_id: "alias/aws/kinesis" });
    expect(stream).not.toHaveProperty("shard_count");
  });

  test("encrypts with a customer managed key", () => {
    expect(only(synthConstruct((scope) => new EventStream(scope, "events", { ...PROPS, kmsKeyArn: KEY })), "aws_kinesis_stream").kms_key_id).toBe(KEY);
  });

  test.each([[23], [8761], [24.5]])("fails if retentionHours is %s", (retentionHours) => {
    expect(() => new EventStream(testStack(), "events", { ...PROPS, retentionHours })).toThrow(`test/events: retentionHours is ${retentionHours}; Kinesis keeps records 24 to 8760 hours`);
  });
});

describe("EventArchive", () => {
  const stream = existingTarget("stream", "arn:aws:kinesis:eu-west-1:111111111111:stream/apigw-dev-events", KEY);
  const synthesized = synthConstruct((scope) => new EventArchive(scope, "archive", { name: "apigw-dev-events", stream, bucketName: "acme-dev-events", logRetentionDays: 14 }));

  test("delivers the stream to an encrypted, private, TLS-only bucket, after its role may read the stream", () => {
    const delivery = only(synthesized, "aws_kinesis_firehose_delivery_stream");
    expect(delivery).toMatchObject({ destination: "extended_s3", kinesis_source_configuration: { kinesis_stream_arn: stream.arn }, extended_s3_configuration: { compression_format: "UNCOMPRESSED" } });
    expect(delivery.depends_on).toEqual([`aws_iam_role_policy.${nameOf(synthesized, "aws_iam_role_policy")}`]);
    expect(only(synthesized, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\./) }, bucket_key_enabled: true }]);
    expect(only(synthesized, "aws_s3_bucket_public_access_block")).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(evaluate(only(synthesized, "aws_s3_bucket_policy").policy, { principal: { AWS: "*" }, action: "s3:GetObject", resource: `\${aws_s3_bucket.${nameOf(synthesized, "aws_s3_bucket")}.arn}/x`, context: { "aws:SecureTransport": "false" } })).toBe("ExplicitDeny");
  });

  test("its role reads the stream and its key, and writes the bucket, nothing else", () => {
    const policy = only(synthesized, "aws_iam_role_policy").policy;
    const bucket = `\${aws_s3_bucket.${nameOf(synthesized, "aws_s3_bucket")}.arn}`;
    expect(evaluate(policy, { action: "kinesis:GetRecords", resource: stream.arn })).toBe("Allow");
    expect(evaluate(policy, { action: "kinesis:PutRecord", resource: stream.arn })).toBe("ImplicitDeny");
    expect(evaluate(policy, { action: "s3:PutObject", resource: `${bucket}/events/x` })).toBe("Allow");
    expect(evaluate(policy, { action: "s3:DeleteObject", resource: `${bucket}/events/x` })).toBe("ImplicitDeny");
    expect(evaluate(policy, { action: "kms:Decrypt", resource: KEY, context: { "kms:ViaService": "kinesis.eu-west-1.amazonaws.com" } })).toBe("Allow");
    expect(evaluate(policy, { action: "kms:Decrypt", resource: KEY, context: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } })).toBe("ImplicitDeny");
  });
});

describe("MessageQueue", () => {
  test("default: SSE-SQS on the queue and its dead-letter queue, which takes messages after 5 receives", () => {
    const synthesized = synthConstruct((scope) => new MessageQueue(scope, "orders", { queueName: "apigw-dev-orders", region: "eu-west-1" }));
    const queues = Object.values<any>(resourcesOf(synthesized, "aws_sqs_queue"));
    const [dlq, queue] = [queues.find((q) => q.name === "apigw-dev-orders-dlq"), queues.find((q) => q.name === "apigw-dev-orders")];
    expect(dlq).toMatchObject({ sqs_managed_sse_enabled: true, message_retention_seconds: 1209600 });
    expect(queue.sqs_managed_sse_enabled).toBe(true);
    expect(JSON.parse(queue.redrive_policy)).toEqual({ deadLetterTargetArn: `\${aws_sqs_queue.${Object.keys(resourcesOf(synthesized, "aws_sqs_queue")).find((n) => n.includes("dead-letters"))}.arn}`, maxReceiveCount: 5 });
  });

  test("encrypts both queues with a customer managed key", () => {
    const synthesized = synthConstruct((scope) => new MessageQueue(scope, "orders", { queueName: "apigw-dev-orders", region: "eu-west-1", kmsKeyArn: KEY }));
    for (const queue of Object.values<any>(resourcesOf(synthesized, "aws_sqs_queue"))) expect(queue).toMatchObject({ kms_master_key_id: KEY });
  });

  test("fails if maxReceiveCount is 0", () => {
    expect(() => new MessageQueue(testStack(), "orders", { queueName: "q", region: "eu-west-1", maxReceiveCount: 0 })).toThrow("test/orders: maxReceiveCount is 0; SQS takes 1 to 1000");
  });
});

describe("DataTable", () => {
  test("default: on demand, KMS encryption, point-in-time recovery, deletion protection", () => {
    expect(only(synthConstruct((scope) => new DataTable(scope, "users", { tableName: "apigw-dev-users", region: "eu-west-1", partitionKey: "id" })), "aws_dynamodb_table")).toMatchObject({
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "id",
      attribute: [{ name: "id", type: "S" }],
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      deletion_protection_enabled: true,
    });
  });
});

describe("RestVpcLink", () => {
  test("targets the NLB and is replaced new-first", () => {
    expect(only(synthConstruct((scope) => new RestVpcLink(scope, "legacy", { name: "legacy", nlbArn: NLB })), "aws_api_gateway_vpc_link")).toMatchObject({ target_arns: [NLB], lifecycle: { create_before_destroy: true } });
  });

  test("fails if the target is an ALB", () => {
    const alb = NLB.replace("/net/", "/app/");
    expect(() => new RestVpcLink(testStack(), "legacy", { name: "legacy", nlbArn: alb })).toThrow(`test/legacy: nlbArn is "${alb}"; expected a Network Load Balancer ARN`);
  });
});

describe("HttpVpcLink", () => {
  test("has its own security group: no ingress, HTTPS to the backend's ranges only", () => {
    const synthesized = synthConstruct((scope) => new HttpVpcLink(scope, "legacy", { name: "legacy", vpcId: "vpc-0a1b2c3d4e5f60718", subnetIds: ["subnet-0a1b2c3d4e5f60711"], backendCidrs: ["10.10.8.0/24"] }));
    const group = nameOf(synthesized, "aws_security_group");
    expect(only(synthesized, "aws_apigatewayv2_vpc_link")).toMatchObject({ security_group_ids: [`\${aws_security_group.${group}.id}`], subnet_ids: ["subnet-0a1b2c3d4e5f60711"] });
    expect(Object.values(resourcesOf(synthesized, "aws_vpc_security_group_egress_rule"))).toEqual([expect.objectContaining({ ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "10.10.8.0/24" })]);
    expect(resourcesOf(synthesized, "aws_vpc_security_group_ingress_rule")).toEqual({});
    expect(only(synthesized, "aws_security_group")).not.toHaveProperty("ingress");
  });

  test("fails without subnets", () => {
    expect(() => new HttpVpcLink(testStack(), "legacy", { name: "legacy", vpcId: "vpc-0a1b2c3d4e5f60718", subnetIds: [], backendCidrs: ["10.10.8.0/24"] })).toThrow("test/legacy: subnetIds is empty");
  });
});
