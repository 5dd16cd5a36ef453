import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/schema";
import { AlarmSubscription, AlarmTopic } from "../modules/alarm-topic";
import { ConnectionsTable } from "../modules/connections-table";
import { DataTable } from "../modules/data-table";
import { EnvironmentAlarms } from "../modules/environment-alarms";
import { EventArchive } from "../modules/event-archive";
import { EventStream } from "../modules/event-stream";
import type { HttpApi } from "../modules/http-api";
import { LambdaFunction } from "../modules/lambda-function";
import { MessageQueue } from "../modules/message-queue";
import { OperationsDashboard, DashboardApi } from "../modules/operations-dashboard";
import type { RestApi } from "../modules/rest-api";
import * as model from "../modules/shared/alarm-model";
import type { WebSocketApi } from "../modules/websocket-api";

/** The APIs of an environment stack, by the group their alarms roll up into. */
export interface MonitoredApis {
  readonly privateApi: RestApi;
  readonly publicApi: RestApi;
  readonly httpApi: HttpApi;
  readonly websocketApi?: WebSocketApi;
}

/** Construct ids of the environment's topic, alarms and dashboard: part of their addresses. */
export const MONITORING_IDS = { topic: "alarm-topic", alarms: "alarms", dashboard: "dashboard" } as const;

/**
 * The environment's alarm model: every API stage, function, queue, stream, archive, table and
 * certificate named by ARN that the stack holds, with the environment file's thresholds.
 */
export function alarmModel(scope: Construct, config: EnvironmentConfig, apis: MonitoredApis): model.AlarmSpec[] {
  const t = config.alarms;
  const rest = (group: string, api: RestApi): model.RestStageRef => ({ kind: "REST", group, apiName: api.name, stageName: api.stageName, accessLogGroupName: api.accessLogGroupName });
  const stages: model.StageRef[] = [
    rest("private-api", apis.privateApi),
    rest("public-api", apis.publicApi),
    { kind: "HTTP", group: "http-api", apiName: apis.httpApi.name, apiId: apis.httpApi.apiId, stageName: apis.httpApi.stageName, accessLogGroupName: apis.httpApi.accessLogGroupName },
    ...(apis.websocketApi
      ? [{ kind: "WEBSOCKET", group: "websocket-api", apiName: apis.websocketApi.name, apiId: apis.websocketApi.apiId, stageName: apis.websocketApi.stageName, accessLogGroupName: apis.websocketApi.accessLogGroupName } as const]
      : []),
  ];
  const specs = stages.flatMap((stage) => model.stageAlarms(stage, t.apis));
  if (config.privateApi.canary) specs.push(...model.canaryAlarms(rest("private-api", apis.privateApi), t.apis));
  if (config.publicApi.canary) specs.push(...model.canaryAlarms(rest("public-api", apis.publicApi), t.apis));

  const all = scope.node.findAll();
  for (const fn of all.filter((c): c is LambdaFunction => c instanceof LambdaFunction)) specs.push(...model.functionAlarms(fn, t.functions));
  for (const queue of all.filter((c): c is MessageQueue => c instanceof MessageQueue)) {
    specs.push(...model.queueAlarms({ group: queue.node.id, queueName: queue.name, deadLetterQueueName: queue.deadLetterQueueName }, t.queues.oldestMessageAgeSeconds));
  }
  const archives = all.filter((c): c is EventArchive => c instanceof EventArchive);
  for (const stream of all.filter((c): c is EventStream => c instanceof EventStream)) {
    specs.push(...model.streamAlarms({ group: stream.node.id, streamName: stream.name, hasReader: archives.length > 0 }, t.streams));
  }
  for (const archive of archives) specs.push(...model.deliveryAlarms({ group: archive.node.id, deliveryStreamName: archive.deliveryStreamName }));
  for (const table of all.filter((c): c is DataTable => c instanceof DataTable)) specs.push(...model.tableAlarms({ group: table.node.id, tableName: table.name, operation: "GetItem" }, t.tables));
  for (const table of all.filter((c): c is ConnectionsTable => c instanceof ConnectionsTable)) specs.push(...model.tableAlarms({ group: table.node.id, tableName: table.tableName, operation: "PutItem" }, t.tables));
  for (const [api, domain] of Object.entries(config.customDomains)) {
    const arn = domain?.certificateArn;
    // ACM publishes DaysToExpiry in the certificate's region; an edge domain's us-east-1 certificate
    // would need an alarm (and topic) there, which the environment stack does not hold.
    if (arn && arn.split(":")[3] === config.region) specs.push(model.certificateAlarm({ group: `${kebab(api)}-domain`, certificateArn: arn }, t.certificateDaysToExpiry));
  }
  return specs;
}

/** The environment's alarm topic, alarms and dashboard, unless the file opts out (with a reason). */
export function monitoring(scope: Construct, id: string, config: EnvironmentConfig, apis: MonitoredApis): void {
  if (!config.alarms.enabled) return;
  const specs = alarmModel(scope, config, apis);
  const subscriptions = config.alarms.subscriptions.filter((s): s is AlarmSubscription => !("topicArn" in s));
  const topic = new AlarmTopic(scope, MONITORING_IDS.topic, { topicName: `apigw-${id}-alarms`, region: config.region, kmsKeyArn: config.logging.kmsKeyArn, subscriptions });
  const existingTopics = config.alarms.subscriptions.flatMap((s) => ("topicArn" in s ? [s.topicArn] : []));
  const alarms = new EnvironmentAlarms(scope, MONITORING_IDS.alarms, { namePrefix: `apigw-${id}`, alarms: specs, actionArns: [topic.topicArn, ...existingTopics] });

  const restApi = (title: string, api: RestApi): DashboardApi => ({
    title,
    requests: { namespace: "AWS/ApiGateway", metricName: "Count", dimensions: { ApiName: api.name, Stage: api.stageName }, stat: "Sum" },
    routeSearch: `SEARCH('{AWS/ApiGateway,ApiName,Method,Resource,Stage} MetricName="Count" ApiName="${api.name}" Stage="${api.stageName}"', 'Sum', 300)`,
  });
  const functions = scope.node.findAll().filter((c): c is LambdaFunction => c instanceof LambdaFunction);
  new OperationsDashboard(scope, MONITORING_IDS.dashboard, {
    dashboardName: `apigw-${id}`,
    region: config.region,
    alarms: specs,
    alarmArns: [...alarms.compositeArns.values(), ...alarms.alarmArns.values()],
    apis: [
      restApi("Private API", apis.privateApi),
      restApi("Public API", apis.publicApi),
      {
        title: "HTTP API",
        requests: { namespace: "AWS/ApiGateway", metricName: "Count", dimensions: { ApiId: apis.httpApi.apiId, Stage: apis.httpApi.stageName }, stat: "Sum" },
        routeSearch: `SEARCH('{AWS/ApiGateway,ApiId,Route,Stage} MetricName="Count" ApiId="${apis.httpApi.apiId}"', 'Sum', 300)`,
      },
    ],
    functions: functions.map((fn) => ({ functionName: fn.functionName, reservedConcurrency: fn.reservedConcurrency })),
    queueNames: scope.node.findAll().filter((c): c is MessageQueue => c instanceof MessageQueue).flatMap((q) => [q.name, q.deadLetterQueueName]),
  });
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
