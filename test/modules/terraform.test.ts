import { TerraformOutput } from "cdktf";
// cdktf's tokenizer, to count the long strings it scans: that scan is what made big documents slow.
import { TokenString } from "cdktf/lib/tokens/private/encoding";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { RestApi, RestIntegration } from "../../modules/rest-api";
import { linearlyResolved } from "../../modules/shared/terraform";
import { synthConstruct } from "../fixtures/environment";
import { fixtureFunction } from "../fixtures/lambda";

describe("linearlyResolved", () => {
  test("default", () => {
    const synthesized = synthConstruct((scope) => {
      const group = new CloudwatchLogGroup(scope, "logs", { name: "/x" });
      // A JSON text with references, braces and a Terraform escape, as a document has them.
      const text = JSON.stringify({ arn: group.arn, nested: { name: `${group.name}/*`, literal: "$${not a reference}" }, list: [group.id] });
      new TerraformOutput(scope, "plain", { value: text });
      new TerraformOutput(scope, "linear", { value: linearlyResolved(text) });
    });
    expect(synthesized.output.linear.value).toBe(synthesized.output.plain.value);
    expect(JSON.parse(synthesized.output.linear.value).arn).toBe("${aws_cloudwatch_log_group.logs.arn}");
  });

  test("leaves a text without tokens as it is", () => {
    expect(linearlyResolved('{"a":"b"}')).toBe('{"a":"b"}');
  });
});

describe("RestApi", () => {
  test("fails if its OpenAPI document is scanned by cdktf's tokenizer (quadratic in the document's length)", () => {
    const split = jest.spyOn(TokenString.prototype, "split");
    // Five functions: one function is allowed at most MAX_ROUTE_PERMISSIONS routes.
    const functions = Array.from({ length: 5 }, (_, i) => fixtureFunction(`reader${i}`));
    synthConstruct((scope) => {
      new RestApi(scope, "api", {
        name: "big",
        // A private API's document holds its resource policy, with a reference to the API.
        vpcEndpoints: [{ endpointId: "vpce-0123456789abcdef0" }],
        routes: Array.from({ length: 100 }, (_, i) => ({ path: `/r${i}`, method: "GET" as const, integration: RestIntegration.lambda(functions[i % 5]) })),
        stage: { stageName: "dev", logRetentionDays: 30, throttling: { rateLimit: 100, burstLimit: 200 } },
      });
    });
    const scanned = split.mock.contexts.map((context) => (context as unknown as { str: string }).str.length);
    split.mockRestore();
    expect(Math.max(0, ...scanned)).toBeLessThan(10_000);
  });
});
