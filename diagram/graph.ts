/**
 * The architecture of one stack as a graph, read from its Terraform JSON the way the policy
 * checker reads it (any cdktf output, not only this project's): who calls, through which custom
 * domain or VPC endpoint, which API with its stages, authorizers and routes, and what each route
 * integrates with. Resources that are not drawn on their own are folded into the node they belong to.
 */
import { documentsOf, integrationOf, restDefinition, RestRoute } from "../policy/rest-routes";
import { Block, blocks, referencesIn, soleReference, StackView } from "../policy/stack";
import type { Finding, Severity } from "../policy/types";

export type NodeKind = "caller" | "endpoint" | "domain" | "api" | "authorizer" | "routes" | "function" | "service" | "backend" | "vpc-link" | "mock" | "account" | "role" | "workspace" | "other";

export interface DiagramNode {
  /** Stable: a Terraform address, or `<kind>:<what>` for what the stack only names. */
  readonly id: string;
  readonly kind: NodeKind;
  readonly title: string;
  readonly details: readonly string[];
  /** The API whose box the node is drawn in. */
  readonly cluster?: string;
  /** The Terraform addresses the node stands for: its own and those folded into it. */
  readonly addresses: readonly string[];
  readonly findings: readonly { readonly rule: string; readonly severity: Severity }[];
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  /** Authorization and other relations that carry no request. */
  readonly dashed?: boolean;
}

export interface DiagramCluster {
  readonly id: string;
  readonly title: string;
}

export interface Diagram {
  readonly stack: string;
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  readonly clusters: readonly DiagramCluster[];
}

type Raw = Record<string, any>;

/** An integration in one shape, whether from a REST resource, an OpenAPI extension or an aws_apigatewayv2_integration. */
interface Integration {
  readonly type: string;
  readonly uri: unknown;
  readonly subtype?: string;
  readonly connectionType?: string;
  readonly connectionId?: unknown;
  /** Where a target may be named: the URI, request parameters and templates. */
  readonly naming: unknown[];
}

interface Route {
  readonly method: string;
  readonly path: string;
  readonly auth?: string;
  readonly authorizer?: string;
  readonly integration?: Integration;
  readonly address: string;
}

const object = (value: unknown): Raw => (value && typeof value === "object" && !Array.isArray(value) ? (value as Raw) : {});
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const lower = (value: unknown) => String(value ?? "").toLowerCase();

/** Friendly names of the resource types a route may lead to. */
const TARGET_TITLES: Readonly<Record<string, string>> = {
  aws_lambda_function: "Lambda",
  aws_sqs_queue: "SQS queue",
  aws_kinesis_stream: "Kinesis stream",
  aws_kinesis_firehose_delivery_stream: "Firehose",
  aws_sfn_state_machine: "Step Functions",
  aws_dynamodb_table: "DynamoDB table",
  aws_sns_topic: "SNS topic",
  aws_s3_bucket: "S3 bucket",
  aws_cloudwatch_event_bus: "EventBridge bus",
  aws_lb: "load balancer",
  aws_alb: "load balancer",
  aws_lb_listener: "listener",
  aws_alb_listener: "listener",
  aws_service_discovery_service: "Cloud Map service",
};

/** AWS service integrations name the service in their URI (`arn:aws:apigateway:<region>:<service>:action/<Action>`). */
const SERVICE_TITLES: Readonly<Record<string, string>> = {
  sqs: "SQS",
  kinesis: "Kinesis",
  states: "Step Functions",
  dynamodb: "DynamoDB",
  sns: "SNS",
  s3: "S3",
  events: "EventBridge",
  firehose: "Firehose",
  appconfig: "AppConfig",
};

/** The resource types an AWS service integration may name by their literal name instead of a reference. */
const SERVICE_TYPES: Readonly<Record<string, readonly string[]>> = {
  sqs: ["aws_sqs_queue"],
  kinesis: ["aws_kinesis_stream"],
  states: ["aws_sfn_state_machine"],
  dynamodb: ["aws_dynamodb_table"],
  sns: ["aws_sns_topic"],
  s3: ["aws_s3_bucket"],
  events: ["aws_cloudwatch_event_bus"],
  firehose: ["aws_kinesis_firehose_delivery_stream"],
};

/** Types folded into the node they belong to however they are connected; never targets of a route. */
const NOT_TARGETS = /^aws_(api_gateway|apigatewayv2|iam|cloudwatch_log|vpc_endpoint|security_group|vpc_security_group)/;

class Builder {
  private readonly nodes = new Map<string, { node: DiagramNode; addresses: Set<string> }>();
  private readonly edges: DiagramEdge[] = [];
  private readonly clusters: DiagramCluster[] = [];

  constructor(readonly stack: StackView) {}

