import { coversAction, statementsOf } from "../policy-document";
import { restDefinition } from "../rest-routes";
import { Block, blocks, StackView } from "../stack";
import type { Rule } from "../types";
import { isPrivate, restApiOf } from "./rest-api";
import { isWebSocketStage } from "./websocket";

const REST_STAGES = "aws_api_gateway_stage";
const HTTP_STAGES = "aws_apigatewayv2_stage";

/** The aws_api_gateway_method_settings of a REST stage: same API, and the stage name by reference or value. */
export function methodSettingsOf(stack: StackView, stage: Block): Block[] {
  return stack
    .resources("aws_api_gateway_method_settings")
    .filter(
      (m) =>
        (stack.identifies(m.body.stage_name, stage, "stage_name") || stack.identifies(m.body.stage_name, stage, "id")) && m.body.rest_api_id === stage.body.rest_api_id,
    );
}

/** The settings block of a method settings resource. */
/** A method settings' settings, with "true" and "false" read as Terraform reads them, as booleans. */
export const settingsOf = (m: Block): Record<string, any> =>
  Object.fromEntries(Object.entries(blocks(m.body.settings)[0] ?? {}).map(([key, value]) => [key, value === "true" ? true : value === "false" ? false : value]));

/** The settings for all methods (method_path "*\/*") of a REST stage. */
export function stageSettings(stack: StackView, stage: Block): Record<string, any> | undefined {
  const all = methodSettingsOf(stack, stage).find((m) => m.body.method_path === "*/*");
  return all ? settingsOf(all) : undefined;
}

function hasAccessLogs(stack: StackView, stage: Block): boolean {
  const destination = blocks(stage.body.access_log_settings)[0]?.destination_arn;
  if (typeof destination !== "string" || destination === "") return false;
  const target = stack.referenced(destination);
  return target === undefined || ["aws_cloudwatch_log_group", "aws_kinesis_firehose_delivery_stream"].includes(target.type);
}

export const stageAccessLogging: Rule = {
  id: "APIGW-STAGE-ACCESS-LOGS",
  severity: "error",
  message: "A stage (REST, HTTP or WebSocket) must write access logs to a log group",
  explanation:
    "Access logs are the only per-request record of who called what and with which result. Set access_log_settings with a destination_arn of a CloudWatch log group (or Firehose stream) and a format.",
  equivalents: { checkov: ["CKV_AWS_76", "CKV_AWS_95"], securityHub: ["APIGateway.9"], trivy: ["AVD-AWS-0001"] },
  references: [],
  check: (stack) =>
    [...stack.resources(REST_STAGES), ...stack.resources(HTTP_STAGES)]
      .filter((stage) => !hasAccessLogs(stack, stage))
      .map((stage) => ({ address: stage.address })),
};

export const restStageTracing: Rule = {
  id: "APIGW-STAGE-XRAY",
  severity: "warning",
  message: "A REST stage should have X-Ray tracing enabled",
  explanation: "Tracing shows where a slow or failing request spent its time across API Gateway and its backends. Set xray_tracing_enabled.",
  equivalents: { checkov: ["CKV_AWS_73"], securityHub: ["APIGateway.3"], trivy: ["AVD-AWS-0003"] },
  references: [],
  check: (stack) =>
    stack
      .resources(REST_STAGES)
      .filter((stage) => stage.body.xray_tracing_enabled !== true)
      .map((stage) => ({ address: stage.address })),
};

const LOGGING_LEVELS = ["INFO", "ERROR"];

/** What keeps a WebSocket stage's routes from logging executions and metrics; HTTP stages have no execution logs. */
function websocketLoggingProblems(stage: Block): string[] {
  const defaults = blocks(stage.body.default_route_settings)[0] ?? {};
  return [
    ...(LOGGING_LEVELS.includes(defaults.logging_level) ? [] : [`default_route_settings.logging_level is ${defaults.logging_level ?? "unset"}`]),
    ...(defaults.detailed_metrics_enabled === true ? [] : ["default_route_settings.detailed_metrics_enabled is not true"]),
    // A route's settings replace the defaults, so each must name its level (Security Hub APIGateway.1).
    ...blocks(stage.body.route_settings)
      .filter((r) => !LOGGING_LEVELS.includes(r.logging_level))
      .map((r) => `route_settings ${r.route_key} logging_level is ${r.logging_level ?? "unset"}`),
  ];
}

