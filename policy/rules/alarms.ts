import { blocks, Block, Body, refersTo, StackView } from "../stack";
import type { Rule } from "../types";

/** What an alarm watches: each metric of it (one, or those of its metric_query) with its dimensions. */
function watched(alarm: Block): { namespace: string; metricName: string; dimensions: Body }[] {
  const own = typeof alarm.body.metric_name === "string" ? [{ namespace: alarm.body.namespace, metricName: alarm.body.metric_name, dimensions: alarm.body.dimensions ?? {} }] : [];
  const queried = blocks(alarm.body.metric_query).flatMap((query) =>
    blocks(query.metric).map((m) => ({ namespace: m.namespace, metricName: m.metric_name, dimensions: m.dimensions ?? {} })),
  );
  return [...own, ...queried];
}

/** Whether a dimension value names the resource: its literal value, or a reference to the attribute. */
function names(value: unknown, literal: unknown, block: Block, attribute: string): boolean {
  return (typeof literal === "string" && value === literal) || (typeof value === "string" && value.startsWith("${") && refersTo(value, block.address, attribute) && !value.endsWith("/Canary"));
}

function alarmsWatching(stack: StackView, test: (m: { namespace: string; metricName: string; dimensions: Body }) => boolean): Block[] {
  return stack.resources("aws_cloudwatch_metric_alarm").filter((alarm) => watched(alarm).some(test));
}

const GATEWAY = "AWS/ApiGateway";
const SERVER_ERRORS = ["5XXError", "5xx", "ExecutionError", "IntegrationError"];
const LATENCY = ["Latency", "IntegrationLatency"];

/** Whether the metric is of this stage: REST by API name and stage name, HTTP and WebSocket by API id and stage name. */
function ofStage(stack: StackView, stage: Block, dimensions: Body): boolean {
  const api = stack.referenced(stage.body.rest_api_id ?? stage.body.api_id);
  const stageAttribute = stage.type === "aws_api_gateway_stage" ? "stage_name" : "name";
  if (!names(dimensions.Stage, stage.body[stageAttribute], stage, stageAttribute)) return false;
  // An API outside the stack (its id a literal) cannot be told apart: any API dimension counts.
  if (stage.type === "aws_api_gateway_stage") return api ? names(dimensions.ApiName, api.body.name, api, "name") : typeof dimensions.ApiName === "string";
  return api ? typeof dimensions.ApiId === "string" && refersTo(dimensions.ApiId, api.address, "id") : typeof dimensions.ApiId === "string";
}

export const stageAlarms: Rule = {
  id: "APIGW-STAGE-ALARMS",
  severity: "error",
  message: "A stage must have a server error (5XX) alarm and a latency alarm",
  explanation:
    "Without them, an API answering 5XX or timing out at 3 a.m. tells nobody. Alarm on 5XXError (5xx for HTTP APIs, ExecutionError or IntegrationError for WebSocket APIs) and on Latency or IntegrationLatency with the stage's ApiName (or ApiId) and Stage dimensions. The platform makes them from the environment file's alarms section; an environment that opts out (alarms.enabled: false) suppresses this rule with the same reason. Not applicable to a stack without stages.",
  equivalents: {},
  references: ["AWS docs: CloudWatch Recommended alarms (Amazon API Gateway: 5XXError, Latency)", "AWS docs: Amazon API Gateway dimensions and metrics"],
  check: (stack) =>
    ["aws_api_gateway_stage", "aws_apigatewayv2_stage"].flatMap((type) =>
      stack.resources(type).flatMap((stage) => {
        const has = (metricNames: string[]) => alarmsWatching(stack, (m) => m.namespace === GATEWAY && metricNames.includes(m.metricName) && ofStage(stack, stage, m.dimensions)).length > 0;
        const missing = [has(SERVER_ERRORS) ? undefined : "5XX", has(LATENCY) ? undefined : "latency"].filter(Boolean);
        return missing.length ? [{ address: stage.address, detail: `no ${missing.join(" and no ")} alarm` }] : [];
      }),
    ),
};

