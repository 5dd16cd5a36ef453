/**
 * API Gateway's and Lambda's quotas, checked on the synthesized platform so that an apply does
 * not stop halfway on a LimitExceeded. A hard limit is an error; a quota AWS raises on request is
 * a warning that names it and its default, so the increase can be asked for before the apply.
 * Values: the AWS docs pages in each rule's references (read 2025).
 */
import { restDefinition } from "../rest-routes";
import { Block, blocks, StackView } from "../stack";
import type { Rule, Violation } from "../types";

const REST_QUOTAS = "AWS docs: Quotas for configuring and running a REST API in API Gateway (api-gateway-execution-service-limits-table)";
const HTTP_QUOTAS = "AWS docs: Quotas for configuring and running an HTTP API in API Gateway (http-api-quotas)";
const WEBSOCKET_QUOTAS = "AWS docs: Quotas for configuring and running a WebSocket API in API Gateway (apigateway-execution-service-websocket-limits-table)";

interface Quota {
  /** As AWS names it in the quotas table and in Service Quotas. */
  readonly name: string;
  readonly limit: number;
  /** Whether AWS raises it on request (a warning) or not (an error). */
  readonly adjustable: boolean;
}

function exceeded(quota: Quota, count: number, what: string): string {
  return quota.adjustable
    ? `${count} ${what}, over the quota "${quota.name}" (default ${quota.limit}, adjustable): request an increase before applying`
    : `${count} ${what}, over the quota "${quota.name}" (${quota.limit}, a hard limit)`;
}

/** Blocks of `type` grouped by the block their `attribute` refers to (an API), by address. */
function groupedBy(stack: StackView, type: string, attribute: string): Map<string, Block[]> {
  const groups = new Map<string, Block[]>();
  for (const block of stack.resources(type)) {
    const parent = stack.referenced(block.body[attribute]);
    const key = parent?.address ?? String(block.body[attribute]);
    groups.set(key, [...(groups.get(key) ?? []), block]);
  }
  return groups;
}

/** One violation on the API (or on the first block, when the API is not in this stack) per group over the quota. */
function perApi(stack: StackView, groups: Map<string, Block[]>, quota: Quota, what: string): Violation[] {
  return [...groups].filter(([, members]) => members.length > quota.limit).map(([api, members]) => ({
    address: stack.block(api) ? api : members[0].address,
    detail: exceeded(quota, members.length, what),
  }));
}

const RESOURCES_PER_API: Quota = { name: "Resources per API", limit: 300, adjustable: true };

/** Every resource (path) of a REST API: the root, each path of its documents and their prefixes, and the resource form's. */
function restResourceCount(stack: StackView, api: Block): number {
  const paths = new Set(["/"]);
  for (const document of restDefinition(stack, api).documents) {
    for (const path of Object.keys(document.content?.paths ?? {})) {
      const segments = path.split("/").filter(Boolean);
      segments.forEach((_, i) => paths.add(`/${segments.slice(0, i + 1).join("/")}`));
    }
  }
  const resources = stack.resources("aws_api_gateway_resource").filter((r) => stack.identifies(r.body.rest_api_id, api, "id"));
  return paths.size + resources.length;
}

export const quotaRestResources: Rule = {
  id: "APIGW-QUOTA-REST-RESOURCES",
  severity: "warning",
  message: `A REST API should have at most ${RESOURCES_PER_API.limit} resources (paths), API Gateway's default quota`,
  explanation:
    "Every path segment of a REST API is a resource, the root included, and API Gateway refuses the import or the resource past the quota. The quota is raised per API on request (Service Quotas, \"Resources per API\"), or the API is split.",
  references: [REST_QUOTAS],
  check: (stack) =>
    stack.resources("aws_api_gateway_rest_api").flatMap((api) => {
      const count = restResourceCount(stack, api);
      return count > RESOURCES_PER_API.limit ? [{ address: api.address, detail: exceeded(RESOURCES_PER_API, count, "resources") }] : [];
    }),
};