export const restStageExecutionLogging: Rule = {
  id: "APIGW-STAGE-EXECUTION-LOGS",
  severity: "error",
  message: "A REST or WebSocket stage must set an execution logging level (INFO or ERROR) and metrics for all methods or routes",
  explanation:
    "Execution logs and CloudWatch metrics are how integration failures, authorizer errors and throttling become visible. REST: add aws_api_gateway_method_settings for method_path \"*/*\" with logging_level INFO or ERROR and metrics_enabled. WebSocket: set default_route_settings logging_level INFO or ERROR and detailed_metrics_enabled, and a logging_level in every route_settings.",
  equivalents: { checkov: ["CKV2_AWS_4"], securityHub: ["APIGateway.1"] },
  references: [],
  check: (stack) => [
    ...stack.resources(REST_STAGES).flatMap((stage) => {
      const settings = stageSettings(stack, stage);
      if (!settings) return [{ address: stage.address, detail: 'no "*/*" method settings' }];
      const problems = [
        ...(LOGGING_LEVELS.includes(settings.logging_level) ? [] : [`logging_level is ${settings.logging_level ?? "unset"}`]),
        ...(settings.metrics_enabled === true ? [] : ["metrics_enabled is not true"]),
      ];
      return problems.length ? [{ address: stage.address, detail: problems.join(", ") }] : [];
    }),
    ...stack
      .resources(HTTP_STAGES)
      .filter((stage) => isWebSocketStage(stack, stage))
      .flatMap((stage) => {
        const problems = websocketLoggingProblems(stage);
        return problems.length ? [{ address: stage.address, detail: problems.join(", ") }] : [];
      }),
  ],
};

export const restStageNoDataTrace: Rule = {
  id: "APIGW-STAGE-NO-DATA-TRACE",
  severity: "error",
  message: "REST method settings and WebSocket route settings must not log full request and response data",
  explanation:
    "data_trace_enabled writes whole request and response bodies (messages, for WebSocket APIs), with their tokens, keys and personal data, into CloudWatch Logs. AWS advises against it in production; keep it false.",
  references: ["AWS docs: Set up CloudWatch logging for REST APIs (data tracing)"],
  check: (stack) => [
    ...stack
      .resources("aws_api_gateway_method_settings")
      .filter((m) => blocks(m.body.settings).some((s) => s.data_trace_enabled === true))
      .map((m) => ({ address: m.address })),
    ...stack
      .resources(HTTP_STAGES)
      .filter((stage) => [...blocks(stage.body.default_route_settings), ...blocks(stage.body.route_settings)].some((s) => s.data_trace_enabled === true))
      .map((stage) => ({ address: stage.address })),
  ],
};

export const restStageCacheEncrypted: Rule = {
  id: "APIGW-STAGE-CACHE-ENCRYPTED",
  severity: "error",
  message: "REST method settings that enable caching must encrypt the cached data",
  explanation:
    "Cached responses are stored at rest by API Gateway. Every aws_api_gateway_method_settings with caching_enabled, the stage's \"*/*\" and each per-method override alike, must set cache_data_encrypted: an override replaces the stage's settings for its method, so an override that caches without it stores that method's responses unencrypted. Settings that do not cache need no encryption (a stage whose cache cluster serves only encrypted overrides is compliant).",
  equivalents: { checkov: ["CKV_AWS_308"], securityHub: ["APIGateway.5"], trivy: ["AVD-AWS-0002"] },
  references: ["AWS docs: Cache settings for REST APIs in API Gateway (encrypt cache data)"],
  check: (stack) =>
    stack
      .resources("aws_api_gateway_method_settings")
      .filter((m) => settingsOf(m).caching_enabled === true && settingsOf(m).cache_data_encrypted !== true)
      .map((m) => ({ address: m.address, detail: `${m.body.method_path} caches without cache_data_encrypted` })),
};

/** Strategies that let an unauthorized Cache-Control: max-age=0 through (the cache is invalidated or bypassed). */

