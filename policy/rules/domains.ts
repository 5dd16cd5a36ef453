import { DOMAIN_TLS_POLICIES, minimumTlsVersionOf } from "../../config/formats";
import { Block, blocks, referencesIn, soleReference, StackView } from "../stack";
import type { Rule, Violation } from "../types";

/** Security policies that allow TLS 1.0 or 1.1; every other policy requires TLS 1.2 or newer. */

function endpointTypeOf(domain: Block): string {
  const types: string[] = blocks(domain.body.endpoint_configuration).flatMap((c) => [].concat(c.types ?? []));
  return types[0] ?? (domain.body.regional_certificate_arn ? "REGIONAL" : "EDGE");
}

export const domainTls: Rule = {
  id: "APIGW-DOMAIN-TLS",
  severity: "error",
  message: "A custom domain must require TLS 1.2 or newer",
  explanation:
    "TLS 1.0 and 1.1 are deprecated (RFC 8996). Set security_policy to TLS_1_2 or a newer SecurityPolicy_TLS12/TLS13 policy; an unset policy may leave the domain on the service default, and a policy given by a variable or expression cannot be shown to be one of them: write the name. HTTP API (v2) domains take TLS_1_2 only.",
  equivalents: { checkov: ["CKV_AWS_206"], trivy: ["AVD-AWS-0005"] },
  references: ["RFC 8996"],
  check: (stack) => [
    ...stack.resources("aws_api_gateway_domain_name").flatMap((d) => {
      // A variable or expression cannot be shown to require TLS 1.2: only the literal names count.
      const policy = d.body.security_policy;
      return (DOMAIN_TLS_POLICIES.rest as readonly string[]).includes(policy) ? [] : [{ address: d.address, detail: `security_policy is ${policy ?? "unset"}` }];
    }),
    ...stack.resources("aws_apigatewayv2_domain_name").flatMap((d) => {
      const policy = blocks(d.body.domain_name_configuration)[0]?.security_policy;
      return (DOMAIN_TLS_POLICIES.http as readonly string[]).includes(policy) ? [] : [{ address: d.address, detail: `security_policy is ${policy ?? "unset"}` }];
    }),
  ],
};

const ARN_REGION = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):/;

/** The region of a certificate given as an ARN, or as a reference to a certificate (or its validation) in the stack. */
function certificateRegion(stack: StackView, value: unknown): string | undefined {
  if (typeof value === "string") {
    const literal = ARN_REGION.exec(value);
    if (literal) return literal[1];
  }
  const referenced = stack.referenced(value);
  if (referenced?.type === "aws_acm_certificate_validation") return certificateRegion(stack, referenced.body.certificate_arn) ?? stack.regionOf(referenced);
  if (referenced?.type === "aws_acm_certificate") return stack.regionOf(referenced);
  return undefined;
}

export const edgeCertificateRegion: Rule = {
  id: "APIGW-EDGE-CERT-REGION",
  severity: "error",
  message: "An edge-optimized custom domain must use a certificate from us-east-1",
  explanation:
    "Edge-optimized domains are served by CloudFront, which only takes ACM certificates from us-east-1, whatever the API's region. Issue the certificate (and validate it) with a us-east-1 provider or the resource's region argument.",
  references: ["AWS docs: Edge-optimized custom domain names (certificate in us-east-1)"],
  check: (stack) =>
    stack
      .resources("aws_api_gateway_domain_name")
      .filter((d) => endpointTypeOf(d) === "EDGE")
      .flatMap((domain) => {
        const region = certificateRegion(stack, domain.body.certificate_arn);
        if (domain.body.certificate_arn === undefined) return [{ address: domain.address, detail: "no certificate_arn" }];
        return region !== undefined && region !== "us-east-1" ? [{ address: domain.address, detail: `certificate in ${region}` }] : [];
      }),
};

/** The alias target and zone attributes API Gateway provides for each kind of domain. */
const TARGETS: Record<string, { name: string; zone: string }> = {
  EDGE: { name: "cloudfront_domain_name", zone: "cloudfront_zone_id" },
  REGIONAL: { name: "regional_domain_name", zone: "regional_zone_id" },
  HTTP: { name: "target_domain_name", zone: "hosted_zone_id" },
};

