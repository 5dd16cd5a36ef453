/**
 * The change-safety verdict of a planned resource change (npm run plan:safety): pure, from the real
 * provider's plan JSON, so that fixtures test it without terraform.
 */
import type { PlannedChange } from "./plan-runner";

export type Verdict = "safe" | "downtime" | "collision" | "data loss" | "data loss (acknowledged)";

/** Resources that hold data: replacing or destroying one loses it. */
export const DATA_TYPES: readonly string[] = [
  "aws_dynamodb_table",
  "aws_s3_bucket",
  "aws_cloudwatch_log_group",
  "aws_kms_key",
  "aws_kinesis_stream",
  "aws_sqs_queue",
];

/** Resources clients reach: replacing or destroying one breaks their address until the new one answers. */
export const ENDPOINT_TYPES: readonly string[] = [
  "aws_api_gateway_domain_name",
  "aws_apigatewayv2_domain_name",
  "aws_api_gateway_base_path_mapping",
  "aws_apigatewayv2_api_mapping",
  "aws_api_gateway_rest_api",
  "aws_apigatewayv2_api",
  "aws_vpc_endpoint",
];

/**
 * Resources whose name is unique (in the account and region, or in their API): a new one with the
 * old one's name cannot exist next to it, so create-before-destroy fails at the create.
 */
export const UNIQUE_NAME_TYPES: readonly string[] = [
  "aws_lambda_function",
  "aws_iam_role",
  "aws_iam_policy",
  "aws_cloudwatch_log_group",
  "aws_sqs_queue",
  "aws_kinesis_stream",
  "aws_kinesis_firehose_delivery_stream",
  "aws_dynamodb_table",
  "aws_s3_bucket",
  "aws_sns_topic",
  "aws_api_gateway_domain_name",
  "aws_apigatewayv2_domain_name",
  "aws_api_gateway_stage",
  "aws_apigatewayv2_stage",
  "aws_cloudwatch_metric_alarm",
  "aws_cloudwatch_dashboard",
  "aws_kms_alias",
  "aws_api_gateway_usage_plan",
];

export interface JudgedChange extends PlannedChange {
  readonly stack: string;
  readonly verdict: Verdict;
  /** Why the verdict, in a few words. */
  readonly reason: string;
}

const replaced = (c: PlannedChange) => c.action.startsWith("replace");

/** The verdict of one change; `acknowledged` holds "<stack> <address>" of data loss the change accepts. */
export function judge(stack: string, change: PlannedChange, acknowledged: ReadonlySet<string> = new Set()): JudgedChange {
  const at = (verdict: Verdict, reason: string): JudgedChange => ({ ...change, stack, verdict, reason });
  if (change.action === "replace (create before destroy)" && UNIQUE_NAME_TYPES.includes(change.type) && change.nameBefore !== undefined && change.nameBefore === change.nameAfter) {
    return at("collision", `the new one is created first with the same name ${JSON.stringify(change.nameAfter)}, which the old one still holds`);
  }
  if (DATA_TYPES.includes(change.type) && (replaced(change) || change.action === "delete")) {
    if (change.keptOnDestroy) return at("safe", "left in AWS with its data (skip_destroy)");
    const what = replaced(change) ? "replaced" : "destroyed";
    return acknowledged.has(`${stack} ${change.address}`) ? at("data loss (acknowledged)", `${what}; acknowledged`) : at("data loss", `${what}: its data goes with it`);
  }
  if (ENDPOINT_TYPES.includes(change.type) && (replaced(change) || change.action === "delete")) {
    return at("downtime", replaced(change) ? `replaced (${change.action.slice(9, -1)}): clients cannot reach it until the new one answers` : "destroyed: clients can no longer reach it");
  }
  return at("safe", change.action === "update" ? "in place" : change.action);
}

/**
 * The acknowledgement file: one "<stack> <address>" per line, then why ("dev aws_kinesis_stream.x  # re-created empty"),
 * `#` starts a comment. It is committed with the change that accepts the loss.
 */
export function parseAcknowledgements(text: string): Set<string> {
  const found = new Set<string>();
  for (const line of text.split("\n")) {
    const [stack, address] = line.replace(/#.*/, "").trim().split(/\s+/);
    if (stack && address) found.add(`${stack} ${address}`);
  }
  return found;
}

/** A plan that could not be made (prevent_destroy, a provider's validation): the apply would fail too. */
export interface BlockedStack {
  readonly stack: string;
  readonly error: string;
}

export interface SafetyReport {
  readonly changes: readonly JudgedChange[];
  readonly blocked: readonly BlockedStack[];
  /** Why the report fails; empty when it passes. */
  readonly failures: readonly string[];
}

export function safetyReport(changes: readonly JudgedChange[], blocked: readonly BlockedStack[] = []): SafetyReport {
  const failures = [
    ...changes.filter((c) => c.verdict === "collision").map((c) => `collision: ${c.stack} ${c.address}`),
    ...changes.filter((c) => c.verdict === "data loss").map((c) => `unacknowledged data loss: ${c.stack} ${c.address}`),
    ...blocked.map((b) => `plan refused: ${b.stack}: ${b.error}`),
  ];
  return { changes, blocked, failures };
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

export function markdownReport(report: SafetyReport, title = "Change safety"): string {
  const lines = [`### ${title}`, ""];
  if (report.changes.length === 0 && report.blocked.length === 0) lines.push("No resource changes.");
  else {
    lines.push("| stack | resource | action | verdict | why |", "| --- | --- | --- | --- | --- |");
    for (const c of report.changes) lines.push(`| ${c.stack} | \`${c.address}\` | ${c.action} | ${c.verdict === "safe" ? "safe" : `**${c.verdict}**`} | ${cell(c.reason)} |`);
    for (const b of report.blocked) lines.push(`| ${b.stack} | (plan) | refused | **blocked** | ${cell(b.error)} |`);
  }
  lines.push("", report.failures.length ? `**Fails:** ${report.failures.length} problem(s); acknowledge intended data loss in \`plan-safety.ack\` (README, "Day-2 plans and change safety").` : "Passes.");
  return `${lines.join("\n")}\n`;
}
