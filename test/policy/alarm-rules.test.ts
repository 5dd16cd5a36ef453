import { alarmAction, deadLetterQueueAlarm, functionErrorAlarm, stageAlarms } from "../../policy/rules/alarms";
import type { StackView } from "../../policy/stack";
import type { Rule } from "../../policy/types";
import { ref, stack } from "./fixtures";

type Case = [name: string, fixture: StackView, violations: string[]];

function expectViolations(rule: Rule, fixture: StackView, expected: string[]) {
  expect(rule.check(fixture).map((v) => v.address)).toEqual(expected);
}

const TOPIC = ["arn:aws:sns:eu-west-1:111111111111:alarms"];
const alarm = (metric: string, dimensions: Record<string, string>, namespace = "AWS/ApiGateway", extra: Record<string, unknown> = {}) => ({ namespace, metric_name: metric, dimensions, alarm_actions: TOPIC, ...extra });

describe("APIGW-STAGE-ALARMS", () => {
  const STAGE = "aws_api_gateway_stage.s";
  const rest = { aws_api_gateway_rest_api: { api: { name: "public" } }, aws_api_gateway_stage: { s: { rest_api_id: ref("aws_api_gateway_rest_api.api", "id"), stage_name: "prod" } } };
  const restDims = { ApiName: "public", Stage: ref(STAGE, "stage_name") };
  const http = { aws_apigatewayv2_api: { h: { protocol_type: "HTTP" } }, aws_apigatewayv2_stage: { s: { api_id: ref("aws_apigatewayv2_api.h", "id"), name: "$default" } } };
  const httpDims = { ApiId: ref("aws_apigatewayv2_api.h", "id"), Stage: "$default" };
  test.each<Case>([
    ["a REST stage with 5XX and latency alarms", stack({ ...rest, aws_cloudwatch_metric_alarm: { e: alarm("5XXError", restDims), l: alarm("Latency", restDims) } }), []],
    ["an HTTP stage with 5xx and integration latency alarms", stack({ ...http, aws_cloudwatch_metric_alarm: { e: alarm("5xx", httpDims), l: alarm("IntegrationLatency", httpDims) } }), []],
    [
      "a WebSocket stage with a metric math error alarm",
      stack({
        ...http,
        aws_cloudwatch_metric_alarm: {
          e: { metric_query: [{ id: "e", expression: "x" }, { id: "x", metric: { namespace: "AWS/ApiGateway", metric_name: "ExecutionError", dimensions: httpDims, stat: "Sum" } }] },
          l: alarm("IntegrationLatency", httpDims),
        },
      }),
      [],
    ],
    ["a stack without stages (not applicable)", stack({ aws_cloudwatch_metric_alarm: { e: alarm("5XXError", restDims) } }), []],
    ["a REST stage without alarms", stack(rest), [STAGE]],
    ["a REST stage with a 5XX alarm only", stack({ ...rest, aws_cloudwatch_metric_alarm: { e: alarm("5XXError", restDims) } }), [STAGE]],
    ["alarms on another API's stage", stack({ ...rest, aws_cloudwatch_metric_alarm: { e: alarm("5XXError", { ...restDims, ApiName: "other" }), l: alarm("Latency", { ...restDims, ApiName: "other" }) } }), [STAGE]],
    ["alarms on the stage's canary only", stack({ ...rest, aws_cloudwatch_metric_alarm: { e: alarm("5XXError", { ...restDims, Stage: `${restDims.Stage}/Canary` }), l: alarm("Latency", { ...restDims, Stage: `${restDims.Stage}/Canary` }) } }), [STAGE]],
    ["an HTTP stage with a 4xx alarm instead of 5xx", stack({ ...http, aws_cloudwatch_metric_alarm: { e: alarm("4xx", httpDims), l: alarm("Latency", httpDims) } }), ["aws_apigatewayv2_stage.s"]],
  ])("%s", (_name, fixture, expected) => expectViolations(stageAlarms, fixture, expected));
});

