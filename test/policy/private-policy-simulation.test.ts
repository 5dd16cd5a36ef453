/**
 * APIGW-PRIVATE-POLICY-VPCE reads a private API's resource policy structurally. Here its verdict on
 * each variant is checked against an IAM policy simulator (@cloud-copilot/iam-simulate), which
 * evaluates the same policy for callers from elsewhere: the rule must flag exactly the policies
 * that let one of them in. The simulator is AGPL-3.0 and this project MIT, so it checks the rule
 * in tests and is not part of the checker users run.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { privateApiPolicyBoundToEndpoint } from "../../policy/rules/rest-api";
import { API, ENDPOINT, endpoint, privateApi, ref, stack } from "./fixtures";

const ACCOUNT = "111111111111";
const API_ARN = `arn:aws:execute-api:eu-west-1:${ACCOUNT}:abc123`;
const OUR_ENDPOINT = "vpce-0a1b2c3d4e5f60718";
/** Callers through an endpoint that is not the API's (another VPC's, another account's), or through none. */
const FOREIGN_ENDPOINT = "vpce-0eeeeeeeeeeeeeeee";
const FOREIGN_VPC = "vpc-0ffffffffffffffff";
const OUTSIDERS: readonly Record<string, string>[] = [
  { "aws:SourceVpce": FOREIGN_ENDPOINT, "aws:PrincipalAccount": "999999999999" },
  { "aws:SourceVpce": FOREIGN_ENDPOINT, "aws:SourceVpc": FOREIGN_VPC, "aws:PrincipalAccount": "999999999999" },
  { "aws:PrincipalAccount": ACCOUNT },
];
const METHODS = ["GET/files/report.pdf", "POST/orders"];

const allowAll = { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" };
const deny = (extra: Record<string, unknown> = {}) => ({
  Effect: "Deny",
  Principal: "*",
  Action: "execute-api:Invoke",
  Resource: "execute-api:/*",
  Condition: { StringNotEquals: { "aws:SourceVpce": ref(ENDPOINT, "id") } },
  ...extra,
});

/** The policy as AWS sees it once applied: the endpoint's id and the API's ARN filled in. */
function applied(statements: unknown[]): Record<string, unknown> {
  const text = JSON.stringify({ Version: "2012-10-17", Statement: statements }).split(ref(ENDPOINT, "id")).join(OUR_ENDPOINT).split("execute-api:/").join(`${API_ARN}/`);
  return JSON.parse(text);
}

async function outsiderAllowed(statements: unknown[]): Promise<boolean> {
  for (const contextVariables of OUTSIDERS) {
    for (const method of METHODS) {
      const result = await runSimulation(
        {
          request: {
            principal: `arn:aws:iam::${contextVariables["aws:PrincipalAccount"]}:role/caller`,
            action: "execute-api:Invoke",
            resource: { resource: `${API_ARN}/prod/${method}`, accountId: ACCOUNT },
            contextVariables,
          },
          identityPolicies: [{ name: "caller", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "execute-api:Invoke", Resource: "*" }] } }],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: applied(statements),
        },
        {},
      );
      // An input the simulator refuses must fail the test, not count as a denial.
      if (result.resultType === "error") throw new Error(`the simulator refused the request: ${JSON.stringify(result.errors)}`);
      if (result.overallResult === "Allowed") return true;
    }
  }
  return false;
}

describe("APIGW-PRIVATE-POLICY-VPCE against IAM simulation", () => {
  test.each<[string, unknown[], boolean]>([
    ["a Deny of every caller not through the endpoint", [allowAll, deny()], false],
    ["the action in another case", [allowAll, deny({ Action: "Execute-API:invoke" })], false],
    ["a Deny of execute-api:*", [allowAll, deny({ Action: "execute-api:*" })], false],
    ["StringNotEqualsIfExists (a missing key denies too)", [allowAll, deny({ Condition: { StringNotEqualsIfExists: { "aws:SourceVpce": ref(ENDPOINT, "id") } } })], false],
    ["a Deny inert for other accounts (an extra account condition)", [allowAll, deny({ Condition: { StringNotEquals: { "aws:SourceVpce": ref(ENDPOINT, "id") }, StringEquals: { "aws:PrincipalAccount": ACCOUNT } } })], true],
    ["a Deny inert through any endpoint (an extra Null test)", [allowAll, deny({ Condition: { StringNotEquals: { "aws:SourceVpce": ref(ENDPOINT, "id") }, Null: { "aws:SourceVpce": "true" } } })], true],
    ["a Deny inert for a foreign VPC's endpoints (a second endpoint key)", [allowAll, deny({ Condition: { StringNotEquals: { "aws:SourceVpce": ref(ENDPOINT, "id"), "aws:SourceVpc": FOREIGN_VPC } } })], true],
    ["a Deny of one role only", [allowAll, deny({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/intruder` } })], true],
    ["StringEquals on the endpoint (denies the endpoint, admits the rest)", [allowAll, deny({ Condition: { StringEquals: { "aws:SourceVpce": ref(ENDPOINT, "id") } } })], true],
    ["a Deny of GET /files only", [allowAll, deny({ Resource: "execute-api:/*/GET/files/*" })], true],
    ["another endpoint's id", [allowAll, deny({ Condition: { StringNotEquals: { "aws:SourceVpce": FOREIGN_ENDPOINT } } })], true],
    ["no Deny at all", [allowAll], true],
  ])("%s: flagged exactly when the simulator lets an outsider in", async (_, statements, insecure) => {
    const fixture = stack({ aws_api_gateway_rest_api: privateApi({ policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }), aws_vpc_endpoint: endpoint });
    const flagged = privateApiPolicyBoundToEndpoint.check(fixture).map((v) => v.address);
    expect(await outsiderAllowed(statements)).toBe(insecure);
    expect(flagged).toEqual(insecure ? [API] : []);
  });
});