const ROUTES_PER_API: Quota = { name: "Routes per API", limit: 300, adjustable: true };

export const quotaRoutes: Rule = {
  id: "APIGW-QUOTA-ROUTES",
  severity: "warning",
  message: `An HTTP or WebSocket API should have at most ${ROUTES_PER_API.limit} routes, API Gateway's default quota`,
  explanation: "CreateRoute fails past the quota, and the apply stops with part of the routes created. The quota is raised per API on request (Service Quotas, \"Routes per API\").",
  references: [HTTP_QUOTAS, WEBSOCKET_QUOTAS],
  check: (stack) => perApi(stack, groupedBy(stack, "aws_apigatewayv2_route", "api_id"), ROUTES_PER_API, "routes"),
};

const HTTP_INTEGRATIONS_PER_API: Quota = { name: "Integrations per API", limit: 300, adjustable: false };

export const quotaHttpIntegrations: Rule = {
  id: "APIGW-QUOTA-HTTP-INTEGRATIONS",
  severity: "error",
  message: `An HTTP API can have at most ${HTTP_INTEGRATIONS_PER_API.limit} integrations, a hard limit`,
  explanation: "API Gateway does not raise it for HTTP APIs. Routes to the same backend share one integration; else the API must be split.",
  references: [HTTP_QUOTAS],
  check: (stack) => {
    const groups = groupedBy(stack, "aws_apigatewayv2_integration", "api_id");
    const http = new Map([...groups].filter(([api]) => stack.block(api)?.body.protocol_type !== "WEBSOCKET"));
    return perApi(stack, http, HTTP_INTEGRATIONS_PER_API, "integrations");
  },
};

const AUTHORIZERS_PER_API: Quota = { name: "Authorizers per API", limit: 10, adjustable: true };

export const quotaAuthorizers: Rule = {
  id: "APIGW-QUOTA-AUTHORIZERS",
  severity: "warning",
  message: `An API should have at most ${AUTHORIZERS_PER_API.limit} authorizers, API Gateway's default quota`,
  explanation:
    "The same quota for REST (Lambda and Cognito authorizers, resources or the document's x-amazon-apigateway-authorizer schemes), HTTP and WebSocket APIs; AWS Support raises it per API.",
  references: [REST_QUOTAS, HTTP_QUOTAS, WEBSOCKET_QUOTAS],
  check: (stack) => {
    const groups = groupedBy(stack, "aws_api_gateway_authorizer", "rest_api_id");
    for (const api of stack.resources("aws_api_gateway_rest_api")) {
      const schemes = restDefinition(stack, api).documents.flatMap((d) =>
        Object.entries<any>(d.content?.components?.securitySchemes ?? d.content?.securityDefinitions ?? {}).filter(([, scheme]) => scheme?.["x-amazon-apigateway-authorizer"]),
      );
      // Counted as blocks of the API so that one group holds both forms.
      groups.set(api.address, [...(groups.get(api.address) ?? []), ...schemes.map(() => api)]);
    }
    for (const [api, members] of groupedBy(stack, "aws_apigatewayv2_authorizer", "api_id")) groups.set(api, members);
    return perApi(stack, groups, AUTHORIZERS_PER_API, "authorizers");
  },
};

const STAGE_VARIABLES: Quota = { name: "Stage variables per stage", limit: 100, adjustable: false };
const STAGE_VARIABLE_KEY = 64;
const STAGE_VARIABLE_VALUE = 512;

