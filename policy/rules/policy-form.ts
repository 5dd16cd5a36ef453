import { statementsOf } from "../policy-document";
import type { Rule } from "../types";

/** Resource policies API Gateway stores and the provider reads back, compared with the configuration on every plan. */
const STORED_POLICIES: readonly (readonly [type: string, attribute: string])[] = [
  ["aws_api_gateway_rest_api_policy", "policy"],
  ["aws_api_gateway_rest_api", "policy"],
  ["aws_api_gateway_domain_name", "policy"],
];

export const resourcePolicyExpandedForm: Rule = {
  id: "APIGW-POLICY-SHORTHAND",
  severity: "warning",
  message: "A stored API Gateway resource policy should name its resources by full ARN, not the execute-api:/ shorthand",
  explanation:
    "API Gateway stores `execute-api:/*` expanded to `arn:<partition>:execute-api:<region>:<account>:<api id>/*` (or `/domainnames/<name>+<id>` for a domain). The provider compares the expanded policy with the shorthand in the configuration and plans a change on every run; a deployment triggered by the policy is then replaced every time too. Write the full ARN, e.g. `${aws_api_gateway_rest_api.x.execution_arn}/*`. A policy inside an OpenAPI document (x-amazon-apigateway-policy) is not read back and is exempt.",
  references: ["terraform-provider-aws#15602", "terraform-provider-aws#40834"],
  check: (stack) =>
    STORED_POLICIES.flatMap(([type, attribute]) =>
      stack.resources(type).flatMap((block) => {
        const short = (statementsOf(stack, block.body[attribute]) ?? []).flatMap((s) => [...s.resources, ...s.notResources]).filter((r) => r.startsWith("execute-api:/"));
        return short.length ? [{ address: block.address, detail: `${attribute} names ${[...new Set(short)].join(", ")}` }] : [];
      }),
    ),
};
