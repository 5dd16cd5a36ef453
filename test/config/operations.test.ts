import { parseEnvironment } from "../../config/loader";
import { environmentYaml } from "../fixtures/environment";

function parsed(overrides: Record<string, unknown>) {
  const result = parseEnvironment(environmentYaml(overrides));
  if ("problems" in result) throw new Error(result.problems.join("\n"));
  return result.config;
}

function problemsOf(overrides: Record<string, unknown>): string[] {
  const result = parseEnvironment(environmentYaml(overrides));
  if (!("problems" in result)) throw new Error("expected the file to be refused");
  return result.problems;
}

describe("parseEnvironment (operations)", () => {
  test("default: alarms on with AWS's recommended thresholds, tracing on, INFO logs", () => {
    const config = parsed({});
    expect(config.alarms).toEqual({
      enabled: true,
      subscriptions: [],
      apis: { serverErrorRate: 0.05, clientErrorRate: 0.05, latencyP99Ms: 2500, integrationLatencyP99Ms: 2000, throttledRequests: 10, websocketConnectErrors: 10 },
      functions: { errors: 1, throttles: 1, durationPercentOfTimeout: 80 },
      queues: { oldestMessageAgeSeconds: 300 },
      streams: { iteratorAgeMs: 60000, writeThrottles: 1 },
      tables: { throttles: 1, systemErrors: 1 },
      certificateDaysToExpiry: 45,
    });
    expect(config.tracing).toEqual({ restStages: true, functions: true });
    expect(config.logging).toMatchObject({ applicationLogLevel: "INFO", systemLogLevel: "INFO" });
  });

  test.each<[string, Record<string, unknown>, (config: ReturnType<typeof parsed>) => unknown, unknown]>([
    ["an opt-out with a reason", { alarms: { enabled: false, reason: "a sandbox torn down every night" } }, (c) => [c.alarms.enabled, c.alarms.reason], [false, "a sandbox torn down every night"]],
    ["one threshold, the others default", { alarms: { apis: { latencyP99Ms: 1000 } } }, (c) => [c.alarms.apis.latencyP99Ms, c.alarms.apis.serverErrorRate], [1000, 0.05]],
    ["the three kinds of subscription", { alarms: { subscriptions: [{ email: "a@example.com" }, { https: "https://hooks.example.com/x" }, { topicArn: "arn:aws:sns:eu-west-1:111111111111:pager" }] } }, (c) => c.alarms.subscriptions.length, 3],
    ["a canary with overrides", { publicApi: { stageVariables: { legacyHost: "legacy.example.com" }, canary: { percent: 5, stageVariableOverrides: { legacyHost: "next.example.com" } } } }, (c) => c.publicApi.canary, { percent: 5, stageVariableOverrides: { legacyHost: "next.example.com" }, useStageCache: false }],
    ["tracing of functions off", { tracing: { functions: false } }, (c) => c.tracing, { restStages: true, functions: false }],
  ])("accepts %s", (_name, overrides, read, expected) => {
    expect(read(parsed(overrides))).toEqual(expected);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ["an opt-out without a reason", { alarms: { enabled: false } }, /^alarms\.reason: missing; is required with enabled: false/],
    ["a reason while alarms are on", { alarms: { reason: "because we want them" } }, /^alarms\.reason: got "because we want them"; is only for enabled: false/],
    ["a too short reason", { alarms: { enabled: false, reason: "no" } }, /^alarms\.reason: got "no"; Too small/],
    ["an error rate given in percent", { alarms: { apis: { serverErrorRate: 5 } } }, /^alarms\.apis\.serverErrorRate: got 5; Too big/],
    ["a malformed email", { alarms: { subscriptions: [{ email: "oncall" }] } }, /^alarms\.subscriptions\[0\]/],
    ["an http:// subscription", { alarms: { subscriptions: [{ https: "http://hooks.example.com" }] } }, /^alarms\.subscriptions\[0\]/],
    ["an unknown alarm key", { alarms: { cpu: 90 } }, /^alarms\.cpu: unknown key/],
    ["a duration above the timeout", { alarms: { functions: { durationPercentOfTimeout: 120 } } }, /^alarms\.functions\.durationPercentOfTimeout: got 120; Too big/],
    ["a canary of 100 percent", { publicApi: { canary: { percent: 100 } } }, /^publicApi\.canary\.percent: got 100; Too big/],
    ["a canary of 0 percent", { privateApi: { objectReader: { bucketName: "acme-files" }, canary: { percent: 0 } } }, /^privateApi\.canary\.percent: got 0; Too small/],
    ["a canary override of a variable the stage does not have", { publicApi: { canary: { percent: 10, stageVariableOverrides: { release: "next" } } } }, /^publicApi\.canary\.stageVariableOverrides\.release: got "next"; overrides a variable the stage does not have \(it has none\), so the canary would run what the stage runs/],
    ["a canary override on the private API, which has no stage variables", { privateApi: { objectReader: { bucketName: "acme-files" }, canary: { percent: 10, stageVariableOverrides: { legacyHost: "x.example.com" } } } }, /^privateApi\.canary\.stageVariableOverrides\.legacyHost: .*it has none/],
    ["a canary override API Gateway refuses", { publicApi: { canary: { percent: 10, stageVariableOverrides: { "legacy-host": "x" } } } }, /^publicApi\.canary\.stageVariableOverrides\.legacy-host: .*is a name API Gateway refuses/],
    ["an unknown application log level", { logging: { retentionDays: 30, applicationLogLevel: "VERBOSE" } }, /^logging\.applicationLogLevel: got "VERBOSE"/],
    ["a system log level Lambda does not have", { logging: { retentionDays: 30, systemLogLevel: "ERROR" } }, /^logging\.systemLogLevel: got "ERROR"/],
  ])("fails if the file has %s", (_name, overrides, expected) => {
    expect(problemsOf(overrides)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
});
