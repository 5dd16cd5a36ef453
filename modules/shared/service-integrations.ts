/**
 * AWS service integrations without a function in between: what each call is (service action,
 * IAM action, resource, key), and how a REST API's OpenAPI document (`type: aws` with VTL mapping
 * templates) and an HTTP API (`AWS_PROXY` with a subtype) write it.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html
 */
import * as formats from "../../config/formats";
import { dnsSuffixOf, partitionOf } from "../../config/regions";
import { terraformLiteral } from "./terraform";

/** A stream, queue, state machine or table an integration calls, created here or taken by ARN. */
export interface ServiceTarget {
  readonly arn: string;
  /** The stream, queue, state machine or table name. */
  readonly name: string;
  readonly region: string;
  /** The customer managed key it is encrypted with; none for AWS owned or AWS managed keys. */
  readonly kmsKeyArn?: string;
}

/** A queue also has a URL, which SendMessage on an HTTP API names it by, and an account, which a REST API's path names. */
export interface QueueTarget extends ServiceTarget {
  readonly url: string;
  readonly account: string;
}

const EXISTING = { stream: formats.KINESIS_STREAM_ARN, queue: formats.SQS_QUEUE_ARN, table: formats.DYNAMODB_TABLE_ARN, stateMachine: formats.STATE_MACHINE_ARN };

/**
 * A target that exists already, by its ARN (the format checked where the ARN was read), with
 * the customer managed key it is encrypted with, if any.
 */
export function existingTarget(kind: keyof typeof EXISTING, arn: string, kmsKeyArn?: string): ServiceTarget {
  const name = EXISTING[kind].exec(arn)?.[1];
  if (name === undefined) throw new Error(`${arn} is not a ${kind} ARN`);
  return { arn, name, region: arn.split(":")[3], ...(kmsKeyArn ? { kmsKeyArn } : {}) };
}

/** An existing queue, with the URL SQS gives it: `https://sqs.<region>.<dns suffix>/<account>/<name>`. */
export function existingQueue(arn: string, kmsKeyArn?: string): QueueTarget {
  const target = existingTarget("queue", arn, kmsKeyArn);
  const account = arn.split(":")[4];
  return { ...target, account, url: `https://sqs.${target.region}.${dnsSuffixOf(target.region)}/${account}/${target.name}` };
}

/** The VTL mapping templates of a REST integration: the service request, its answer, its errors. */
export interface MappingTemplates {
  readonly request: string;
  readonly response: string;
  /** For the service's 4xx and 5xx answers: clean JSON without the AWS error's details. */
  readonly error: string;
}

/** One call of an AWS service action on one resource, as a REST API makes it. */
export interface ServiceCall {
  /** Names the call's credentials role and construct ids: `events-put-record`. */
  readonly name: string;
  readonly region: string;
  /** The service's API Gateway name: kinesis, sqs, states, dynamodb. */
  readonly service: string;
  /** `action/PutRecord`, or `path/<account>/<queue>` for SQS's query protocol. */
  readonly path: string;
  /** The one IAM action the credentials role allows. */
  readonly iamAction: string;
  readonly resourceArn: string;
  readonly kms?: { readonly keyArn: string; readonly actions: readonly ("kms:GenerateDataKey" | "kms:Decrypt")[] };
  /** Integration request parameters, `integration.request.header.Content-Type` -> `'application/x-amz-json-1.1'`. */
  readonly requestParameters: Readonly<Record<string, string>>;
  readonly templates: MappingTemplates;
  /** Values the request template reads as `$<name>`, set in front of it. */
  readonly templateParameters: Readonly<Record<string, string>>;
  /** The status of a successful answer. */
  readonly successStatus: number;
}

const JSON_1_1 = { "integration.request.header.Content-Type": "'application/x-amz-json-1.1'" };
const JSON_1_0 = { "integration.request.header.Content-Type": "'application/x-amz-json-1.0'" };

const keyFor = (target: ServiceTarget, actions: readonly ("kms:GenerateDataKey" | "kms:Decrypt")[]) =>
  target.kmsKeyArn ? { kms: { keyArn: target.kmsKeyArn, actions } } : {};

