/**
 * A faithful prior state from the real provider's plan: the planned values of every resource (the
 * provider's defaults included: `aws_iam_role.path` is "/", not null as after a mocked apply), with
 * what is known only after apply (ids, ARNs, dates) filled in with values of the form AWS gives them.
 * Values derived from those (a permission's source_arn from the API's execution ARN) are known once
 * the state exists: `plan-runner.ts` plans again against the written state until nothing changes.
 */
import { createHash } from "crypto";
import { stableId } from "./stub-aws";

/** Terraform's type expressions in `terraform providers schema -json`. */
type CtyType = string | [string, CtyType] | ["object", Record<string, CtyType>];

interface SchemaAttribute {
  readonly type?: CtyType;
  readonly nested_type?: { readonly attributes: Record<string, SchemaAttribute>; readonly nesting_mode: string };
}
export interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, { readonly nesting_mode: string; readonly block: SchemaBlock }>;
}
export interface ResourceSchemas {
  /** type -> schema version and block. */
  readonly [type: string]: { readonly version: number; readonly block: SchemaBlock };
}

/** A planned resource of `terraform show -json` (resource_changes[]). */
export interface ResourceChange {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: unknown;
    readonly after?: unknown;
    readonly after_unknown?: unknown;
    readonly replace_paths?: unknown;
  };
  readonly action_reason?: string;
}

export interface FillContext {
  readonly accountId: string;
  readonly region: string;
}

