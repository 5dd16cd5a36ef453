import { restDefinition } from "../rest-routes";
import { blocks, referencesIn } from "../stack";
import type { Rule } from "../types";
import { restApiOf } from "./rest-api";

const positive = (value: unknown) => typeof value === "number" && value > 0;

export const usagePlanLimits: Rule = {
  id: "APIGW-USAGE-PLAN-LIMITS",
  severity: "error",
  message: "A usage plan must throttle its keys (throttle_settings with rate_limit and burst_limit above 0) and cap their volume (quota_settings with a limit above 0)",
  explanation:
    "A usage plan is what limits one API key's clients. Without throttle_settings a single key can spend the whole stage's (and account's) request rate, starving every other client; a quota without a throttle still lets a key burst, and a throttle without a quota lets a leaked or runaway key run at its full rate all month, every request billed and passed to the backend. Set throttle_settings with rate_limit and burst_limit above 0 (a per-path throttle in api_stages replaces it for that method, so it too needs rate_limit and burst_limit above 0), and quota_settings with a limit above 0 per day, week or month. HTTP and WebSocket APIs have no usage plans: not applicable.",
  equivalents: {},
  references: ["AWS docs: Usage plans and API keys for REST APIs (throttling and quota limits)", "Terraform AWS provider docs: aws_api_gateway_usage_plan"],
  check: (stack) =>
    stack.resources("aws_api_gateway_usage_plan").flatMap((plan) => {
      const throttle = blocks(plan.body.throttle_settings)[0];
      const quota = blocks(plan.body.quota_settings)[0];
      const problems = [
        ...(throttle && positive(throttle.rate_limit) && positive(throttle.burst_limit) ? [] : ["no throttle_settings with rate_limit and burst_limit above 0"]),
        ...(!quota ? ["no quota_settings"] : positive(quota.limit) ? [] : [`quota_settings.limit is ${quota.limit ?? "unset"}`]),
        // A per-method throttle replaces the plan's for that method: -1 lifts it.
        ...blocks(plan.body.api_stages)
          .flatMap((stage) => blocks(stage.throttle))
          .filter((t) => !positive(t.rate_limit) || !positive(t.burst_limit))
          .map((t) => `api_stages throttle of ${String(t.path)} has rate_limit ${String(t.rate_limit ?? "unset")} and burst_limit ${String(t.burst_limit ?? "unset")}`),
      ];
      return problems.length ? [{ address: plan.address, detail: problems.join(", ") }] : [];
    }),
};

export const keyRequiredStageInUsagePlan: Rule = {
  id: "APIGW-KEY-STAGE-USAGE-PLAN",
  severity: "error",
  message: "A REST stage whose API requires an API key on some method must be in a usage plan",
  explanation:
    "API Gateway accepts a key only for the stages of the usage plans the key is in: a stage serving key-required methods in no plan refuses every request with 403, or (once someone adds it to a plan in the console to fix that) runs with limits nobody reviewed. List the stage in an aws_api_gateway_usage_plan's api_stages, by reference to the API and the stage. A stack without any usage plan is not applicable (its plans and keys live in another stack, or a plan is shared by several APIs), and neither are HTTP and WebSocket APIs, which have no API keys.",
  equivalents: {},
  references: ["AWS docs: Usage plans and API keys for REST APIs (associate a stage with a usage plan)"],
  check: (stack) => {
    const plans = stack.resources("aws_api_gateway_usage_plan");
    // A stack with no usage plan leaves keys and plans to another stack (or a plan shared by several APIs): not applicable.
    if (plans.length === 0) return [];
    const planned = plans.flatMap((p) => blocks(p.body.api_stages));
    return stack.resources("aws_api_gateway_stage").flatMap((stage) => {
      const api = restApiOf(stack, stage);
      if (!api || !restDefinition(stack, api).routes.some((r) => r.apiKeyRequired)) return [];
      // The API named directly, or through another block's rest_api_id (the stage's, a put's) that names it.
      const namesApi = (value: unknown) => {
        const other = referencesIn(value).find((r) => r.attribute === "rest_api_id");
        const block = other && stack.block(other.address);
        return stack.identifies(value, api, "id") || (block !== undefined && stack.identifies(block.body.rest_api_id, api, "id"));
      };
      const inPlan = planned.some((s) => namesApi(s.api_id) && (stack.identifies(s.stage, stage, "stage_name") || stack.identifies(s.stage, stage, "id")));
      return inPlan ? [] : [{ address: stage.address, detail: `${api.address} requires API keys, but the stage is in no usage plan` }];
    });
  },
};
