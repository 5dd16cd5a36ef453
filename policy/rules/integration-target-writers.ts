import { coversAction, rolePermissions, Statement, statementsOf } from "../policy-document";
import { Block, referencesIn, StackView } from "../stack";
import type { Rule } from "../types";

const TARGETS = [
  { type: "aws_sqs_queue", writes: ["sqs:SendMessage"], policies: (stack: StackView, queue: Block) => [queue.body.policy, ...stack.resources("aws_sqs_queue_policy").filter((p) => stack.identifies(p.body.queue_url, queue, "url") || stack.identifies(p.body.queue_url, queue, "id")).map((p) => p.body.policy)] },
  { type: "aws_kinesis_stream", writes: ["kinesis:PutRecord", "kinesis:PutRecords"], policies: (stack: StackView, stream: Block) => stack.resources("aws_kinesis_resource_policy").filter((p) => stack.identifies(p.body.resource_arn, stream, "arn")).map((p) => p.body.policy) },
] as const;

/** A principal ARN pattern that admits a whole account or more (`*`, `arn:aws:iam::*:...`, `...:role/*`). */
const BROAD = (value: string) => value === "*" || /^arn:aws[a-z-]*:iam::(\*|[^:]*\*[^:]*):/.test(value) || /:(root|\*)$|\/\*$/.test(value);

/** A Deny of the write to everyone but the named principals: Principal `*`, a negated aws:PrincipalArn test naming principals. */
const deniesOthers = (s: Statement, action: string) =>
  s.effect === "Deny" &&
  s.principals.includes("*") &&
  coversAction(s, action) &&
  s.conditions.length === 1 &&
  s.conditions.every((c) => /^aws:PrincipalArn$/i.test(c.variable) && /^(Arn|String)Not(Equals|Like)(IfExists)?$/.test(c.test) && c.values.length > 0 && !c.values.some(BROAD));

export const integrationTargetWriters: Rule = {
  id: "APIGW-INTEGRATION-TARGET-WRITERS",
  severity: "error",
  message: "A queue or stream an API Gateway integration writes to must have a resource policy that denies its writes to every principal but the integration's role (and named operators)",
  explanation:
    "The integration role's trust can only use ...IfExists conditions on aws:SourceArn and aws:SourceAccount, which a caller that sends no keys passes, and any identity of the account whose policy allows sqs:SendMessage or kinesis:PutRecord can write too. So the target is where writers are limited: an aws_sqs_queue_policy (or the queue's policy) or aws_kinesis_resource_policy with a Deny of sqs:SendMessage (kinesis:PutRecord and PutRecords) to Principal `*` under ArnNotEquals aws:PrincipalArn listing the integration role and the operators that may write. The Deny must have that one condition (another condition makes it inert for callers that do not match it) and name principals, not `*`, an account's `:root` or `role/*`. Not applicable: targets outside the stack (named by ARN), whose policy is managed where they are.",
  equivalents: {},
  references: ["IAM User Guide: aws:PrincipalArn", "Amazon SQS Developer Guide: Using policies with Amazon SQS", "Amazon Kinesis Data Streams Developer Guide: Resource-based policies (aws_kinesis_resource_policy)"],
  check: (stack) => {
    const integrationRoles = stack
      .resources("aws_iam_role")
      .filter((role) => (statementsOf(stack, role.body.assume_role_policy) ?? []).some((s) => s.effect === "Allow" && s.principals.includes("apigateway.amazonaws.com")));
    const grants = integrationRoles.flatMap((role) => rolePermissions(stack, role).filter((s) => s.effect === "Allow"));
    return TARGETS.flatMap(({ type, writes, policies }) =>
      stack.resources(type).flatMap((target) => {
        const written = writes.filter((action) => grants.some((s) => coversAction(s, action) && s.resources.some((r) => referencesIn(r).some((ref) => ref.address === target.address))));
        if (written.length === 0) return [];
        const statements = policies(stack, target).flatMap((p) => (p === undefined ? [] : statementsOf(stack, p) ?? []));
        const open = written.filter((action) => !statements.some((s) => deniesOthers(s, action)));
        return open.length ? [{ address: target.address, detail: `an integration role writes to it, and no resource policy denies ${open.join(", ")} to other principals` }] : [];
      }),
    );
  },
};
