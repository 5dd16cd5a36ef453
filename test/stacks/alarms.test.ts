import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EnvironmentSchema } from "../../config/schema";
import { bundleFunction } from "../../functions/bundle";
import { DataTable } from "../../modules/data-table";
import { EventArchive } from "../../modules/event-archive";
import { EventStream } from "../../modules/event-stream";
import { HttpApi } from "../../modules/http-api";
import { LambdaFunction } from "../../modules/lambda-function";
import { MessageQueue } from "../../modules/message-queue";
import { RestApi, RestIntegration } from "../../modules/rest-api";
import { WebSocketApi, WebSocketConnectAuthorization } from "../../modules/websocket-api";
import { EnvironmentAlarms } from "../../modules/environment-alarms";
import { OperationsDashboard } from "../../modules/operations-dashboard";
import { monitor } from "../../stacks/alarms";
import { resourcesOf, synthConstruct, testStack } from "../fixtures/environment";
import { evaluate } from "../fixtures/iam-evaluate";
import { fixtureFunction } from "../fixtures/lambda";

const TOPIC = "${aws_sns_topic.alarm-topic_D89A1C02.arn}";
const CERTIFICATE = "arn:aws:acm:eu-west-1:111111111111:certificate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d";
const THROTTLING = { rateLimit: 10, burstLimit: 20 };

let dir: string;
let synthesized: Record<string, any>;
let alarms: Record<string, any>;

