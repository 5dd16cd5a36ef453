import { Construct } from "constructs";
import { CloudwatchCompositeAlarm } from "@cdktf/provider-aws/lib/cloudwatch-composite-alarm";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { AlarmSpec } from "./shared/alarm-model";
import { PropsError } from "./shared/validation";

export interface EnvironmentAlarmsProps {
  /** Prefix of every alarm's name, such as apigw-prod. */
  readonly namePrefix: string;
  readonly alarms: readonly AlarmSpec[];
  /** Where alarms notify: the environment's topic first, then any existing topics. */
  readonly actionArns: readonly string[];
}

const PERCENTILE = /^p\d{1,2}(\.\d+)?$/;

/**
 * One CloudWatch alarm per spec, and one composite alarm per group (an API) that notifies for
 * all its alarms: a failing API pages once, not once per symptom. Alarms outside a group notify
 * directly. Alarm and OK transitions both notify, so a page is also told when it is over.
 */
export class EnvironmentAlarms extends Construct {
  /** Alarm ARNs by spec id, for the dashboard's alarm list. */
  public readonly alarmArns: ReadonlyMap<string, string>;
  /** Composite alarm ARNs by group. */
  public readonly compositeArns: ReadonlyMap<string, string>;

  constructor(scope: Construct, id: string, props: EnvironmentAlarmsProps) {
    super(scope, id);
    if (!props.actionArns.length) throw new PropsError(this, "actionArns", "is empty; an alarm nobody hears does not help (give the environment's topic)");
    const actions = [...props.actionArns];
    const arns = new Map<string, string>();
    const names = new Map<string, string[]>();
    for (const spec of props.alarms) {
      if (arns.has(spec.id)) throw new PropsError(this, "alarms", `has two alarms with the id ${JSON.stringify(spec.id)}`);
      const metrics = Object.entries(spec.metrics);
      if (!spec.expression && metrics.length !== 1) throw new PropsError(this, `alarm ${spec.id}`, `has ${metrics.length} metrics and no expression to combine them`);
      if (spec.logMetric) {
        const [, m] = metrics[0];
        new CloudwatchLogMetricFilter(this, `${spec.id}-filter`, {
          name: m.metricName,
          logGroupName: spec.logMetric.logGroupName,
          pattern: spec.logMetric.pattern,
          metricTransformation: { name: m.metricName, namespace: m.namespace, value: "1", unit: "Count" },
        });
      }
      const alarm = new CloudwatchMetricAlarm(this, spec.id, {
        alarmName: `${props.namePrefix}-${spec.id}`,
        alarmDescription: `${spec.summary}. Runbook: ${spec.runbook}`,
        comparisonOperator: spec.comparison,
        threshold: spec.threshold,
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.datapointsToAlarm,
        treatMissingData: spec.treatMissingData,
        ...metricOf(spec),
        // In a group, the composite alarm notifies; alone, the alarm does.
        ...(spec.group ? {} : { alarmActions: actions, okActions: actions }),
      });
      arns.set(spec.id, alarm.arn);
      if (spec.group) names.set(spec.group, [...(names.get(spec.group) ?? []), alarm.alarmName]);
    }
    const composites = new Map<string, string>();
    for (const [group, members] of names) {
      const composite = new CloudwatchCompositeAlarm(this, `${group}-composite`, {
        alarmName: `${props.namePrefix}-${group}`,
        alarmDescription: `Any alarm of ${group}: the API is failing, slow or throttling. Runbook: open the dashboard ${props.namePrefix}, then the member alarm in ALARM.`,
        alarmRule: members.map((name) => `ALARM("${name}")`).join(" OR "),
        alarmActions: actions,
        okActions: actions,
      });
      composites.set(group, composite.arn);
    }
    this.alarmArns = arns;
    this.compositeArns = composites;
  }
}

function metricOf(spec: AlarmSpec): Partial<CloudwatchMetricAlarmConfig> {
  const entries = Object.entries(spec.metrics);
  if (!spec.expression) {
    const [, m] = entries[0];
    const stat = PERCENTILE.test(m.stat) ? { extendedStatistic: m.stat } : { statistic: m.stat };
    return { namespace: m.namespace, metricName: m.metricName, period: spec.periodSeconds, ...stat, ...(Object.keys(m.dimensions).length ? { dimensions: { ...m.dimensions } } : {}) };
  }
  return {
    metricQuery: [
      { id: "e", expression: spec.expression, label: spec.summary, returnData: true },
      ...entries.map(([queryId, m]) => ({
        id: queryId,
        returnData: false,
        metric: { namespace: m.namespace, metricName: m.metricName, period: spec.periodSeconds, stat: m.stat, dimensions: { ...m.dimensions } },
      })),
    ],
  };
}
