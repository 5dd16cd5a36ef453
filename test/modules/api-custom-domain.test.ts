import { Construct } from "constructs";
import { ApiCustomDomain, ApiCustomDomainProps } from "../../modules/api-custom-domain";
import { HttpApi } from "../../modules/http-api";
import { RestApi, RestEndpointType, RestIntegration } from "../../modules/rest-api";
import { WebSocketApi, WebSocketConnectAuthorization } from "../../modules/websocket-api";
import { aliasTargetMatchesDomain, certificateValidationInPublicZone, domainTls, edgeCertificateRegion } from "../../policy/rules/domains";
import { privateDomainBoundToEndpoint } from "../../policy/rules/rest-api";
import { StackView } from "../../policy/stack";
import { nameOf, resourcesOf, synthConstruct, testStack } from "../fixtures/environment";
import { PRIVATE_ZONE, PUBLIC_ZONE, privateDomainProps, testEndpoint, VALIDATION_ZONE } from "../fixtures/domains";
import { fixtureFunction } from "../fixtures/lambda";

const ZONE = PUBLIC_ZONE;
const fn = fixtureFunction("handler");

function restApi(scope: Construct, endpointType: RestEndpointType, id = `${endpointType.toLowerCase()}-api`): RestApi {
  return new RestApi(scope, id, {
    name: id,
    endpointType,
    ...(endpointType === "PRIVATE" ? { vpcEndpoints: [testEndpoint(scope)] } : {}),
    routes: [{ path: "/hello", method: "GET", integration: RestIntegration.lambda(fn), apiKeyRequired: true }],
    stage: { stageName: "dev", logRetentionDays: 7, throttling: { rateLimit: 1, burstLimit: 1 } },
  });
}

function httpApi(scope: Construct): HttpApi {
  return new HttpApi(scope, "http-api", {
    name: "http",
    authorizer: { issuer: "https://issuer.example.com", audiences: ["a"] },
    routes: [{ method: "GET", path: "/orders", function: fn }],
    logRetentionDays: 7,
    throttling: { rateLimit: 1, burstLimit: 1 },
  });
}

function websocketApi(scope: Construct): WebSocketApi {
  return new WebSocketApi(scope, "websocket-api", {
    name: "ws",
    routes: [{ routeKey: "$connect", function: fn }],
    connectAuthorization: WebSocketConnectAuthorization.iam(),
    stageName: "dev",
    logRetentionDays: 7,
    throttling: { rateLimit: 1, burstLimit: 1 },
  });
}

type Build = (scope: Construct) => ApiCustomDomainProps;
const edge: Build = (scope) => ({ domainName: "api.dev.example.com", endpointType: "EDGE", hostedZone: ZONE, region: "eu-west-1", mappings: [{ api: restApi(scope, "EDGE"), basePath: "v1" }] });
const regional: Build = (scope) => ({ domainName: "api.dev.example.com", endpointType: "REGIONAL", hostedZone: ZONE, region: "eu-west-1", mappings: [{ api: restApi(scope, "REGIONAL") }] });
const http: Build = (scope) => ({ domainName: "app.dev.example.com", endpointType: "REGIONAL", hostedZone: ZONE, region: "eu-west-1", mappings: [{ api: httpApi(scope) }] });
const websocket: Build = (scope) => ({ domainName: "ws.dev.example.com", endpointType: "REGIONAL", hostedZone: ZONE, region: "eu-west-1", mappings: [{ api: websocketApi(scope) }] });
const privateDomain: Build = (scope) => privateDomainProps(scope, restApi(scope, "PRIVATE"));

function synthDomain(build: Build, overrides: Partial<ApiCustomDomainProps> = {}): Record<string, any> {
  return synthConstruct((scope) => new ApiCustomDomain(scope, "domain", { ...build(scope), ...overrides }));
}

function only(synthesized: Record<string, any>, type: string): Record<string, any> {
  return resourcesOf(synthesized, type)[nameOf(synthesized, type)];
}

const aliases = (synthesized: Record<string, any>) => Object.values(resourcesOf(synthesized, "aws_route53_record")).filter((r) => r.alias);