/** One stack holding one of everything the alarms watch, synthesized once for the suite. */
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-alarms-"));
  fs.mkdirSync(path.join(dir, "hello"));
  fs.writeFileSync(path.join(dir, "hello", "index.js"), "exports.handler = async () => ({ statusCode: 200 });\n");
  const bundle = bundleFunction("hello", dir);
  const thresholds = EnvironmentSchema.shape.alarms.parse({ subscriptions: [{ email: "oncall@example.com" }, { https: "https://events.example.com/hook" }, { topicArn: "arn:aws:sns:eu-west-1:111111111111:existing" }] });
  synthesized = synthConstruct((scope) => {
    const fn = new LambdaFunction(scope, "orders", { functionName: "orders", bundle, logRetentionDays: 30, timeout: 10, reservedConcurrency: 5 });
    new RestApi(scope, "public-api", {
      name: "public",
      endpointType: "REGIONAL",
      routes: [{ path: "/orders", method: "GET", integration: RestIntegration.lambda(fn), apiKeyRequired: true }],
      stage: { stageName: "prod", logRetentionDays: 30, throttling: THROTTLING, canary: { percent: 10, stageVariableOverrides: { backend: "next" } } },
    });
    new HttpApi(scope, "http-api", {
      name: "http",
      authorizer: { issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example01", audiences: ["client"] },
      routes: [{ method: "GET", path: "/orders", function: fn }],
      logRetentionDays: 30,
      throttling: THROTTLING,
    });
    new WebSocketApi(scope, "websocket-api", {
      name: "ws",
      routes: [{ routeKey: "$connect", function: fixtureFunction("connect") }, { routeKey: "$default", function: fixtureFunction("default"), twoWay: true }],
      connectAuthorization: WebSocketConnectAuthorization.lambda(fixtureFunction("authorizer")),
      stageName: "prod",
      logRetentionDays: 30,
      throttling: THROTTLING,
    });
    new MessageQueue(scope, "orders-queue", { queueName: "orders", region: "eu-west-1" });
    const stream = new EventStream(scope, "events-stream", { streamName: "events", region: "eu-west-1" });
    new EventArchive(scope, "events-archive", { name: "events", stream, bucketName: "acme-events", logRetentionDays: 30 });
    new DataTable(scope, "users-table", { tableName: "users", region: "eu-west-1", partitionKey: "id" });
    monitor(scope, { namePrefix: "apigw-prod", region: "eu-west-1", thresholds, certificates: [{ group: "public-api-domain", certificateArn: CERTIFICATE }] });
  });
  alarms = Object.fromEntries(Object.values(resourcesOf(synthesized, "aws_cloudwatch_metric_alarm")).map((a: any) => [a.alarm_name.replace(/^apigw-prod-/, ""), a]));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const ACTIONS = [TOPIC, "arn:aws:sns:eu-west-1:111111111111:existing"];
const REST = { ApiName: "public", Stage: "${aws_api_gateway_stage.public-api_stage_585AE32E.stage_name}" };
const HTTP = { ApiId: "${aws_apigatewayv2_api.http-api_FA544390.id}", Stage: "$default" };

describe("monitor", () => {
  // name, metric namespace and name, dimensions, statistic, comparison and threshold, missing data, own actions (none: through the composite)
  test.each<[string, string, string, Record<string, string>, string, string, number, string, boolean]>([
    ["public-api-5xx", "AWS/ApiGateway", "5XXError", REST, "Average", "GreaterThanThreshold", 0.05, "notBreaching", false],
    ["public-api-4xx", "AWS/ApiGateway", "4XXError", REST, "Average", "GreaterThanThreshold", 0.05, "notBreaching", false],
    ["public-api-latency-p99", "AWS/ApiGateway", "Latency", REST, "p99", "GreaterThanThreshold", 2500, "notBreaching", false],
    ["public-api-integration-latency-p99", "AWS/ApiGateway", "IntegrationLatency", REST, "p99", "GreaterThanThreshold", 2000, "notBreaching", false],
    ["public-api-canary-5xx", "AWS/ApiGateway", "5XXError", { ApiName: "public", Stage: "${aws_api_gateway_stage.public-api_stage_585AE32E.stage_name}/Canary" }, "Average", "GreaterThanThreshold", 0.05, "notBreaching", true],
    ["public-api-canary-latency-p99", "AWS/ApiGateway", "Latency", { ApiName: "public", Stage: "${aws_api_gateway_stage.public-api_stage_585AE32E.stage_name}/Canary" }, "p99", "GreaterThanThreshold", 2500, "notBreaching", true],
    ["http-api-5xx", "AWS/ApiGateway", "5xx", HTTP, "Average", "GreaterThanThreshold", 0.05, "notBreaching", false],
    ["http-api-4xx", "AWS/ApiGateway", "4xx", HTTP, "Average", "GreaterThanThreshold", 0.05, "notBreaching", false],
    ["http-api-latency-p99", "AWS/ApiGateway", "Latency", HTTP, "p99", "GreaterThanThreshold", 2500, "notBreaching", false],
    ["websocket-api-integration-latency-p99", "AWS/ApiGateway", "IntegrationLatency", { ApiId: "${aws_apigatewayv2_api.websocket-api_E0ED4DB6.id}", Stage: "prod" }, "p99", "GreaterThanThreshold", 2000, "notBreaching", false],
    ["public-api-throttled", "ApiGatewayPlatform", "Throttled-public", {}, "Sum", "GreaterThanOrEqualToThreshold", 10, "notBreaching", false],
    ["websocket-api-connect-errors", "ApiGatewayPlatform", "ConnectErrors-ws", {}, "Sum", "GreaterThanOrEqualToThreshold", 10, "notBreaching", false],
    ["orders-queue-dead-letters", "AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: "orders-dlq" }, "Maximum", "GreaterThanThreshold", 0, "notBreaching", true],
    ["orders-queue-oldest-message", "AWS/SQS", "ApproximateAgeOfOldestMessage", { QueueName: "orders" }, "Maximum", "GreaterThanOrEqualToThreshold", 300, "notBreaching", true],
    ["events-stream-write-throttles", "AWS/Kinesis", "WriteProvisionedThroughputExceeded", { StreamName: "events" }, "Sum", "GreaterThanOrEqualToThreshold", 1, "notBreaching", true],
    ["events-stream-iterator-age", "AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", { StreamName: "events" }, "Maximum", "GreaterThanOrEqualToThreshold", 60000, "breaching", true],
    ["events-archive-delivery-failures", "AWS/Firehose", "DeliveryToS3.Success", { DeliveryStreamName: "${aws_kinesis_firehose_delivery_stream.events-archive_delivery_79BD899B.name}" }, "Minimum", "LessThanThreshold", 1, "notBreaching", true],
    ["public-api-domain-certificate-expiry", "AWS/CertificateManager", "DaysToExpiry", { CertificateArn: CERTIFICATE }, "Minimum", "LessThanThreshold", 45, "breaching", true],
  ])("%s watches %s %s", (name, namespace, metricName, dimensions, stat, comparison, threshold, missing, ownActions) => {
    const alarm = alarms[name];
    expect(alarm).toMatchObject({ namespace, metric_name: metricName, comparison_operator: comparison, threshold, treat_missing_data: missing });
    expect(alarm.dimensions ?? {}).toEqual(dimensions);
    expect(/^p\d/.test(stat) ? alarm.extended_statistic : alarm.statistic).toBe(stat);
    if (ownActions) {
      expect(alarm.alarm_actions).toEqual(ACTIONS);
      expect(alarm.ok_actions).toEqual(ACTIONS);
    } else {
      expect(alarm.alarm_actions).toBeUndefined();
    }
  });

  // Metric math alarms: name, expression, the metrics by query id with their dimensions and statistic, threshold.
  test.each<[string, string, Record<string, [string, Record<string, string>, string]>, number]>([
    [
      "function-orders",
      "IF(FILL(errors, 0) >= 1, 1, 0) + IF(FILL(throttles, 0) >= 1, 1, 0) + IF(FILL(duration, 0) > 8000, 1, 0)",
      {
        errors: ["Errors", { FunctionName: "${aws_lambda_function.orders_function_91FECE29.function_name}" }, "Sum"],
        throttles: ["Throttles", { FunctionName: "${aws_lambda_function.orders_function_91FECE29.function_name}" }, "Sum"],
        duration: ["Duration", { FunctionName: "${aws_lambda_function.orders_function_91FECE29.function_name}" }, "p99"],
      },
      1,
    ],
    [
      "websocket-api-5xx",
      "(execution + integration) / MAX([connects + messages, 1])",
      Object.fromEntries(
        [["connects", "ConnectCount"], ["messages", "MessageCount"], ["execution", "ExecutionError"], ["integration", "IntegrationError"]].map(([id, metric]) => [id, [metric, { ApiId: "${aws_apigatewayv2_api.websocket-api_E0ED4DB6.id}", Stage: "prod" }, "Sum"]]),
      ),
      0.05,
    ],
    ["websocket-api-4xx", "client / MAX([connects + messages, 1])", Object.fromEntries([["connects", "ConnectCount"], ["messages", "MessageCount"], ["client", "ClientError"]].map(([id, metric]) => [id, [metric, { ApiId: "${aws_apigatewayv2_api.websocket-api_E0ED4DB6.id}", Stage: "prod" }, "Sum"]])), 0.05],
    // DynamoDB publishes throttles and system errors only in periods that have some: each series is filled with 0.
    ["users-table-throttles", "FILL(reads, 0) + FILL(writes, 0)", { reads: ["ReadThrottleEvents", { TableName: "users" }, "Sum"], writes: ["WriteThrottleEvents", { TableName: "users" }, "Sum"] }, 1],
    ["users-table-system-errors", "FILL(op0, 0)", { op0: ["SystemErrors", { TableName: "users", Operation: "GetItem" }, "Sum"] }, 1],
  ])("%s combines its metrics", (name, expression, metrics, threshold) => {
    const alarm = alarms[name];
    expect(alarm.threshold).toBe(threshold);
    const [result, ...queries] = alarm.metric_query;
    expect(result).toMatchObject({ id: "e", expression, return_data: true });
    expect(Object.fromEntries(queries.map((q: any) => [q.id, [q.metric.metric_name, q.metric.dimensions, q.metric.stat]]))).toEqual(metrics);
    expect(alarm.treat_missing_data).toBe("notBreaching");
  });

  test("gives each API one composite alarm over its stage alarms, which notifies", () => {
    const composites = Object.values(resourcesOf(synthesized, "aws_cloudwatch_composite_alarm")) as any[];
    expect(composites.map((c) => c.alarm_name).sort()).toEqual(["apigw-prod-http-api", "apigw-prod-public-api", "apigw-prod-websocket-api"]);
    const publicApi = composites.find((c) => c.alarm_name === "apigw-prod-public-api");
    expect(publicApi.alarm_rule).toBe(
      ["5xx", "4xx", "latency-p99", "integration-latency-p99", "throttled"].map((s) => `ALARM("\${aws_cloudwatch_metric_alarm.alarms_public-api-${s}_${alarmSuffix(`public-api-${s}`)}.alarm_name}")`).join(" OR "),
    );
    expect(publicApi.alarm_actions).toEqual(ACTIONS);
    expect(publicApi.ok_actions).toEqual(ACTIONS);
  });

  test("counts 429s and refused connects from the access logs", () => {
    const filters = Object.values(resourcesOf(synthesized, "aws_cloudwatch_log_metric_filter")) as any[];
    expect(filters.find((f) => f.name === "Throttled-public")).toMatchObject({ pattern: '{ $.status = "429" }', log_group_name: "${aws_cloudwatch_log_group.public-api_access-logs_03E8C107.name}", metric_transformation: { namespace: "ApiGatewayPlatform", value: "1" } });
    expect(filters.find((f) => f.name === "ConnectErrors-ws").pattern).toBe('{ $.eventType = "CONNECT" && $.status != "200" }');
  });

  test("encrypts the topic with a key of its own that CloudWatch may use, and lets only this account's alarms publish", () => {
    const [topic] = Object.values(resourcesOf(synthesized, "aws_sns_topic")) as any[];
    const [[keyName, key]] = Object.entries(resourcesOf(synthesized, "aws_kms_key")).filter(([, k]: [string, any]) => k.description.includes("apigw-prod-alarms")) as [string, any][];
    expect(topic).toMatchObject({ name: "apigw-prod-alarms", kms_master_key_id: `\${aws_kms_key.${keyName}.arn}` });
    expect(key).toMatchObject({ enable_key_rotation: true });
    const keyPolicy = JSON.parse(key.policy);
    // Whatever CloudWatch passes on to KMS, it may use the key: the topic's policy is the gate.
    for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) expect(evaluate(keyPolicy, { principal: { Service: "cloudwatch.amazonaws.com" }, action, resource: "*" })).toBe("Allow");
    expect(evaluate(keyPolicy, { principal: { Service: "sns.amazonaws.com" }, action: "kms:Decrypt", resource: "*" })).not.toBe("Allow");
    const [policy] = Object.values(resourcesOf(synthesized, "aws_sns_topic_policy")) as any[];
    const [allow] = JSON.parse(policy.policy).Statement;
    expect(allow).toMatchObject({ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Condition: { ArnLike: { "aws:SourceArn": expect.stringMatching(/^arn:aws:cloudwatch:eu-west-1:\$\{data\.aws_caller_identity\.[^}]+\}:alarm:\*$/) } } });
    const subscriptions = Object.values(resourcesOf(synthesized, "aws_sns_topic_subscription")) as any[];
    expect(subscriptions.map((s) => [s.protocol, s.endpoint]).sort()).toEqual([["email", "oncall@example.com"], ["https", "https://events.example.com/hook"]]);
  });

  test("builds a dashboard from the same alarms, with the alarm list, routes, concurrency and queue depth", () => {
    const [dashboard] = Object.values(resourcesOf(synthesized, "aws_cloudwatch_dashboard")) as any[];
    expect(dashboard.dashboard_name).toBe("apigw-prod");
    const widgets = JSON.parse(dashboard.dashboard_body).widgets;
    const titles = widgets.map((w: any) => w.properties.title);
    const alarmCount = Object.keys(alarms).length + 3;
    expect(widgets[0]).toMatchObject({ type: "alarm", x: 0, y: 0 });
    expect(widgets[0].properties.alarms).toHaveLength(alarmCount);
    expect(titles).toEqual(expect.arrayContaining(["public: requests by route", "http: requests by route", "Functions: concurrent executions against their reservations", "Queues: visible messages"]));
    expect(widgets.filter((w: any) => w.properties.annotations?.horizontal?.[0]?.label?.startsWith("alarm"))).toHaveLength(Object.keys(alarms).length);
    const concurrency = widgets.find((w: any) => w.properties.title.startsWith("Functions"));
    expect(concurrency.properties.annotations.horizontal).toEqual([{ label: "reserved 5", value: 5 }]);
    for (const w of widgets) expect(w.x + w.width).toBeLessThanOrEqual(24);
  });
});