export const functionErrorAlarm: Rule = {
  id: "APIGW-FUNCTION-ERROR-ALARM",
  severity: "error",
  message: "A Lambda function must have an alarm on its Errors",
  explanation:
    "A function that fails answers 502 through API Gateway and nothing else records why. Alarm on AWS/Lambda Errors with the function's FunctionName (alone or in a metric math alarm). Not applicable to a stack without functions.",
  equivalents: {},
  references: ["AWS docs: CloudWatch Recommended alarms (AWS Lambda: Errors, Throttles, Duration)"],
  check: (stack) =>
    stack
      .resources("aws_lambda_function")
      .filter((fn) => !alarmsWatching(stack, (m) => m.namespace === "AWS/Lambda" && m.metricName === "Errors" && names(m.dimensions.FunctionName, fn.body.function_name, fn, "function_name")).length)
      .map((fn) => ({ address: fn.address })),
};

export const deadLetterQueueAlarm: Rule = {
  id: "APIGW-DLQ-ALARM",
  severity: "error",
  message: "A dead-letter queue must have an alarm on its visible messages",
  explanation:
    "Messages land in a dead-letter queue after every delivery failed, and wait there silently until their retention ends. Alarm on AWS/SQS ApproximateNumberOfMessagesVisible > 0 with the dead-letter queue's QueueName. A queue is a dead-letter queue when another queue's redrive_policy names it. Not applicable to a stack without one.",
  equivalents: {},
  references: ["AWS docs: CloudWatch Recommended alarms (Amazon SQS: ApproximateNumberOfMessagesVisible on a dead-letter queue)"],
  check: (stack) => {
    const queues = stack.resources("aws_sqs_queue");
    const deadLetterQueues = queues.filter((dlq) => queues.some((q) => q !== dlq && typeof q.body.redrive_policy === "string" && refersTo(q.body.redrive_policy, dlq.address, "arn")));
    return deadLetterQueues
      .filter((dlq) => !alarmsWatching(stack, (m) => m.namespace === "AWS/SQS" && m.metricName === "ApproximateNumberOfMessagesVisible" && names(m.dimensions.QueueName, dlq.body.name, dlq, "name")).length)
      .map((dlq) => ({ address: dlq.address }));
  },
};

function hasActions(alarm: Block): boolean {
  return alarm.body.actions_enabled !== false && Array.isArray(alarm.body.alarm_actions) && alarm.body.alarm_actions.length > 0;
}

export const alarmAction: Rule = {
  id: "APIGW-ALARM-ACTION",
  severity: "error",
  message: "An alarm must notify someone: alarm actions of its own, or a composite alarm with actions that includes it",
  explanation:
    "An alarm without actions changes state on a console page nobody watches. Give it alarm_actions (an SNS topic with subscriptions), or make it a member of a composite alarm that has them (one page per failing API instead of one per symptom). Not applicable to a stack without alarms.",
  equivalents: {},
  references: ["AWS docs: Using Amazon CloudWatch alarms (alarm actions)", "AWS docs: Create a composite alarm (alarm rule syntax)"],
  check: (stack) => {
    const composites = stack.resources("aws_cloudwatch_composite_alarm");
    const heardComposites = composites.filter(hasActions);
    const viaComposite = (alarm: Block) =>
      heardComposites.some((c) => typeof c.body.alarm_rule === "string" && (refersTo(c.body.alarm_rule, alarm.address, "alarm_name") || refersTo(c.body.alarm_rule, alarm.address, "arn") || (typeof alarm.body.alarm_name === "string" && c.body.alarm_rule.includes(`"${alarm.body.alarm_name}"`))));
    return [
      ...stack.resources("aws_cloudwatch_metric_alarm").filter((alarm) => !hasActions(alarm) && !viaComposite(alarm)),
      ...composites.filter((c) => !hasActions(c)),
    ].map((alarm) => ({ address: alarm.address }));
  },
};
