import { createHash } from "crypto";

/**
 * Mock values for `terraform test`'s mock_provider, generated from `terraform providers schema -json`.
 * Terraform's own mock values (random 8-letter strings, 0, false, empty collections) are not enough:
 * the real provider still validates every argument, so a role's mocked ARN that reaches a function's
 * `role` must look like an IAM role ARN, and a certificate's validation record needs a real record type.
 */

/** A Terraform type in the schema's JSON form: "string", ["list", "string"], ["object", {...}]. */
export type SchemaType = string | readonly [string, unknown];

export interface SchemaAttribute {
  readonly type?: SchemaType;
  readonly nested_type?: { readonly attributes: Readonly<Record<string, SchemaAttribute>>; readonly nesting_mode: string };
  readonly computed?: boolean;
  readonly optional?: boolean;
  readonly required?: boolean;
}

export interface SchemaBlock {
  readonly attributes?: Readonly<Record<string, SchemaAttribute>>;
  readonly block_types?: Readonly<Record<string, { readonly nesting_mode: string; readonly block: SchemaBlock }>>;
}

/** The part of `terraform providers schema -json` read here. */
export interface ProvidersSchema {
  readonly provider_schemas?: Readonly<
    Record<
      string,
      {
        readonly resource_schemas?: Readonly<Record<string, { readonly block: SchemaBlock }>>;
        readonly data_source_schemas?: Readonly<Record<string, { readonly block: SchemaBlock }>>;
      }
    >
  >;
}