describe("ApiCustomDomain", () => {
  test("default", () => {
    const synthesized = synthDomain(edge);
    const domain = nameOf(synthesized, "aws_api_gateway_domain_name");
    const validation = nameOf(synthesized, "aws_acm_certificate_validation");
    expect(only(synthesized, "aws_api_gateway_domain_name")).toMatchObject({
      domain_name: "api.dev.example.com",
      endpoint_configuration: { types: ["EDGE"] },
      certificate_arn: `\${aws_acm_certificate_validation.${validation}.certificate_arn}`,
      security_policy: "TLS_1_2",
    });
    expect(only(synthesized, "aws_api_gateway_base_path_mapping")).toMatchObject({
      base_path: "v1",
      domain_name: `\${aws_api_gateway_domain_name.${domain}.domain_name}`,
    });
  });

  test("issues an edge certificate in us-east-1, validated there through DNS", () => {
    const synthesized = synthDomain(edge);
    const certificate = nameOf(synthesized, "aws_acm_certificate");
    const record = Object.entries(resourcesOf(synthesized, "aws_route53_record")).find(([, r]) => !r.alias)!;
    expect(only(synthesized, "aws_acm_certificate")).toMatchObject({ domain_name: "api.dev.example.com", validation_method: "DNS", region: "us-east-1", lifecycle: { create_before_destroy: true } });
    expect(record[1]).toMatchObject({
      zone_id: ZONE.zoneId,
      allow_overwrite: true,
      name: `\${tolist(aws_acm_certificate.${certificate}.domain_validation_options).0.resource_record_name}`,
    });
    expect(only(synthesized, "aws_acm_certificate_validation")).toMatchObject({
      region: "us-east-1",
      certificate_arn: `\${aws_acm_certificate.${certificate}.arn}`,
      validation_record_fqdns: [`\${aws_route53_record.${record[0]}.fqdn}`],
    });
  });

  test("issues regional and HTTP API certificates in the API's region", () => {
    for (const build of [regional, http]) {
      const synthesized = synthDomain(build);
      expect(only(synthesized, "aws_acm_certificate")).not.toHaveProperty("region");
      expect(only(synthesized, "aws_acm_certificate_validation")).not.toHaveProperty("region");
    }
  });

  test.each<[string, Build, string, [string, string]]>([
    ["edge", edge, "aws_api_gateway_domain_name", ["cloudfront_domain_name", "cloudfront_zone_id"]],
    ["regional", regional, "aws_api_gateway_domain_name", ["regional_domain_name", "regional_zone_id"]],
    ["HTTP API", http, "aws_apigatewayv2_domain_name", ["domain_name_configuration[0].target_domain_name", "domain_name_configuration[0].hosted_zone_id"]],
    ["WebSocket API", websocket, "aws_apigatewayv2_domain_name", ["domain_name_configuration[0].target_domain_name", "domain_name_configuration[0].hosted_zone_id"]],
  ])("points the %s domain's A and AAAA aliases at its own target and zone", (_name, build, type, [target, zone]) => {
    const synthesized = synthDomain(build);
    const domain = `${type}.${nameOf(synthesized, type)}`;
    expect(aliases(synthesized).map((r) => [r.type, r.name, r.zone_id, r.alias])).toEqual(
      ["A", "AAAA"].map((t) => [t, build === http ? "app.dev.example.com" : build === websocket ? "ws.dev.example.com" : "api.dev.example.com", ZONE.zoneId, { name: `\${${domain}.${target}}`, zone_id: `\${${domain}.${zone}}`, evaluate_target_health: false }]),
    );
    expect(aliasTargetMatchesDomain.check(new StackView("test", synthesized))).toEqual([]);
    expect(domainTls.check(new StackView("test", synthesized))).toEqual([]);
    expect(edgeCertificateRegion.check(new StackView("test", synthesized))).toEqual([]);
  });

  test("maps an HTTP API's $default stage on a regional v2 domain", () => {
    const synthesized = synthDomain(http);
    expect(only(synthesized, "aws_apigatewayv2_domain_name").domain_name_configuration).toEqual({
      certificate_arn: `\${aws_acm_certificate_validation.${nameOf(synthesized, "aws_acm_certificate_validation")}.certificate_arn}`,
      endpoint_type: "REGIONAL",
      security_policy: "TLS_1_2",
    });
    expect(only(synthesized, "aws_apigatewayv2_api_mapping")).toEqual(
      expect.objectContaining({
        api_id: `\${aws_apigatewayv2_api.${nameOf(synthesized, "aws_apigatewayv2_api")}.id}`,
        stage: `\${aws_apigatewayv2_stage.${nameOf(synthesized, "aws_apigatewayv2_stage")}.id}`,
        domain_name: `\${aws_apigatewayv2_domain_name.${nameOf(synthesized, "aws_apigatewayv2_domain_name")}.domain_name}`,
      }),
    );
    expect(resourcesOf(synthesized, "aws_api_gateway_base_path_mapping")).toEqual({});
  });

  test("maps a WebSocket API's named stage on a regional v2 domain", () => {
    const synthesized = synthDomain(websocket);
    expect(only(synthesized, "aws_apigatewayv2_domain_name").domain_name_configuration).toMatchObject({ endpoint_type: "REGIONAL", security_policy: "TLS_1_2" });
    expect(only(synthesized, "aws_apigatewayv2_api_mapping")).toEqual(
      expect.objectContaining({
        api_id: `\${aws_apigatewayv2_api.${nameOf(synthesized, "aws_apigatewayv2_api")}.id}`,
        stage: `\${aws_apigatewayv2_stage.${nameOf(synthesized, "aws_apigatewayv2_stage")}.id}`,
      }),
    );
  });

  test("binds a private domain to the endpoint: policy, access association, mapping by domain id, alias to the endpoint", () => {
    const synthesized = synthDomain(privateDomain);
    const endpointRef = `aws_vpc_endpoint.${nameOf(synthesized, "aws_vpc_endpoint")}`;
    const domainName = nameOf(synthesized, "aws_api_gateway_domain_name");
    const domain = only(synthesized, "aws_api_gateway_domain_name");
    expect(domain).toMatchObject({ endpoint_configuration: { types: ["PRIVATE"] }, security_policy: "TLS_1_2" });
    expect(JSON.parse(domain.policy).Statement[1]).toEqual({
      Sid: "DenyOutsideVpcEndpoint",
      Effect: "Deny",
      Principal: "*",
      Action: "execute-api:Invoke",
      Resource: `arn:\${data.aws_partition.${Object.keys(synthesized.data.aws_partition)[0]}.partition}:execute-api:eu-west-1:\${data.aws_caller_identity.${Object.keys(synthesized.data.aws_caller_identity)[0]}.account_id}:/domainnames/files.dev.internal.example.com+*`,
      Condition: { StringNotEquals: { "aws:SourceVpce": `\${${endpointRef}.id}` } },
    });
    expect(only(synthesized, "aws_api_gateway_domain_name_access_association")).toEqual(
      expect.objectContaining({ access_association_source: `\${${endpointRef}.id}`, access_association_source_type: "VPCE", domain_name_arn: `\${aws_api_gateway_domain_name.${domainName}.arn}` }),
    );
    expect(only(synthesized, "aws_api_gateway_base_path_mapping").domain_name_id).toBe(`\${aws_api_gateway_domain_name.${domainName}.domain_name_id}`);
    expect(privateDomainBoundToEndpoint.check(new StackView("test", synthesized))).toEqual([]);
    expect(aliases(synthesized).map((r) => [r.type, r.zone_id, r.alias.name, r.alias.zone_id])).toEqual([
      ["A", PRIVATE_ZONE.zoneId, `\${${endpointRef}.dns_entry[0].dns_name}`, `\${${endpointRef}.dns_entry[0].hosted_zone_id}`],
    ]);
  });

  test("validates a private domain's certificate in the public validation zone, its alias staying in the private zone", () => {
    const synthesized = synthDomain(privateDomain);
    const certificate = nameOf(synthesized, "aws_acm_certificate");
    const validationRecords = Object.values(resourcesOf(synthesized, "aws_route53_record")).filter((r) => !r.alias);
    expect(validationRecords).toEqual([expect.objectContaining({ zone_id: VALIDATION_ZONE.zoneId, name: `\${tolist(aws_acm_certificate.${certificate}.domain_validation_options).0.resource_record_name}` })]);
    expect(aliases(synthesized).map((r) => r.zone_id)).toEqual([PRIVATE_ZONE.zoneId]);
    expect(certificateValidationInPublicZone.check(new StackView("test", synthesized))).toEqual([]);
  });

  test("takes a private domain's issued certificate without a validation zone", () => {
    const arn = "arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
    const synthesized = synthDomain(privateDomain, { validationZone: undefined, certificateArn: arn });
    expect(resourcesOf(synthesized, "aws_acm_certificate")).toEqual({});
    expect(only(synthesized, "aws_api_gateway_domain_name").certificate_arn).toBe(arn);
  });

  test("uses an existing certificate without issuing one", () => {
    const arn = "arn:aws:acm:us-east-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
    const synthesized = synthDomain(edge, { certificateArn: arn });
    expect(resourcesOf(synthesized, "aws_acm_certificate")).toEqual({});
    expect(only(synthesized, "aws_api_gateway_domain_name").certificate_arn).toBe(arn);
  });

  const certificateIn = (region: string) => `arn:aws:acm:${region}:111111111111:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`;
  test.each<[string, Build, Partial<ApiCustomDomainProps> | ((scope: Construct) => Partial<ApiCustomDomainProps>), string]>([
    ["the domain is not under the zone", edge, { domainName: "api.example.org" }, 'test/domain: domainName is "api.example.org", which is not under the hostedZone dev.example.com'],
    ["the domain is malformed", edge, { domainName: "api..dev.example.com" }, 'test/domain: domainName is "api..dev.example.com"; expected a lower-case DNS name'],
    ["an edge certificate is outside us-east-1", edge, { certificateArn: certificateIn("eu-west-1") }, "test/domain: certificateArn is in eu-west-1; an EDGE domain needs a certificate from us-east-1"],
    ["a regional certificate is from another region", regional, { certificateArn: certificateIn("us-east-1") }, "test/domain: certificateArn is in us-east-1; a REGIONAL domain needs one from the API's region eu-west-1"],
    ["a private domain is a wildcard", privateDomain, { domainName: "*.dev.internal.example.com" }, "private custom domain names cannot be wildcards"],
    ["TLS 1.0 is asked for", edge, { securityPolicy: "TLS_1_0" as never }, 'test/domain: securityPolicy is "TLS_1_0"; expected TLS 1.2 or newer that a REST API domain takes'],
    ["a private domain has neither a validation zone nor a certificate", privateDomain, { validationZone: undefined }, "test/domain: validationZone is missing; a PRIVATE domain's certificate is validated through a public zone"],
    ["a private domain is validated in its own private zone", privateDomain, { validationZone: PRIVATE_ZONE }, "test/domain: validationZone is the PRIVATE domain's own zone Z0TESTZONE0000000002"],
    ["the domain is not under the validation zone", privateDomain, { validationZone: { zoneId: "Z0TESTZONE0000000003", zoneName: "example.org" } }, 'test/domain: domainName is "files.dev.internal.example.com", which is not under the validationZone example.org'],
    ["a validation zone comes with an issued certificate", privateDomain, { certificateArn: certificateIn("eu-west-1") }, "test/domain: validationZone is set together with certificateArn"],
    ["a private domain has no endpoint", privateDomain, { vpcEndpoint: undefined }, "test/domain: vpcEndpoint is missing or has no DNS name"],
    ["a private domain's endpoint is known only by id", privateDomain, { vpcEndpoint: { endpointId: "vpce-0123456789abcdef0" } }, "test/domain: vpcEndpoint is missing or has no DNS name"],
    ["there is no mapping", edge, { mappings: [] }, "test/domain: mappings is empty"],
    ["a base path is mapped twice", edge, (scope) => ({ mappings: [{ api: restApi(scope, "EDGE", "a"), basePath: "v1" }, { api: restApi(scope, "EDGE", "b"), basePath: "v1" }] }), "test/domain: mappings[1].basePath v1 is mapped twice"],
    ["a base path has a leading slash", edge, (scope) => ({ mappings: [{ api: restApi(scope, "EDGE", "a"), basePath: "/v1" }] }), 'test/domain: mappings[0].basePath is "/v1"; expected a base path'],
    ["a public domain maps a private API", edge, (scope) => ({ mappings: [{ api: restApi(scope, "PRIVATE", "p") }] }), "test/domain: mappings[0] maps the PRIVATE API p to a public EDGE domain; that would expose it outside its VPC endpoint"],
    ["a private domain maps a public API", privateDomain, (scope) => ({ mappings: [{ api: restApi(scope, "REGIONAL", "r") }] }), "test/domain: mappings[0] maps the REGIONAL API r to a PRIVATE domain; private domains serve private APIs only"],
    ["REST and HTTP APIs share a domain", regional, (scope) => ({ mappings: [{ api: httpApi(scope), basePath: "a" }, { api: restApi(scope, "REGIONAL", "r"), basePath: "b" }] }), "test/domain: mappings[1] mixes HTTP and REST APIs on one domain"],
    ["WebSocket and HTTP APIs share a domain", regional, (scope) => ({ mappings: [{ api: websocketApi(scope), basePath: "a" }, { api: httpApi(scope), basePath: "b" }] }), "test/domain: mappings[1] mixes WebSocket and other APIs on one domain, which API Gateway refuses"],
    ["a WebSocket API gets an edge domain", websocket, { endpointType: "EDGE" }, "test/domain: endpointType is EDGE; HTTP API domains are REGIONAL"],
    ["an HTTP API gets an edge domain", http, { endpointType: "EDGE" }, "test/domain: endpointType is EDGE; HTTP API domains are REGIONAL"],
  ])("fails if %s", (_name, build, overrides, message) => {
    const stack = testStack();
    const base = build(stack);
    const extra = typeof overrides === "function" ? overrides(stack) : overrides;
    expect(() => new ApiCustomDomain(stack, "domain", { ...base, ...extra })).toThrow(message);
  });
});
