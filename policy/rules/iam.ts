import { isWildcardAction, statementsOf } from "../policy-document";
import { blocks } from "../stack";
import type { Rule } from "../types";

export const iamNoWildcards: Rule = {
  id: "APIGW-IAM-WILDCARD",
  severity: "error",
  message: "A policy attached to a role must allow no `*` action and no `*` resource",
  explanation:
    "Every role here serves one function or service; name the actions it calls and the ARNs it touches. Checked: aws_iam_role_policy, inline_policy blocks of aws_iam_role, and aws_iam_policy resources attached to a role in the same stack (JSON text or aws_iam_policy_document).",
  equivalents: { checkov: ["CKV_AWS_63", "CKV_AWS_355"], securityHub: ["IAM.21"], trivy: ["AVD-AWS-0057"] },
  references: [],
  check: (stack) => {
    const attachedPolicies = stack
      .resources("aws_iam_role_policy_attachment")
      .map((a) => stack.referenced(a.body.policy_arn, "aws_iam_policy"))
      .filter((p) => p !== undefined);
    const policies = [
      ...stack.resources("aws_iam_role_policy").map((p) => ({ address: p.address, value: p.body.policy })),
      ...stack.resources("aws_iam_role").flatMap((role) => blocks(role.body.inline_policy).map((p) => ({ address: role.address, value: p.policy }))),
      ...attachedPolicies.map((p) => ({ address: p.address, value: p.body.policy })),
    ];
    return policies.flatMap(({ address, value }) => {
      const problems = (statementsOf(stack, value) ?? [])
        .filter((s) => s.effect === "Allow")
        .flatMap((s) => [
          ...s.actions.filter(isWildcardAction).map((a) => `action ${a}`),
          ...(s.notActions.length ? ["NotAction"] : []),
          ...s.resources.filter((r) => r === "*").map(() => "resource *"),
        ]);
      return problems.length ? [{ address, detail: [...new Set(problems)].join(", ") }] : [];
    });
  },
};