export const aliasTargetMatchesDomain: Rule = {
  id: "APIGW-DOMAIN-ALIAS",
  severity: "error",
  message: "A Route 53 alias to an API Gateway domain must use the target and zone id of the domain's endpoint type",
  explanation:
    "Edge domains are reached through cloudfront_domain_name with cloudfront_zone_id, regional REST domains through regional_domain_name with regional_zone_id, HTTP API domains through domain_name_configuration[0].target_domain_name with its hosted_zone_id. A mixed pair, or a pair taken from two domains, makes Route 53 reject the record or resolve to nothing.",
  references: ["AWS docs: Route 53 alias records for API Gateway"],
  check: (stack) => {
    const violations: Violation[] = [];
    for (const record of stack.resources("aws_route53_record")) {
      const alias = blocks(record.body.alias)[0];
      if (!alias) continue;
      const [target] = referencesIn(alias.name).filter((r) => /^aws_(api_gateway|apigatewayv2)_domain_name\./.test(r.address));
      if (!target) continue;
      const domain = stack.block(target.address);
      if (!domain) continue;
      const kind = domain.type === "aws_apigatewayv2_domain_name" ? "HTTP" : endpointTypeOf(domain);
      const expected = TARGETS[kind];
      const nameOk = typeof alias.name === "string" && alias.name.includes(`${domain.address}.`) && alias.name.includes(expected.name);
      const zoneOk = typeof alias.zone_id === "string" && alias.zone_id.includes(`${domain.address}.`) && alias.zone_id.includes(expected.zone);
      if (!nameOk || !zoneOk) {
        violations.push({ address: record.address, detail: `a ${kind} domain needs ${expected.name} with ${expected.zone} of ${domain.address}` });
      }
    }
    return violations;
  },
};

/** Whether two zone_id values name the same zone: the same literal, or references to the same zone block. */
function sameZone(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return false;
  if (a === b) return true;
  const [ra, rb] = [soleReference(a), soleReference(b)];
  return ra !== undefined && rb !== undefined && ra.address === rb.address && /^(data\.)?aws_route53_zone\./.test(ra.address);
}

/** Why the stack shows a zone to be private, or undefined when it does not. */
function privateZoneEvidence(stack: StackView, zoneId: unknown): string | undefined {
  const zone = stack.referenced(zoneId);
  if (zone?.type === "aws_route53_zone" && blocks(zone.body.vpc).length > 0) return `${zone.address} is associated with a VPC`;
  if (zone?.type === "aws_route53_zone" && stack.resources("aws_route53_zone_association").some((a) => stack.identifies(a.body.zone_id, zone, "zone_id") || stack.identifies(a.body.zone_id, zone, "id"))) {
    return `${zone.address} is associated with a VPC`;
  }
  if (zone?.address.startsWith("data.aws_route53_zone.") && zone.body.private_zone === true) return `${zone.address} is a private zone`;
  const alias = stack
    .resources("aws_route53_record")
    .find((r) => sameZone(r.body.zone_id, zoneId) && referencesIn(blocks(r.body.alias)[0]?.name).some((ref) => ref.address.startsWith("aws_vpc_endpoint.") && ref.attribute === "dns_entry"));
  return alias ? `the zone holds ${alias.address}, an alias to a VPC endpoint` : undefined;
}

export const certificateValidationInPublicZone: Rule = {
  id: "APIGW-CERT-VALIDATION-ZONE",
  severity: "error",
  message: "A certificate's DNS validation record must be written in a public hosted zone",
  explanation:
    "ACM validates a public certificate by resolving its validation CNAME over public DNS. A record in a private hosted zone (one associated with a VPC, or holding an alias to a VPC endpoint) is never seen, so the certificate stays pending and aws_acm_certificate_validation times out after 75 minutes. Write the record in a public zone authoritative for the name (the domain's or a parent's), or use an issued certificate.",
  references: ["AWS docs: ACM DNS validation", "AWS docs: Custom domain names for private APIs (public ACM certificate)"],
  check: (stack) =>
    stack.resources("aws_route53_record").flatMap((record) => {
      const { name, records, for_each: forEach } = record.body;
      const validates = referencesIn([name, records, forEach]).some((r) => r.address.startsWith("aws_acm_certificate.") && r.attribute === "domain_validation_options");
      const evidence = validates ? privateZoneEvidence(stack, record.body.zone_id) : undefined;
      return evidence ? [{ address: record.address, detail: evidence }] : [];
    }),
};