  node(node: Omit<DiagramNode, "addresses" | "findings">, addresses: readonly string[] = []): string {
    const entry = this.nodes.get(node.id) ?? { node: { ...node, addresses: [], findings: [] }, addresses: new Set<string>() };
    addresses.forEach((a) => entry.addresses.add(a));
    this.nodes.set(node.id, entry);
    return node.id;
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  addAddresses(id: string, addresses: readonly string[]): void {
    addresses.forEach((a) => this.nodes.get(id)?.addresses.add(a));
  }

  edge(from: string, to: string, label?: string, dashed?: boolean): void {
    const existing = this.edges.findIndex((e) => e.from === from && e.to === to && !!e.dashed === !!dashed);
    if (existing < 0) {
      this.edges.push({ from, to, ...(label ? { label } : {}), ...(dashed ? { dashed } : {}) });
      return;
    }
    const old = this.edges[existing];
    const labels = new Set([...(old.label ?? "").split(", ").filter(Boolean), ...(label ? [label] : [])]);
    this.edges[existing] = { ...old, ...(labels.size ? { label: [...labels].join(", ") } : {}) };
  }

  cluster(id: string, title: string): void {
    this.clusters.push({ id, title });
  }

  drawn(): Set<string> {
    return new Set([...this.nodes.values()].flatMap((e) => [...e.addresses]));
  }

  ownerOf(address: string): string | undefined {
    return [...this.nodes.values()].find((e) => e.addresses.has(address))?.node.id;
  }

  build(): Diagram {
    return {
      stack: this.stack.name,
      nodes: [...this.nodes.values()].map((e) => ({ ...e.node, addresses: [...e.addresses].sort() })),
      edges: this.edges,
      clusters: this.clusters,
    };
  }
}

/** The diagram of one stack. */
export function buildDiagram(stack: StackView): Diagram {
  const b = new Builder(stack);
  endpoints(b);
  domains(b);
  restApis(b);
  httpApis(b);
  mappings(b);
  flows(b);
  account(b);
  terraformCloud(b);
  foldTheRest(b);
  return b.build();
}

function allBlocks(stack: StackView): Block[] {
  const of = (section: "resource" | "data") =>
    Object.keys(stack.json[section] ?? {}).flatMap((type) => (section === "data" ? stack.dataSources(type) : stack.resources(type)));
  return [...of("resource"), ...of("data")];
}

/** A value as the diagram shows it: the literal, the name of what it refers to, or "(computed)". */
function display(stack: StackView, value: unknown): string {
  if (typeof value === "string" && !value.includes("${")) return value;
  if (typeof value === "number") return String(value);
  const reference = soleReference(value);
  if (!reference) return "(computed)";
  const block = stack.block(reference.address);
  const named = block && text(block.body.name ?? block.body.function_name ?? block.body.stage_name);
  return named && !named.includes("${") ? named : reference.address;
}

function nameOf(block: Block): string {
  const name = text(block.body.name ?? block.body.function_name ?? block.body.bucket ?? block.body.domain_name);
  return name && !name.includes("${") ? name : block.name;
}

const CALLER_INTERNET = "caller:internet";

function internet(b: Builder): string {
  return b.node({ id: CALLER_INTERNET, kind: "caller", title: "Internet", details: ["clients anywhere"] });
}

// --- execute-api VPC endpoints and their security groups -------------------------------------

function endpoints(b: Builder): void {
  const { stack } = b;
  const executeApi = (e: Block) => /\.execute-api$/.test(String(e.body.service_name));
  const entry = (endpoint: Block, details: string[], addresses: string[]) => {
    b.node({ id: endpoint.address, kind: "endpoint", title: "execute-api VPC endpoint", details: [`in ${display(stack, endpoint.body.vpc_id)}`, ...details] }, [endpoint.address, ...addresses]);
    const vpc = b.node({ id: `caller:${display(stack, endpoint.body.vpc_id)}`, kind: "caller", title: `VPC ${display(stack, endpoint.body.vpc_id)}`, details: ["clients in the VPC"] });
    b.edge(vpc, endpoint.address, "HTTPS");
  };
  for (const endpoint of stack.resources("aws_vpc_endpoint").filter(executeApi)) {
    const groups = ([] as unknown[]).concat(endpoint.body.security_group_ids ?? []).map((g) => rulesOf(stack, g, "ingress"));
    entry(endpoint, [`private DNS ${endpoint.body.private_dns_enabled === false ? "off" : "on"}`, ...groups.flatMap((g) => g.lines)], groups.flatMap((g) => g.addresses));
  }
  // An endpoint another stack manages (one per VPC, shared by environments), found by a lookup.
  for (const endpoint of stack.dataSources("aws_vpc_endpoint").filter(executeApi)) entry(endpoint, ["looked up: managed outside this stack"], []);
}

/**
 * The rules of a security group in one direction, as lines (`SG: TCP 443 from a, b`, `SG out: TCP 443 to c`)
 * and the addresses they come from.
 */
function rulesOf(stack: StackView, group: unknown, direction: "ingress" | "egress"): { lines: string[]; addresses: string[] } {
  const sg = stack.referenced(group, "aws_security_group");
  if (!sg) return { lines: [`security group ${display(stack, group)} (not in this stack)`], addresses: [] };
  const rules: { block?: Block; protocol: unknown; from: unknown; to: unknown; peers: unknown[] }[] = [
    ...blocks(sg.body[direction]).map((r) => ({ protocol: r.protocol, from: r.from_port, to: r.to_port, peers: [...(r.cidr_blocks ?? []), ...(r.ipv6_cidr_blocks ?? []), ...(r.security_groups ?? [])] })),
    ...stack
      .resources(`aws_vpc_security_group_${direction}_rule`)
      .filter((r) => stack.identifies(r.body.security_group_id, sg, "id"))
      .map((r) => ({ block: r, protocol: r.body.ip_protocol, from: r.body.from_port, to: r.body.to_port, peers: [r.body.cidr_ipv4 ?? r.body.cidr_ipv6 ?? r.body.referenced_security_group_id ?? r.body.prefix_list_id] })),
    ...stack
      .resources("aws_security_group_rule")
      .filter((r) => r.body.type === direction && stack.identifies(r.body.security_group_id, sg, "id"))
      .map((r) => ({ block: r, protocol: r.body.protocol, from: r.body.from_port, to: r.body.to_port, peers: [...(r.body.cidr_blocks ?? []), ...(r.body.ipv6_cidr_blocks ?? []), r.body.source_security_group_id].filter(Boolean) })),
  ];
  const byPort = new Map<string, string[]>();
  for (const rule of rules) {
    const protocol = lower(rule.protocol) === "-1" ? "all traffic" : String(rule.protocol ?? "").toUpperCase();
    const ports = rule.from === rule.to ? `${rule.from}` : `${rule.from}-${rule.to}`;
    const key = protocol === "all traffic" ? protocol : `${protocol} ${ports}`;
    byPort.set(key, [...(byPort.get(key) ?? []), ...rule.peers.map((s) => display(stack, s))]);
  }
  const [prefix, peer, none] = direction === "ingress" ? ["SG", "from", "no inbound rule"] : ["SG out", "to", "no outbound rule"];
  const lines = byPort.size ? [...byPort.entries()].map(([what, peers]) => `${prefix}: ${what} ${peer} ${[...new Set(peers)].join(", ")}`) : [`${prefix}: ${none}`];
  return { lines, addresses: [sg.address, ...rules.flatMap((r) => (r.block ? [r.block.address] : []))] };
}

// --- custom domains -------------------------------------------------------------------------

function domains(b: Builder): void {
  const { stack } = b;
  const records = stack.resources("aws_route53_record");
  const add = (domain: Block, type: string, certificate: unknown, policy: unknown) => {
    const name = display(stack, domain.body.domain_name);
    const own = records.filter((r) => r.body.name === domain.body.domain_name).map((r) => r.address);
    b.node(
      {
        id: domain.address,
        kind: "domain",
        title: name,
        details: [`${type} custom domain${policy ? ` · ${String(policy).replace(/^TLS_(\d+)_(\d+)$/, "TLS $1.$2")}` : ""}`, certificateLine(stack, certificate)],
      },
      [domain.address, ...own],
    );
    if (type === "PRIVATE") {
      for (const association of stack.resources("aws_api_gateway_domain_name_access_association").filter((a) => stack.identifies(a.body.domain_name_arn, domain, "arn"))) {
        const source = stack.referenced(association.body.access_association_source, "aws_vpc_endpoint");
        const endpoint = source && b.has(source.address) ? source.address : literalEndpoint(b, association.body.access_association_source);
        b.addAddresses(domain.address, [association.address]);
        b.edge(endpoint, domain.address, "access association");
      }
    } else b.edge(internet(b), domain.address, "HTTPS");
  };
  for (const domain of stack.resources("aws_api_gateway_domain_name")) {
    const type = String(blocks(domain.body.endpoint_configuration)[0]?.types?.[0] ?? "EDGE");
    add(domain, type, domain.body.certificate_arn ?? domain.body.regional_certificate_arn, domain.body.security_policy);
  }
  for (const domain of stack.resources("aws_apigatewayv2_domain_name")) {
    const configuration = blocks(domain.body.domain_name_configuration)[0] ?? {};
    add(domain, String(configuration.endpoint_type ?? "REGIONAL"), configuration.certificate_arn, configuration.security_policy);
  }
}

/** Where a domain's certificate is: its region, and whether the stack creates it. */
function certificateLine(stack: StackView, value: unknown): string {
  const validation = stack.referenced(value, "aws_acm_certificate_validation");
  const certificate = stack.referenced(validation ? validation.body.certificate_arn : value, "aws_acm_certificate");
  if (certificate) return `certificate in ${stack.regionOf(certificate) ?? "?"}${certificate.body.validation_method === "DNS" ? ", DNS-validated" : ""}`;
  const region = /^arn:[^:]+:acm:([^:]+):/.exec(String(value))?.[1];
  return region ? `existing certificate in ${region}` : "certificate: (computed)";
}

function literalEndpoint(b: Builder, id: unknown): string {
  const name = display(b.stack, id);
  return b.node({ id: `endpoint:${name}`, kind: "endpoint", title: `VPC endpoint ${name}`, details: ["not in this stack"] });
}

// --- REST APIs ------------------------------------------------------------------------------

function restApis(b: Builder): void {
  const { stack } = b;
  for (const api of stack.resources("aws_api_gateway_rest_api")) {
    const definition = restDefinition(stack, api);
    const type = String(blocks(api.body.endpoint_configuration)[0]?.types?.[0] ?? "EDGE");
    const stages = stack.resources("aws_api_gateway_stage").filter((s) => stack.identifies(s.body.rest_api_id, api, "id"));
    const name = nameOf(api);
    b.cluster(api.address, `REST API ${name}`);
    b.node(
      {
        id: api.address,
        kind: "api",
        title: `REST API · ${type}`,
        cluster: api.address,
        details: [...(api.body.disable_execute_api_endpoint === true ? ["default endpoint off"] : []), ...stages.flatMap((s) => restStageLines(stack, api, s))],
      },
      [api.address, ...stages.map((s) => s.address), ...definition.documents.map((d) => d.address), ...definition.policies.map((p) => p.address), ...definition.elements.filter((e) => e.type !== "aws_api_gateway_method").map((e) => e.address), ...restSupport(stack, api, stages)],
    );
    if (type === "PRIVATE") {
      for (const id of new Set(definition.endpointIds)) {
        const endpoint = stack.referenced(id, "aws_vpc_endpoint");
        b.edge(endpoint && b.has(endpoint.address) ? endpoint.address : literalEndpoint(b, id), api.address, "execute-api");
      }
    } else if (api.body.disable_execute_api_endpoint !== true) b.edge(internet(b), api.address, "default endpoint");
    for (const authorizer of stack.resources("aws_api_gateway_authorizer").filter((a) => stack.identifies(a.body.rest_api_id, api, "id"))) {
      authorizerNode(b, api, authorizer.address, `${lower(authorizer.body.type ?? "token")} authorizer ${nameOf(authorizer)}`, authorizer.body.authorizer_uri, authorizer.body.provider_arns, [authorizer.address]);
    }
    routeGroups(b, api, restRoutes(b, api, definition.routes, definition.elements));
  }
}

/** The resources of an API's stages and usage plans, folded into the API's node. */
function restSupport(stack: StackView, api: Block, stages: Block[]): string[] {
  const ofApi = (type: string) => stack.resources(type).filter((r) => stack.identifies(r.body.rest_api_id, api, "id")).map((r) => r.address);
  const plans = usagePlans(stack, api, stages).map((p) => p.plan);
  const keys = stack.resources("aws_api_gateway_usage_plan_key").filter((k) => plans.some((p) => stack.identifies(k.body.usage_plan_id, p, "id")));
  const apiKeys = stack.resources("aws_api_gateway_api_key").filter((k) => keys.some((pk) => stack.identifies(pk.body.key_id, k, "id")));
  const acls = stack.resources("aws_wafv2_web_acl_association").filter((a) => stages.some((s) => stack.identifies(a.body.resource_arn, s, "arn")));
  return [...ofApi("aws_api_gateway_deployment"), ...ofApi("aws_api_gateway_method_settings"), ...plans.map((p) => p.address), ...keys.map((k) => k.address), ...apiKeys.map((k) => k.address), ...acls.map((a) => a.address)];
}

function usagePlans(stack: StackView, api: Block, stages: Block[]): { plan: Block; stage?: Block }[] {
  return stack.resources("aws_api_gateway_usage_plan").flatMap((plan) =>
    blocks(plan.body.api_stages)
      .filter((s) => stack.identifies(s.api_id, api, "id"))
      .map((s) => ({ plan, stage: stages.find((stage) => stack.identifies(s.stage, stage, "stage_name")) })),
  );
}

const throttle = (rate: unknown, burst: unknown) => (rate === undefined && burst === undefined ? undefined : `${rate ?? "-"} req/s, burst ${burst ?? "-"}`);

function restStageLines(stack: StackView, api: Block, stage: Block): string[] {
  const settings = stack
    .resources("aws_api_gateway_method_settings")
    .find((m) => m.body.method_path === "*/*" && stack.identifies(m.body.rest_api_id, api, "id") && stack.identifies(m.body.stage_name, stage, "stage_name"));
  const all = object(blocks(settings?.body.settings)[0]);
  const waf = stack.resources("aws_wafv2_web_acl_association").some((a) => stack.identifies(a.body.resource_arn, stage, "arn"));
  const parts = [
    throttle(all.throttling_rate_limit, all.throttling_burst_limit),
    stage.body.cache_cluster_enabled === true ? `cache ${stage.body.cache_cluster_size ?? "0.5"} GB` : undefined,
    waf ? "WAF" : undefined,
  ].filter(Boolean);
  const plans = usagePlans(stack, api, [stage])
    .filter((p) => p.stage === stage)
    .map(({ plan }) => {
      const limits = object(blocks(plan.body.throttle_settings)[0]);
      const quota = object(blocks(plan.body.quota_settings)[0]);
      const keys = stack.resources("aws_api_gateway_usage_plan_key").filter((k) => stack.identifies(k.body.usage_plan_id, plan, "id")).length;
      const what = [throttle(limits.rate_limit, limits.burst_limit), quota.limit !== undefined ? `quota ${quota.limit}/${lower(quota.period)}` : undefined, `${keys} API key${keys === 1 ? "" : "s"}`];
      return `usage plan: ${what.filter(Boolean).join(", ")}`;
    });
  return [`stage ${display(stack, stage.body.stage_name)}${parts.length ? `: ${parts.join(", ")}` : ""}`, ...plans];
}

const AUTH_TAGS: Readonly<Record<string, string | undefined>> = { NONE: undefined, AWS_IAM: "IAM", CUSTOM: "Lambda authorizer", COGNITO_USER_POOLS: "Cognito", JWT: "JWT" };

function restRoutes(b: Builder, api: Block, routes: readonly RestRoute[], elements: readonly Block[]): Route[] {
  const { stack } = b;
  const documents = documentsOf(stack, api);
  return routes.map((route) => {
    let raw: Raw | undefined;
    let authorizer: string | undefined;
    if (route.pointer) {
      const content = object(documents.find((d) => d.address === route.address)?.content);
      const operation = object(object(object(content.paths)[route.path ?? ""])[route.httpMethod === "ANY" ? "x-amazon-apigateway-any-method" : route.httpMethod.toLowerCase()]);
      raw = object(operation["x-amazon-apigateway-integration"]);
      authorizer = documentAuthorizer(b, api, content, operation);
    } else {
      const method = stack.block(route.address)!;
      raw = integrationOf(method, elements.filter((e) => e.type === "aws_api_gateway_integration"))?.body;
      const block = stack.referenced(method.body.authorizer_id, "aws_api_gateway_authorizer");
      authorizer = block && b.has(block.address) ? block.address : undefined;
    }
    // API Gateway answers a CORS preflight itself: no integration worth an edge of its own.
    const preflight = route.httpMethod === "OPTIONS" && lower(raw?.type) === "mock";
    const tags = [AUTH_TAGS[route.authorization], route.apiKeyRequired ? "API key" : undefined, preflight ? "CORS preflight" : undefined].filter(Boolean);
    return {
      method: route.httpMethod,
      path: route.path ?? "?",
      ...(tags.length ? { auth: `${tags.join(" + ")}${route.scopes.length ? ` (${route.scopes.join(", ")})` : ""}` } : {}),
      ...(authorizer ? { authorizer } : {}),
      ...(raw && Object.keys(raw).length && !preflight ? { integration: restIntegration(raw, !!route.pointer) } : {}),
      address: route.address,
    };
  });
}

function restIntegration(raw: Raw, document: boolean): Integration {
  const field = (resource: string, extension: string) => (document ? raw[extension] : raw[resource]);
  return {
    type: lower(raw.type),
    uri: raw.uri,
    ...(text(field("integration_subtype", "integrationSubtype")) ? { subtype: field("integration_subtype", "integrationSubtype") } : {}),
    ...(text(field("connection_type", "connectionType")) ? { connectionType: String(field("connection_type", "connectionType")).toUpperCase() } : {}),
    ...(field("connection_id", "connectionId") !== undefined ? { connectionId: field("connection_id", "connectionId") } : {}),
    naming: [raw.uri, field("request_parameters", "requestParameters"), field("request_templates", "requestTemplates")],
  };
}

/** The authorizer an operation of a document names through its security schemes, drawn once per scheme. */
function documentAuthorizer(b: Builder, api: Block, content: Raw, operation: Raw): string | undefined {
  const schemes = object(object(content.components).securitySchemes ?? content.securityDefinitions);
  const names = ([] as unknown[]).concat(operation.security ?? content.security ?? []).flatMap((r) => Object.keys(object(r)));
  for (const name of names) {
    const settings = object(object(schemes[name])["x-amazon-apigateway-authorizer"]);
    if (!Object.keys(settings).length) continue;
    const id = `${api.address}#authorizer:${name}`;
    return authorizerNode(b, api, id, `${lower(settings.type)} authorizer ${name}`, settings.authorizerUri, settings.providerARNs, []);
  }
  return undefined;
}

function authorizerNode(b: Builder, api: Block, id: string, title: string, uri: unknown, providers: unknown, addresses: string[], details: string[] = []): string {
  const pools = ([] as unknown[]).concat(providers ?? []).map((p) => display(b.stack, p).replace(/^arn:[^:]+:cognito-idp:[^:]*:[^:]*:userpool\//, ""));
  b.node({ id, kind: "authorizer", title, cluster: api.address, details: [...details, ...(pools.length ? [`user pools: ${pools.join(", ")}`] : [])] }, addresses);
  if (uri !== undefined) {
    const target = targetOf(b, api, { type: "aws_proxy", uri, naming: [uri] });
    b.edge(id, target.id, undefined, true);
  }
  return id;
}

// --- HTTP and WebSocket APIs ----------------------------------------------------------------

function httpApis(b: Builder): void {
  const { stack } = b;
  for (const api of stack.resources("aws_apigatewayv2_api")) {
    const protocol = String(api.body.protocol_type ?? "HTTP").toUpperCase();
    const kind = protocol === "WEBSOCKET" ? "WebSocket" : "HTTP";
    const ofApi = (type: string) => stack.resources(type).filter((r) => stack.identifies(r.body.api_id, api, "id"));
    const stages = ofApi("aws_apigatewayv2_stage");
    b.cluster(api.address, `${kind} API ${nameOf(api)}`);
    b.node(
      {
        id: api.address,
        kind: "api",
        title: `${kind} API`,
        cluster: api.address,
        details: [
          ...(api.body.disable_execute_api_endpoint === true ? ["default endpoint off"] : []),
          ...stages.map((s) => {
            const defaults = object(blocks(s.body.default_route_settings)[0]);
            const parts = [throttle(defaults.throttling_rate_limit, defaults.throttling_burst_limit), s.body.auto_deploy === true ? "auto-deploy" : undefined].filter(Boolean);
            return `stage ${display(stack, s.body.name)}${parts.length ? `: ${parts.join(", ")}` : ""}`;
          }),
        ],
      },
      [api.address, ...stages.map((s) => s.address), ...ofApi("aws_apigatewayv2_deployment").map((d) => d.address)],
    );
    if (api.body.disable_execute_api_endpoint !== true) b.edge(internet(b), api.address, "default endpoint");
    for (const authorizer of ofApi("aws_apigatewayv2_authorizer")) {
      const jwt = object(blocks(authorizer.body.jwt_configuration)[0]);
      const type = String(authorizer.body.authorizer_type ?? "REQUEST").toUpperCase();
      authorizerNode(b, api, authorizer.address, `${type === "JWT" ? "JWT" : "Lambda"} authorizer ${nameOf(authorizer)}`, authorizer.body.authorizer_uri, undefined, [authorizer.address], jwt.issuer ? [`issuer ${display(stack, jwt.issuer)}`] : []);
    }
    const integrations = ofApi("aws_apigatewayv2_integration");
    const routes: Route[] = ofApi("aws_apigatewayv2_route").map((route) => {
      const [method, path] = String(route.body.route_key).includes(" ") ? String(route.body.route_key).split(" ", 2) : ["", String(route.body.route_key)];
      const integration = integrations.find((i) => referencesIn(route.body.target).some((r) => r.address === i.address));
      const authorizer = stack.referenced(route.body.authorizer_id, "aws_apigatewayv2_authorizer");
      const scopes = ([] as unknown[]).concat(route.body.authorization_scopes ?? []).map(String);
      const auth = [AUTH_TAGS[String(route.body.authorization_type ?? "NONE").toUpperCase()], route.body.api_key_required === true ? "API key" : undefined].filter(Boolean).join(" + ");
      const target = integration?.body;
      return {
        method,
        path,
        ...(auth ? { auth: `${auth}${scopes.length ? ` (${scopes.join(", ")})` : ""}` } : {}),
        ...(authorizer && b.has(authorizer.address) ? { authorizer: authorizer.address } : {}),
        ...(target
          ? {
              integration: {
                type: lower(target.integration_type),
                uri: target.integration_uri,
                ...(text(target.integration_subtype) ? { subtype: target.integration_subtype } : {}),
                ...(text(target.connection_type) ? { connectionType: String(target.connection_type).toUpperCase() } : {}),
                ...(target.connection_id !== undefined ? { connectionId: target.connection_id } : {}),
                naming: [target.integration_uri, target.request_parameters, target.request_templates],
              },
            }
          : {}),
        address: route.address,
      };
    });
    b.addAddresses(api.address, integrations.map((i) => i.address));
    // Quick create: the API's own target is its $default route.
    if (api.body.target !== undefined) routes.push({ method: "", path: "$default", integration: { type: "aws_proxy", uri: api.body.target, naming: [api.body.target] }, address: api.address });
    if (api.body.body !== undefined) {
      const definition = restDefinition(stack, api);
      routes.push(...restRoutes(b, api, definition.routes, []));
    }
    routeGroups(b, api, routes, kind === "WebSocket");
  }
}

// --- routes and what they integrate with ----------------------------------------------------

/** Routes grouped by their first path segment (WebSocket routes in one group), each group a node. */
function routeGroups(b: Builder, api: Block, routes: readonly Route[], websocket = false): void {
  const groups = new Map<string, Route[]>();
  for (const route of routes) {
    const key = websocket ? "routes" : route.path.startsWith("/") ? `/${route.path.split("/")[1]}` : route.path;
    groups.set(key, [...(groups.get(key) ?? []), route]);
  }
  for (const [key, members] of groups) {
    const id = `${api.address}#routes:${key}`;
    const lines = new Map<string, string[]>();
    for (const route of members) {
      const line = `${route.path}${route.auth ? ` · ${route.auth}` : ""}`;
      lines.set(line, [...(lines.get(line) ?? []), route.method].filter(Boolean));
    }
    const details = [...lines.entries()].map(([line, methods]) => (methods.length ? `${methods.join(", ")} ${line}` : line));
    // A route resource belongs to its group; a document stays with its API.
    b.node({ id, kind: "routes", title: websocket ? "routes" : key, cluster: api.address, details }, members.map((m) => m.address).filter((a) => !b.ownerOf(a)));
    b.edge(api.address, id);
    for (const route of members) {
      if (route.authorizer) b.edge(route.authorizer, id, "authorizes", true);
      if (!route.integration) continue;
      const target = targetOf(b, api, route.integration);
      if (target.via) {
        b.edge(id, target.via, "VPC link");
        b.edge(target.via, target.id, target.label);
      } else b.edge(id, target.id, target.label);
    }
  }
}

/** The node a route's integration leads to, through its VPC link if it has one, and the edge's label. */
function targetOf(b: Builder, api: Block, integration: Integration): { id: string; label?: string; via?: string } {
  const { stack } = b;
  const link = integration.connectionType === "VPC_LINK" ? vpcLink(b, integration.connectionId) : undefined;
  const via = link?.id;
  const uri = text(integration.uri) ?? "";
  const service = /^arn:[^:]+:apigateway:[^:]*:([^:]+):(?:action\/([^/?&]+)|path\/)/.exec(uri);
  const subtype = integration.subtype ? /^([A-Za-z]+)-(\w+)$/.exec(integration.subtype) : null;
  const action = service && service[1] !== "lambda" ? (service[2] ?? "path") : subtype ? subtype[2] : undefined;
  const kindLabel = action ?? (integration.type.startsWith("http") ? "HTTP" : undefined);
  const serviceName = service?.[1] ?? subtype?.[1]?.toLowerCase();
  const labelled = (id: string, label = kindLabel) => ({ id, ...(label ? { label } : {}), ...(via ? { via } : {}) });
  if (integration.type === "mock") {
    return { id: b.node({ id: `${api.address}#mock`, kind: "mock", title: "mock response", cluster: api.address, details: [] }) };
  }
  const named =
    referencesIn(integration.naming)
      .map((r) => stack.block(r.address))
      .find((block): block is Block => !!block && !block.address.startsWith("data.") && !NOT_TARGETS.test(block.type)) ?? namedLiterally(stack, serviceName, integration.naming);
  if (named) return labelled(resourceNode(b, named));
  // A REST VPC link leads to its load balancer whatever the URI says: the URI only sets the Host header and path.
  if (link?.target) return labelled(link.target);
  const functionName = /:function:([^:/}]+)/.exec(uri)?.[1];
  if (functionName) return { id: b.node({ id: `function:${functionName}`, kind: "function", title: `Lambda ${functionName}`, details: ["not in this stack"] }) };
  if (serviceName) {
    const title = SERVICE_TITLES[serviceName] ?? serviceName;
    return labelled(b.node({ id: `service:${serviceName}`, kind: "service", title, details: ["not in this stack"] }), action);
  }
  const balancer = loadBalancerNode(b, uri);
  if (balancer) return labelled(balancer);
  const origin = /^(https?:\/\/[^/{}$]+)/.exec(uri)?.[1];
  if (origin) return labelled(b.node({ id: `backend:${origin}`, kind: "backend", title: `HTTP ${origin.replace(/^https?:\/\//, "")}`, details: [origin] }), "HTTP");
  const shown = display(stack, integration.uri);
  return labelled(b.node({ id: `backend:${shown}`, kind: "backend", title: `${integration.type || "integration"} ${shown}`, details: [] }));
}

/** The node of a resource of the stack that requests reach (a function, a queue, a load balancer). */
function resourceNode(b: Builder, block: Block): string {
  const kind = block.type === "aws_lambda_function" ? "function" : TARGET_TITLES[block.type] ? "service" : "backend";
  const details = block.type === "aws_lambda_function" ? [String(block.body.runtime ?? "")].filter(Boolean) : [];
  return b.node({ id: block.address, kind, title: `${TARGET_TITLES[block.type] ?? block.type} ${nameOf(block)}`, details }, [block.address]);
}

/**
 * The one resource of the service's types whose literal name the integration's URI, parameters or
 * templates mention (a mapping template that sets `"StreamName": "orders"`), when there is exactly one.
 */
function namedLiterally(stack: StackView, service: string | undefined, naming: unknown[]): Block | undefined {
  const written = JSON.stringify(naming);
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const candidates = (SERVICE_TYPES[service ?? ""] ?? [])
    .flatMap((type) => stack.resources(type))
    .filter((block) => {
      const name = nameOf(block);
      return name !== block.name && new RegExp(`(^|[^\\w.-])${escape(name)}($|[^\\w.-])`).test(written);
    });
  return candidates.length === 1 ? candidates[0] : undefined;
}

const ELB_ARN = /^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:(?:loadbalancer|listener)\/(net|app|gwy)\/([^/]+)\/[^/]+/;
const ELB_TYPES: Readonly<Record<string, string>> = { net: "NLB", app: "ALB", gwy: "GWLB" };

function loadBalancerTitle(arn: string): string | undefined {
  const match = ELB_ARN.exec(arn);
  return match ? `${ELB_TYPES[match[1]]} ${match[2]}` : undefined;
}

/** An Elastic Load Balancing ARN the stack does not manage (a load balancer, or one of its listeners), as the load balancer's node. */
function loadBalancerNode(b: Builder, arn: string): string | undefined {
  const match = ELB_ARN.exec(arn);
  if (!match) return undefined;
  const balancer = match[0].replace(":listener/", ":loadbalancer/");
  return b.node({ id: `backend:${balancer}`, kind: "backend", title: loadBalancerTitle(arn)!, details: ["not in this stack"] });
}

/** A VPC link's node, and for a REST API's link (to one network load balancer) that load balancer's node. */
function vpcLink(b: Builder, id: unknown): { id: string; target?: string } {
  const { stack } = b;
  const link = stack.referenced(id, "aws_api_gateway_vpc_link") ?? stack.referenced(id, "aws_apigatewayv2_vpc_link");
  if (!link) return { id: b.node({ id: `vpc-link:${display(stack, id)}`, kind: "vpc-link", title: `VPC link ${display(stack, id)}`, details: ["not in this stack"] }) };
  if (link.type === "aws_api_gateway_vpc_link") {
    const arns = ([] as unknown[]).concat(link.body.target_arns ?? []);
    const targets = arns.map((t) => loadBalancerTitle(String(t)) ?? display(stack, t));
    const node = b.node({ id: link.address, kind: "vpc-link", title: `VPC link ${nameOf(link)}`, details: [`to ${targets.join(", ") || "?"}`] }, [link.address]);
    const block = stack.referenced(arns[0]);
    const target = block && !block.address.startsWith("data.") ? resourceNode(b, block) : loadBalancerNode(b, String(arns[0]));
    return { id: node, ...(arns.length === 1 && target ? { target } : {}) };
  }
  const subnets = ([] as unknown[]).concat(link.body.subnet_ids ?? []).length;
  const groups = ([] as unknown[]).concat(link.body.security_group_ids ?? []).map((g) => rulesOf(stack, g, "egress"));
  const details = [`${subnets} subnet${subnets === 1 ? "" : "s"}`, ...groups.flatMap((g) => g.lines)];
  return { id: b.node({ id: link.address, kind: "vpc-link", title: `VPC link ${nameOf(link)}`, details }, [link.address, ...groups.flatMap((g) => g.addresses)]) };
}

// --- base path and API mappings -------------------------------------------------------------

function mappings(b: Builder): void {
  const { stack } = b;
  const apis = [...stack.resources("aws_api_gateway_rest_api"), ...stack.resources("aws_apigatewayv2_api")];
  const domainsOf = (value: unknown) => [...stack.resources("aws_api_gateway_domain_name"), ...stack.resources("aws_apigatewayv2_domain_name")].filter((d) => ["domain_name", "domain_name_id", "id"].some((attribute) => stack.identifies(value, d, attribute)));
  const map = (mapping: Block, domainValue: unknown, key: unknown, stage: unknown) => {
    const api = apis.find((a) => stack.identifies(mapping.body.api_id, a, "id"));
    const [domain] = domainsOf(domainValue);
    if (!api || !domain || !b.has(domain.address)) return;
    const stageBlock = stack.referenced(stage);
    const stageName = stageBlock ? display(stack, stageBlock.body.stage_name ?? stageBlock.body.name) : display(stack, stage);
    b.addAddresses(domain.address, [mapping.address]);
    b.edge(domain.address, api.address, `/${key && key !== "(none)" ? display(stack, key) : ""} → ${stageName}`);
  };
  for (const m of stack.resources("aws_api_gateway_base_path_mapping")) map(m, m.body.domain_name_id ?? m.body.domain_name, m.body.base_path, m.body.stage_name);
  for (const m of stack.resources("aws_apigatewayv2_api_mapping")) map(m, m.body.domain_name, m.body.api_mapping_key, m.body.stage);
}

// --- where requests lead on to ----------------------------------------------------------------

/**
 * What happens behind the integrations: a Firehose delivery stream's source stream and bucket, a
 * queue's dead-letter queue, and what each drawn function calls (the tables, queues, streams and
 * APIs its role's policies allow actions on, or its environment names).
 */
function flows(b: Builder): void {
  const { stack } = b;
  for (const delivery of stack.resources("aws_kinesis_firehose_delivery_stream")) {
    const source = stack.referenced(object(blocks(delivery.body.kinesis_source_configuration)[0]).kinesis_stream_arn, "aws_kinesis_stream");
    const destination = object(blocks(delivery.body.extended_s3_configuration ?? delivery.body.s3_configuration)[0]);
    const bucket = stack.referenced(destination.bucket_arn, "aws_s3_bucket");
    const firehose = resourceNode(b, delivery);
    if (source) b.edge(resourceNode(b, source), firehose);
    if (bucket) b.edge(firehose, resourceNode(b, bucket), typeof destination.prefix === "string" ? `${destination.prefix.split("/")[0]}/` : undefined);
  }
  const redrives = [
    ...stack.resources("aws_sqs_queue").map((queue) => ({ queue, policy: queue.body.redrive_policy, address: [] as string[] })),
    ...stack.resources("aws_sqs_queue_redrive_policy").map((r) => ({ queue: stack.referenced(r.body.queue_url, "aws_sqs_queue"), policy: r.body.redrive_policy, address: [r.address] })),
  ];
  for (const { queue, policy, address } of redrives) {
    const dlq = referencesIn(policy)
      .map((r) => stack.block(r.address))
      .find((block) => block?.type === "aws_sqs_queue");
    if (!queue || !dlq) continue;
    const receives = /maxReceiveCount\W+(\d+)/.exec(JSON.stringify(policy))?.[1];
    const node = resourceNode(b, queue);
    b.addAddresses(node, address);
    b.edge(node, resourceNode(b, dlq), `dead letters${receives ? ` after ${receives} receives` : ""}`);
  }
  for (const fn of stack.resources("aws_lambda_function").filter((f) => b.has(f.address))) {
    const calls = new Map<string, Set<string>>();
    const call = (block: Block | undefined, actions: readonly string[] = []) => {
      // A stage stands for its API: the node a reader knows.
      const target = block?.type === "aws_apigatewayv2_stage" ? stack.referenced(block.body.api_id, "aws_apigatewayv2_api") : block;
      if (!target || target.address === fn.address || !(TARGET_TITLES[target.type] || target.type === "aws_apigatewayv2_api")) return;
      const id = target.type === "aws_apigatewayv2_api" ? target.address : resourceNode(b, target);
      calls.set(id, new Set([...(calls.get(id) ?? []), ...actions]));
    };
    referencesIn(fn.body.environment).forEach((r) => call(stack.block(r.address)));
    for (const statement of roleStatements(stack, fn.body.role)) {
      referencesIn(statement.resources).forEach((r) => call(stack.block(r.address), statement.actions));
      for (const arn of ([] as unknown[]).concat(statement.resources ?? []).filter((r): r is string => typeof r === "string" && !r.includes("${"))) {
        const id = arnNode(b, arn);
        if (id) calls.set(id, new Set([...(calls.get(id) ?? []), ...statement.actions]));
      }
    }
    calls.forEach((actions, id) => b.edge(fn.address, id, [...actions].join(", ") || undefined));
  }
}

/** How ARNs name the resources a function may call, by type. */
const ARN_NAMES: Readonly<Record<string, RegExp>> = {
  aws_s3_bucket: /^arn:[^:]+:s3:::([^/*]+)/,
  aws_dynamodb_table: /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/*]+)/,
  aws_sqs_queue: /^arn:[^:]+:sqs:[^:]*:[^:]*:([^:/*]+)$/,
  aws_kinesis_stream: /^arn:[^:]+:kinesis:[^:]*:[^:]*:stream\/([^/*]+)/,
  aws_sns_topic: /^arn:[^:]+:sns:[^:]*:[^:]*:([^:/*]+)$/,
};

/** The node of a resource a policy names by its literal ARN: the stack's resource of that name, else one not in this stack. */
function arnNode(b: Builder, arn: string): string | undefined {
  for (const [type, pattern] of Object.entries(ARN_NAMES)) {
    const name = pattern.exec(arn)?.[1];
    if (!name) continue;
    const block = b.stack.resources(type).find((r) => nameOf(r) === name);
    return block ? resourceNode(b, block) : b.node({ id: `${type}:${name}`, kind: "service", title: `${TARGET_TITLES[type]} ${name}`, details: ["not in this stack"] });
  }
  return undefined;
}

/** The Allow statements of a role's inline policies (aws_iam_role_policy), actions without their service prefix. */
function roleStatements(stack: StackView, role: unknown): { actions: string[]; resources: unknown }[] {
  const block = stack.referenced(role, "aws_iam_role");
  if (!block) return [];
  return stack
    .resources("aws_iam_role_policy")
    .filter((p) => stack.identifies(p.body.role, block, "name") || stack.identifies(p.body.role, block, "id"))
    .flatMap((p) => {
      try {
        return blocks(JSON.parse(String(p.body.policy)).Statement);
      } catch {
        return [];
      }
    })
    .filter((statement) => statement.Effect === "Allow")
    .map((statement) => ({ actions: ([] as unknown[]).concat(statement.Action ?? []).map((a) => String(a).replace(/^[^:]*:/, "")), resources: statement.Resource }));
}

// --- the account's CloudWatch role ----------------------------------------------------------

function account(b: Builder): void {
  const { stack } = b;
  for (const setting of stack.resources("aws_api_gateway_account")) {
    b.node({ id: setting.address, kind: "account", title: "API Gateway account setting", details: [`region ${stack.regionOf(setting) ?? "?"}`, "one per account and region"] }, [setting.address]);
    const role = stack.referenced(setting.body.cloudwatch_role_arn, "aws_iam_role");
    if (role) {
      const attached = stack.resources("aws_iam_role_policy_attachment").filter((a) => stack.identifies(a.body.role, role, "name"));
      const policies = attached.map((a) => display(stack, a.body.policy_arn).split("/").pop()!);
      b.node({ id: role.address, kind: "role", title: `IAM role ${nameOf(role)}`, details: [...policies, ...(String(role.body.assume_role_policy).includes("apigateway.amazonaws.com") ? ["trusted by apigateway.amazonaws.com"] : [])] }, [role.address, ...attached.map((a) => a.address)]);
      b.edge(setting.address, role.address, "CloudWatch role");
    } else if (setting.body.cloudwatch_role_arn !== undefined) {
      const arn = display(stack, setting.body.cloudwatch_role_arn);
      b.node({ id: `role:${arn}`, kind: "role", title: `IAM role ${arn.split("/").pop()}`, details: ["not in this stack"] });
      b.edge(setting.address, `role:${arn}`, "CloudWatch role");
    }
  }
  // An environment checks at plan time that its account's role exists.
  for (const check of stack.dataSources("aws_iam_roles").filter((d) => blocks(object(d.body.lifecycle).postcondition).length > 0)) {
    const name = String(check.body.name_regex ?? check.name).replace(/^\^|\$$/g, "");
    b.node({ id: check.address, kind: "role", title: `IAM role ${name}`, details: ["API Gateway's CloudWatch role", "must exist at plan time"] }, [check.address]);
  }
}

// --- Terraform Cloud ------------------------------------------------------------------------

/**
 * A stack that manages Terraform Cloud: one box per project holding its workspaces, each with the
 * AWS role its runs assume, run triggers between workspaces, and the OIDC providers that let runs in.
 */
function terraformCloud(b: Builder): void {
  const { stack } = b;
  const projects = stack.resources("tfe_project");
  projects.forEach((project) => b.cluster(project.address, `Terraform Cloud project ${nameOf(project)}`));
  const workspaces = stack.resources("tfe_workspace");
  const ofWorkspace = (type: string, workspace: Block) => stack.resources(type).filter((r) => stack.identifies(r.body.workspace_id, workspace, "id"));
  for (const workspace of workspaces) {
    const project = projects.find((p) => stack.identifies(workspace.body.project_id, p, "id"));
    const settings = ofWorkspace("tfe_workspace_settings", workspace);
    const variables = ofWorkspace("tfe_variable", workspace);
    // TFC_AWS_RUN_ROLE_ARN serves every phase unless TFC_AWS_PLAN_ROLE_ARN names the plan's own.
    const roles = variables.flatMap((v) => {
      const role = stack.referenced(v.body.value, "aws_iam_role");
      if (!role) return [];
      const attached = stack.resources("aws_iam_role_policy_attachment").filter((a) => stack.identifies(a.body.role, role, "name"));
      const phase = text(v.body.key) === "TFC_AWS_PLAN_ROLE_ARN" ? "plan" : "run";
      return [{ role, attached, line: `AWS ${phase} role ${nameOf(role)}${attached.length ? `: ${attached.map((a) => display(stack, a.body.policy_arn).split("/").pop()).join(", ")}` : ""}` }];
    });
    const mode = settings.map((s) => text(s.body.execution_mode)).find(Boolean) ?? text(workspace.body.execution_mode);
    const details = [
      ...(mode ? [`${mode} execution`] : []),
      workspace.body.auto_apply === true ? "auto-apply" : "apply after confirmation",
      ...roles.map((r) => r.line),
    ];
    b.node(
      { id: workspace.address, kind: "workspace", title: `workspace ${nameOf(workspace)}`, details, ...(project ? { cluster: project.address } : {}) },
      [workspace.address, ...settings.map((s) => s.address), ...variables.map((v) => v.address), ...roles.flatMap((r) => [r.role.address, ...r.attached.map((a) => a.address)])],
    );
    const provider = roles.length > 0 && referencesIn(roles[0].role.body.assume_role_policy).map((r) => stack.block(r.address)).find((p) => p?.type === "aws_iam_openid_connect_provider");
    if (provider) {
      const alias = text(provider.body.provider)?.replace(/^aws\./, "");
      const account = blocks(stack.json.provider?.aws).find((p) => p.alias === alias)?.allowed_account_ids?.[0];
      const id = b.node({ id: provider.address, kind: "role", title: `OIDC provider ${display(stack, provider.body.url).replace(/^https:\/\//, "")}`, details: account ? [`account ${account}`] : [] }, [provider.address]);
      b.edge(workspace.address, id, "AWS credentials", true);
    }
  }
  for (const trigger of stack.resources("tfe_run_trigger")) {
    const source = workspaces.find((w) => stack.identifies(trigger.body.sourceable_id, w, "id"));
    const target = workspaces.find((w) => stack.identifies(trigger.body.workspace_id, w, "id"));
    if (!source || !target) continue;
    b.addAddresses(target.address, [trigger.address]);
    b.edge(source.address, target.address, "run trigger");
  }
}

// --- everything else ------------------------------------------------------------------------

/**
 * Folds each resource not drawn into a node it belongs to: first the node of a resource that uses
 * it (a function's role and log group), then a node it uses (a role's policy, a Lambda permission).
 * What belongs nowhere is listed in one node, so that nothing in the stack goes unmentioned.
 */
function foldTheRest(b: Builder): void {
  const { stack } = b;
  const all = allBlocks(stack);
  // depends_on and replace_triggered_by name addresses without `${}`.
  const named = (value: unknown) => referencesIn(([] as unknown[]).concat(value ?? []).map((a) => `\${${String(a)}}`)).map((r) => r.address);
  const uses = new Map(all.map((block) => [block.address, [...referencesIn(block.body).map((r) => r.address), ...named(block.body.depends_on), ...named(object(block.body.lifecycle).replace_triggered_by)]]));
  let pending = all.filter((block) => !b.drawn().has(block.address));
  for (let changed = true; changed && pending.length; ) {
    changed = false;
    for (const block of pending) {
      const user = all.find((other) => other.address !== block.address && uses.get(other.address)!.includes(block.address) && b.ownerOf(other.address));
      // A policy or attachment belongs with its role, not with what it grants access to.
      const used = [...uses.get(block.address)!].sort((x, y) => Number(y.startsWith("aws_iam_role.")) - Number(x.startsWith("aws_iam_role."))).map((a) => b.ownerOf(a)).find(Boolean);
      const owner = user ? b.ownerOf(user.address) : used;
      if (owner) {
        b.addAddresses(owner, [block.address]);
        changed = true;
      }
    }
    pending = pending.filter((block) => !b.ownerOf(block.address));
  }
  if (!pending.length) return;
  const counts = new Map<string, number>();
  pending.forEach((block) => counts.set(block.type, (counts.get(block.type) ?? 0) + 1));
  b.node({ id: "other", kind: "other", title: "not drawn", details: [...counts.entries()].map(([type, n]) => `${n} × ${type}`) }, pending.map((p) => p.address));
}

/** The diagram with each finding on the node that stands for its resource (or on "not drawn"). */
export function withFindings(diagram: Diagram, findings: readonly Finding[]): Diagram {
  const own = findings.filter((f) => f.stack === diagram.stack);
  const nodeOf = (address: string) => diagram.nodes.find((n) => n.addresses.includes(address))?.id ?? "other";
  let nodes = diagram.nodes;
  if (own.some((f) => nodeOf(f.address) === "other") && !nodes.some((n) => n.id === "other")) {
    nodes = [...nodes, { id: "other", kind: "other", title: "not drawn", details: [], addresses: [], findings: [] }];
  }
  return {
    ...diagram,
    nodes: nodes.map((n) => {
      const mine = own.filter((f) => nodeOf(f.address) === n.id).map((f) => ({ rule: f.rule, severity: f.severity }));
      return mine.length ? { ...n, findings: [...n.findings, ...mine] } : n;
    }),
  };
}