/** The REST API calls of each service, for `RestIntegration.service(...)`. */
export const ServiceCalls = {
  /** Kinesis PutRecord: the request template builds StreamName, Data (base64) and PartitionKey. */
  kinesisPutRecord: (name: string, stream: ServiceTarget, templates: MappingTemplates): ServiceCall => ({
    name,
    region: stream.region,
    service: "kinesis",
    path: "action/PutRecord",
    iamAction: "kinesis:PutRecord",
    resourceArn: stream.arn,
    ...keyFor(stream, ["kms:GenerateDataKey"]),
    requestParameters: JSON_1_1,
    templates,
    templateParameters: { streamName: stream.name },
    successStatus: 202,
  }),
  /** SQS SendMessage over the query protocol: the queue is the integration's path, the body form-encoded. */
  sqsSendMessage: (name: string, queue: QueueTarget, templates: MappingTemplates): ServiceCall => ({
    name,
    region: queue.region,
    service: "sqs",
    path: `path/${queue.account}/${queue.name}`,
    iamAction: "sqs:SendMessage",
    resourceArn: queue.arn,
    // SendMessage to a queue with a customer managed key needs both (SQS developer guide, key management).
    ...keyFor(queue, ["kms:GenerateDataKey", "kms:Decrypt"]),
    requestParameters: { "integration.request.header.Content-Type": "'application/x-www-form-urlencoded'" },
    templates,
    templateParameters: {},
    successStatus: 202,
  }),
  /** Step Functions StartExecution of one state machine. */
  sfnStartExecution: (name: string, stateMachine: ServiceTarget, templates: MappingTemplates): ServiceCall => ({
    name,
    region: stateMachine.region,
    service: "states",
    path: "action/StartExecution",
    iamAction: "states:StartExecution",
    resourceArn: stateMachine.arn,
    requestParameters: JSON_1_0,
    templates,
    templateParameters: { stateMachineArn: stateMachine.arn },
    successStatus: 202,
  }),
  /** DynamoDB GetItem on one table; PutItem and Query are the same with another action and template. */
  dynamodb: (name: string, action: "GetItem" | "PutItem" | "Query", table: ServiceTarget, templates: MappingTemplates): ServiceCall => ({
    name,
    region: table.region,
    service: "dynamodb",
    path: `action/${action}`,
    iamAction: `dynamodb:${action}`,
    resourceArn: table.arn,
    ...keyFor(table, action === "PutItem" ? ["kms:GenerateDataKey", "kms:Decrypt"] : ["kms:Decrypt"]),
    requestParameters: JSON_1_0,
    templates,
    templateParameters: { tableName: table.name },
    successStatus: action === "PutItem" ? 201 : 200,
  }),
};

/** The statuses a REST integration of a call can answer with, each of which needs a method response. */
export function callStatuses(call: ServiceCall): string[] {
  return [...new Set([call.successStatus, 400, 404, 429, 502])].map(String);
}

/** A template with its parameters set in front of it; the parameters may be Terraform references. */
export function withParameters(template: string, parameters: Readonly<Record<string, string>>): string {
  const set = Object.entries(parameters).map(([name, value]) => `#set($${name} = "${value}")\n`);
  return `${set.join("")}${terraformLiteral(template)}`;
}

/**
 * The `x-amazon-apigateway-integration` of a call: requests of another content type are refused
 * (415, passthrough NEVER) rather than sent to the service unmapped; the service's 4xx and 5xx
 * answers go through the error template (responses are selected by the service's status code).
 * `responseParameters` (method response headers, such as CORS's) are mapped on every answer.
 */
export function restServiceIntegration(call: ServiceCall, credentialsArn: string, cacheKeyParameters: readonly string[], responseParameters: Readonly<Record<string, string>> = {}): Record<string, unknown> {
  const headers = Object.keys(responseParameters).length ? { responseParameters: { ...responseParameters } } : {};
  const error = { statusCode: "502", ...headers, responseTemplates: { "application/json": terraformLiteral(call.templates.error) } };
  return {
    type: "aws",
    httpMethod: "POST",
    uri: `arn:${partitionOf(call.region)}:apigateway:${call.region}:${call.service}:${call.path}`,
    credentials: credentialsArn,
    requestParameters: { ...call.requestParameters },
    requestTemplates: { "application/json": withParameters(call.templates.request, call.templateParameters) },
    passthroughBehavior: "never",
    responses: {
      "4\\d{2}": error,
      "5\\d{2}": error,
      default: { statusCode: String(call.successStatus), ...headers, responseTemplates: { "application/json": terraformLiteral(call.templates.response) } },
    },
    ...(cacheKeyParameters.length ? { cacheKeyParameters: [...cacheKeyParameters] } : {}),
  };
}

/** One first-class AWS service integration of an HTTP API. */
export interface HttpServiceCall {
  readonly name: string;
  readonly subtype: "SQS-SendMessage" | "Kinesis-PutRecord" | "StepFunctions-StartExecution";
  readonly iamAction: string;
  readonly target: ServiceTarget;
  readonly kmsActions: readonly ("kms:GenerateDataKey" | "kms:Decrypt")[];
  /** The subtype's parameters, from the request (`$request.body`) or fixed. */
  readonly requestParameters: Readonly<Record<string, string>>;
}

export const HttpServiceCalls = {
  /** The request body becomes the message. */
  sqsSendMessage: (name: string, queue: QueueTarget): HttpServiceCall => ({
    name,
    subtype: "SQS-SendMessage",
    iamAction: "sqs:SendMessage",
    target: queue,
    kmsActions: ["kms:GenerateDataKey", "kms:Decrypt"],
    requestParameters: { QueueUrl: queue.url, MessageBody: "$request.body" },
  }),
  /** The request body becomes the record, partitioned by request. */
  kinesisPutRecord: (name: string, stream: ServiceTarget): HttpServiceCall => ({
    name,
    subtype: "Kinesis-PutRecord",
    iamAction: "kinesis:PutRecord",
    target: stream,
    kmsActions: ["kms:GenerateDataKey"],
    requestParameters: { StreamName: stream.name, Data: "$request.body", PartitionKey: "$context.requestId" },
  }),
  /** The request body becomes the execution's input; the execution is named after the request. */
  sfnStartExecution: (name: string, stateMachine: ServiceTarget): HttpServiceCall => ({
    name,
    subtype: "StepFunctions-StartExecution",
    iamAction: "states:StartExecution",
    target: stateMachine,
    kmsActions: [],
    requestParameters: { StateMachineArn: stateMachine.arn, Input: "$request.body", Name: "$context.requestId" },
  }),
};
