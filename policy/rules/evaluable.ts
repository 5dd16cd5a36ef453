import { blocks, expressionsIn } from "../stack";
import type { Rule } from "../types";

/**
 * The attributes other rules decide on, by resource type: who may call, with which credentials,
 * what a role may do, which TLS, which origins, who may apply. A path names nested blocks
 * (`cors_configuration.allow_origins`); a block name alone covers all of it.
 */
const DECIDING: Readonly<Record<string, readonly string[]>> = {
  aws_api_gateway_rest_api: ["policy"],
  aws_api_gateway_rest_api_policy: ["policy"],
  aws_api_gateway_method: ["authorization", "authorization_scopes", "api_key_required"],
  aws_api_gateway_method_settings: [
    "settings.caching_enabled",
    "settings.cache_data_encrypted",
    "settings.require_authorization_for_cache_control",
    "settings.data_trace_enabled",
    "settings.logging_level",
    "settings.metrics_enabled",
    "settings.throttling_rate_limit",
    "settings.throttling_burst_limit",
  ],
  aws_api_gateway_domain_name: ["security_policy"],
  aws_apigatewayv2_domain_name: ["domain_name_configuration.security_policy"],
  aws_apigatewayv2_api: ["cors_configuration"],
  aws_apigatewayv2_route: ["authorization_type", "authorization_scopes"],
  aws_iam_role: ["assume_role_policy", "inline_policy.policy", "managed_policy_arns"],
  aws_iam_role_policy: ["policy"],
  aws_iam_policy: ["policy"],
  aws_iam_role_policy_attachment: ["policy_arn"],
  aws_iam_role_policy_attachments_exclusive: ["policy_arns"],
  aws_lambda_permission: ["action", "principal", "source_account", "function_url_auth_type"],
  aws_sqs_queue_policy: ["policy"],
  aws_s3_bucket_policy: ["policy"],
  aws_kinesis_resource_policy: ["policy"],
  aws_wafv2_web_acl: ["default_action", "rule"],
  tfe_workspace: ["auto_apply", "auto_apply_run_trigger", "speculative_enabled", "execution_mode", "global_remote_state"],
  tfe_workspace_settings: ["auto_apply", "execution_mode", "global_remote_state"],
  tfe_team_access: ["access", "permissions"],
  tfe_team_project_access: ["access", "project_access", "workspace_access"],
  tfe_variable: ["key", "sensitive"],
  aws_lambda_function_url: ["authorization_type", "cors"],
  aws_api_gateway_authorizer: ["type", "provider_arns", "identity_source"],
  aws_apigatewayv2_authorizer: ["authorizer_type", "jwt_configuration", "identity_sources", "authorizer_result_ttl_in_seconds", "enable_simple_responses"],
  aws_api_gateway_usage_plan: ["throttle_settings", "quota_settings"],
  aws_security_group: ["ingress"],
  aws_security_group_rule: ["type", "cidr_blocks", "ipv6_cidr_blocks", "from_port", "to_port", "protocol"],
  aws_vpc_security_group_ingress_rule: ["cidr_ipv4", "cidr_ipv6", "from_port", "to_port", "ip_protocol"],
  "data.aws_iam_policy_document": ["statement", "source_policy_documents", "override_policy_documents"],
};

/** Policies the rules read: JSON text, or the json of an aws_iam_policy_document of the stack. */
const POLICIES: Readonly<Record<string, readonly string[]>> = {
  aws_api_gateway_rest_api: ["policy"],
  aws_api_gateway_rest_api_policy: ["policy"],
  aws_iam_role: ["assume_role_policy", "inline_policy.policy"],
  aws_iam_role_policy: ["policy"],
  aws_iam_policy: ["policy"],
  aws_sqs_queue_policy: ["policy"],
  aws_s3_bucket_policy: ["policy"],
  aws_kinesis_resource_policy: ["policy"],
};
const POLICY_DOCUMENT = /^\$\{data\.aws_iam_policy_document\.[A-Za-z0-9_-]+\.(json|minified_json)\}$/;
const readablePolicy = (value: unknown) => {
  if (typeof value !== "string" || POLICY_DOCUMENT.test(value)) return true;
  try {
    return typeof JSON.parse(value) === "object";
  } catch {
    return false;
  }
};

