/**
 * The architecture of one stack as a graph, read from its Terraform JSON the way the policy
 * checker reads it (any cdktf output, not only this project's): who calls, through which custom
 * domain or VPC endpoint, which API with its stages, authorizers and routes, and what each route
 * integrates with. Resources that are not drawn on their own are folded into the node they belong to.
 */
import { documentsOf, integrationOf, restDefinition, RestRoute } from "../policy/rest-routes";
import { Block, blocks, referencesIn, soleReference, StackView } from "../policy/stack";
import type { Finding, Severity } from "../policy/types";

export type NodeKind = "caller" | "endpoint" | "domain" | "api" | "authorizer" | "routes" | "function" | "service" | "backend" | "vpc-link" | "mock" | "account" | "role" | "other";

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
  account(b);
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
  for (const endpoint of stack.resources("aws_vpc_endpoint").filter((e) => /\.execute-api$/.test(String(e.body.service_name)))) {
    const groups = ([] as unknown[]).concat(endpoint.body.security_group_ids ?? []).map((g) => ingressOf(stack, g));
    const details = [`in ${display(stack, endpoint.body.vpc_id)}`, `private DNS ${endpoint.body.private_dns_enabled === false ? "off" : "on"}`, ...groups.flatMap((g) => g.lines)];
    b.node({ id: endpoint.address, kind: "endpoint", title: "execute-api VPC endpoint", details }, [endpoint.address, ...groups.flatMap((g) => g.addresses)]);
    const vpc = b.node({ id: `caller:${display(stack, endpoint.body.vpc_id)}`, kind: "caller", title: `VPC ${display(stack, endpoint.body.vpc_id)}`, details: ["clients in the VPC"] });
    b.edge(vpc, endpoint.address, "HTTPS");
  }
}

/** The inbound rules of a security group, as lines (`TCP 443 from a, b`) and the addresses they come from. */
function ingressOf(stack: StackView, group: unknown): { lines: string[]; addresses: string[] } {
  const sg = stack.referenced(group, "aws_security_group");
  if (!sg) return { lines: [`security group ${display(stack, group)} (not in this stack)`], addresses: [] };
  const rules: { block?: Block; protocol: unknown; from: unknown; to: unknown; sources: unknown[] }[] = [
    ...blocks(sg.body.ingress).map((r) => ({ protocol: r.protocol, from: r.from_port, to: r.to_port, sources: [...(r.cidr_blocks ?? []), ...(r.ipv6_cidr_blocks ?? []), ...(r.security_groups ?? [])] })),
    ...stack
      .resources("aws_vpc_security_group_ingress_rule")
      .filter((r) => stack.identifies(r.body.security_group_id, sg, "id"))
      .map((r) => ({ block: r, protocol: r.body.ip_protocol, from: r.body.from_port, to: r.body.to_port, sources: [r.body.cidr_ipv4 ?? r.body.cidr_ipv6 ?? r.body.referenced_security_group_id ?? r.body.prefix_list_id] })),
    ...stack
      .resources("aws_security_group_rule")
      .filter((r) => r.body.type === "ingress" && stack.identifies(r.body.security_group_id, sg, "id"))
      .map((r) => ({ block: r, protocol: r.body.protocol, from: r.body.from_port, to: r.body.to_port, sources: [...(r.body.cidr_blocks ?? []), ...(r.body.ipv6_cidr_blocks ?? []), r.body.source_security_group_id].filter(Boolean) })),
  ];
  const byPort = new Map<string, string[]>();
  for (const rule of rules) {
    const protocol = lower(rule.protocol) === "-1" ? "all traffic" : String(rule.protocol ?? "").toUpperCase();
    const ports = rule.from === rule.to ? `${rule.from}` : `${rule.from}-${rule.to}`;
    const key = protocol === "all traffic" ? protocol : `${protocol} ${ports}`;
    byPort.set(key, [...(byPort.get(key) ?? []), ...rule.sources.map((s) => display(stack, s))]);
  }
  const lines = byPort.size ? [...byPort.entries()].map(([what, from]) => `SG: ${what} from ${[...new Set(from)].join(", ")}`) : ["SG: no inbound rule"];
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
    const tags = [AUTH_TAGS[route.authorization], route.apiKeyRequired ? "API key" : undefined].filter(Boolean);
    return {
      method: route.httpMethod,
      path: route.path ?? "?",
      ...(tags.length ? { auth: tags.join(" + ") } : {}),
      ...(authorizer ? { authorizer } : {}),
      ...(raw && Object.keys(raw).length ? { integration: restIntegration(raw, !!route.pointer) } : {}),
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
  const pools = ([] as unknown[]).concat(providers ?? []).map((p) => display(b.stack, p));
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
  const via = integration.connectionType === "VPC_LINK" ? vpcLink(b, integration.connectionId) : undefined;
  const uri = text(integration.uri) ?? "";
  const service = /^arn:[^:]+:apigateway:[^:]*:([^:]+):(?:action\/([^/?&]+)|path\/)/.exec(uri);
  const subtype = integration.subtype ? /^([A-Za-z]+)-(\w+)$/.exec(integration.subtype) : null;
  const action = service && service[1] !== "lambda" ? (service[2] ?? "path") : subtype ? subtype[2] : undefined;
  const kindLabel = action ?? (integration.type.startsWith("http") ? "HTTP" : undefined);
  if (integration.type === "mock") {
    return { id: b.node({ id: `${api.address}#mock`, kind: "mock", title: "mock response", cluster: api.address, details: [] }) };
  }
  const named = referencesIn(integration.naming)
    .map((r) => stack.block(r.address))
    .find((block): block is Block => !!block && !block.address.startsWith("data.") && !NOT_TARGETS.test(block.type));
  if (named) {
    const kind = named.type === "aws_lambda_function" ? "function" : TARGET_TITLES[named.type] ? "service" : "backend";
    const details = named.type === "aws_lambda_function" ? [String(named.body.runtime ?? "")].filter(Boolean) : [];
    const id = b.node({ id: named.address, kind, title: `${TARGET_TITLES[named.type] ?? named.type} ${nameOf(named)}`, details }, [named.address]);
    return { id, ...(kindLabel ? { label: kindLabel } : {}), ...(via ? { via } : {}) };
  }
  const functionName = /:function:([^:/}]+)/.exec(uri)?.[1];
  if (functionName) return { id: b.node({ id: `function:${functionName}`, kind: "function", title: `Lambda ${functionName}`, details: ["not in this stack"] }) };
  const serviceName = service?.[1] ?? subtype?.[1]?.toLowerCase();
  if (serviceName) {
    const title = SERVICE_TITLES[serviceName] ?? serviceName;
    return { id: b.node({ id: `service:${serviceName}`, kind: "service", title, details: ["not in this stack"] }), ...(action ? { label: action } : {}), ...(via ? { via } : {}) };
  }
  const origin = /^(https?:\/\/[^/{}$]+)/.exec(uri)?.[1];
  if (origin) return { id: b.node({ id: `backend:${origin}`, kind: "backend", title: `HTTP ${origin.replace(/^https?:\/\//, "")}`, details: [origin] }), label: "HTTP", ...(via ? { via } : {}) };
  const shown = display(stack, integration.uri);
  return { id: b.node({ id: `backend:${shown}`, kind: "backend", title: `${integration.type || "integration"} ${shown}`, details: [] }), ...(kindLabel ? { label: kindLabel } : {}), ...(via ? { via } : {}) };
}

