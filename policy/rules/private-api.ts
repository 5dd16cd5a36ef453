import { cidrBreadth } from "../../config/formats";
import { coversAction, statementsOf } from "../policy-document";
import { describeRoute, restDefinition } from "../rest-routes";
import type { Rule } from "../types";
import { isPrivate } from "./rest-api";

export const privatePolicyNoForeignEndpoint: Rule = {
  id: "APIGW-PRIVATE-POLICY-FOREIGN-VPCE",
  severity: "error",
  message: "A private REST API's policy must not admit, in its Deny condition, an endpoint the API is not bound to",
  explanation:
    "A Deny with StringNotEquals aws:SourceVpce exempts every endpoint it lists. An extra endpoint (another VPC's, another account's, a leftover) is admitted by the policy although the API is not bound to it: with private DNS off, or through the endpoint-specific name, its hosts can call the API. List exactly the endpoints in the API's endpoint configuration. Policies in the API's OpenAPI document are checked too.",
  references: ["AWS docs: Private API resource policies (aws:SourceVpce)", "AWS docs: Invoke a private API (endpoint-specific hostnames)"],
  check: (stack) =>
    stack
      .resources("aws_api_gateway_rest_api")
      .filter(isPrivate)
      .map((api) => restDefinition(stack, api))
      .flatMap((definition) =>
        definition.policies.flatMap((policy) => {
          const foreign = (statementsOf(stack, policy.value) ?? [])
            .filter((s) => s.effect === "Deny")
            .flatMap((s) => s.conditions.filter((c) => /^StringNotEquals/.test(c.test) && /^aws:sourcevpce$/i.test(c.variable)).flatMap((c) => c.values))
            .filter((value) => !definition.endpointIds.includes(value));
          return foreign.length ? [{ address: policy.address, detail: `${policy.pointer ? `${policy.pointer}: ` : ""}admits ${[...new Set(foreign)].join(", ")}` }] : [];
        }),
      ),
};

export const privateMethodAuthorization: Rule = {
  id: "APIGW-PRIVATE-METHOD-AUTH",
  severity: "warning",
  message: "A method of a private REST API should require authorization (AWS_IAM, a Lambda or Cognito authorizer)",
  explanation:
    "A private API's resource policy admits every host behind its VPC endpoints; without method authorization any of them, including a compromised one, can call the method, and the access log cannot say who did. Require SigV4 (AWS_IAM) or an authorizer.",
  equivalents: { checkov: ["CKV_AWS_59"], trivy: ["AVD-AWS-0004"] },
  references: ["AWS docs: Control access to a private API (resource policy and method authorization)"],
  check: (stack) =>
    stack
      .resources("aws_api_gateway_rest_api")
      .filter(isPrivate)
      .flatMap((api) => restDefinition(stack, api).routes)
      .filter((route) => route.httpMethod !== "OPTIONS" && route.authorization === "NONE")
      .map((route) => ({ address: route.address, detail: `${describeRoute(route)} has no authorization` })),
};

const WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE", "ANY"];

export const publicWriteNotKeyOnly: Rule = {
  id: "APIGW-WRITE-KEY-ONLY",
  severity: "error",
  message: "A write method of a public REST API must not be guarded by an API key alone",
  explanation:
    "API keys identify a client for usage plans; they are not credentials (AWS says so): they travel in a header, are shared by every user of a client and are not rotated per user. A method that changes data needs an authorizer (AWS_IAM, COGNITO_USER_POOLS or CUSTOM) besides the key. In an OpenAPI document, security requirements listed as alternatives (`[{jwt: []}, {api_key: []}]`) mean that any one suffices, so the weakest counts: name the authorizer and the key in one requirement object.",
  equivalents: { checkov: ["CKV_AWS_59"] },
  references: ["AWS docs: Usage plans and API keys (don't use API keys for authentication or authorization)"],
  check: (stack) =>
    stack
      .resources("aws_api_gateway_rest_api")
      .filter((api) => !isPrivate(api))
      .flatMap((api) => restDefinition(stack, api).routes)
      .filter((route) => WRITE_METHODS.includes(route.httpMethod) && route.authorization === "NONE" && route.apiKeyRequired)
      .map((route) => ({ address: route.address, detail: `${describeRoute(route)} needs only an API key` })),
};

