import { dualstackDomainAaaa, truststoreVersionPinned } from "../../policy/rules/domains";
import type { StackView } from "../../policy/stack";
import { ref, stack } from "./fixtures";

type Case = [name: string, fixture: StackView, violations: string[]];

describe("APIGW-MTLS-TRUSTSTORE-VERSION", () => {
  const rest = (mtls: Record<string, unknown> | undefined) => ({ aws_api_gateway_domain_name: { d: { endpoint_configuration: { types: ["REGIONAL"] }, ...(mtls ? { mutual_tls_authentication: mtls } : {}) } } });
  const http = (mtls: Record<string, unknown>) => ({ aws_apigatewayv2_domain_name: { h: { domain_name_configuration: { endpoint_type: "REGIONAL" }, mutual_tls_authentication: mtls } } });
  test.each<Case>([
    ["a pinned version", stack(rest({ truststore_uri: "s3://b/k.pem", truststore_version: ref("aws_s3_object.t", "version_id") })), []],
    ["an HTTP API domain with a literal version", stack(http({ truststore_uri: "s3://b/k.pem", truststore_version: "3HL4kqtJlcpXroDTDmJ" })), []],
    ["no mutual TLS (not applicable)", stack(rest(undefined)), []],
    ["no version", stack(rest({ truststore_uri: "s3://b/k.pem" })), ["aws_api_gateway_domain_name.d"]],
    ["an HTTP API domain with an empty version", stack(http({ truststore_uri: "s3://b/k.pem", truststore_version: "" })), ["aws_apigatewayv2_domain_name.h"]],
  ])("%s", (_name, fixture, expected) => expect(truststoreVersionPinned.check(fixture).map((v) => v.address)).toEqual(expected));
});

describe("APIGW-DUALSTACK-AAAA", () => {
  const D = "aws_api_gateway_domain_name.d";
  const H = "aws_apigatewayv2_domain_name.h";
  const alias = (type: string, domain = D) => ({ type, alias: { name: ref(domain, domain === D ? "regional_domain_name" : "domain_name_configuration[0].target_domain_name"), zone_id: ref(domain, "regional_zone_id"), evaluate_target_health: false } });
  const rest = (ipAddressType?: string) => ({ aws_api_gateway_domain_name: { d: { endpoint_configuration: { types: ["REGIONAL"], ...(ipAddressType ? { ip_address_type: ipAddressType } : {}) } } } });
  const http = (ipAddressType: string) => ({ aws_apigatewayv2_domain_name: { h: { domain_name_configuration: { endpoint_type: "REGIONAL", ip_address_type: ipAddressType } } } });
  test.each<Case>([
    ["a dualstack domain with A and AAAA", stack({ ...rest("dualstack"), aws_route53_record: { a: alias("A"), aaaa: alias("AAAA") } }), []],
    ["an ipv4 domain with A only", stack({ ...rest(), aws_route53_record: { a: alias("A") } }), []],
    ["a domain without records here (not applicable)", stack(rest("dualstack")), []],
    ["a dualstack domain with A only", stack({ ...rest("dualstack"), aws_route53_record: { a: alias("A") } }), [D]],
    ["a dualstack HTTP API domain with A only", stack({ ...http("dualstack"), aws_route53_record: { a: alias("A", H) } }), [H]],
    ["an ipv4 domain with an AAAA alias", stack({ ...http("ipv4"), aws_route53_record: { a: alias("A", H), aaaa: alias("AAAA", H) } }), [H]],
  ])("%s", (_name, fixture, expected) => expect(dualstackDomainAaaa.check(fixture).map((v) => v.address)).toEqual(expected));
});
