import { EventArchive } from "../../modules/event-archive";
import { resourcesOf, synthConstruct } from "../fixtures/environment";
import { evaluate } from "../fixtures/iam-evaluate";

// Firehose names the account of the delivery stream as sts:ExternalId: the role admits that account's streams only.
describe("EventArchive trust", () => {
  const synthesized = synthConstruct((scope) => {
    new EventArchive(scope, "archive", { name: "apigw-dev-events", stream: { arn: "arn:aws:kinesis:eu-west-1:111111111111:stream/apigw-dev-events", name: "apigw-dev-events", region: "eu-west-1" }, bucketName: "acme-dev-events", logRetentionDays: 30 });
  });
  const [role] = Object.values<any>(resourcesOf(synthesized, "aws_iam_role"));
  const assume = (context: Record<string, string>) => evaluate(role.assume_role_policy, { principal: { Service: "firehose.amazonaws.com" }, action: "sts:AssumeRole", context });

  test.each<[string, Record<string, string>, string]>([
    ["a delivery stream of the account", { "sts:ExternalId": "111111111111" }, "Allow"],
    ["a delivery stream of another account", { "sts:ExternalId": "999999999999" }, "ImplicitDeny"],
    ["a request without the external id", {}, "ImplicitDeny"],
  ])("%s: %s", (_name, context, decision) => {
    expect(assume(context)).toBe(decision);
  });
});