export const quotaStageVariables: Rule = {
  id: "APIGW-QUOTA-STAGE-VARIABLES",
  severity: "error",
  message: `A stage can have at most ${STAGE_VARIABLES.limit} stage variables, keys of at most ${STAGE_VARIABLE_KEY} and values of at most ${STAGE_VARIABLE_VALUE} characters, hard limits`,
  explanation: "API Gateway refuses the stage otherwise, for REST, HTTP and WebSocket APIs alike.",
  references: [REST_QUOTAS, HTTP_QUOTAS],
  check: (stack) =>
    [
      ...stack.resources("aws_api_gateway_stage").map((stage) => ({ stage, variables: stage.body.variables })),
      ...stack.resources("aws_apigatewayv2_stage").map((stage) => ({ stage, variables: stage.body.stage_variables })),
    ].flatMap(({ stage, variables }) => {
      const entries = Object.entries<unknown>(variables && typeof variables === "object" ? variables : {});
      const problems = [
        ...(entries.length > STAGE_VARIABLES.limit ? [exceeded(STAGE_VARIABLES, entries.length, "variables")] : []),
        ...entries.filter(([key]) => key.length > STAGE_VARIABLE_KEY).map(([key]) => `key ${key} is longer than ${STAGE_VARIABLE_KEY} characters`),
        ...entries
          .filter(([, value]) => typeof value === "string" && !value.includes("${") && value.length > STAGE_VARIABLE_VALUE)
          .map(([key]) => `the value of ${key} is longer than ${STAGE_VARIABLE_VALUE} characters`),
      ];
      return problems.length ? [{ address: stage.address, detail: problems.join("; ") }] : [];
    }),
};

/** 6 MB, as the PutRestApi and ImportRestApi references give it, taken as 6 x 2^20 bytes. */
const DEFINITION_BYTES = 6 * 1024 * 1024;

export const quotaOpenApiSize: Rule = {
  id: "APIGW-QUOTA-OPENAPI-SIZE",
  severity: "error",
  message: `A REST API's OpenAPI document can be at most 6 MB (${DEFINITION_BYTES} bytes), a hard limit`,
  explanation: "PutRestApi and ImportRestApi refuse a larger definition file. Split the API, or move long descriptions and examples out of the document.",
  references: ["AWS API reference: PutRestApi (body)", "AWS API reference: ImportRestApi (body)"],
  check: (stack) =>
    stack.resources("aws_api_gateway_rest_api").flatMap((api) =>
      restDefinition(stack, api)
        .documents.map((d) => ({ address: d.address, body: d.source === "put" ? stack.block(d.address)?.body.body : api.body.body }))
        .filter(({ body }) => typeof body === "string" && Buffer.byteLength(body) > DEFINITION_BYTES)
        .map(({ address, body }) => ({ address, detail: `${Buffer.byteLength(body as string)} bytes` })),
    ),
};

/**
 * The shortest a text can be once Terraform has filled in its references: known attributes count
 * as the shortest value AWS gives them, any other reference as nothing. So the size checks never
 * report a text that fits.
 */
function shortestLength(stack: StackView, text: string, region: string): number {
  return text.replace(/\$\{([^{}]*)\}/g, (_match, expression: string) => "x".repeat(shortestValue(stack, expression.trim(), region))).length;
}

function shortestValue(stack: StackView, expression: string, region: string): number {
  const [, address, attribute] = /^((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z_]+)$/.exec(expression) ?? [];
  if (!address) return 0;
  // arn:aws:execute-api:<region>:<12-digit account>:<10-character API id>
  if (attribute === "execution_arn") return "arn:aws:execute-api:".length + region.length + 1 + 12 + 1 + 10;
  const block = stack.block(address);
  if (block?.type === "aws_lambda_function" && (attribute === "arn" || attribute === "function_name")) {
    const name = typeof block.body.function_name === "string" && !block.body.function_name.includes("${") ? block.body.function_name.length : 1;
    return attribute === "arn" ? "arn:aws:lambda:".length + region.length + 1 + 12 + ":function:".length + name : name;
  }
  return 0;
}

const RESOURCE_POLICY: Quota = { name: "Length, in characters, of API Gateway resource policy", limit: 8192, adjustable: true };

