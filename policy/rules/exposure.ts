import { cidrBreadth } from "../../config/formats";
import { statementsOf } from "../policy-document";
import { restDefinition } from "../rest-routes";
import { Block, blocks, referencesIn, StackView } from "../stack";
import type { Rule, Violation } from "../types";
import { isPrivate } from "./rest-api";

/** Whether an OpenAPI document turns the default endpoint off (Swagger 2 at the top, OpenAPI 3 on a Server object). */
function documentDisables(content: Record<string, any> | undefined): boolean {
  if (!content) return false;
  return [content, ...[].concat(content.servers ?? [])].some((holder: any) => holder?.["x-amazon-apigateway-endpoint-configuration"]?.disableExecuteApiEndpoint === true);
}

/** Whether a REST API's default endpoint is off: by its attribute or its body, and in every overwriting put's document. */
function restEndpointDisabled(stack: StackView, api: Block): boolean {
  const { documents } = restDefinition(stack, api);
  const puts = documents.filter((d) => d.source === "put");
  const body = documents.find((d) => d.source === "body");
  return (api.body.disable_execute_api_endpoint === true || documentDisables(body?.content)) && puts.every((d) => documentDisables(d.content));
}

const mapsApi = (stack: StackView, type: string, api: Block) => stack.resources(type).some((m) => referencesIn(m.body.api_id).some((r) => r.address === api.address));

export const defaultEndpointDisabled: Rule = {
  id: "APIGW-DEFAULT-ENDPOINT",
  severity: "error",
  message: "A REST or HTTP API that a custom domain maps must have its default execute-api endpoint disabled",
  explanation:
    "The default https://<api-id>.execute-api.<region>.amazonaws.com endpoint of edge and regional APIs accepts TLS 1.0 and bypasses whatever the custom domain adds (its TLS policy, its mapping, a CDN or WAF in front of it). Set disable_execute_api_endpoint; with an OpenAPI document that overwrites the API, also x-amazon-apigateway-endpoint-configuration.disableExecuteApiEndpoint in the document. Private APIs are exempt (reached through their VPC endpoints only), and so are WebSocket APIs: API Gateway enforces TLS 1.2 on every WebSocket endpoint, and backends post to connections through the @connections management API, which is documented on the execute-api name only.",
  references: [
    "AWS docs: Disable the default endpoint for REST APIs",
    "AWS docs: x-amazon-apigateway-endpoint-configuration object",
    "Terraform AWS provider docs: aws_api_gateway_rest_api (disable_execute_api_endpoint)",
    "AWS docs: Security policy for WebSocket APIs in API Gateway",
    "AWS docs: Use @connections commands in your backend service",
  ],
  check: (stack) => [
    ...stack
      .resources("aws_api_gateway_rest_api")
      .filter((api) => !isPrivate(api) && mapsApi(stack, "aws_api_gateway_base_path_mapping", api) && !restEndpointDisabled(stack, api))
      .map((api) => ({ address: api.address })),
    ...stack
      .resources("aws_apigatewayv2_api")
      .filter((api) => api.body.protocol_type !== "WEBSOCKET" && mapsApi(stack, "aws_apigatewayv2_api_mapping", api) && api.body.disable_execute_api_endpoint !== true)
      .map((api) => ({ address: api.address })),
  ],
};

/** What a VPC endpoint policy allows without naming whose resources: an Allow on `*` (or a wildcard account) with no resource-account or organization condition. */
function unscopedAllows(stack: StackView, policy: unknown): string[] {
  const statements = statementsOf(stack, policy);
  if (statements === undefined) return [];
  return statements
    .filter((s) => s.effect === "Allow")
    .filter((s) => !s.conditions.some((c) => /^aws:(ResourceAccount|ResourceOrgID|ResourceOrgPaths)$/i.test(c.variable)))
    .flatMap((s) => [...s.resources, ...(s.notResources.length ? ["NotResource"] : [])].filter((r) => r === "*" || r === "NotResource" || r.split(":")[4] === "*" || r.split(":")[4] === ""))
    .map((r) => `allows ${r} of any account`);
}

export const vpcEndpointPolicy: Rule = {
  id: "APIGW-VPCE-POLICY",
  severity: "error",
  message: "An interface or gateway VPC endpoint must have a policy that confines it to the resources of named accounts or organizations",
  explanation:
    "Without a policy an endpoint allows every action on every resource of every account: hosts in the VPC can, for example, invoke any account's private APIs through the execute-api endpoint and send data out that way. Attach a policy (the policy attribute or aws_vpc_endpoint_policy) whose Allow statements name the resources' accounts in their ARNs or carry an aws:ResourceAccount / aws:ResourceOrgID condition.",
  references: ["AWS docs: Use VPC endpoint policies for private APIs in API Gateway", "AWS PrivateLink: Control access to VPC endpoints using endpoint policies"],
  check: (stack) =>
    stack.resources("aws_vpc_endpoint").flatMap((endpoint) => {
      const attached = stack.resources("aws_vpc_endpoint_policy").filter((p) => stack.identifies(p.body.vpc_endpoint_id, endpoint, "id"));
      const policies = [...(endpoint.body.policy !== undefined ? [{ address: endpoint.address, value: endpoint.body.policy }] : []), ...attached.map((p) => ({ address: p.address, value: p.body.policy }))];
      if (policies.length === 0) return [{ address: endpoint.address, detail: "no policy: every action on every resource of every account is allowed" }];
      return policies.flatMap(({ address, value }) => {
        const problems = unscopedAllows(stack, value);
        return problems.length ? [{ address, detail: [...new Set(problems)].join(", ") }] : [];
      });
    }),
};

