import type { Construct } from "constructs";
import type { AlarmsConfig, EnvironmentConfig } from "../config/schema";
import { AlarmSubscription, AlarmTopic } from "../modules/alarm-topic";
import { ConnectionsTable } from "../modules/connections-table";
import { DataTable } from "../modules/data-table";
import { EnvironmentAlarms } from "../modules/environment-alarms";
import { EventArchive } from "../modules/event-archive";
import { EventStream } from "../modules/event-stream";
import { HttpApi } from "../modules/http-api";
import { LambdaFunction } from "../modules/lambda-function";
import { MessageQueue } from "../modules/message-queue";
import { DashboardApi, OperationsDashboard } from "../modules/operations-dashboard";
import { RestApi } from "../modules/rest-api";
import * as model from "../modules/shared/alarm-model";
import { WebSocketApi } from "../modules/websocket-api";

/** Construct ids of the environment's topic, alarms and dashboard: part of their addresses. */
export const MONITORING_IDS = { topic: "alarm-topic", alarms: "alarms", dashboard: "dashboard" } as const;

function all<T>(scope: Construct, type: abstract new (...args: never[]) => T): T[] {
  return scope.node.findAll().filter((c): c is T & Construct => c instanceof type);
}

/**
 * The alarm model of everything a stack holds: every API stage (grouped by the API's construct
 * id, which names its composite alarm), canary, function, queue, stream, archive and table, and
 * the certificates named by ARN, with the environment file's thresholds.
 */
export function alarmModel(scope: Construct, t: AlarmsConfig, certificates: readonly { readonly group: string; readonly certificateArn: string }[] = []): model.AlarmSpec[] {
  const rest = (api: RestApi): model.RestStageRef => ({ kind: "REST", group: api.node.id, apiName: api.name, stageName: api.stageName, accessLogGroupName: api.accessLogGroupName });
  const v2 = (kind: "HTTP" | "WEBSOCKET", api: HttpApi | WebSocketApi): model.V2StageRef => ({ kind, group: api.node.id, apiName: api.name, apiId: api.apiId, stageName: api.stageName, accessLogGroupName: api.accessLogGroupName });
  const restApis = all(scope, RestApi);
  const stages: model.StageRef[] = [...restApis.map(rest), ...all(scope, HttpApi).map((api) => v2("HTTP", api)), ...all(scope, WebSocketApi).map((api) => v2("WEBSOCKET", api))];
  const specs = stages.flatMap((stage) => model.stageAlarms(stage, t.apis));
  for (const api of restApis.filter((a) => a.canary)) specs.push(...model.canaryAlarms(rest(api), t.apis));
  for (const fn of all(scope, LambdaFunction)) specs.push(...model.functionAlarms(fn, t.functions));
  for (const queue of all(scope, MessageQueue)) {
    specs.push(...model.queueAlarms({ group: queue.node.id, queueName: queue.name, deadLetterQueueName: queue.deadLetterQueueName }, t.queues.oldestMessageAgeSeconds));
  }
  const archives = all(scope, EventArchive);
  for (const stream of all(scope, EventStream)) specs.push(...model.streamAlarms({ group: stream.node.id, streamName: stream.name, hasReader: archives.length > 0 }, t.streams));
  for (const archive of archives) specs.push(...model.deliveryAlarms({ group: archive.node.id, deliveryStreamName: archive.deliveryStreamName }));
  // The operations each table is called with: the users table is read by GET /users/{id}; the
  // WebSocket functions put connections and subscriptions, query a room's, and delete on $disconnect.
  for (const table of all(scope, DataTable)) specs.push(...model.tableAlarms({ group: table.node.id, tableName: table.name, operations: ["GetItem"] }, t.tables));
  for (const table of all(scope, ConnectionsTable)) specs.push(...model.tableAlarms({ group: table.node.id, tableName: table.tableName, operations: ["PutItem", "Query", "DeleteItem"] }, t.tables));
  for (const certificate of certificates) specs.push(model.certificateAlarm(certificate, t.certificateDaysToExpiry));
  return specs;
}

export interface MonitorOptions {
  /** Prefix of the topic's, alarms' and dashboard's names, such as apigw-prod. */
  readonly namePrefix: string;
  readonly region: string;
  readonly thresholds: AlarmsConfig;
  /** @default none */
  readonly certificates?: readonly { readonly group: string; readonly certificateArn: string }[];
}

/** The topic, the alarms of everything in `scope`, and the dashboard from the same model. */
export function monitor(scope: Construct, options: MonitorOptions): void {
  const specs = alarmModel(scope, options.thresholds, options.certificates);
  const subscriptions = options.thresholds.subscriptions.filter((s): s is AlarmSubscription => !("topicArn" in s));
  const topic = new AlarmTopic(scope, MONITORING_IDS.topic, { topicName: `${options.namePrefix}-alarms`, region: options.region, subscriptions });
  const existingTopics = options.thresholds.subscriptions.flatMap((s) => ("topicArn" in s ? [s.topicArn] : []));
  const alarms = new EnvironmentAlarms(scope, MONITORING_IDS.alarms, { namePrefix: options.namePrefix, alarms: specs, actionArns: [topic.topicArn, ...existingTopics] });

  const restApi = (api: RestApi): DashboardApi => ({
    title: api.name,
    requests: { namespace: "AWS/ApiGateway", metricName: "Count", dimensions: { ApiName: api.name, Stage: api.stageName }, stat: "Sum" },
    routeSearch: `SEARCH('{AWS/ApiGateway,ApiName,Method,Resource,Stage} MetricName="Count" ApiName="${api.name}" Stage="${api.stageName}"', 'Sum', 300)`,
  });
  const httpApi = (api: HttpApi): DashboardApi => ({
    title: api.name,
    requests: { namespace: "AWS/ApiGateway", metricName: "Count", dimensions: { ApiId: api.apiId, Stage: api.stageName }, stat: "Sum" },
    routeSearch: `SEARCH('{AWS/ApiGateway,ApiId,Route,Stage} MetricName="Count" ApiId="${api.apiId}"', 'Sum', 300)`,
  });
  new OperationsDashboard(scope, MONITORING_IDS.dashboard, {
    dashboardName: options.namePrefix,
    region: options.region,
    alarms: specs,
    alarmArns: [...alarms.compositeArns.values(), ...alarms.alarmArns.values()],
    apis: [...all(scope, RestApi).map(restApi), ...all(scope, HttpApi).map(httpApi)],
    functions: all(scope, LambdaFunction).map((fn) => ({ functionName: fn.functionName, reservedConcurrency: fn.reservedConcurrency })),
    queueNames: all(scope, MessageQueue).flatMap((q) => [q.name, q.deadLetterQueueName]),
  });
}

/** The environment's monitoring, unless its file opts out (alarms.enabled: false, with a reason). */
export function monitoring(scope: Construct, id: string, config: EnvironmentConfig): void {
  if (!config.alarms.enabled) return;
  // ACM publishes DaysToExpiry in the certificate's region; an edge domain's us-east-1 certificate
  // would need an alarm (and a topic) there, which the environment stack does not hold.
  const certificates = Object.entries(config.customDomains).flatMap(([api, domain]) =>
    domain?.certificateArn && domain.certificateArn.split(":")[3] === config.region ? [{ group: `${api.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-domain`, certificateArn: domain.certificateArn }] : [],
  );
  monitor(scope, { namePrefix: `apigw-${id}`, region: config.region, thresholds: config.alarms, certificates });
}
