import { Testing } from "cdktf";
import { existingQueue, existingTarget, restServiceIntegration, ServiceCalls } from "../../modules/shared/service-integrations";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { mappingTemplates } from "../../stacks/mapping-templates";
import { environmentConfig } from "../fixtures/environment";
import { OUTPUT_LAYOUT } from "../fixtures/layout";
import { renderTemplate, SampleRequest } from "../fixtures/vtl";

const STREAM = existingTarget("stream", "arn:aws:kinesis:eu-west-1:111111111111:stream/apigw-dev-events");
const QUEUE = existingQueue("arn:aws:sqs:eu-west-1:111111111111:apigw-dev-orders");
const STATE_MACHINE = existingTarget("stateMachine", "arn:aws:states:eu-west-1:111111111111:stateMachine:fulfil-order");
const TABLE = existingTarget("table", "arn:aws:dynamodb:eu-west-1:111111111111:table/apigw-dev-users");
const REQUEST_ID = "8f0a1c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";

type Integration = { requestTemplates: Record<string, string>; responses: Record<string, { statusCode: string; responseTemplates: Record<string, string> }> };

/** The integration object exactly as the OpenAPI document carries it (Terraform's `$${` read back as `${`). */
function integrationOf(call: ReturnType<(typeof ServiceCalls)["kinesisPutRecord"]>): Integration {
  return JSON.parse(JSON.stringify(restServiceIntegration(call, "arn:aws:iam::111111111111:role/r", [])).replace(/\$\$\{/g, "${"));
}

function request(integration: Integration, sample: SampleRequest): string {
  return renderTemplate(integration.requestTemplates["application/json"], { requestId: REQUEST_ID, ...sample }).body;
}

function answer(integration: Integration, pattern: string, serviceBody: unknown): { status: number; body: unknown } {
  const response = integration.responses[pattern];
  const rendered = renderTemplate(response.responseTemplates["application/json"], { requestId: REQUEST_ID, body: JSON.stringify(serviceBody) });
  return { status: rendered.statusOverride ?? Number(response.statusCode), body: JSON.parse(rendered.body) };
}

const base64 = (text: string) => Buffer.from(text, "base64").toString("utf8");

describe("mapping templates: Kinesis PutRecord (POST /events)", () => {
  const integration = integrationOf(ServiceCalls.kinesisPutRecord("events-put-record", STREAM, mappingTemplates("kinesis-put-record")));

  test("writes the body as one compact JSON line, partitioned by the X-Partition-Key header", () => {
    const body = JSON.stringify({ type: "signup", user: "ada" }, null, 2);
    const put = JSON.parse(request(integration, { body, header: { "X-Partition-Key": "user-42" } }));
    expect(put).toEqual({ StreamName: "apigw-dev-events", Data: expect.any(String), PartitionKey: "user-42" });
    expect(base64(put.Data)).toBe('{"type":"signup","user":"ada"}\n');
  });

  test.each([
    ["the header in lower case (HTTP/2)", { "x-partition-key": "user-7" }, "user-7"],
    ["no header: the request id", {}, REQUEST_ID],
    ["quotes in the header stay valid JSON", { "X-Partition-Key": `o'brien "jr"` }, `o'brien "jr"`],
  ])("partition key from %s", (_name, header, key) => {
    expect(JSON.parse(request(integration, { body: "{}", header })).PartitionKey).toBe(key);
  });

  test("keeps non-ASCII text and escapes nothing it should not", () => {
    const put = JSON.parse(request(integration, { body: JSON.stringify({ city: "Zürich", note: "a/b \\ c" }) }));
    expect(JSON.parse(base64(put.Data))).toEqual({ city: "Zürich", note: "a/b \\ c" });
  });

  test("fails on a body that is not JSON (API Gateway answers 400)", () => {
    expect(() => request(integration, { body: "not json" })).toThrow("Invalid JSON");
  });

  test("answers the record's id and shard", () => {
    expect(answer(integration, "default", { SequenceNumber: "49590338271490256608559692538361571095921575989136588898", ShardId: "shardId-000000000003", EncryptionType: "KMS" })).toEqual({
      status: 202,
      body: { recordId: "49590338271490256608559692538361571095921575989136588898", shardId: "shardId-000000000003" },
    });
  });
});

describe("mapping templates: service errors", () => {
  const integration = integrationOf(ServiceCalls.kinesisPutRecord("events-put-record", STREAM, mappingTemplates("kinesis-put-record")));
  test.each([
    ["Kinesis throttling", "4\\d{2}", { __type: "ProvisionedThroughputExceededException", message: "Rate exceeded for shard shardId-000000000003 in stream apigw-dev-events under account 111111111111." }, 429],
    ["DynamoDB throttling", "4\\d{2}", { __type: "com.amazonaws.dynamodb.v20120810#ThrottlingException", message: "Rate of requests exceeds the allowed throughput." }, 429],
    ["SQS throttling", "4\\d{2}", { Error: { Code: "RequestThrottled", Message: "Request is throttled.", Type: "Sender" }, RequestId: "x" }, 429],
    ["a validation error", "4\\d{2}", { __type: "ValidationException", message: "1 validation error detected: Value at 'partitionKey' failed to satisfy constraint" }, 400],
    ["access denied", "4\\d{2}", { __type: "AccessDeniedException", message: "User: arn:aws:sts::111111111111:assumed-role/apigw-dev-public-events-put-record/x is not authorized" }, 502],
    ["a missing queue", "4\\d{2}", { Error: { Code: "AWS.SimpleQueueService.NonExistentQueue", Message: "The specified queue does not exist.", Type: "Sender" }, RequestId: "x" }, 502],
    ["a service failure", "5\\d{2}", { __type: "InternalFailure", message: "arn:aws:kinesis:eu-west-1:111111111111:stream/apigw-dev-events" }, 502],
  ])("%s (service status %s): no AWS error details", (_name, pattern, serviceBody, status) => {
    const result = answer(integration, pattern, serviceBody);
    expect(result.status).toBe(status);
    expect(result.body).toEqual({ message: expect.any(String), requestId: REQUEST_ID });
    expect(JSON.stringify(result.body)).not.toMatch(/111111111111|apigw-dev|shardId|arn:/);
  });
});

describe("mapping templates: SQS SendMessage", () => {
  const integration = integrationOf(ServiceCalls.sqsSendMessage("orders-send-message", QUEUE, mappingTemplates("sqs-send-message")));

  test("sends the body, form-encoded, as the message", () => {
    const body = JSON.stringify({ orderId: "o-1", note: "a&b=c +100% ü" });
    const form = new URLSearchParams(request(integration, { body }).trim());
    expect(Object.fromEntries(form)).toEqual({ Action: "SendMessage", MessageBody: body });
  });

  test("answers the message id", () => {
    const sent = { SendMessageResponse: { ResponseMetadata: { RequestId: "r-1" }, SendMessageResult: { MD5OfMessageAttributes: null, MD5OfMessageBody: "0b1c", MessageId: "5fea7756-0ea4-451a-a703-a558b933e274", SequenceNumber: null } } };
    expect(answer(integration, "default", sent)).toEqual({ status: 202, body: { messageId: "5fea7756-0ea4-451a-a703-a558b933e274" } });
  });
});

describe("mapping templates: Step Functions StartExecution", () => {
  const integration = integrationOf(ServiceCalls.sfnStartExecution("fulfil-start-execution", STATE_MACHINE, mappingTemplates("sfn-start-execution")));

  test("starts the state machine with the body as input, named after the request", () => {
    const order = { orderId: "o-1", note: `it's "urgent"\n`, city: "Zürich" };
    const start = JSON.parse(request(integration, { body: JSON.stringify(order) }));
    expect(start).toEqual({ stateMachineArn: STATE_MACHINE.arn, name: REQUEST_ID, input: expect.any(String) });
    expect(JSON.parse(start.input)).toEqual(order);
  });

  test("answers the execution ARN", () => {
    const arn = "arn:aws:states:eu-west-1:111111111111:execution:fulfil-order:8f0a1c2e";
    expect(answer(integration, "default", { executionArn: arn, startDate: 1.7e9 })).toEqual({ status: 202, body: { executionArn: arn } });
  });
});

describe("mapping templates: DynamoDB GetItem (GET /users/{id})", () => {
  const integration = integrationOf(ServiceCalls.dynamodb("users-get-item", "GetItem", TABLE, mappingTemplates("dynamodb-get-user")));

  test.each([["u-1"], [`o'brien"`]])("reads the item by the path parameter %s", (id) => {
    expect(JSON.parse(request(integration, { path: { id } }))).toEqual({
      TableName: "apigw-dev-users",
      Key: { id: { S: id } },
      ProjectionExpression: "id, #n, email",
      ExpressionAttributeNames: { "#n": "name" },
    });
  });

  test("answers the item as plain JSON", () => {
    const item = { Item: { id: { S: "u-1" }, name: { S: 'Ada "the first"' }, email: { S: "ada@example.com" } } };
    expect(answer(integration, "default", item)).toEqual({ status: 200, body: { id: "u-1", name: 'Ada "the first"', email: "ada@example.com" } });
  });

  test("answers 404 for a missing item", () => {
    expect(answer(integration, "default", {})).toEqual({ status: 404, body: { message: "No such user" } });
  });
});

describe("mapping templates in the synthesized document", () => {
  test("POST /events renders from the dev stack's document as from the file", () => {
    const stack = new EnvironmentStack(Testing.app(), "dev", { config: environmentConfig({ integrations: { events: {} } }), backend: { kind: "local" }, layout: OUTPUT_LAYOUT });
    const put = Object.values<any>(JSON.parse(Testing.synth(stack)).resource.aws_api_gateway_rest_api_put).find((p) => p.body.includes("/events"));
    const integration = JSON.parse(put.body).paths["/events"].post["x-amazon-apigateway-integration"];
    const put1 = JSON.parse(renderTemplate(integration.requestTemplates["application/json"], { body: '{"a":1}', header: { "X-Partition-Key": "k" } }).body);
    expect(put1).toEqual({ StreamName: "apigw-dev-events", Data: Buffer.from('{"a":1}\n').toString("base64"), PartitionKey: "k" });
    expect(integration).toMatchObject({ type: "aws", passthroughBehavior: "never", uri: "arn:aws:apigateway:eu-west-1:kinesis:action/PutRecord" });
  });
});