function vpcLink(b: Builder, id: unknown): string {
  const { stack } = b;
  const link = stack.referenced(id, "aws_api_gateway_vpc_link") ?? stack.referenced(id, "aws_apigatewayv2_vpc_link");
  if (!link) return b.node({ id: `vpc-link:${display(stack, id)}`, kind: "vpc-link", title: `VPC link ${display(stack, id)}`, details: ["not in this stack"] });
  const targets = ([] as unknown[]).concat(link.body.target_arns ?? []).map((t) => display(stack, t));
  const subnets = ([] as unknown[]).concat(link.body.subnet_ids ?? []).length;
  const details = link.type === "aws_api_gateway_vpc_link" ? [`to ${targets.join(", ") || "?"}`] : [`${subnets} subnet${subnets === 1 ? "" : "s"}`];
  return b.node({ id: link.address, kind: "vpc-link", title: `VPC link ${nameOf(link)}`, details }, [link.address]);
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

// --- everything else ------------------------------------------------------------------------

/**
 * Folds each resource not drawn into a node it belongs to: first the node of a resource that uses
 * it (a function's role and log group), then a node it uses (a role's policy, a Lambda permission).
 * What belongs nowhere is listed in one node, so that nothing in the stack goes unmentioned.
 */
function foldTheRest(b: Builder): void {
  const { stack } = b;
  const all = allBlocks(stack);
  const uses = new Map(all.map((block) => [block.address, [...referencesIn(block.body).map((r) => r.address), ...([] as unknown[]).concat(block.body.depends_on ?? []).map(String)]]));
  let pending = all.filter((block) => !b.drawn().has(block.address));
  for (let changed = true; changed && pending.length; ) {
    changed = false;
    for (const block of pending) {
      const user = all.find((other) => other.address !== block.address && uses.get(other.address)!.includes(block.address) && b.ownerOf(other.address));
      const used = uses.get(block.address)!.map((a) => b.ownerOf(a)).find(Boolean);
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