export const quotaResourcePolicy: Rule = {
  id: "APIGW-QUOTA-RESOURCE-POLICY",
  severity: "warning",
  message: `A REST API's resource policy should be at most ${RESOURCE_POLICY.limit} characters, API Gateway's default quota`,
  explanation:
    "API Gateway refuses a longer policy. Counted on the JSON text, with each reference as the shortest value it can take (a policy from aws_iam_policy_document is not counted). Merge statements, or request an increase of the quota.",
  references: [REST_QUOTAS],
  check: (stack) =>
    stack.resources("aws_api_gateway_rest_api").flatMap((api) => {
      const region = stack.regionOf(api) ?? "";
      return restDefinition(stack, api)
        .policies.map((p) => ({ address: p.address, text: typeof p.value === "string" ? p.value : p.value && typeof p.value === "object" ? JSON.stringify(p.value) : undefined }))
        .filter((p): p is { address: string; text: string } => p.text !== undefined && !/^\$\{[^{}]*\}$/.test(p.text))
        .map((p) => ({ address: p.address, length: shortestLength(stack, p.text, region) }))
        .filter((p) => p.length > RESOURCE_POLICY.limit)
        .map((p) => ({ address: p.address, detail: exceeded(RESOURCE_POLICY, p.length, "characters") }));
    }),
};

/** 20 KB, taken as 20 x 2^10 bytes. */
const FUNCTION_POLICY_BYTES = 20 * 1024;

/** The statement Lambda adds to a function's policy for an aws_lambda_permission, as GetPolicy returns it. */
function permissionStatement(permission: Block, region: string, stack: StackView): number {
  const { statement_id: sid, principal, action, source_arn: sourceArn, source_account: sourceAccount } = permission.body;
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  const principalKey = /^\d{12}$|^arn:/.test(text(principal)) ? "AWS" : "Service";
  const statement = {
    Sid: text(sid),
    Effect: "Allow",
    Principal: { [principalKey]: text(principal) },
    Action: text(action),
    Resource: permissionTarget(permission, stack),
    ...(sourceArn || sourceAccount
      ? { Condition: { ...(sourceAccount ? { StringEquals: { "AWS:SourceAccount": text(sourceAccount) } } : {}), ...(sourceArn ? { ArnLike: { "AWS:SourceArn": text(sourceArn) } } : {}) } }
      : {}),
  };
  return shortestLength(stack, JSON.stringify(statement), region);
}

/** The function a permission is on: a reference to the aws_lambda_function's ARN when it names one, else its function_name as written. */
function permissionTarget(permission: Block, stack: StackView): string {
  const fn = stack.referenced(permission.body.function_name, "aws_lambda_function");
  return fn ? `\${${fn.address}.arn}` : String(permission.body.function_name);
}

export const quotaLambdaPolicy: Rule = {
  id: "APIGW-QUOTA-LAMBDA-POLICY",
  severity: "error",
  message: `A Lambda function's resource-based policy can be at most 20 KB (${FUNCTION_POLICY_BYTES} bytes), a hard limit`,
  explanation:
    "Each aws_lambda_permission adds a statement; past 20 KB AddPermission fails (\"The final policy size is bigger than the limit\"). A statement per route reaches it after some tens of routes: grant the API once, on its execution ARN with a wildcard. Counted on the statements as Lambda stores them, with references as the shortest value they can take.",
  references: ["AWS docs: Lambda quotas (function resource-based policy)"],
  check: (stack) => {
    const byFunction = new Map<string, Block[]>();
    for (const permission of stack.resources("aws_lambda_permission")) {
      const key = `${permissionTarget(permission, stack)}:${String(permission.body.qualifier ?? "")}`;
      byFunction.set(key, [...(byFunction.get(key) ?? []), permission]);
    }
    return [...byFunction.values()].flatMap((permissions) => {
      const region = stack.regionOf(permissions[0]) ?? "";
      const envelope = JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: [] }).length;
      const bytes = envelope + permissions.reduce((n, p, i) => n + permissionStatement(p, region, stack) + (i > 0 ? 1 : 0), 0);
      return bytes > FUNCTION_POLICY_BYTES ? [{ address: permissions[permissions.length - 1].address, detail: `the policy of ${permissions.length} statements is at least ${bytes} bytes` }] : [];
    });
  },
};