/** Values that admit every caller: any address, any string. */
const EVERYONE = /^(\*|0\.0\.0\.0\/0|::\/0|::0\/0)$/;

/**
 * A condition that leaves out some callers: a positive test with a value that is not "everyone".
 * For source addresses, a block that opens a security group to the internet (APIGW-SG-OPEN: IPv4
 * shorter than /8, IPv6 shorter than /16, so 0.0.0.0/1 with 128.0.0.0/1 too) counts as everyone.
 */
const narrowsCallers = (c: { test: string; variable: string; values: readonly string[] }) =>
  CALLER_KEYS.test(c.variable) &&
  // A comparison that must match: Null only asks whether the key is there (every call has a source
  // address), and ForAllValues holds when the key is missing.
  POSITIVE_TEST.test(c.test) &&
  // Every call to a public API has a source address: ...IfExists on it is the plain test.
  (!/IfExists$/.test(c.test) || /^aws:sourceip$/i.test(c.variable)) &&
  c.values.length > 0 &&
  !c.values.some((v) => EVERYONE.test(v) || (/^aws:sourceip$/i.test(c.variable) && cidrBreadth(v) === "open"));
const POSITIVE_TEST = /^(?:ForAnyValue:)?(?:StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike|IpAddress)(?:IfExists)?$/i;
/** Keys that say who or where the caller is; others (aws:SecureTransport, aws:CurrentTime, aws:UserAgent, ...) hold for anyone. */
const CALLER_KEYS = /^aws:(SourceIp|VpcSourceIp|SourceVpce|SourceVpc|PrincipalOrgID|PrincipalOrgPaths|PrincipalAccount|PrincipalArn|userid|username|SourceAccount)$/i;

export const publicPolicyNotOpen: Rule = {
  id: "APIGW-PUBLIC-POLICY-OPEN",
  severity: "error",
  message: "A public REST API's resource policy must not allow execute-api:Invoke to everyone (*) without a condition",
  explanation:
    "A resource policy on an EDGE or REGIONAL API exists to narrow who may call it (source IP ranges, VPCs, accounts, an organization). An Allow of execute-api:Invoke to Principal * with no condition, or only conditions that admit everyone (aws:SourceIp 0.0.0.0/0 or ::/0, or any block shorter than IPv4 /8 or IPv6 /16 such as 0.0.0.0/1, a `*` value, a negated, Null, ForAllValues or ...IfExists test, a key that does not say who or where the caller is, such as aws:SecureTransport or aws:UserAgent), narrows nothing: every method is then guarded only by its own authorization, and checkov CKV2_AWS_70 accepts such a policy as restricting access to methods without authorization or key. Condition the Allow (aws:SourceIp, aws:SourceVpce, aws:PrincipalOrgID), or pair it with a Deny that does. Policies in the API's OpenAPI document are checked too; private APIs are APIGW-PRIVATE-POLICY-VPCE's.",
  equivalents: { checkov: ["CKV2_AWS_70"] },
  references: ["AWS docs: Control access to a REST API with API Gateway resource policies", "AWS docs: How API Gateway resource policies affect authorization workflow"],
  check: (stack) =>
    stack
      .resources("aws_api_gateway_rest_api")
      .filter((api) => !isPrivate(api))
      .map((api) => restDefinition(stack, api))
      .flatMap((definition) =>
        definition.policies.flatMap((policy) => {
          const statements = statementsOf(stack, policy.value) ?? [];
          const open = statements.filter((s) => s.effect === "Allow" && s.principals.includes("*") && !s.conditions.some(narrowsCallers) && coversAction(s, "execute-api:Invoke"));
          // A Deny narrows when it refuses everyone outside a set (a negated test); one that refuses a
          // few named callers (IpAddress 198.51.100.7) admits all the others.
          const narrowingDeny = statements.some((s) => s.effect === "Deny" && s.principals.includes("*") && s.conditions.some((c) => /Not/.test(c.test) && c.values.length > 0 && !c.values.some((v) => EVERYONE.test(v))) && coversAction(s, "execute-api:Invoke"));
          return open.length && !narrowingDeny ? [{ address: policy.address, detail: `${policy.pointer ? `${policy.pointer}: ` : ""}allows everyone without a condition` }] : [];
        }),
      ),
};