export const restCacheInvalidationAuthorized: Rule = {
  id: "APIGW-CACHE-INVALIDATION-AUTH",
  severity: "error",
  message: "REST method settings that enable caching must require authorization to invalidate the cache",
  explanation:
    "Any client can send Cache-Control: max-age=0 to bypass and refresh a cached entry; unless require_authorization_for_cache_control is true, every such request goes to the backend (a cheap way to defeat the cache and flood the integration). With it, an unauthorized request's header is ignored whatever unauthorized_cache_control_header_strategy says: FAIL_WITH_403 (the provider's default) refuses the request, the SUCCEED_* strategies serve it from the cache, with or without a warning header; none of them reaches the backend. What authorizes an invalidation is execute-api:InvalidateCache, so no resource policy may allow it (or execute-api:*) to Principal `*`. Checked on every caching method settings, the \"*/*\" and each override.",
  references: ["AWS docs: Invalidate an API Gateway cache entry (require authorization, handle unauthorized requests)", "Terraform AWS provider docs: aws_api_gateway_method_settings"],
  check: (stack) => [
    ...stack
      .resources("aws_api_gateway_method_settings")
      .filter((m) => settingsOf(m).caching_enabled === true)
      .flatMap((m) => {
        const s = settingsOf(m);
        return s.require_authorization_for_cache_control === true ? [] : [{ address: m.address, detail: `${m.body.method_path}: require_authorization_for_cache_control is not true` }];
      }),
    // "Authorization" is execute-api:InvalidateCache: a resource policy that allows it to everyone
    // (execute-api:* does) authorizes every caller's invalidation.
    ...stack.resources("aws_api_gateway_rest_api").flatMap((api) =>
      restDefinition(stack, api).policies.flatMap((policy) =>
        (statementsOf(stack, policy.value) ?? []).some((s) => s.effect === "Allow" && s.principals.includes("*") && coversAction(s, "execute-api:InvalidateCache"))
          ? [{ address: policy.address, detail: `${policy.pointer ? `${policy.pointer}: ` : ""}allows execute-api:InvalidateCache to everyone` }]
          : [],
      ),
    ),
  ],
};

export const publicStageWaf: Rule = {
  id: "APIGW-STAGE-WAF",
  severity: "warning",
  message: "A public REST stage should be associated with a WAF web ACL",
  explanation:
    "A web ACL filters injection attempts, known bad inputs and floods before they reach the API. Associate a regional WAFv2 web ACL (aws_wafv2_web_acl_association) with each EDGE or REGIONAL stage; PRIVATE APIs are exempt.",
  equivalents: { checkov: ["CKV2_AWS_29"], securityHub: ["APIGateway.4"] },
  references: [],
  check: (stack) =>
    stack
      .resources(REST_STAGES)
      .filter((stage) => {
        const api = restApiOf(stack, stage);
        return api !== undefined && !isPrivate(api);
      })
      .filter((stage) => !stack.resources("aws_wafv2_web_acl_association").some((a) => stack.identifies(a.body.resource_arn, stage, "arn")))
      .map((stage) => ({ address: stage.address })),
};

export const stageThrottling: Rule = {
  id: "APIGW-STAGE-THROTTLING",
  severity: "error",
  message: "A stage (REST, HTTP or WebSocket) must throttle requests with a rate and burst above 0",
  explanation:
    "Without stage throttling one caller can consume the account's regional request quota for every API; a limit of 0 refuses every request. Set throttling_rate_limit and throttling_burst_limit (REST: \"*/*\" method settings; HTTP and WebSocket: default_route_settings, where a WebSocket API's limits count messages and connection attempts).",
  references: ["AWS docs: Throttle requests to your REST APIs", "AWS Well-Architected REL05-BP02"],
  check: (stack) => {
    const positive = (settings: Record<string, any> | undefined) => settings !== undefined && settings.throttling_rate_limit > 0 && settings.throttling_burst_limit > 0;
    return [
      ...stack.resources(REST_STAGES).filter((stage) => !positive(stageSettings(stack, stage))),
      ...stack.resources(HTTP_STAGES).filter((stage) => !positive(blocks(stage.body.default_route_settings)[0])),
    ].map((stage) => ({ address: stage.address }));
  },
};
