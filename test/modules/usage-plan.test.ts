import { RestApi, RestIntegration } from "../../modules/rest-api";
import { UsagePlan, UsagePlanProps } from "../../modules/usage-plan";
import { nameOf, resourcesOf, synthConstruct, testStack } from "../fixtures/environment";
import { fixtureFunction } from "../fixtures/lambda";
import { Construct } from "constructs";
import { TerraformVariable } from "cdktf";

function publicApi(scope: Construct): RestApi {
  return new RestApi(scope, "api", {
    name: "public",
    endpointType: "EDGE",
    routes: [{ path: "/hello", method: "GET", integration: RestIntegration.lambda(fixtureFunction("hello")), apiKeyRequired: true }],
    stage: { stageName: "prod", logRetentionDays: 30, throttling: { rateLimit: 10, burstLimit: 20 } },
  });
}

function synthPlan(props: Partial<Omit<UsagePlanProps, "api">> = {}): Record<string, any> {
  return synthConstruct((scope) => new UsagePlan(scope, "plan", { api: publicApi(scope), throttling: { rateLimit: 1000, burstLimit: 2000 }, quota: { limit: 10000, period: "MONTH" }, apiKeyNames: ["partner-a"], ...props }));
}

describe("UsagePlan", () => {
  test("default", () => {
    const synthesized = synthPlan();
    const plan = nameOf(synthesized, "aws_api_gateway_usage_plan");
    expect(resourcesOf(synthesized, "aws_api_gateway_usage_plan")[plan]).toMatchObject({
      name: "public",
      api_stages: [{ api_id: `\${aws_api_gateway_rest_api.${nameOf(synthesized, "aws_api_gateway_rest_api")}.id}`, stage: `\${aws_api_gateway_stage.${nameOf(synthesized, "aws_api_gateway_stage")}.stage_name}` }],
      throttle_settings: { rate_limit: 1000, burst_limit: 2000 },
      quota_settings: { limit: 10000, period: "MONTH" },
    });
    const key = nameOf(synthesized, "aws_api_gateway_api_key");
    expect(Object.values(resourcesOf(synthesized, "aws_api_gateway_usage_plan_key"))).toEqual([
      expect.objectContaining({ key_id: `\${aws_api_gateway_api_key.${key}.id}`, key_type: "API_KEY", usage_plan_id: `\${aws_api_gateway_usage_plan.${plan}.id}` }),
    ]);
  });

  test("never writes a key value into the configuration", () => {
    const synthesized = synthPlan({ apiKeyNames: ["partner-a", "partner-b"] });
    const keys = Object.values(resourcesOf(synthesized, "aws_api_gateway_api_key"));
    expect(keys.map((k) => k.name)).toEqual(["public-partner-a", "public-partner-b"]);
    for (const key of keys) expect(key).not.toHaveProperty("value");
  });

  test("accepts unresolved throttling values", () => {
    const stack = testStack();
    const rate = new TerraformVariable(stack, "rate", { type: "number" });
    expect(() => new UsagePlan(stack, "plan", { api: publicApi(stack), throttling: { rateLimit: rate.numberValue, burstLimit: rate.numberValue }, quota: { limit: rate.numberValue, period: "DAY" }, apiKeyNames: ["k"] })).not.toThrow();
  });

  test.each<[string, Partial<UsagePlanProps>, string]>([
    ["there is no key", { apiKeyNames: [] }, "test/plan: apiKeyNames is empty; a plan without keys lets no caller in"],
    ["a key is listed twice", { apiKeyNames: ["a", "a"] }, 'test/plan: apiKeyNames lists "a" twice'],
    ["the rate is 0", { throttling: { rateLimit: 0, burstLimit: 10 } }, "test/plan: throttling is rate 0, burst 10; expected rate > 0 and an integer burst >= rate"],
    ["the burst is below the rate", { throttling: { rateLimit: 10, burstLimit: 5 } }, "test/plan: throttling is rate 10, burst 5"],
  ])("fails if %s", (_name, props, message) => {
    const stack = testStack();
    expect(() => new UsagePlan(stack, "plan", { api: publicApi(stack), throttling: { rateLimit: 1, burstLimit: 1 }, quota: { limit: 1, period: "DAY" }, apiKeyNames: ["k"], ...props } as UsagePlanProps)).toThrow(message);
  });
});
