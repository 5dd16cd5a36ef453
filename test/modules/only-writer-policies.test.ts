import { EventStream } from "../../modules/event-stream";
import { MessageQueue } from "../../modules/message-queue";
import { resourcesOf, synthConstruct } from "../fixtures/environment";
import { evaluate } from "../fixtures/iam-evaluate";

// The stream's and queue's resource policies leave writing to the integration's role alone;
// reading stays with whoever identity policies allow.
const ROLE = "arn:aws:iam::111111111111:role/apigw-dev-public-events-put-record";
const OTHER = "arn:aws:iam::111111111111:role/someone-else";

describe("resource policies of integration targets", () => {
  const synthesized = synthConstruct((scope) => {
    new EventStream(scope, "stream", { streamName: "apigw-dev-events", region: "eu-west-1" }).admitOnlyWriter(ROLE);
    new MessageQueue(scope, "queue", { queueName: "apigw-dev-orders", region: "eu-west-1" }).admitOnlySender(ROLE);
  });
  const [streamPolicy] = Object.values<any>(resourcesOf(synthesized, "aws_kinesis_resource_policy"));
  const [queuePolicy] = Object.values<any>(resourcesOf(synthesized, "aws_sqs_queue_policy"));
  const ask = (policy: string, action: string, principal: string) => evaluate(policy, { principal: { AWS: principal }, action, resource: JSON.parse(policy).Statement[0].Resource, context: { "aws:PrincipalArn": principal } });

  test.each<[string, string, string, string]>([
    ["stream", "kinesis:PutRecord", ROLE, "ImplicitDeny"],
    ["stream", "kinesis:PutRecords", ROLE, "ImplicitDeny"],
    ["stream", "kinesis:PutRecord", OTHER, "ExplicitDeny"],
    ["stream", "kinesis:PutRecords", OTHER, "ExplicitDeny"],
    ["stream", "kinesis:GetRecords", OTHER, "ImplicitDeny"],
    ["queue", "sqs:SendMessage", ROLE, "ImplicitDeny"],
    ["queue", "sqs:SendMessage", OTHER, "ExplicitDeny"],
    ["queue", "sqs:ReceiveMessage", OTHER, "ImplicitDeny"],
  ])("%s: %s by %s is %s (not denied: the identity policy decides)", (target, action, principal, decision) => {
    expect(ask(target === "stream" ? streamPolicy.policy : queuePolicy.policy, action, principal)).toBe(decision);
  });

  test("names the stream and the queue they protect", () => {
    expect(streamPolicy.resource_arn).toMatch(/^\$\{aws_kinesis_stream\.stream_\w+\.arn\}$/);
    expect(queuePolicy.queue_url).toMatch(/^\$\{aws_sqs_queue\.queue_\w+\.url\}$/);
  });
});

describe("MessageQueue.admitOnlySender", () => {
  // StartMessageMoveTask sends the dead letters back with its caller's identity.
  const OPERATOR = "arn:aws:iam::111111111111:role/apigw-dev-operator";
  const synthesized = synthConstruct((scope) => {
    new MessageQueue(scope, "queue", { queueName: "apigw-dev-orders", region: "eu-west-1" }).admitOnlySender(ROLE, [OPERATOR]);
  });
  const [queuePolicy] = Object.values<any>(resourcesOf(synthesized, "aws_sqs_queue_policy"));
  const send = (principal: string) => evaluate(queuePolicy.policy, { principal: { AWS: principal }, action: "sqs:SendMessage", resource: JSON.parse(queuePolicy.policy).Statement[0].Resource, context: { "aws:PrincipalArn": principal } });

  test("admits the roles that redrive dead letters, and still no one else", () => {
    expect(send(OPERATOR)).toBe("ImplicitDeny");
    expect(send(ROLE)).toBe("ImplicitDeny");
    expect(send(OTHER)).toBe("ExplicitDeny");
  });
});