/** `aws_x.name.attribute`, `data.aws_x.name.attribute[0]`: what the rules can follow to a block. */
const TRAVERSAL = /^(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_]+|\[\d+\])*$/;
/** Roots Terraform gives values to at plan time: the rules cannot know them. */
const NOT_A_BLOCK = /^(?:local|var|each|count|module|self|path|terraform)\./;

function valuesAt(body: Record<string, unknown>, path: string): unknown[] {
  const [head, ...rest] = path.split(".");
  const value = body[head];
  if (rest.length === 0) return value === undefined ? [] : [value];
  return blocks(value).flatMap((b) => valuesAt(b, rest.join(".")));
}

export const securityValuesEvaluable: Rule = {
  id: "APIGW-EVALUABLE",
  severity: "error",
  message: "An attribute that decides who may call, with which rights or TLS, or who may apply, must be a value or a reference the checker can follow, not an expression Terraform evaluates at plan time",
  explanation:
    "The checker reads the configuration, it does not run Terraform: `${jsonencode({...})}`, `${local.policy}`, `${var.origins}`, `${true}` or a conditional decide at plan time, where a variable can be set to anything, so a rule could only guess. Each resource type's deciding attributes (resource and identity policies, aws_iam_policy_document statements and the documents they merge, attachments, trust policies, Lambda permissions' principal and action, method and route authorization, authorizers, function URLs, usage plan limits, security group ingress, method settings, TLS security policies, CORS, web ACL rules, Terraform Cloud auto-apply, speculative plans, execution mode, remote state sharing, team access and variables) must be literal values, or references to a resource or data source (`${aws_iam_role.r.arn}`, `${data.aws_iam_policy_document.d.json}`), alone or inside a literal text. Write the value itself, or an aws_iam_policy_document for a policy: a policy must be JSON text or the json of an aws_iam_policy_document of the stack, not a copy of another policy's document (`${data.aws_iam_policy.admin.policy}`). For the same reason no resource or data source may have for_each, or a count other than 1: `count = 0` (or a variable that can be 0) removes a policy, a usage plan, a web ACL association or method settings while the checker reads them as there.",
  references: ["Terraform docs: Expressions (references to named values)", "Terraform docs: Input variables (values set at plan time)"],
  check: (stack) =>
    [
      // count and for_each decide whether, and how often, a block exists: a rule reads it once.
      ...[...Object.keys(stack.json.resource ?? {}).flatMap((type) => stack.resources(type)), ...Object.keys(stack.json.data ?? {}).flatMap((type) => stack.dataSources(type))]
        .filter((block) => block.body.for_each !== undefined || (block.body.count !== undefined && block.body.count !== 1 && block.body.count !== "1"))
        .map((block) => ({ address: block.address, detail: `${block.body.for_each !== undefined ? "for_each" : "count"} decides at plan time whether it exists` })),
      // A policy copied from elsewhere (an aws_iam_policy's, a managed policy's document) is not read.
      ...Object.entries(POLICIES).flatMap(([type, paths]) =>
        stack.resources(type).flatMap((block) =>
          paths.flatMap((path) => valuesAt(block.body, path).filter((value) => !readablePolicy(value)).map((value) => ({ address: block.address, detail: `${path} is ${String(value)}, a policy the checker cannot read: write it as JSON or an aws_iam_policy_document` }))),
        ),
      ),
      ...Object.entries(DECIDING).flatMap(([type, paths]) =>
        (type.startsWith("data.") ? stack.dataSources(type.slice(5)) : stack.resources(type)).flatMap((block) =>
          paths.flatMap((path) => {
            const opaque = valuesAt(block.body, path)
              .flatMap((value) => expressionsIn(value))
              .filter((expression) => NOT_A_BLOCK.test(expression.trim()) || !TRAVERSAL.test(expression.trim()));
            return opaque.length ? [{ address: block.address, detail: `${path} is decided at plan time: \${${opaque[0].trim()}}` }] : [];
          }),
        ),
      ),
    ].filter((v, i, all) => all.findIndex((o) => o.address === v.address) === i),
};