const uuid = (seed: string) => {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const hex = (seed: string, n: number) => createHash("sha256").update(seed).digest("hex").slice(0, n);

/** The service part of an ARN for a resource type. */
function service(type: string): string {
  const table: [RegExp, string][] = [
    [/^aws_api_?gateway/, "apigateway"],
    [/^aws_lambda/, "lambda"],
    [/^aws_cloudwatch_log/, "logs"],
    [/^aws_cloudwatch/, "cloudwatch"],
    [/^aws_iam/, "iam"],
    [/^aws_kinesis_firehose/, "firehose"],
    [/^aws_kinesis/, "kinesis"],
    [/^aws_s3/, "s3"],
    [/^aws_sqs/, "sqs"],
    [/^aws_sns/, "sns"],
    [/^aws_dynamodb/, "dynamodb"],
    [/^aws_kms/, "kms"],
    [/^aws_acm/, "acm"],
    [/^aws_route53/, "route53"],
    [/^aws_wafv2/, "wafv2"],
    [/^aws_(vpc|security_group|subnet|network)/, "ec2"],
  ];
  return table.find(([re]) => re.test(type))?.[1] ?? type.replace(/^aws_/, "").split("_")[0];
}

type Values = Record<string, unknown>;

/** The id a resource gets from AWS, in that resource's form. */
function idFor(type: string, values: Values, seed: string, ctx: FillContext): string {
  const name = (values.name ?? values.function_name ?? values.bucket ?? values.role ?? values.stage_name) as string | undefined;
  if (/^aws_(api_gateway_rest_api|apigatewayv2_api|api_gateway_vpc_link|apigatewayv2_vpc_link)$/.test(type)) return stableId(seed, 10);
  if (/^aws_(api_gateway_(resource|deployment|authorizer|api_key|usage_plan|request_validator|model)|apigatewayv2_(route|integration|authorizer|deployment|api_mapping|stage))$/.test(type)) return stableId(seed, 6);
  if (type === "aws_sqs_queue") return `https://sqs.${ctx.region}.amazonaws.com/${ctx.accountId}/${name}`;
  if (type === "aws_kms_key") return uuid(seed);
  if (type === "aws_vpc_endpoint") return `vpce-${hex(seed, 17)}`;
  if (type === "aws_security_group") return `sg-${hex(seed, 17)}`;
  if (type === "aws_route53_record") return `${values.zone_id}_${values.name}_${values.type}`;
  if (type === "aws_kinesis_stream" || type === "aws_sns_topic" || type === "aws_acm_certificate" || type === "aws_kinesis_firehose_delivery_stream") return arnFor(type, values, seed, ctx);
  if (type === "terraform_data") return uuid(seed);
  return name ? String(name) : `${type.replace(/^aws_/, "")}-${stableId(seed, 8)}`;
}

function arnFor(type: string, values: Values, seed: string, ctx: FillContext): string {
  const { region, accountId } = ctx;
  const name = String(values.name ?? values.function_name ?? values.bucket ?? values.stage_name ?? stableId(seed, 8));
  switch (type) {
    case "aws_iam_role":
      return `arn:aws:iam::${accountId}:role${values.path ?? "/"}${name}`;
    case "aws_iam_policy":
      return `arn:aws:iam::${accountId}:policy${values.path ?? "/"}${name}`;
    case "aws_lambda_function":
      return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
    case "aws_lambda_alias":
      return `arn:aws:lambda:${region}:${accountId}:function:${values.function_name}:${name}`;
    case "aws_cloudwatch_log_group":
      return `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
    case "aws_cloudwatch_metric_alarm":
      return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${values.alarm_name ?? name}`;
    case "aws_cloudwatch_dashboard":
      return `arn:aws:cloudwatch::${accountId}:dashboard/${values.dashboard_name ?? name}`;
    case "aws_kinesis_stream":
      return `arn:aws:kinesis:${region}:${accountId}:stream/${name}`;
    case "aws_kinesis_firehose_delivery_stream":
      return `arn:aws:firehose:${region}:${accountId}:deliverystream/${name}`;
    case "aws_sqs_queue":
    case "aws_sns_topic":
      return `arn:aws:${service(type)}:${region}:${accountId}:${name}`;
    case "aws_dynamodb_table":
      return `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
    case "aws_s3_bucket":
      return `arn:aws:s3:::${name}`;
    case "aws_kms_key":
      return `arn:aws:kms:${region}:${accountId}:key/${uuid(seed)}`;
    case "aws_acm_certificate":
      return `arn:aws:acm:${region}:${accountId}:certificate/${uuid(seed)}`;
    case "aws_vpc_endpoint":
      return `arn:aws:ec2:${region}:${accountId}:vpc-endpoint/vpce-${hex(seed, 17)}`;
    case "aws_security_group":
      return `arn:aws:ec2:${region}:${accountId}:security-group/sg-${hex(seed, 17)}`;
    case "aws_api_gateway_rest_api":
      return `arn:aws:apigateway:${region}::/restapis/${stableId(seed, 10)}`;
    case "aws_apigatewayv2_api":
      return `arn:aws:apigateway:${region}::/apis/${stableId(seed, 10)}`;
    case "aws_api_gateway_stage":
      return `arn:aws:apigateway:${region}::/restapis/${values.rest_api_id}/stages/${values.stage_name}`;
    case "aws_apigatewayv2_stage":
      return `arn:aws:apigateway:${region}::/apis/${values.api_id}/stages/${name}`;
    case "aws_api_gateway_domain_name":
    case "aws_apigatewayv2_domain_name":
      return `arn:aws:apigateway:${region}::/domainnames/${values.domain_name}`;
    case "aws_wafv2_web_acl":
      return `arn:aws:wafv2:${region}:${accountId}:regional/webacl/${name}/${uuid(seed)}`;
    default:
      return `arn:aws:${service(type)}:${region}:${accountId}:${type.replace(/^aws_/, "").replace(/_/g, "-")}/${name}`;
  }
}

/** A value of the type AWS gives for an attribute known only after apply. */
function filler(attribute: string, type: CtyType | undefined, resource: { type: string; values: Values; seed: string }, ctx: FillContext): unknown {
  const { values, seed } = resource;
  // Anything not named below stays null: a made-up value of an enumerated attribute (an SNS topic's
  // FIFO scope) fails the provider's validation, and null is what the next plan keeps for a computed one.
  if (type === "number") return attribute === "source_code_size" ? 1024 : null;
  if (type === "bool") return null;
  if (Array.isArray(type)) {
    if (type[0] === "object") return Object.fromEntries(Object.entries(type[1] as Record<string, CtyType>).map(([k, t]) => [k, filler(k, t, resource, ctx)]));
    if (attribute === "domain_validation_options") {
      const names = [values.domain_name, ...((values.subject_alternative_names as string[] | undefined) ?? [])].filter((n): n is string => typeof n === "string");
      return [...new Set(names)].map((n) => ({ domain_name: n, resource_record_name: `_${hex(n, 32)}.${n}.`, resource_record_type: "CNAME", resource_record_value: `_${hex(`v${n}`, 32)}.acm-validations.aws.` }));
    }
    return type[0] === "map" ? {} : [];
  }
  if (type === "dynamic") return values.input ?? null;
  // strings
  const apiId = String(values.rest_api_id ?? values.api_id ?? "");
  if (attribute === "id") return idFor(resource.type, values, seed, ctx);
  if (attribute === "arn") return arnFor(resource.type, values, seed, ctx);
  if (attribute === "execution_arn") {
    if (resource.type === "aws_api_gateway_stage") return `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${apiId}/${values.stage_name}`;
    if (resource.type === "aws_apigatewayv2_stage") return `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${apiId}/${values.name}`;
    return `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${idFor(resource.type, values, seed, ctx)}`;
  }
  if (attribute === "invoke_arn" && resource.type === "aws_lambda_function")
    return `arn:aws:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/${arnFor(resource.type, values, seed, ctx)}/invocations`;
  if (attribute === "qualified_arn") return `${arnFor(resource.type, values, seed, ctx)}:1`;
  if (attribute === "qualified_invoke_arn") return `arn:aws:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/${arnFor(resource.type, values, seed, ctx)}:1/invocations`;
  if (attribute === "version") return resource.type === "aws_lambda_function" ? "1" : hex(seed, 32);
  if (attribute === "api_endpoint") return `${values.protocol_type === "WEBSOCKET" ? "wss" : "https"}://${idFor(resource.type, values, seed, ctx)}.execute-api.${ctx.region}.amazonaws.com`;
  if (attribute === "invoke_url") return `https://${apiId || idFor(resource.type, values, seed, ctx)}.execute-api.${ctx.region}.amazonaws.com/${values.stage_name ?? values.name ?? ""}`;
  if (attribute === "root_resource_id") return stableId(`${seed}/root`, 10);
  if (attribute === "url" && resource.type === "aws_sqs_queue") return idFor(resource.type, values, seed, ctx);
  if (attribute === "key_id") return uuid(seed);
  if (attribute === "unique_id") return `AROA${stableId(seed, 17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`;
  if (attribute === "cloudfront_domain_name") return `d${stableId(seed, 13)}.cloudfront.net`;
  if (attribute === "cloudfront_zone_id") return "Z2FDTNDATAQYW2";
  if (attribute === "regional_domain_name" || attribute === "target_domain_name") return `d-${stableId(seed, 10)}.execute-api.${ctx.region}.amazonaws.com`;
  if (attribute === "regional_zone_id" || attribute === "hosted_zone_id") return "ZLY8HYME6SFDD";
  if (attribute === "fqdn") return String(values.name ?? "");
  if (attribute === "stream_arn") return `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${values.name}/stream/2026-01-01T00:00:00.000`;
  if (attribute === "stream_label") return "2026-01-01T00:00:00.000";
  if (attribute === "etag" || attribute === "version_id") return hex(seed, 32);
  // Policies are validated as JSON (an IAM policy type) even in the prior state.
  if (/policy$|^policy_document$|_document$/.test(attribute)) return JSON.stringify({ Version: "2012-10-17", Statement: [] });
  // ACM's answers for a DNS-validated certificate.
  if (attribute === "resource_record_type") return "CNAME";
  if (attribute === "resource_record_name") return `_${hex(seed, 32)}.${values.domain_name}.`;
  if (attribute === "resource_record_value") return `_${hex(`${seed}/value`, 32)}.acm-validations.aws.`;
  if (attribute === "status") return resource.type === "aws_acm_certificate" ? "ISSUED" : "AVAILABLE";
  if (attribute === "key_algorithm") return "RSA_2048";
  if (attribute === "not_before") return "2026-01-01T00:00:00Z";
  if (attribute === "not_after") return "2027-01-01T00:00:00Z";
  if (attribute === "renewal_eligibility") return "ELIGIBLE";
  if (attribute === "certificate_transparency_logging_preference") return "ENABLED";
  if (attribute === "type" && resource.type === "aws_acm_certificate") return "AMAZON_ISSUED";
  if (/_date$|^created|^last_modified|_time$|^last_updated/.test(attribute)) return "2026-01-01T00:00:00Z";
  if (/_arn$/.test(attribute)) return arnFor(resource.type, values, `${seed}/${attribute}`, ctx);
  if (/_id$/.test(attribute)) return stableId(`${seed}/${attribute}`, 10);
  if (/(^|_)(domain_name|endpoint|dns_name)$/.test(attribute)) return `${stableId(seed, 10)}.${service(resource.type)}.${ctx.region}.amazonaws.com`;
  return null;
}

function attributeType(block: SchemaBlock | undefined, key: string): { type?: CtyType; block?: SchemaBlock; nesting?: string } {
  const attribute = block?.attributes?.[key];
  if (attribute?.nested_type) return { block: { attributes: attribute.nested_type.attributes }, nesting: attribute.nested_type.nesting_mode };
  if (attribute) return { type: attribute.type };
  const nestedBlock = block?.block_types?.[key];
  return nestedBlock ? { block: nestedBlock.block, nesting: nestedBlock.nesting_mode } : {};
}

/**
 * The planned values with every unknown filled: `previous` (the same resource in the last written
 * state) first, so that filled values stay what they were between rounds, else a filler.
 */
export function fillUnknowns(after: unknown, unknown: unknown, block: SchemaBlock | undefined, resource: { type: string; values: Values; seed: string }, ctx: FillContext, previous?: unknown): unknown {
  const walk = (value: unknown, unknownPart: unknown, schema: SchemaBlock | undefined, type: CtyType | undefined, attribute: string, prior: unknown, nesting?: string): unknown => {
    if (unknownPart === true) {
      if (prior !== undefined && prior !== null) return prior;
      if (schema) {
        const object = Object.fromEntries(Object.keys({ ...schema.attributes }).map((k) => [k, walk(undefined, true, undefined, attributeType(schema, k).type, k, undefined)]));
        return nesting === "single" || nesting === "group" || nesting === undefined ? object : nesting === "map" ? {} : [object];
      }
      return filler(attribute, type, resource, ctx);
    }
    if (Array.isArray(unknownPart) && Array.isArray(value)) {
      const elementType = Array.isArray(type) && type[0] !== "object" ? (type[1] as CtyType) : undefined;
      return value.map((v, i) => walk(v, unknownPart[i], schema, elementType, attribute, Array.isArray(prior) ? prior[i] : undefined));
    }
    if (unknownPart && typeof unknownPart === "object" && !Array.isArray(unknownPart)) {
      const object = (value && typeof value === "object" ? { ...(value as Values) } : {}) as Values;
      const priorObject = prior && typeof prior === "object" && !Array.isArray(prior) ? (prior as Values) : {};
      for (const [key, part] of Object.entries(unknownPart as Values)) {
        const sub = schema ? attributeType(schema, key) : {};
        const objectType = Array.isArray(type) && type[0] === "object" ? (type[1] as Record<string, CtyType>)[key] : Array.isArray(type) && type[0] === "map" ? (type[1] as CtyType) : undefined;
        object[key] = walk(object[key], part, sub.block, sub.type ?? objectType, key, priorObject[key], sub.nesting);
      }
      return object;
    }
    return value;
  };
  return walk(after, unknown, block, undefined, "", previous);
}

/** Terraform's type of a JSON value, as state records a dynamically-typed attribute's. */
function typeOfJson(value: unknown): CtyType {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return ["tuple", value.map(typeOfJson) as unknown as CtyType];
  if (value && typeof value === "object") return ["object", Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeOfJson(v)]))];
  return "dynamic";
}