/** The account a stack deploys to (its provider's allowed_account_ids); stacks that pin none count as one account. */
function accountOf(stack: StackView): string {
  const provider = blocks(stack.json.provider?.aws).find((p) => p.alias === undefined);
  const ids = [].concat(provider?.allowed_account_ids ?? []);
  return ids.length === 1 ? String(ids[0]) : "(no pinned account)";
}

/**
 * Counts `select`'s blocks of every stack per account and region, in stack order then address
 * order, and reports this stack's blocks past the quota.
 */
function perAccount(stack: StackView, all: readonly StackView[], quota: Quota, what: string, select: (s: StackView) => Block[]): Violation[] {
  const key = (s: StackView, block: Block) => `${accountOf(s)} ${s.regionOf(block) ?? "(no region)"}`;
  const counted = new Map<string, number>();
  const violations: Violation[] = [];
  for (const s of all.includes(stack) ? all : [...all, stack]) {
    for (const block of select(s).sort((a, b) => a.address.localeCompare(b.address))) {
      const group = key(s, block);
      const n = (counted.get(group) ?? 0) + 1;
      counted.set(group, n);
      if (n > quota.limit && s === stack) violations.push({ address: block.address, detail: `${what} number ${n} of account and region ${group}: ${exceeded(quota, n, what)}` });
    }
  }
  return violations;
}

const USAGE_PLANS: Quota = { name: "Usage plans per account per Region", limit: 300, adjustable: true };

export const quotaUsagePlans: Rule = {
  id: "APIGW-QUOTA-USAGE-PLANS",
  severity: "warning",
  message: `An account should have at most ${USAGE_PLANS.limit} usage plans per region, API Gateway's default quota`,
  explanation: "Counted over every stack checked together, by the account its provider pins (stacks pinning none as one account) and region.",
  references: [REST_QUOTAS],
  check: (stack, all = [stack]) => perAccount(stack, all, USAGE_PLANS, "usage plans", (s) => s.resources("aws_api_gateway_usage_plan")),
};

const API_KEYS: Quota = { name: "API keys per account per Region", limit: 10000, adjustable: false };

export const quotaApiKeys: Rule = {
  id: "APIGW-QUOTA-API-KEYS",
  severity: "error",
  message: `An account can have at most ${API_KEYS.limit} API keys per region, a hard limit`,
  explanation: "Counted over every stack checked together, by the account its provider pins (stacks pinning none as one account) and region.",
  references: [REST_QUOTAS],
  check: (stack, all = [stack]) => perAccount(stack, all, API_KEYS, "API keys", (s) => s.resources("aws_api_gateway_api_key")),
};

const PUBLIC_DOMAINS: Quota = { name: "Public custom domain names per account per Region", limit: 120, adjustable: true };
const PRIVATE_DOMAINS: Quota = { name: "Private custom domain names per account per Region", limit: 50, adjustable: true };
const isPrivateDomain = (domain: Block) => blocks(domain.body.endpoint_configuration).some((c) => [].concat(c.types ?? []).includes("PRIVATE" as never));

export const quotaCustomDomains: Rule = {
  id: "APIGW-QUOTA-CUSTOM-DOMAINS",
  severity: "warning",
  message: `An account should have at most ${PUBLIC_DOMAINS.limit} public and ${PRIVATE_DOMAINS.limit} private custom domain names per region, API Gateway's default quotas`,
  explanation:
    "Public names of REST (edge and regional) and HTTP APIs count together: API Gateway's domain names are one set per account and region. Counted over every stack checked together, by the account its provider pins (stacks pinning none as one account) and region.",
  references: [REST_QUOTAS, HTTP_QUOTAS],
  check: (stack, all = [stack]) => [
    ...perAccount(stack, all, PUBLIC_DOMAINS, "public custom domain names", (s) => [
      ...s.resources("aws_api_gateway_domain_name").filter((d) => !isPrivateDomain(d)),
      ...s.resources("aws_apigatewayv2_domain_name"),
    ]),
    ...perAccount(stack, all, PRIVATE_DOMAINS, "private custom domain names", (s) => s.resources("aws_api_gateway_domain_name").filter(isPrivateDomain)),
  ],
};
