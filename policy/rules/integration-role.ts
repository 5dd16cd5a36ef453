import { rolePermissions, Statement, statementsOf } from "../policy-document";
import { describeRoute, restDefinition } from "../rest-routes";
import { Block, StackView } from "../stack";
import type { Rule, Violation } from "../types";

const API_GATEWAY = "apigateway.amazonaws.com";

/** The roles integrations assume, with where each is named. */
function credentialRoles(stack: StackView): { role: Block; where: string; address: string }[] {
  const rest = stack.resources("aws_api_gateway_rest_api").flatMap((api) =>
    restDefinition(stack, api).routes.flatMap((route) => {
      const role = stack.referenced(route.integration?.credentials, "aws_iam_role");
      return role ? [{ role, where: describeRoute(route), address: route.address }] : [];
    }),
  );
  const http = stack.resources("aws_apigatewayv2_integration").flatMap((integration) => {
    const role = stack.referenced(integration.body.credentials_arn, "aws_iam_role");
    return role ? [{ role, where: integration.address, address: integration.address }] : [];
  });
  return [...rest, ...http];
}

const KEYS = ["aws:SourceAccount", "aws:SourceArn"];

function trustProblems(stack: StackView, role: Block): string[] {
  const statements = statementsOf(stack, role.body.assume_role_policy);
  if (statements === undefined) return ["its trust policy cannot be read from the configuration"];
  return statements
    .filter((s) => s.effect === "Allow" && s.principals.includes(API_GATEWAY))
    .flatMap((s) => KEYS.filter((key) => !s.conditions.some((c) => c.variable.toLowerCase() === key.toLowerCase() && c.values.length > 0)).map((key) => `trusts ${API_GATEWAY} without ${key}`));
}

function permissionProblems(statements: readonly Statement[]): string[] {
  return statements
    .filter((s) => s.effect === "Allow")
    .flatMap((s) => [
      ...s.actions.filter((a) => a.includes("*") || a.includes("?")).map((a) => `allows the wildcard action ${a}`),
      ...(s.notActions.length ? ["allows by NotAction"] : []),
      ...s.resources.filter((r) => r.includes("*") || r.includes("?")).map((r) => `allows on the wildcard resource ${r}`),
      ...(s.notResources.length ? ["allows by NotResource"] : []),
    ]);
}

export const integrationRoleScoped: Rule = {
  id: "APIGW-INTEGRATION-ROLE",
  severity: "error",
  message: "An integration's credentials role must be trusted by API Gateway only with aws:SourceAccount and aws:SourceArn conditions, and allow named actions on named resources",
  explanation:
    "API Gateway assumes the role to call the service on the caller's behalf: a wildcard action or resource (kinesis:*, a stream/* ARN, *) turns one route into access to everything the pattern matches, and a trust without aws:SourceAccount and aws:SourceArn lets any API that names the role use it (the confused deputy). Allow exactly the one action on the one resource (plus kms:GenerateDataKey or kms:Decrypt on its key), and condition the trust on the API's account and execution ARN (the IfExists forms: API Gateway sends no source keys when it assumes an integration's role). Checked for REST integrations (either form) and HTTP API integrations whose credentials are a role of the stack.",
  references: ["AWS docs: Cross-service confused deputy prevention", "AWS docs: x-amazon-apigateway-integration object (credentials)", "checkov CKV_AWS_290", "Security Hub IAM.21"],
  check: (stack) => {
    const seen = new Set<string>();
    return credentialRoles(stack).flatMap(({ role, where }): Violation[] => {
      if (seen.has(role.address)) return [];
      seen.add(role.address);
      const problems = [...new Set([...trustProblems(stack, role), ...permissionProblems(rolePermissions(stack, role))])];
      return problems.length ? [{ address: role.address, detail: `credentials of ${where}: ${problems.join(", ")}` }] : [];
    });
  },
};
