import { execFileSync } from "child_process";
import { canarySteps, formatSteps } from "../../stacks/canary-steps";
import { environmentConfig } from "../fixtures/environment";

const withCanary = environmentConfig({ publicApi: { stageName: "live", stageVariables: { legacyHost: "legacy.example.com" }, canary: { percent: 10, stageVariableOverrides: { legacyHost: "next.example.com" } } } });

describe("canarySteps", () => {
  test("promote: reads the API id, checks the canary's alarms, copies the overrides, removes the canary, then the file and a plan", () => {
    expect(formatSteps(canarySteps("promote", "prod", "public-api", withCanary, "config/environments/prod.yaml")).split("\n")).toEqual([
      "1. Read the public-api id from the stack's state",
      "   API_ID=$(terraform -chdir=cdktf.out/stacks/prod output -raw public_api_id)",
      "2. Check that the canary's alarms are OK before promoting",
      "   aws cloudwatch describe-alarms --alarm-names apigw-prod-public-api-canary-5xx apigw-prod-public-api-canary-latency-p99 --query 'MetricAlarms[].[AlarmName,StateValue]' --output text",
      "3. Give stage live the canary's stage variables and remove the canary",
      '   aws apigateway update-stage --rest-api-id "$API_ID" --stage-name live --patch-operations op=replace,path=/variables/legacyHost,value=next.example.com op=remove,path=/canarySettings',
      "4. Edit config/environments/prod.yaml",
      "   set publicApi.stageVariables.legacyHost: next.example.com",
      "   delete publicApi.canary",
      "5. Synthesize and plan prod: the plan must show no change to the stage",
      "   npx cdktf plan prod",
    ]);
  });

  test("rollback: removes the canary in AWS, then from the file", () => {
    const steps = canarySteps("rollback", "prod", "public-api", withCanary, "config/environments/prod.yaml");
    expect(steps.map((s) => s.argv?.join(" ") ?? s.edit)).toEqual([
      "terraform -chdir=cdktf.out/stacks/prod output -raw public_api_id",
      "aws apigateway update-stage --rest-api-id $API_ID --stage-name live --patch-operations op=remove,path=/canarySettings",
      "delete publicApi.canary",
      "npx cdktf plan prod",
    ]);
  });

  test("fails if the API has no canary", () => {
    expect(() => canarySteps("promote", "dev", "private-api", withCanary, "dev.yaml")).toThrow("dev.yaml: privateApi has no canary to promote");
  });
});

describe("npm run canary", () => {
  const run = (args: string[]) => {
    try {
      return { code: 0, out: execFileSync("node", ["scripts/run.js", "scripts/canary.ts", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
    } catch (error) {
      const e = error as { status: number; stderr: string };
      return { code: e.status, out: e.stderr };
    }
  };

  test("prints the shipped prod canary's promotion", () => {
    const { code, out } = run(["promote", "prod", "public-api"]);
    expect(code).toBe(0);
    expect(out).toContain("op=replace,path=/variables/legacyHost,value=legacy-next.prod.internal.example.com op=remove,path=/canarySettings");
  });

  test("fails with its usage if the action is unknown", () => {
    expect(run(["deploy", "prod", "public-api"])).toEqual({ code: 2, out: expect.stringContaining("usage: npm run canary -- promote|rollback <stack> <public-api|private-api>") });
  });
});
