/**
 * The one model of an environment's alarms, from which the alarms module makes
 * aws_cloudwatch_metric_alarm resources and the dashboard its graphs and alarm list. Thresholds,
 * statistics and missing-data treatment follow AWS's "Recommended alarms" page (README,
 * Operating it), with the reason for each missing-data choice next to it.
 */

export type TreatMissingData = "breaching" | "notBreaching" | "ignore" | "missing";
export type Comparison = "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";

export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Sum`, `Average`, `Maximum`, `Minimum` or a percentile such as `p99`. */
  readonly stat: string;
}

/** A metric the platform derives from a log group (throttled requests, refused connections). */
export interface LogMetric {
  readonly logGroupName: string;
  /** A CloudWatch Logs filter pattern over the JSON access log line. */
  readonly pattern: string;
}

export interface AlarmSpec {
  /** Construct id under the alarms module and suffix of the alarm's name: chosen once, never renamed. */
  readonly id: string;
  /** The API (or other group) whose composite alarm it rolls up into; without one it notifies directly. */
  readonly group?: string;
  /** What the alarm watches, for its description and the dashboard. */
  readonly summary: string;
  /** The first thing an operator does, for the description and the README's runbook. */
  readonly runbook: string;
  /** One metric, or several combined by `expression` (ids are the record's keys). */
  readonly metrics: Readonly<Record<string, MetricRef>>;
  /** Metric math over the metrics' ids; without one, the only metric is the alarm's. */
  readonly expression?: string;
  readonly logMetric?: LogMetric;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: TreatMissingData;
}

/** Thresholds of the stage alarms, from the environment file's `alarms.apis`. */
export interface StageThresholds {
  readonly serverErrorRate: number;
  readonly clientErrorRate: number;
  readonly latencyP99Ms: number;
  readonly integrationLatencyP99Ms: number;
  readonly throttledRequests: number;
  readonly websocketConnectErrors: number;
}

const GATEWAY = "AWS/ApiGateway";
/** Namespace of the metrics the platform's log filters publish. */
export const PLATFORM_NAMESPACE = "ApiGatewayPlatform";

const metric = (namespace: string, metricName: string, dimensions: Record<string, string>, stat: string): Record<string, MetricRef> => ({ m: { namespace, metricName, dimensions, stat } });

/** Rates and latency over five one-minute periods, three breaching: a blip does not page, a trend does. */
const MINUTES = { periodSeconds: 60, evaluationPeriods: 5, datapointsToAlarm: 3 } as const;
/** Counts per five minutes, the first breaching period alarms. */
const FIVE_MINUTES = { periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1 } as const;
// A stage without requests publishes no data points: that is not an outage, and an alarm that
// flips to INSUFFICIENT_DATA every quiet night is one nobody reads any more.
const QUIET_IS_OK = { treatMissingData: "notBreaching" } as const;

/** A 429 in the access log (`status` is a string there, as the format quotes it). */
const THROTTLED_PATTERN = '{ $.status = "429" }';

export interface RestStageRef {
  readonly kind: "REST";
  readonly group: string;
  readonly apiName: string;
  readonly stageName: string;
  readonly accessLogGroupName: string;
}

export interface V2StageRef {
  readonly kind: "HTTP" | "WEBSOCKET";
  readonly group: string;
  readonly apiName: string;
  readonly apiId: string;
  readonly stageName: string;
  readonly accessLogGroupName: string;
}

export type StageRef = RestStageRef | V2StageRef;

function throttled(stage: StageRef, t: StageThresholds): AlarmSpec {
  return {
    id: `${stage.group}-throttled`,
    group: stage.group,
    summary: `${stage.apiName}: 429 answers (stage or usage plan throttling) per 5 minutes`,
    runbook: "Compare the callers (apiKeyId, caller, sub) of the 429s in the access log with the stage's and usage plan's limits; raise throttling in the environment file or ask the caller to back off.",
    metrics: metric(PLATFORM_NAMESPACE, `Throttled-${stage.apiName}`, {}, "Sum"),
    logMetric: { logGroupName: stage.accessLogGroupName, pattern: THROTTLED_PATTERN },
    comparison: "GreaterThanOrEqualToThreshold",
    threshold: t.throttledRequests,
    ...FIVE_MINUTES,
    ...QUIET_IS_OK,
  };
}

/** 5XX and 4XX rates, p99 latency and integration latency, and 429s of a REST or HTTP stage. */
export function stageAlarms(stage: StageRef, t: StageThresholds): AlarmSpec[] {
  if (stage.kind === "WEBSOCKET") return websocketStageAlarms(stage, t);
  const dims: Record<string, string> = stage.kind === "REST" ? { ApiName: stage.apiName, Stage: stage.stageName } : { ApiId: stage.apiId, Stage: stage.stageName };
  // REST names its error metrics 5XXError and 4XXError, HTTP APIs 5xx and 4xx; their Average is the share of requests.
  const [server, client] = stage.kind === "REST" ? ["5XXError", "4XXError"] : ["5xx", "4xx"];
  return [
    {
      id: `${stage.group}-5xx`,
      group: stage.group,
      summary: `${stage.apiName}: share of requests answered 5XX`,
      runbook: "Find the failing requests in the access log (status 5xx, integrationError), then the backend's logs by requestId; roll back the last change or the canary.",
      metrics: metric(GATEWAY, server, dims, "Average"),
      comparison: "GreaterThanThreshold",
      threshold: t.serverErrorRate,
      ...MINUTES,
      ...QUIET_IS_OK,
    },
    {
      id: `${stage.group}-4xx`,
      group: stage.group,
      summary: `${stage.apiName}: share of requests answered 4XX`,
      runbook: "Group the 4xx lines of the access log by status and authorizerError: 401/403 point at tokens or keys, 404 at a removed route, 429 at throttling.",
      metrics: metric(GATEWAY, client, dims, "Average"),
      comparison: "GreaterThanThreshold",
      threshold: t.clientErrorRate,
      ...MINUTES,
      ...QUIET_IS_OK,
    },
    {
      id: `${stage.group}-latency-p99`,
      group: stage.group,
      summary: `${stage.apiName}: p99 latency in ms`,
      runbook: "Compare Latency with IntegrationLatency on the dashboard: if both rose, the backend is slow; if only Latency, look at authorizers and WAF (authorizerError, wafError).",
      metrics: metric(GATEWAY, "Latency", dims, "p99"),
      comparison: "GreaterThanThreshold",
      threshold: t.latencyP99Ms,
      ...MINUTES,
      ...QUIET_IS_OK,
    },
    {
      id: `${stage.group}-integration-latency-p99`,
      group: stage.group,
      summary: `${stage.apiName}: p99 integration (backend) latency in ms`,
      runbook: "Open the slow requests' X-Ray traces (requestId) and the backend function's Duration and throttles; a cold start wave or a slow dependency shows there.",
      metrics: metric(GATEWAY, "IntegrationLatency", dims, "p99"),
      comparison: "GreaterThanThreshold",
      threshold: t.integrationLatencyP99Ms,
      ...MINUTES,
      ...QUIET_IS_OK,
    },
    throttled(stage, t),
  ];
}

/** WebSocket APIs have no 5XX or Latency metrics: execution and integration errors, client errors, integration latency, 429s and refused connects. */
function websocketStageAlarms(stage: V2StageRef, t: StageThresholds): AlarmSpec[] {
  const dims = { ApiId: stage.apiId, Stage: stage.stageName };
  const traffic = { connects: { namespace: GATEWAY, metricName: "ConnectCount", dimensions: dims, stat: "Sum" }, messages: { namespace: GATEWAY, metricName: "MessageCount", dimensions: dims, stat: "Sum" } };
  return [
    {
      id: `${stage.group}-5xx`,
      group: stage.group,
      summary: `${stage.apiName}: share of connects and messages that failed in API Gateway or the integration`,
      runbook: "Find the failing events in the access log (error, integrationError) and the route's function logs by requestId.",
      metrics: { ...traffic, execution: { namespace: GATEWAY, metricName: "ExecutionError", dimensions: dims, stat: "Sum" }, integration: { namespace: GATEWAY, metricName: "IntegrationError", dimensions: dims, stat: "Sum" } },
      expression: "(execution + integration) / MAX([connects + messages, 1])",
      comparison: "GreaterThanThreshold",
      threshold: t.serverErrorRate,
      ...MINUTES,
      ...QUIET_IS_OK,
    },
    {
      id: `${stage.group}-4xx`,
      group: stage.group,
      summary: `${stage.apiName}: share of connects and messages refused as client errors`,
      runbook: "Group the access log's failed events by routeKey and authorizerError: refused $connect points at tokens, unknown actions at clients.",
      metrics: { ...traffic, client: { namespace: GATEWAY, metricName: "ClientError", dimensions: dims, stat: "Sum" } },
      expression: "client / MAX([connects + messages, 1])",
      comparison: "GreaterThanThreshold",
      threshold: t.clientErrorRate,
      ...MINUTES,
      ...QUIET_IS_OK,
    },
    {
      id: `${stage.group}-integration-latency-p99`,
      group: stage.group,
      summary: `${stage.apiName}: p99 integration latency in ms`,
      runbook: "Open the route functions' Duration on the dashboard and their X-Ray traces.",
      metrics: metric(GATEWAY, "IntegrationLatency", dims, "p99"),
      comparison: "GreaterThanThreshold",
      threshold: t.integrationLatencyP99Ms,
      ...MINUTES,
      ...QUIET_IS_OK,
    },
    throttled(stage, t),
    {
      id: `${stage.group}-connect-errors`,
      group: stage.group,
      summary: `${stage.apiName}: $connect attempts refused per 5 minutes`,
      runbook: "Read the CONNECT lines with a status other than 200 in the access log: authorizerError names a token problem, error a failed connect function.",
      metrics: metric(PLATFORM_NAMESPACE, `ConnectErrors-${stage.apiName}`, {}, "Sum"),
      logMetric: { logGroupName: stage.accessLogGroupName, pattern: '{ $.eventType = "CONNECT" && $.status != "200" }' },
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: t.websocketConnectErrors,
      ...FIVE_MINUTES,
      ...QUIET_IS_OK,
    },
  ];
}

/** A REST stage's canary publishes its metrics under the stage `<stage>/Canary`: its own 5XX and latency, notified directly (they decide a rollback). */
export function canaryAlarms(stage: RestStageRef, t: StageThresholds): AlarmSpec[] {
  const dims = { ApiName: stage.apiName, Stage: `${stage.stageName}/Canary` };
  const rollback = "Roll the canary back (npm run canary -- rollback <stack> <api>) and compare its access log lines with the stage's.";
  return [
    { id: `${stage.group}-canary-5xx`, summary: `${stage.apiName} canary: share of requests answered 5XX`, runbook: rollback, metrics: metric(GATEWAY, "5XXError", dims, "Average"), comparison: "GreaterThanThreshold", threshold: t.serverErrorRate, ...MINUTES, ...QUIET_IS_OK },
    { id: `${stage.group}-canary-latency-p99`, summary: `${stage.apiName} canary: p99 latency in ms`, runbook: rollback, metrics: metric(GATEWAY, "Latency", dims, "p99"), comparison: "GreaterThanThreshold", threshold: t.latencyP99Ms, ...MINUTES, ...QUIET_IS_OK },
  ];
}

export interface FunctionThresholds {
  readonly errors: number;
  readonly throttles: number;
  readonly durationPercentOfTimeout: number;
}

/**
 * Errors, throttles and p99 duration against the timeout of one function, in one alarm (metric
 * math): three alarms per function would triple the environment's largest group of resources,
 * and the three symptoms share a runbook.
 */
export function functionAlarms(fn: { readonly key: string; readonly functionName: string; readonly timeout: number }, t: FunctionThresholds): AlarmSpec[] {
  const dims = { FunctionName: fn.functionName };
  const durationMs = Math.round(fn.timeout * 1000 * (t.durationPercentOfTimeout / 100));
  return [
    {
      id: `function-${fn.key}`,
      summary: `${fn.functionName}: errors (>= ${t.errors}), throttles (>= ${t.throttles}) or p99 duration above ${durationMs} ms (${t.durationPercentOfTimeout}% of its ${fn.timeout} s timeout), per 5 minutes`,
      runbook:
        "Errors: read the function's ERROR lines (JSON logs) and the failing request's trace, redeploy the previous version if the last change broke it. Throttles: compare ConcurrentExecutions with the reservation on the dashboard and raise reservedConcurrency. Duration: open the slow traces; a slow dependency times the function out next.",
      metrics: {
        errors: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: dims, stat: "Sum" },
        throttles: { namespace: "AWS/Lambda", metricName: "Throttles", dimensions: dims, stat: "Sum" },
        duration: { namespace: "AWS/Lambda", metricName: "Duration", dimensions: dims, stat: "p99" },
      },
      // FILL: a period of throttled calls only has no Errors or Duration points, and a sum with a
      // missing term is missing, which would hide exactly that period.
      expression: `IF(FILL(errors, 0) >= ${t.errors}, 1, 0) + IF(FILL(throttles, 0) >= ${t.throttles}, 1, 0) + IF(FILL(duration, 0) > ${durationMs}, 1, 0)`,
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      ...FIVE_MINUTES,
      // A function nobody calls has no errors, throttles or durations: quiet is fine.
      ...QUIET_IS_OK,
    },
  ];
}

/** Dead letters (any) and the age of the oldest message of a queue. */
export function queueAlarms(queue: { readonly group: string; readonly queueName: string; readonly deadLetterQueueName: string }, oldestMessageAgeSeconds: number): AlarmSpec[] {
  return [
    {
      id: `${queue.group}-dead-letters`,
      summary: `${queue.deadLetterQueueName}: messages that failed every delivery`,
      runbook: "Read the dead letters (aws sqs receive-message on the -dlq queue), fix the consumer, then redrive them (aws sqs start-message-move-task).",
      metrics: metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: queue.deadLetterQueueName }, "Maximum"),
      comparison: "GreaterThanThreshold",
      threshold: 0,
      periodSeconds: 60,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // SQS stops publishing for a queue inactive for six hours, which an empty DLQ is; a queue holding messages is active.
      ...QUIET_IS_OK,
    },
    {
      id: `${queue.group}-oldest-message`,
      summary: `${queue.queueName}: age of the oldest message in seconds`,
      runbook: "The consumer is not keeping up or has stopped: check its errors and concurrency; messages expire at the queue's retention.",
      metrics: metric("AWS/SQS", "ApproximateAgeOfOldestMessage", { QueueName: queue.queueName }, "Maximum"),
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: oldestMessageAgeSeconds,
      ...MINUTES,
      ...QUIET_IS_OK,
    },
  ];
}

/** Write throttles of a stream, and, where something reads it, how far behind the reader is. */
export function streamAlarms(stream: { readonly group: string; readonly streamName: string; readonly hasReader: boolean }, t: { readonly iteratorAgeMs: number; readonly writeThrottles: number }): AlarmSpec[] {
  const dims = { StreamName: stream.streamName };
  const specs: AlarmSpec[] = [
    { id: `${stream.group}-write-throttles`, summary: `${stream.streamName}: PutRecord calls throttled per 5 minutes`, runbook: "POST /events answers 5XX while the stream throttles; an on-demand stream doubles within minutes, so a lasting throttle means the account's on-demand limit.", metrics: metric("AWS/Kinesis", "WriteProvisionedThroughputExceeded", dims, "Sum"), comparison: "GreaterThanOrEqualToThreshold", threshold: t.writeThrottles, ...FIVE_MINUTES, ...QUIET_IS_OK },
  ];
  if (stream.hasReader) {
    specs.push({
      id: `${stream.group}-iterator-age`,
      summary: `${stream.streamName}: age of the last record its readers got, in ms`,
      runbook: "The archive's Firehose is behind or stopped: check its delivery errors (its log group) before records pass the stream's retention.",
      metrics: metric("AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", dims, "Maximum"),
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: t.iteratorAgeMs,
      ...MINUTES,
      // The reader polls every second even on an idle stream: no data means it stopped.
      treatMissingData: "breaching",
    });
  }
  return specs;
}

/** Failed deliveries of a Firehose stream to S3. */
export function deliveryAlarms(delivery: { readonly group: string; readonly deliveryStreamName: string }): AlarmSpec[] {
  return [
    {
      id: `${delivery.group}-delivery-failures`,
      summary: `${delivery.deliveryStreamName}: share of successful deliveries to S3 (1 = all)`,
      runbook: "Read the stream's S3Delivery log for the error (bucket policy, KMS key); Firehose retries for 24 hours, then writes to the errors prefix.",
      metrics: metric("AWS/Firehose", "DeliveryToS3.Success", { DeliveryStreamName: delivery.deliveryStreamName }, "Minimum"),
      comparison: "LessThanThreshold",
      threshold: 1,
      ...FIVE_MINUTES,
      // Nothing to deliver publishes nothing.
      ...QUIET_IS_OK,
    },
  ];
}

/**
 * Throttles and system errors of a table the platform calls with `operations`. DynamoDB publishes
 * these only in periods that have some, so each series is filled with 0 before the sum: a sum
 * with one series missing is missing, and would never alarm.
 */
export function tableAlarms(table: { readonly group: string; readonly tableName: string; readonly operations: readonly string[] }, t: { readonly throttles: number; readonly systemErrors: number }): AlarmSpec[] {
  const dims = { TableName: table.tableName };
  return [
    {
      id: `${table.group}-throttles`,
      summary: `${table.tableName}: read and write throttle events per 5 minutes`,
      runbook: "Find the hot key or the burst in the access log; on-demand tables throttle past twice their previous peak.",
      metrics: { reads: { namespace: "AWS/DynamoDB", metricName: "ReadThrottleEvents", dimensions: dims, stat: "Sum" }, writes: { namespace: "AWS/DynamoDB", metricName: "WriteThrottleEvents", dimensions: dims, stat: "Sum" } },
      expression: "FILL(reads, 0) + FILL(writes, 0)",
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: t.throttles,
      ...FIVE_MINUTES,
      ...QUIET_IS_OK,
    },
    {
      id: `${table.group}-system-errors`,
      summary: `${table.tableName}: DynamoDB 5XX answers to ${table.operations.join(", ")} per 5 minutes`,
      runbook: "Check the AWS Health Dashboard for DynamoDB in the region; API Gateway passes these on as 5XX.",
      // SystemErrors is published per operation; one series each, summed.
      metrics: Object.fromEntries(table.operations.map((operation, i) => [`op${i}`, { namespace: "AWS/DynamoDB", metricName: "SystemErrors", dimensions: { ...dims, Operation: operation }, stat: "Sum" }])),
      expression: table.operations.map((_, i) => `FILL(op${i}, 0)`).join(" + "),
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: t.systemErrors,
      ...FIVE_MINUTES,
      ...QUIET_IS_OK,
    },
  ];
}

/** Days until a certificate the environment names by ARN expires; ACM does not renew imported ones. */
export function certificateAlarm(certificate: { readonly group: string; readonly certificateArn: string }, days: number): AlarmSpec {
  return {
    id: `${certificate.group}-certificate-expiry`,
    summary: `${certificate.certificateArn}: days until it expires`,
    runbook: "Re-import a renewed certificate under the same ARN (aws acm import-certificate --certificate-arn), or let the platform create one by removing certificateArn.",
    metrics: metric("AWS/CertificateManager", "DaysToExpiry", { CertificateArn: certificate.certificateArn }, "Minimum"),
    comparison: "LessThanThreshold",
    threshold: days,
    periodSeconds: 86400,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    // ACM publishes once a day; a missing day must not hide an expiry.
    treatMissingData: "breaching",
  };
}
