import { Construct } from "constructs";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import type { AlarmSpec, MetricRef } from "./shared/alarm-model";
import { PropsError } from "./shared/validation";

/** An API's traffic graph: its request count, split by route where the API publishes per-route metrics. */
export interface DashboardApi {
  readonly title: string;
  /** The API's request count metric. */
  readonly requests: MetricRef;
  /** A CloudWatch SEARCH expression returning one request series per route. */
  readonly routeSearch: string;
}

export interface DashboardFunction {
  readonly functionName: string;
  /** @default none: no reservation line */
  readonly reservedConcurrency?: number;
}

export interface OperationsDashboardProps {
  readonly dashboardName: string;
  readonly region: string;
  /** The environment's alarms: each gets a graph of its metric against its threshold. */
  readonly alarms: readonly AlarmSpec[];
  /** Every alarm's ARN (composites included), for the alarm status list. */
  readonly alarmArns: readonly string[];
  /** @default none */
  readonly apis?: readonly DashboardApi[];
  /** @default none */
  readonly functions?: readonly DashboardFunction[];
  /** Queue names whose depth is graphed. @default none */
  readonly queueNames?: readonly string[];
}

type Widget = { type: string; width: number; height: number; properties: Record<string, unknown> };

/** CloudWatch caps a dashboard's alarm status widget at 100 alarms. */
const ALARM_WIDGET_LIMIT = 100;
const LATENCY_PERCENTILES = ["p50", "p90", "p99"];

/**
 * One CloudWatch dashboard for an environment, from the same model as its alarms: the alarms'
 * states, each API's requests by route, every alarm's metric with its threshold, and the
 * functions' concurrency against their reservations and the queues' depth.
 */
export class OperationsDashboard extends Construct {
  public readonly dashboardName: string;
  /** The dashboard body, for tests and the README's picture. */
  public readonly body: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(props.dashboardName)) throw new PropsError(this, "dashboardName", `is ${JSON.stringify(props.dashboardName)}; expected 1-255 letters, digits, - and _`);
    const graph = (title: string, metrics: unknown[], extra: Record<string, unknown> = {}): Widget => ({
      type: "metric",
      width: 8,
      height: 6,
      properties: { title, region: props.region, view: "timeSeries", stacked: false, period: 300, metrics, ...extra },
    });
    const widgets: Widget[] = [];
    for (let i = 0; i < props.alarmArns.length; i += ALARM_WIDGET_LIMIT) {
      widgets.push({ type: "alarm", width: 24, height: 4, properties: { title: "Alarms", alarms: props.alarmArns.slice(i, i + ALARM_WIDGET_LIMIT), sortBy: "stateUpdatedTimestamp", states: [] } });
    }
    for (const api of props.apis ?? []) {
      widgets.push(
        graph(`${api.title}: requests by route`, [
          [{ expression: api.routeSearch, id: "routes", label: "" }],
          [api.requests.namespace, api.requests.metricName, ...dimensionList(api.requests), { stat: "Sum", label: "all routes", id: "all" }],
        ]),
      );
    }
    for (const spec of props.alarms) {
      const annotations = { horizontal: [{ label: `alarm ${spec.comparison.startsWith("Less") ? "<" : ">"} ${spec.threshold}`, value: spec.threshold }] };
      const entries = Object.entries(spec.metrics);
      let metrics: unknown[];
      if (spec.expression) {
        metrics = [[{ expression: spec.expression, id: "e", label: spec.summary }], ...entries.map(([queryId, m]) => [m.namespace, m.metricName, ...dimensionList(m), { stat: m.stat, id: queryId, label: `${m.metricName} (${m.stat})` }])];
      } else {
        const [, m] = entries[0];
        // Latency alarms watch p99; the graph shows the percentiles below it too.
        const stats = m.stat === "p99" ? LATENCY_PERCENTILES : [m.stat];
        metrics = stats.map((stat) => [m.namespace, m.metricName, ...dimensionList(m), { stat, label: stat }]);
      }
      widgets.push(graph(spec.summary, metrics, { period: spec.periodSeconds, annotations }));
    }
    const functions = props.functions ?? [];
    if (functions.length) {
      widgets.push(
        graph(
          "Functions: concurrent executions against their reservations",
          functions.map((fn) => ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", fn.functionName, { stat: "Maximum" }]),
          {
            period: 60,
            annotations: { horizontal: [...new Set(functions.flatMap((fn) => (fn.reservedConcurrency === undefined ? [] : [fn.reservedConcurrency])))].map((value) => ({ label: `reserved ${value}`, value })) },
          },
        ),
      );
    }
    if (props.queueNames?.length) {
      widgets.push(graph("Queues: visible messages", props.queueNames.map((name) => ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", name, { stat: "Maximum" }]), { period: 60 }));
    }
    this.body = { widgets: layout(widgets) };
    const dashboard = new CloudwatchDashboard(this, "dashboard", { dashboardName: props.dashboardName, dashboardBody: JSON.stringify(this.body) });
    this.dashboardName = dashboard.dashboardName;
  }
}

function dimensionList(m: MetricRef): string[] {
  return Object.entries(m.dimensions).flat();
}

/** Left to right, top to bottom on CloudWatch's 24-column grid. */
function layout(widgets: Widget[]): (Widget & { x: number; y: number })[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return widgets.map((widget) => {
    if (x + widget.width > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const placed = { ...widget, x, y };
    x += widget.width;
    rowHeight = Math.max(rowHeight, widget.height);
    return placed;
  });
}