export interface MockContext {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

export type MockValue = string | number | boolean | readonly MockValue[] | { readonly [key: string]: MockValue };

export type MockKind = "resource" | "data";

/** A deterministic token of the given length and alphabet, so that the generated file is stable. */
export function token(seed: string, length: number, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"): string {
  let out = "";
  for (let round = 0; out.length < length; round++) {
    for (const byte of createHash("sha256").update(`${seed}#${round}`).digest()) {
      if (out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

function uuid(seed: string): string {
  const hex = token(seed, 32, "0123456789abcdef");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** "aws_api_gateway_rest_api" -> "api-gateway-rest-api": a readable name of a type. */
const shortName = (type: string) => type.replace(/^[a-z0-9]+_/, "").replace(/_/g, "-");

interface ArnShape {
  readonly service: string;
  /** The resource part after account; {name} and {id} are filled in. */
  readonly resource: string;
  readonly global?: boolean;
  readonly noAccount?: boolean;
}

/** The ARN shapes of the services the platform uses (AWS's "Actions, resources, and condition keys" pages). */
const ARN_SHAPES: readonly [RegExp, ArnShape][] = [
  [/^aws_iam_role/, { service: "iam", resource: "role/{name}", global: true }],
  [/^aws_iam_policy/, { service: "iam", resource: "policy/{name}", global: true }],
  [/^aws_iam_user/, { service: "iam", resource: "user/{name}", global: true }],
  [/^aws_iam_openid_connect_provider/, { service: "iam", resource: "oidc-provider/token.actions.githubusercontent.com", global: true }],
  [/^aws_lambda_alias/, { service: "lambda", resource: "function:{name}:live" }],
  [/^aws_lambda_event_source_mapping/, { service: "lambda", resource: "event-source-mapping:{uuid}" }],
  [/^aws_lambda_layer/, { service: "lambda", resource: "layer:{name}:1" }],
  [/^aws_lambda/, { service: "lambda", resource: "function:{name}" }],
  [/^aws_api_gateway_rest_api/, { service: "apigateway", resource: "/restapis/{id}", noAccount: true }],
  [/^aws_api_gateway_stage/, { service: "apigateway", resource: "/restapis/{id}/stages/{name}", noAccount: true }],
  [/^aws_api_gateway_domain_name/, { service: "apigateway", resource: "/domainnames/{name}.example.com", noAccount: true }],
  [/^aws_api_gateway_usage_plan/, { service: "apigateway", resource: "/usageplans/{id}", noAccount: true }],
  [/^aws_api_gateway_api_key/, { service: "apigateway", resource: "/apikeys/{id}", noAccount: true }],
  [/^aws_api_gateway_client_certificate/, { service: "apigateway", resource: "/clientcertificates/{id}", noAccount: true }],
  [/^aws_api_gateway_vpc_link/, { service: "apigateway", resource: "/vpclinks/{id}", noAccount: true }],
  [/^aws_api_gateway_authorizer/, { service: "apigateway", resource: "/restapis/{id}/authorizers/{id}", noAccount: true }],
  [/^aws_apigatewayv2_stage/, { service: "apigateway", resource: "/apis/{id}/stages/{name}", noAccount: true }],
  [/^aws_apigatewayv2_domain_name/, { service: "apigateway", resource: "/domainnames/{name}.example.com", noAccount: true }],
  [/^aws_apigatewayv2/, { service: "apigateway", resource: "/apis/{id}", noAccount: true }],
  [/^aws_api_gateway/, { service: "apigateway", resource: "/restapis/{id}", noAccount: true }],
  [/^aws_sqs/, { service: "sqs", resource: "{name}" }],
  [/^aws_sns/, { service: "sns", resource: "{name}" }],
  [/^aws_kinesis_firehose/, { service: "firehose", resource: "deliverystream/{name}" }],
  [/^aws_kinesis/, { service: "kinesis", resource: "stream/{name}" }],
  [/^aws_dynamodb/, { service: "dynamodb", resource: "table/{name}" }],
  [/^aws_kms_alias/, { service: "kms", resource: "alias/{name}" }],
  [/^aws_kms/, { service: "kms", resource: "key/{uuid}" }],
  [/^aws_cloudwatch_log/, { service: "logs", resource: "log-group:{name}" }],
  [/^aws_cloudwatch_metric_alarm|^aws_cloudwatch_composite_alarm/, { service: "cloudwatch", resource: "alarm:{name}" }],
  [/^aws_cloudwatch_dashboard/, { service: "cloudwatch", resource: "dashboard/{name}", global: true }],
  [/^aws_cloudwatch_event_rule/, { service: "events", resource: "rule/{name}" }],
  [/^aws_cloudwatch_event_bus/, { service: "events", resource: "event-bus/{name}" }],
  [/^aws_scheduler/, { service: "scheduler", resource: "schedule/default/{name}" }],
  [/^aws_s3/, { service: "s3", resource: "{name}", global: true, noAccount: true }],
  [/^aws_acm/, { service: "acm", resource: "certificate/{uuid}" }],
  [/^aws_wafv2_ip_set/, { service: "wafv2", resource: "regional/ipset/{name}/{uuid}" }],
  [/^aws_wafv2/, { service: "wafv2", resource: "regional/webacl/{name}/{uuid}" }],
  [/^aws_route53/, { service: "route53", resource: "hostedzone/{zone}", global: true, noAccount: true }],
  [/^aws_vpc_endpoint/, { service: "ec2", resource: "vpc-endpoint/vpce-{hex}" }],
  [/^aws_security_group/, { service: "ec2", resource: "security-group/sg-{hex}" }],
  [/^aws_cognito/, { service: "cognito-idp", resource: "userpool/{region}_{pool}" }],
  [/^aws_secretsmanager/, { service: "secretsmanager", resource: "secret:{name}-{six}" }],
  [/^aws_ssm/, { service: "ssm", resource: "parameter/{name}" }],
  [/^aws_sfn/, { service: "states", resource: "stateMachine:{name}" }],
  [/^aws_xray/, { service: "xray", resource: "group/{name}/{id}" }],
  [/^aws_codedeploy/, { service: "codedeploy", resource: "application:{name}" }],
];

function arnShape(type: string): ArnShape {
  return ARN_SHAPES.find(([pattern]) => pattern.test(type))?.[1] ?? { service: type.split("_")[1] ?? "mock", resource: "{name}" };
}

/** The id an API Gateway or other service gives a resource, by type: realistic, deterministic. */
function resourceId(type: string, seed: string): string {
  if (/^aws_(api_gateway|apigatewayv2)_(rest_api|api)$/.test(type)) return token(seed, 10);
  if (/^aws_vpc_endpoint/.test(type)) return `vpce-${token(seed, 17, "0123456789abcdef")}`;
  if (/^aws_security_group/.test(type)) return `sg-${token(seed, 17, "0123456789abcdef")}`;
  if (/^aws_route53_zone/.test(type)) return `Z${token(seed, 13, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")}`;
  if (/^aws_kms_key/.test(type)) return uuid(seed);
  if (/^aws_lambda_event_source_mapping|^aws_acm/.test(type)) return uuid(seed);
  return token(seed, 10);
}

export interface MockTarget {
  readonly kind: MockKind;
  /** The resource or data source type ("aws_iam_role"). */
  readonly type: string;
}

/** The one mocked KMS key of an account: its id, key_id and ARN agree. */
const kmsKeyId = (ctx: MockContext) => uuid(`${ctx.account}.kms`);

/** The ARN of a mocked object of this type. */
export function mockArn(ctx: MockContext, target: MockTarget, seed = target.type): string {
  const shape = arnShape(target.type);
  const name = `mock-${shortName(target.type)}`;
  const resource = shape.resource
    .replace(/\{name\}/g, name)
    .replace(/\{id\}/g, resourceId(target.type.replace(/_(stage|authorizer|deployment)$/, "_rest_api"), seed))
    .replace(/\{uuid\}/g, /^aws_kms_key/.test(target.type) ? kmsKeyId(ctx) : uuid(seed))
    .replace(/\{hex\}/g, token(seed, 17, "0123456789abcdef"))
    .replace(/\{zone\}/g, resourceId("aws_route53_zone", seed))
    .replace(/\{region\}/g, ctx.region)
    .replace(/\{pool\}/g, token(seed, 9, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))
    .replace(/\{six\}/g, token(seed, 6, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"));
  return `arn:${ctx.partition}:${shape.service}:${shape.global ? "" : ctx.region}:${shape.noAccount ? "" : ctx.account}:${resource}`;
}

/**
 * A realistic string for a computed string attribute, by its name (and the type it belongs to), or
 * undefined when nothing better than Terraform's own random string is known. `path` is the attribute
 * path inside the object, last element the attribute's own name.
 */
export function mockString(ctx: MockContext, target: MockTarget, path: readonly string[]): string | undefined {
  const attribute = path[path.length - 1];
  const seed = `${target.type}.${path.join(".")}`;
  const { type } = target;
  const restId = resourceId("aws_api_gateway_rest_api", target.type);
  const host = `${restId}.execute-api.${ctx.region}.amazonaws.com`;
  switch (attribute) {
    case "account_id":
    case "owner_id":
    case "owner":
      return ctx.account;
    case "region":
      return ctx.region;
    case "partition":
      return ctx.partition;
    case "dns_suffix":
      return "amazonaws.com";
    case "reverse_dns_prefix":
      return "com.amazonaws";
    case "user_id":
      return `AIDA${token(seed, 17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")}`;
    case "invoke_arn":
    case "qualified_invoke_arn":
      return `arn:${ctx.partition}:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/${mockArn(ctx, { kind: target.kind, type: "aws_lambda_function" })}/invocations`;
    case "execution_arn":
      return `arn:${ctx.partition}:execute-api:${ctx.region}:${ctx.account}:${restId}${/stage/.test(type) ? "/live" : ""}`;
    case "qualified_arn":
      return `${mockArn(ctx, target, seed)}:1`;
    case "version":
      return /lambda/.test(type) ? "1" : undefined;
    case "invoke_url":
      return `https://${host}/live`;
    case "api_endpoint":
      return /websocket/.test(type) ? `wss://${host}` : `https://${host}`;
    case "url":
      if (/^aws_sqs/.test(type)) return `https://sqs.${ctx.region}.amazonaws.com/${ctx.account}/mock-${shortName(type)}`;
      if (/^aws_lambda_function_url/.test(type)) return `https://${token(seed, 32)}.lambda-url.${ctx.region}.on.aws/`;
      return `https://mock-${shortName(type)}.example.com/`;
    case "function_url":
      return `https://${token(seed, 32)}.lambda-url.${ctx.region}.on.aws/`;
    case "root_resource_id":
    case "api_key_source":
      return attribute === "api_key_source" ? "HEADER" : token(seed, 10);
    case "key_id":
    case "target_key_id":
      return kmsKeyId(ctx);
    case "target_key_arn":
      return mockArn(ctx, { kind: target.kind, type: "aws_kms_key" });
    case "resource_record_type":
    case "type":
      return /acm|route53/.test(type) || path.includes("domain_validation_options") ? "CNAME" : undefined;
    case "resource_record_name":
      return `_${token(seed, 32, "0123456789abcdef")}.mock.example.com.`;
    case "resource_record_value":
      return `_${token(seed, 32, "0123456789abcdef")}.${token(`${seed}v`, 10)}.acm-validations.aws.`;
    case "domain_name":
      return path.length > 1 || /acm/.test(type) ? "mock.example.com" : undefined;
    case "cloudfront_domain_name":
      return `d${token(seed, 13)}.cloudfront.net`;
    case "regional_domain_name":
    case "target_domain_name":
      return `d-${token(seed, 10)}.execute-api.${ctx.region}.amazonaws.com`;
    case "cloudfront_zone_id":
      return "Z2FDTNDATAQYW2";
    case "regional_zone_id":
    case "hosted_zone_id":
    case "zone_id":
      return resourceId("aws_route53_zone", seed);
    case "bucket_domain_name":
      return `mock-${shortName(type)}.s3.amazonaws.com`;
    case "bucket_regional_domain_name":
      return `mock-${shortName(type)}.s3.${ctx.region}.amazonaws.com`;
    case "status":
      return /acm/.test(type) ? "ISSUED" : undefined;
    case "state":
      return /vpc_endpoint/.test(type) ? "available" : undefined;
    case "created_date":
    case "last_modified":
    case "creation_date":
    case "create_date":
    case "last_updated_date":
      return "2026-01-01T00:00:00Z";
    case "source_code_hash":
    case "code_sha256":
      return "47DEQpj8HBSZ+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    case "unique_id":
      return `AROA${token(seed, 17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")}`;
    case "stream_label":
      return "2026-01-01T00:00:00.000";
    case "stream_arn":
      return `${mockArn(ctx, target, seed)}/stream/2026-01-01T00:00:00.000`;
    case "policy":
      return JSON.stringify({ Version: "2012-10-17", Statement: [] });
    case "ip_address_type":
      return "ipv4";
    case "dns_name":
      return `${/vpc_endpoint/.test(type) ? `vpce-${token(seed, 17, "0123456789abcdef")}-${token(`${seed}z`, 8)}` : `mock-${shortName(type)}`}.execute-api.${ctx.region}.vpce.amazonaws.com`;
    case "signing_profile_version_arn":
    case "signing_job_arn":
      return undefined;
  }
  if (attribute === "arn" || attribute === "arns") return mockArn(ctx, target, seed);
  if (attribute === "id") {
    // Terraform's ids: the ARN for topics, streams, policies and certificates, a queue's URL, the name for many others.
    if (/^aws_(sns_topic|kinesis_stream|kinesis_firehose|iam_policy$|acm_certificate$)/.test(type)) return mockArn(ctx, target, seed);
    if (/^aws_(iam_role|lambda_function|cloudwatch_log_group|s3_bucket|dynamodb_table|cloudwatch_metric_alarm|cloudwatch_composite_alarm|cloudwatch_dashboard)$/.test(type)) return `mock-${shortName(type)}`;
    if (/^aws_kms_key$/.test(type)) return kmsKeyId(ctx);
    if (/^aws_sqs_queue$/.test(type)) return mockString(ctx, target, ["url"]);
    if (/^aws_(caller_identity)$/.test(type)) return ctx.account;
    if (/^aws_(region)$/.test(type)) return ctx.region;
    if (/^aws_(partition)$/.test(type)) return ctx.partition;
    return resourceId(type, seed);
  }
  if (/_arn$/.test(attribute)) {
    const service = attribute.replace(/_arn$/, "");
    const guess: Record<string, string> = {
      role: "aws_iam_role",
      kms_key: "aws_kms_key",
      policy: "aws_iam_policy",
      topic: "aws_sns_topic",
      certificate: "aws_acm_certificate",
      log_group: "aws_cloudwatch_log_group",
      function: "aws_lambda_function",
    };
    return mockArn(ctx, { kind: target.kind, type: guess[service] ?? type }, seed);
  }
  if (attribute === "name" || /_name$/.test(attribute)) return `mock-${shortName(type)}`;
  if (/_id$/.test(attribute)) return token(seed, 10);
  return undefined;
}

const elementType = (type: readonly [string, unknown]) => type[1] as SchemaType;

/**
 * The mock value of an attribute of the given type, or undefined to leave it to Terraform. Collections
 * of objects get one element (a certificate has one validation record, an endpoint one DNS entry);
 * collections named like ARN or name lists one realistic element; other collections stay empty.
 */
export function mockValue(ctx: MockContext, target: MockTarget, path: readonly string[], type: SchemaType): MockValue | undefined {
  const attribute = path[path.length - 1];
  if (type === "string") return mockString(ctx, target, path) ?? `mock-${token(`${target.type}.${path.join(".")}`, 8)}`;
  if (type === "number") return 1;
  if (type === "bool") return false;
  if (type === "dynamic" || typeof type === "string") return undefined;
  const [kind] = type;
  if (kind === "object") {
    const object: Record<string, MockValue> = {};
    for (const [name, t] of Object.entries(type[1] as Record<string, SchemaType>)) {
      const value = mockValue(ctx, target, [...path, name], t);
      if (value !== undefined) object[name] = value;
    }
    return object;
  }
  if (kind === "map") return {};
  if (kind === "list" || kind === "set") {
    const element = elementType(type);
    if (Array.isArray(element) && element[0] === "object") {
      const value = mockValue(ctx, target, path, element);
      return value === undefined ? [] : [value];
    }
    if (element === "string" && /^(arns|names|ids)$/.test(attribute)) {
      const one = mockString(ctx, target, [...path.slice(0, -1), attribute.replace(/s$/, "")]);
      return one === undefined ? [] : [one];
    }
    return [];
  }
  return undefined;
}

/** A nested attribute (nested_type) as a plain type, so that one generator serves both. */
function attributeType(attribute: SchemaAttribute): SchemaType | undefined {
  if (attribute.type) return attribute.type;
  if (!attribute.nested_type) return undefined;
  const object: SchemaType = ["object", Object.fromEntries(Object.entries(attribute.nested_type.attributes).flatMap(([k, a]) => (attributeType(a) ? [[k, attributeType(a)]] : [])))];
  return attribute.nested_type.nesting_mode === "single" ? object : [attribute.nested_type.nesting_mode === "map" ? "map" : attribute.nested_type.nesting_mode, object];
}

/**
 * The `defaults` of one mock_resource or mock_data block: a value for every computed attribute of the
 * type's top-level schema (Terraform applies defaults to computed attributes only, and uses them only
 * where the configuration leaves a value unknown). Nested blocks come from the configuration.
 */
export function mockDefaults(ctx: MockContext, target: MockTarget, block: SchemaBlock): Record<string, MockValue> {
  const defaults: Record<string, MockValue> = {};
  for (const [name, attribute] of Object.entries(block.attributes ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (!attribute.computed) continue;
    const type = attributeType(attribute);
    const value = type === undefined ? undefined : mockValue(ctx, target, [name], type);
    if (value !== undefined) defaults[name] = value;
  }
  return defaults;
}

/** The schema of a type in a provider's schema, or an error naming it. */
export function schemaOf(schema: ProvidersSchema, source: string, target: MockTarget): SchemaBlock {
  const provider = schema.provider_schemas?.[source];
  if (!provider) throw new Error(`the providers schema has no provider ${source} (has ${Object.keys(schema.provider_schemas ?? {}).join(", ") || "none"})`);
  const found = (target.kind === "resource" ? provider.resource_schemas : provider.data_source_schemas)?.[target.type];
  if (!found) throw new Error(`provider ${source} has no ${target.kind === "resource" ? "resource" : "data source"} type ${target.type}`);
  return found.block;
}