describe("EnvironmentAlarms", () => {
  test("fails if no one would hear the alarms", () => {
    expect(() => new EnvironmentAlarms(testStack(), "alarms", { namePrefix: "x", alarms: [], actionArns: [] })).toThrow("actionArns is empty");
  });

  test("fails if two alarms share an id", () => {
    const spec = { id: "a", summary: "s", runbook: "r", metrics: { m: { namespace: "N", metricName: "M", dimensions: {}, stat: "Sum" } }, comparison: "GreaterThanThreshold" as const, threshold: 1, periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: "notBreaching" as const };
    expect(() => new EnvironmentAlarms(testStack(), "alarms", { namePrefix: "x", alarms: [spec, spec], actionArns: ["arn:aws:sns:eu-west-1:111111111111:t"] })).toThrow('two alarms with the id "a"');
  });
});

describe("OperationsDashboard", () => {
  test("fails if the name is one CloudWatch refuses", () => {
    expect(() => new OperationsDashboard(testStack(), "dashboard", { dashboardName: "apigw prod", region: "eu-west-1", alarms: [], alarmArns: [] })).toThrow('dashboardName is "apigw prod"');
  });
});

/** cdktf's unique suffix of an alarm, read from the synthesized names. */
function alarmSuffix(id: string): string {
  const key = Object.keys(resourcesOf(synthesized, "aws_cloudwatch_metric_alarm")).find((k) => k.startsWith(`alarms_${id}_`));
  return key!.slice(`alarms_${id}_`.length);
}
