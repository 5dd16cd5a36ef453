import { Testing } from "cdktf";
import { minimumTlsVersionOf } from "../../config/formats";
import { parseEnvironment } from "../../config/loader";
import { domainTlsMinimum, MINIMUM_TLS_LOCAL } from "../../policy/rules/domains";
import { StackView } from "../../policy/stack";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { environmentConfig, environmentYaml } from "../fixtures/environment";
import { OUTPUT_LAYOUT } from "../fixtures/layout";

const ZONE = { id: "Z0123456789ABCDEFGHIJ", name: "dev.example.com" };
const regional = (securityPolicy?: string) => ({ aws_api_gateway_domain_name: { d: { endpoint_configuration: { types: ["REGIONAL"] }, ...(securityPolicy ? { security_policy: securityPolicy } : {}) } } });
const http = { aws_apigatewayv2_domain_name: { h: { domain_name_configuration: { endpoint_type: "REGIONAL", security_policy: "TLS_1_2" } } } };
const view = (resource: Record<string, unknown>, minimum?: string) => new StackView("fixture", { resource, ...(minimum ? { locals: { [MINIMUM_TLS_LOCAL]: minimum } } : {}) });

describe("minimumTlsVersionOf", () => {
  test.each([
    ["TLS_1_0", "1.0"],
    ["TLS_1_2", "1.2"],
    ["SecurityPolicy_TLS13_1_3_2025_09", "1.3"],
    ["SecurityPolicy_TLS13_1_2_2021_06", "1.2"],
    ["SecurityPolicy_TLS13_2025_EDGE", "1.3"],
    ["SecurityPolicy_TLS12_PFS_2025_EDGE", "1.2"],
    ["NoSuchPolicy", undefined],
  ])("%s accepts TLS %s and newer", (policy, expected) => expect(minimumTlsVersionOf(policy)).toBe(expected));
});

describe("APIGW-DOMAIN-TLS-MINIMUM", () => {
  test.each<[string, StackView, string[]]>([
    ["a TLS 1.3 policy under a 1.3 minimum", view(regional("SecurityPolicy_TLS13_1_3_2025_09"), "1.3"), []],
    ["TLS_1_2 under a 1.2 minimum", view(regional("TLS_1_2"), "1.2"), []],
    ["no minimum stated (not applicable)", view(regional("TLS_1_0")), []],
    ["TLS_1_2 under a 1.3 minimum", view(regional("TLS_1_2"), "1.3"), ["aws_api_gateway_domain_name.d"]],
    ["an unset policy under a 1.2 minimum", view(regional(), "1.2"), ["aws_api_gateway_domain_name.d"]],
    ["an HTTP API domain under a 1.3 minimum", view(http, "1.3"), ["aws_apigatewayv2_domain_name.h"]],
  ])("%s", (_name, fixture, expected) => expect(domainTlsMinimum.check(fixture).map((v) => v.address)).toEqual(expected));
});

describe("environment schema: tls.minimumVersion", () => {
  const problemsOf = (overrides: Record<string, unknown>) => {
    const result = parseEnvironment(environmentYaml({ dns: { publicZone: ZONE }, ...overrides }));
    return "problems" in result ? result.problems : [];
  };
  const strict = { providerVersion: "6.28.0", tls: { minimumVersion: "1.3" }, publicApi: { endpointType: "REGIONAL" } };

  test("accepts a TLS 1.3 policy under a 1.3 minimum", () => {
    expect(problemsOf({ ...strict, customDomains: { publicApi: { domainName: "api.dev.example.com", securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09", endpointAccessMode: "STRICT" } } })).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ["the default TLS_1_2 under a 1.3 minimum", { ...strict, customDomains: { publicApi: { domainName: "api.dev.example.com" } } }, /^customDomains\.publicApi\.securityPolicy: missing; accepts TLS 1\.2, below tls\.minimumVersion 1\.3: choose/],
    ["a 1.2 enhanced policy under a 1.3 minimum", { ...strict, customDomains: { publicApi: { domainName: "api.dev.example.com", securityPolicy: "SecurityPolicy_TLS13_1_2_2021_06", endpointAccessMode: "STRICT" } } }, /^customDomains\.publicApi\.securityPolicy: got "SecurityPolicy_TLS13_1_2_2021_06"; accepts TLS 1\.2, below/],
    ["the HTTP API domain under a 1.3 minimum", { ...strict, customDomains: { httpApi: { domainName: "app.dev.example.com" } } }, /^customDomains\.httpApi\.securityPolicy: missing; accepts TLS 1\.2, below tls\.minimumVersion 1\.3: API Gateway v2 domains take TLS_1_2 only/],
    ["a minimum that is no TLS version", { tls: { minimumVersion: "1.1" } }, /^tls\.minimumVersion: /],
  ])("fails with %s", (_name, overrides, expected) => expect(problemsOf(overrides)).toEqual(expect.arrayContaining([expect.stringMatching(expected)])));
});

describe("EnvironmentStack: tls.minimumVersion", () => {
  const synth = (overrides: Record<string, unknown>) =>
    JSON.parse(Testing.synth(new EnvironmentStack(Testing.app(), "dev", { config: environmentConfig({ dns: { publicZone: ZONE }, ...overrides }), backend: { kind: "local" }, layout: OUTPUT_LAYOUT }), true));

  test("a 1.3 minimum is stated in the stack's locals, and its domains meet it", () => {
    const synthesized = synth({ providerVersion: "6.28.0", tls: { minimumVersion: "1.3" }, publicApi: { endpointType: "REGIONAL" }, customDomains: { publicApi: { domainName: "api.dev.example.com", securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09", endpointAccessMode: "STRICT" } } });
    expect(synthesized.locals).toEqual({ [MINIMUM_TLS_LOCAL]: "1.3" });
    expect(domainTlsMinimum.check(new StackView("dev", synthesized))).toEqual([]);
  });

  test("the default 1.2 adds no local", () => {
    expect(synth({}).locals).toBeUndefined();
  });
});