describe("APIGW-FUNCTION-ERROR-ALARM", () => {
  const fn = { aws_lambda_function: { f: { function_name: "orders" } } };
  test.each<Case>([
    ["a function with an Errors alarm by reference", stack({ ...fn, aws_cloudwatch_metric_alarm: { a: alarm("Errors", { FunctionName: ref("aws_lambda_function.f", "function_name") }, "AWS/Lambda") } }), []],
    ["a function with an Errors alarm by name", stack({ ...fn, aws_cloudwatch_metric_alarm: { a: alarm("Errors", { FunctionName: "orders" }, "AWS/Lambda") } }), []],
    ["a stack without functions (not applicable)", stack({}), []],
    ["a function without alarms", stack(fn), ["aws_lambda_function.f"]],
    ["a function with a Throttles alarm only", stack({ ...fn, aws_cloudwatch_metric_alarm: { a: alarm("Throttles", { FunctionName: "orders" }, "AWS/Lambda") } }), ["aws_lambda_function.f"]],
    ["an Errors alarm of another function", stack({ ...fn, aws_cloudwatch_metric_alarm: { a: alarm("Errors", { FunctionName: "users" }, "AWS/Lambda") } }), ["aws_lambda_function.f"]],
  ])("%s", (_name, fixture, expected) => expectViolations(functionErrorAlarm, fixture, expected));
});

describe("APIGW-DLQ-ALARM", () => {
  const queues = {
    aws_sqs_queue: {
      dlq: { name: "orders-dlq" },
      q: { name: "orders", redrive_policy: JSON.stringify({ deadLetterTargetArn: ref("aws_sqs_queue.dlq", "arn"), maxReceiveCount: 5 }) },
    },
  };
  test.each<Case>([
    ["a dead-letter queue with a depth alarm", stack({ ...queues, aws_cloudwatch_metric_alarm: { a: alarm("ApproximateNumberOfMessagesVisible", { QueueName: "orders-dlq" }, "AWS/SQS") } }), []],
    ["a queue without a dead-letter queue (not applicable)", stack({ aws_sqs_queue: { q: { name: "orders" } } }), []],
    ["a dead-letter queue without alarms", stack(queues), ["aws_sqs_queue.dlq"]],
    ["a depth alarm on the source queue only", stack({ ...queues, aws_cloudwatch_metric_alarm: { a: alarm("ApproximateNumberOfMessagesVisible", { QueueName: "orders" }, "AWS/SQS") } }), ["aws_sqs_queue.dlq"]],
    ["an age alarm on the dead-letter queue", stack({ ...queues, aws_cloudwatch_metric_alarm: { a: alarm("ApproximateAgeOfOldestMessage", { QueueName: "orders-dlq" }, "AWS/SQS") } }), ["aws_sqs_queue.dlq"]],
  ])("%s", (_name, fixture, expected) => expectViolations(deadLetterQueueAlarm, fixture, expected));
});

describe("APIGW-ALARM-ACTION", () => {
  const member = { namespace: "N", metric_name: "M", alarm_name: "member" };
  const composite = (extra: Record<string, unknown>) => ({ aws_cloudwatch_composite_alarm: { c: { alarm_name: "api", alarm_rule: `ALARM("${ref("aws_cloudwatch_metric_alarm.a", "alarm_name")}")`, ...extra } } });
  test.each<Case>([
    ["an alarm with actions", stack({ aws_cloudwatch_metric_alarm: { a: { ...member, alarm_actions: TOPIC } } }), []],
    ["an alarm heard through a composite alarm with actions", stack({ aws_cloudwatch_metric_alarm: { a: member }, ...composite({ alarm_actions: TOPIC }) }), []],
    ["an alarm named literally in a composite alarm with actions", stack({ aws_cloudwatch_metric_alarm: { a: member }, aws_cloudwatch_composite_alarm: { c: { alarm_name: "api", alarm_rule: 'ALARM("member")', alarm_actions: TOPIC } } }), []],
    ["a stack without alarms (not applicable)", stack({}), []],
    ["an alarm without actions", stack({ aws_cloudwatch_metric_alarm: { a: member } }), ["aws_cloudwatch_metric_alarm.a"]],
    ["an alarm with its actions disabled", stack({ aws_cloudwatch_metric_alarm: { a: { ...member, alarm_actions: TOPIC, actions_enabled: false } } }), ["aws_cloudwatch_metric_alarm.a"]],
    ["an alarm in a composite alarm without actions", stack({ aws_cloudwatch_metric_alarm: { a: member }, ...composite({}) }), ["aws_cloudwatch_metric_alarm.a", "aws_cloudwatch_composite_alarm.c"]],
  ])("%s", (_name, fixture, expected) => expectViolations(alarmAction, fixture, expected));
});
