/**
 * APIGW-SERVICE-TRUST-SOURCE and APIGW-INTEGRATION-TARGET-WRITERS read conditions structurally.
 * Here their verdicts are checked against an IAM policy simulator (@cloud-copilot/iam-simulate;
 * AGPL-3.0, so in tests only, as in private-policy-simulation.test.ts): a rule must flag exactly
 * the policies that let an outsider in.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { integrationTargetWriters } from "../../policy/rules/integration-target-writers";
import { serviceTrustSource } from "../../policy/rules/service-trust";
import { ref, stack } from "./fixtures";

const ACCOUNT = "111111111111";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/integration`;
const QUEUE_ARN = `arn:aws:sqs:eu-west-1:${ACCOUNT}:orders`;
const json = (statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: statement });

async function allowed(request: { principal: string; action: string; resource: string; context: Record<string, string> }, resourcePolicy: unknown, identity: boolean): Promise<boolean> {
  const result = await runSimulation(
    {
      request: { principal: request.principal, action: request.action, resource: { resource: request.resource, accountId: ACCOUNT }, contextVariables: request.context },
      identityPolicies: identity ? [{ name: "caller", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: request.action, Resource: "*" }] } }] : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: JSON.parse(JSON.stringify(resourcePolicy).split(ref("aws_iam_role.r", "arn")).join(ROLE_ARN)),
    },
    {},
  );
  // An input the simulator refuses must fail the test, not count as a denial.
  if (result.resultType === "error") throw new Error(`the simulator refused the request: ${JSON.stringify(result.errors)}`);
  return result.overallResult === "Allowed";
}

describe("APIGW-SERVICE-TRUST-SOURCE against IAM simulation", () => {
  /** What a service sends when another account's resource names the role, and what one that sends nothing does. */
  const OUTSIDERS: Record<string, string>[] = [
    { "aws:SourceAccount": "999999999999", "aws:SourceArn": "arn:aws:events:eu-west-1:999999999999:rule/theirs", "sts:ExternalId": "999999999999", "aws:SecureTransport": "true" },
    { "aws:SecureTransport": "true" },
  ];
  test.each<[string, Record<string, unknown> | undefined, boolean]>([
    ["sts:ExternalId naming the account", { StringEquals: { "sts:ExternalId": ACCOUNT } }, false],
    ["aws:SourceAccount naming the account", { StringEquals: { "aws:SourceAccount": ACCOUNT } }, false],
    ["aws:SourceArn of the account's rules", { ArnLike: { "aws:SourceArn": `arn:aws:events:eu-west-1:${ACCOUNT}:rule/*` } }, false],
    ["no condition", undefined, true],
    ["aws:SourceAccount under StringEqualsIfExists", { StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT } }, true],
    ["aws:SourceArn of any account's rules", { ArnLike: { "aws:SourceArn": "arn:aws:events:*:*:rule/*" } }, true],
    ["a negated aws:SourceAccount", { StringNotEquals: { "aws:SourceAccount": "888888888888" } }, true],
    ["a condition on another key", { Bool: { "aws:SecureTransport": "true" } }, true],
  ])("%s: flagged exactly when the simulator lets another account's resource assume the role", async (_, condition, insecure) => {
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }] };
    let outsider = false;
    for (const context of OUTSIDERS) outsider ||= await allowed({ principal: "events.amazonaws.com", action: "sts:AssumeRole", resource: `arn:aws:iam::${ACCOUNT}:role/r`, context }, trust, false);
    expect(outsider).toBe(insecure);
    const flagged = serviceTrustSource.check(stack({ aws_iam_role: { r: { assume_role_policy: JSON.stringify(trust) } } })).map((v) => v.address);
    expect(flagged).toEqual(insecure ? ["aws_iam_role.r"] : []);
  });
});

describe("APIGW-INTEGRATION-TARGET-WRITERS against IAM simulation", () => {
  const onlyRole = (extra: Record<string, unknown> = {}) => ({
    Effect: "Deny",
    Principal: "*",
    Action: "sqs:SendMessage",
    Resource: QUEUE_ARN,
    Condition: { ArnNotEquals: { "aws:PrincipalArn": [ref("aws_iam_role.r", "arn"), `arn:aws:iam::${ACCOUNT}:role/operator`] } },
    ...extra,
  });
  const send = (role: string) => ({ principal: `arn:aws:iam::${ACCOUNT}:role/${role}`, action: "sqs:SendMessage", resource: QUEUE_ARN, context: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/${role}`, "aws:PrincipalAccount": ACCOUNT } });
  test.each<[string, unknown[], boolean]>([
    ["a Deny of all but the role and the operator", [onlyRole()], false],
    ["a Deny of all but any role of the account", [onlyRole({ Condition: { ArnNotLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/*` } } })], true],
    ["a Deny made inert by a second condition", [onlyRole({ Condition: { ArnNotEquals: { "aws:PrincipalArn": ref("aws_iam_role.r", "arn") }, StringEquals: { "aws:PrincipalAccount": "999999999999" } } })], true],
    ["a Deny of one principal", [onlyRole({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/intruder` } })], true],
    ["an Allow instead of a Deny", [{ ...onlyRole(), Effect: "Allow" }], true],
    ["no statement", [], true],
  ])("%s: flagged exactly when the simulator lets another role of the account write", async (_, statements, insecure) => {
    const policy = { Version: "2012-10-17", Statement: statements };
    expect(await allowed(send("other"), policy, true)).toBe(insecure);
    // The integration's own role keeps writing whatever the verdict.
    expect(await allowed(send("integration"), policy, true)).toBe(true);
    const fixture = stack({
      aws_iam_role: { r: { name: "integration", assume_role_policy: json([{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }]) } },
      aws_iam_role_policy: { p: { role: ref("aws_iam_role.r", "name"), policy: json([{ Effect: "Allow", Action: "sqs:SendMessage", Resource: ref("aws_sqs_queue.q", "arn") }]) } },
      aws_sqs_queue: { q: { name: "orders", sqs_managed_sse_enabled: true } },
      ...(statements.length ? { aws_sqs_queue_policy: { qp: { queue_url: ref("aws_sqs_queue.q", "url"), policy: JSON.stringify(policy) } } } : {}),
    });
    expect(integrationTargetWriters.check(fixture).map((v) => v.address)).toEqual(insecure ? ["aws_sqs_queue.q"] : []);
  });
});