/** State keeps a dynamically-typed attribute (terraform_data's input, output, triggers_replace) as { value, type }. */
export function encodeDynamic(attributes: Values, block: SchemaBlock | undefined): Values {
  const result = { ...attributes };
  for (const [key, attribute] of Object.entries(block?.attributes ?? {})) {
    if (attribute.type === "dynamic" && result[key] !== undefined && result[key] !== null) result[key] = { value: result[key], type: typeOfJson(result[key]) };
  }
  return result;
}

/** The provider address state records for a resource, from its configuration's provider key ("aws", "aws.us_east_1"). */
export function stateProvider(providerName: string, providerConfigKey: string | undefined): string {
  const alias = providerConfigKey?.includes(".") ? providerConfigKey.slice(providerConfigKey.indexOf(".") + 1) : undefined;
  return `provider["${providerName}"]${alias ? `.${alias}` : ""}`;
}

/** State's sensitive_attributes (Terraform 1.11's paths of steps) from a plan's after_sensitive. */
export function sensitivePaths(sensitive: unknown, at: unknown[] = []): unknown[][] {
  if (sensitive === true) return [at];
  if (Array.isArray(sensitive)) return sensitive.flatMap((s, i) => sensitivePaths(s, [...at, { type: "index", value: { value: i, type: "number" } }]));
  if (sensitive && typeof sensitive === "object") return Object.entries(sensitive).flatMap(([k, s]) => sensitivePaths(s, [...at, { type: "get_attr", value: k }]));
  return [];
}

