import { wildcardMatch } from "./iam-actions";
import { Block, blocks, StackView } from "./stack";

export interface Condition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

/** An AWS service principal: `lambda.amazonaws.com`, `states.amazonaws.com.cn`. */
export const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;

/** An IAM statement in one shape, whether it came as JSON text or as an aws_iam_policy_document. */
export interface Statement {
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** Principal identifiers; `*` for everyone. */
  readonly principals: readonly string[];
  readonly conditions: readonly Condition[];
}

const list = (value: unknown): string[] => (value === undefined || value === null ? [] : ([] as unknown[]).concat(value).map(String));

/**
 * The statements of a policy value: JSON text, a parsed policy object (as an OpenAPI document's
 * `x-amazon-apigateway-policy`), or a reference to an aws_iam_policy_document's `json`.
 * Undefined when they cannot be read from the configuration (a Terraform expression).
 */
export function statementsOf(stack: StackView, value: unknown): Statement[] | undefined {
  const document = stack.referenced(value, "aws_iam_policy_document");
  if (document) return documentStatements(stack, document.body);
  if (value && typeof value === "object" && !Array.isArray(value)) return blocks((value as Record<string, unknown>).Statement).map(jsonStatement);
  if (typeof value !== "string") return undefined;
  let parsed: any;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  return blocks(parsed?.Statement).map(jsonStatement);
}

/** A statement as IAM JSON writes it (`Effect`, `Action`, `Principal`, ...), in the one shape. */
export function jsonStatement(s: Record<string, any>): Statement {
  const principal = s.Principal;
  return {
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    actions: list(s.Action),
    notActions: list(s.NotAction),
    resources: list(s.Resource),
    notResources: list(s.NotResource),
    principals: principal === undefined ? [] : typeof principal === "string" ? [principal] : Object.values<unknown>(principal).flatMap(list),
    conditions: Object.entries<Record<string, unknown>>(s.Condition ?? {}).flatMap(([test, entries]) =>
      Object.entries(entries).map(([variable, values]) => ({ test, variable, values: list(values) })),
    ),
  };
}

function documentStatements(stack: StackView, body: Record<string, any>): Statement[] {
  // source_policy_documents and override_policy_documents merge other documents in.
  const merged = [...list(body.source_policy_documents), ...list(body.override_policy_documents)].flatMap((v) => statementsOf(stack, v) ?? []);
  return [
    ...merged,
    ...blocks(body.statement).map((s) => ({
      effect: s.effect === "Deny" ? ("Deny" as const) : ("Allow" as const),
      actions: list(s.actions),
      notActions: list(s.not_actions),
      resources: list(s.resources),
      notResources: list(s.not_resources),
      principals: blocks(s.principals).flatMap((p) => list(p.identifiers)),
      conditions: blocks(s.condition).map((c) => ({ test: String(c.test), variable: String(c.variable), values: list(c.values) })),
    })),
  ];
}

/** Whether a statement's actions include `action`: IAM matches action names case-insensitively, with wildcards; NotAction inverts. */
export function coversAction(statement: Statement, action: string): boolean {
  if (statement.notActions.length) return !statement.notActions.some((a) => wildcardMatch(a, action, true));
  return statement.actions.some((a) => wildcardMatch(a, action, true));
}

/** Every statement of every policy the role has: inline, aws_iam_role_policy, attached aws_iam_policy. */
export function rolePermissions(stack: StackView, role: Block): Statement[] {
  const names = (value: unknown) => stack.identifies(value, role, "name") || stack.identifies(value, role, "id");
  const attached = stack
    .resources("aws_iam_role_policy_attachment")
    .filter((a) => names(a.body.role))
    .map((a) => stack.referenced(a.body.policy_arn, "aws_iam_policy")?.body.policy);
  return [
    ...blocks(role.body.inline_policy).map((p) => p.policy),
    ...stack.resources("aws_iam_role_policy").filter((p) => names(p.body.role)).map((p) => p.body.policy),
    ...attached,
  ].flatMap((policy) => statementsOf(stack, policy) ?? []);
}