export const truststoreVersionPinned: Rule = {
  id: "APIGW-MTLS-TRUSTSTORE-VERSION",
  severity: "error",
  message: "A custom domain with mutual TLS must pin its truststore's object version",
  explanation:
    "API Gateway reads the truststore once, when the domain is created or updated, and keeps serving that copy: a new bundle uploaded to the same key changes nothing until the domain names a new truststore_version (terraform-provider-aws#18312). Pin mutual_tls_authentication.truststore_version to the object's version_id in a versioned bucket, so that a new bundle is a plan diff and an in-place update.",
  references: ["terraform-provider-aws#18312", "terraform-provider-aws#29970", "AWS docs: Configuring mutual TLS authentication for a REST API (Updating the truststore)"],
  check: (stack) =>
    [...stack.resources("aws_api_gateway_domain_name"), ...stack.resources("aws_apigatewayv2_domain_name")].flatMap((d) => {
      const mtls = blocks(d.body.mutual_tls_authentication)[0];
      if (!mtls?.truststore_uri) return [];
      const version = mtls.truststore_version;
      return typeof version === "string" && version !== "" ? [] : [{ address: d.address, detail: `truststore_uri ${String(mtls.truststore_uri)} has no truststore_version` }];
    }),
};

/** The IP address type of a domain: endpoint_configuration (REST) or domain_name_configuration (HTTP and WebSocket). */
function ipAddressTypeOf(domain: Block): string {
  const configuration = blocks(domain.type === "aws_apigatewayv2_domain_name" ? domain.body.domain_name_configuration : domain.body.endpoint_configuration)[0];
  return configuration?.ip_address_type ?? "ipv4";
}

export const dualstackDomainAaaa: Rule = {
  id: "APIGW-DUALSTACK-AAAA",
  severity: "error",
  message: "A dualstack custom domain needs an AAAA alias next to its A alias, and an IPv4-only domain none",
  explanation:
    "With ip_address_type dualstack, API Gateway answers IPv6 clients, but they find it only through an AAAA record; an AAAA alias to an ipv4 domain resolves to nothing, and IPv6-preferring clients fail before falling back. Give each alias of a dualstack domain both types, and an ipv4 domain A records only.",
  references: ["AWS docs: IP address types for custom domain names in API Gateway", "terraform-provider-aws#42069"],
  check: (stack) => {
    const aliases = new Map<string, Set<string>>();
    for (const record of stack.resources("aws_route53_record")) {
      const alias = blocks(record.body.alias)[0];
      const [target] = alias ? referencesIn(alias.name).filter((r) => /^aws_(api_gateway|apigatewayv2)_domain_name\./.test(r.address)) : [];
      if (target) (aliases.get(target.address) ?? aliases.set(target.address, new Set()).get(target.address)!).add(String(record.body.type));
    }
    return [...stack.resources("aws_api_gateway_domain_name"), ...stack.resources("aws_apigatewayv2_domain_name")].flatMap((d) => {
      const types = aliases.get(d.address);
      if (!types) return [];
      const dualstack = ipAddressTypeOf(d) === "dualstack";
      if (dualstack && !types.has("AAAA")) return [{ address: d.address, detail: "is dualstack but has no AAAA alias: IPv6 clients cannot find it" }];
      if (!dualstack && types.has("AAAA")) return [{ address: d.address, detail: "is ipv4 but has an AAAA alias, which resolves to nothing" }];
      return [];
    });
  },
};

/** The Terraform local in which a stack states the lowest TLS version its environment accepts on custom domains. */
export const MINIMUM_TLS_LOCAL = "apigw_minimum_tls_version";

export const domainTlsMinimum: Rule = {
  id: "APIGW-DOMAIN-TLS-MINIMUM",
  severity: "error",
  message: "A custom domain's TLS policy must not accept a TLS version below the environment's minimum",
  explanation: `An environment may require more than TLS 1.2 (tls.minimumVersion, which the stack states in local.${MINIMUM_TLS_LOCAL}): a domain whose security_policy still accepts an older version lets clients negotiate it. Choose a policy whose lowest version meets the minimum, such as SecurityPolicy_TLS13_1_3_2025_09 (regional) or SecurityPolicy_TLS13_2025_EDGE (edge) for 1.3; HTTP API domains take TLS_1_2 only and cannot meet 1.3. Not applicable to a stack without the local.`,
  references: ["AWS docs: Security policies for REST APIs in API Gateway", "AWS docs: Security policies for HTTP APIs in API Gateway"],
  check: (stack) => {
    const required = stack.json.locals?.[MINIMUM_TLS_LOCAL];
    if (typeof required !== "string") return [];
    return [
      ...stack.resources("aws_api_gateway_domain_name").map((d) => [d, d.body.security_policy] as const),
      ...stack.resources("aws_apigatewayv2_domain_name").map((d) => [d, blocks(d.body.domain_name_configuration)[0]?.security_policy] as const),
    ].flatMap(([d, policy]) => {
      const accepted = minimumTlsVersionOf(policy);
      return accepted !== undefined && Number(accepted) >= Number(required) ? [] : [{ address: d.address, detail: `security_policy ${policy ?? "unset"} accepts TLS ${accepted ?? "(unknown)"}; the environment requires ${required}` }];
    });
  },
};