export interface StateInstance {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider: string;
  readonly schemaVersion: number;
  readonly attributes: Values;
  readonly sensitive: readonly unknown[][];
  readonly createBeforeDestroy: boolean;
  readonly dependencies: readonly string[];
}

/** A version 4 state file of managed resource instances. */
export function stateFile(instances: readonly StateInstance[], lineage: string, serial: number, terraformVersion: string): Record<string, unknown> {
  const byResource = new Map<string, { mode: string; type: string; name: string; provider: string; each?: string; instances: unknown[] }>();
  for (const instance of instances) {
    const key = `${instance.type}.${instance.name}`;
    const resource = byResource.get(key) ?? { mode: "managed", type: instance.type, name: instance.name, provider: instance.provider, instances: [] };
    if (instance.index !== undefined) resource.each = typeof instance.index === "number" ? "list" : "map";
    resource.instances.push({
      ...(instance.index !== undefined ? { index_key: instance.index } : {}),
      schema_version: instance.schemaVersion,
      attributes: instance.attributes,
      sensitive_attributes: instance.sensitive,
      ...(instance.createBeforeDestroy ? { create_before_destroy: true } : {}),
      ...(instance.dependencies.length ? { dependencies: [...instance.dependencies].sort() } : {}),
    });
    byResource.set(key, resource);
  }
  return { version: 4, terraform_version: terraformVersion, serial, lineage, outputs: {}, resources: [...byResource.values()], check_results: null };
}
