import { SERVICE_PRINCIPAL, statementsOf } from "../policy-document";
import type { Rule } from "../types";
import { allowsAssume, narrows } from "./iam-trust";

const SOURCE_KEYS = /^(aws:SourceAccount|aws:SourceArn|aws:SourceOrgID|aws:SourceOrgPaths|sts:ExternalId)$/i;
/**
 * Services that assume only a role a caller of the same account passed to them (iam:PassRole
 * cannot pass a role to another account), and that are not documented to send the source keys
 * when they do: a condition they do not meet stops every function, instance or API that uses
 * the role. API Gateway's integration roles are judged by APIGW-INTEGRATION-ROLE.
 * (prowler-cloud/prowler#2810: the same exemption in prowler's confused-deputy check.)
 */
/** An aws:SourceArn value names its account only with the account field written out (digits or a reference), not a wildcard. */
const arnNamesAccount = (value: string) => /^(\d{12}|\$\{[^}]+\})$/.test(value.split(":")[4] ?? "");
const namesSource = (c: { test: string; variable: string; values: readonly string[] }) =>
  SOURCE_KEYS.test(c.variable) && narrows(c) && (!/^aws:SourceArn$/i.test(c.variable) || c.values.every(arnNamesAccount));
const PASSED_ROLE_SERVICES = /^(lambda|edgelambda|ec2|apigateway)\.amazonaws\.com(\.cn)?$/;

export const serviceTrustSource: Rule = {
  id: "APIGW-SERVICE-TRUST-SOURCE",
  severity: "error",
  message: "A role trusted by an AWS service principal must name the account or resource it acts for (aws:SourceAccount, aws:SourceArn, aws:SourceOrgID or sts:ExternalId)",
  explanation:
    "A service such as Firehose, Step Functions, EventBridge or CloudWatch assumes a role for whichever resource names it, and a resource in another account can name yours: the confused deputy. A condition on aws:SourceAccount, aws:SourceArn or aws:SourceOrgID (or sts:ExternalId where the service documents it, as Firehose does with the account id) limits the role to your own resources. The condition counts only when it names something: not a wildcard value, no aws:SourceArn pattern with a wildcard account (`arn:aws:events:*:*:rule/*`), not negated, not ...IfExists (a service that sends no key passes it). Not applicable: lambda, edgelambda, ec2 and apigateway, which assume only roles passed to them in the same account and are not documented to send these keys (API Gateway's integration roles are APIGW-INTEGRATION-ROLE's).",
  equivalents: {},
  references: [
    "IAM User Guide: The confused deputy problem (cross-service confused deputy prevention)",
    "Amazon Data Firehose Developer Guide: Grant Firehose access to an Amazon S3 destination (sts:ExternalId)",
    "prowler-cloud/prowler#2810 (services that take only passed roles)",
  ],
  check: (stack) =>
    stack.resources("aws_iam_role").flatMap((role) => {
      const unbound = (statementsOf(stack, role.body.assume_role_policy) ?? []).filter(allowsAssume).flatMap((s) => {
        const services = s.principals.filter((p) => SERVICE_PRINCIPAL.test(p) && !PASSED_ROLE_SERVICES.test(p));
        return services.length && !s.conditions.some(namesSource) ? services : [];
      });
      return unbound.length ? [{ address: role.address, detail: `trusts ${[...new Set(unbound)].join(", ")} without a source condition that names something` }] : [];
    }),
};