interface IngressSource {
  readonly address: string;
  readonly cidrs: readonly string[];
}

/** Every ingress rule of every security group, whichever of Terraform's three forms it is written in. */
function ingressSources(stack: StackView): IngressSource[] {
  const cidrsOf = (r: Record<string, any>) => [...[].concat(r.cidr_blocks ?? []), ...[].concat(r.ipv6_cidr_blocks ?? [])];
  return [
    ...stack.resources("aws_security_group").flatMap((g) => blocks(g.body.ingress).map((r) => ({ address: g.address, cidrs: cidrsOf(r) }))),
    ...stack.resources("aws_security_group_rule").filter((r) => r.body.type === "ingress").map((r) => ({ address: r.address, cidrs: cidrsOf(r.body) })),
    ...stack.resources("aws_vpc_security_group_ingress_rule").map((r) => ({ address: r.address, cidrs: [r.body.cidr_ipv4, r.body.cidr_ipv6].filter((c): c is string => typeof c === "string") })),
  ];
}

function ingressOfBreadth(stack: StackView, breadth: "open" | "broad"): Violation[] {
  return ingressSources(stack).flatMap(({ address, cidrs }) => {
    const matching = cidrs.filter((c) => typeof c === "string" && !c.includes("${") && cidrBreadth(c) === breadth);
    return matching.length ? [{ address, detail: `from ${matching.join(", ")}` }] : [];
  });
}

export const securityGroupOpenIngress: Rule = {
  id: "APIGW-SG-OPEN",
  severity: "error",
  message: "A security group must not let in traffic from a large part of the internet (IPv4 shorter than /8, IPv6 shorter than /16)",
  explanation:
    "0.0.0.0/0 is not the only way to open a port to the world: 0.0.0.0/1 plus 128.0.0.0/1, or any block shorter than /8, admit most of the internet while slipping past checks that look for 0.0.0.0/0 only. List the ranges that call the service.",
  equivalents: { checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"], securityHub: ["EC2.13", "EC2.14", "EC2.18", "EC2.19"], trivy: ["AVD-AWS-0107"] },
  references: ["Amazon EC2 User Guide: Security group rules"],
  check: (stack) => ingressOfBreadth(stack, "open"),
};

export const securityGroupBroadIngress: Rule = {
  id: "APIGW-SG-BROAD",
  severity: "warning",
  message: "A security group should let in traffic from ranges narrower than a whole private network (IPv4 /16 or longer, IPv6 /32 or longer)",
  explanation:
    "10.0.0.0/8 or 172.16.0.0/12 admit every host of every VPC, peering and on-premises network that uses the range, not the few subnets that call the service; a compromised host anywhere in them can reach it. List the callers' subnets, or suppress with the reason the whole range must reach it.",
  equivalents: { securityHub: ["EC2.18"] },
  references: ["Amazon EC2 User Guide: Security group rules", "AWS Well-Architected SEC05-BP02 (control traffic at all layers)"],
  check: (stack) => ingressOfBreadth(stack, "broad"),
};

export const aliasTargetReference: Rule = {
  id: "APIGW-ALIAS-REFERENCE",
  severity: "error",
  message: "A Route 53 alias record must point at a resource of the stack by reference, not at a literal name",
  explanation:
    "An alias whose target is a literal name (d-abc123.execute-api..., a CloudFront or load balancer name) outlives the resource it was copied from: once that is deleted, the name can be claimed by someone else and the record serves their content under your domain (subdomain takeover). Reference the target's attribute (e.g. aws_api_gateway_domain_name.x.cloudfront_domain_name) so the record follows, and is destroyed with, the resource.",
  equivalents: { checkov: ["CKV2_AWS_23"] },
  references: ["AWS docs: Route 53 alias records", "OWASP: Subdomain takeover"],
  check: (stack) =>
    stack.resources("aws_route53_record").flatMap((record) => {
      const alias = blocks(record.body.alias)[0];
      if (!alias) return [];
      const target = referencesIn(alias.name).find((r) => stack.block(r.address) !== undefined);
      return target ? [] : [{ address: record.address, detail: `alias name ${JSON.stringify(alias.name)} is not a reference to a resource of the stack` }];
    }),
};
