import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError } from "../../config/errors";
import { parseEnvironment } from "../../config/loader";
import { providerAtLeast } from "../../config/schema";
import { readTruststore } from "../../config/truststore";
import { environmentYaml } from "../fixtures/environment";

const ZONE = { id: "Z0123456789ABCDEFGHIJ", name: "dev.example.com" };
const TRUSTSTORE = { truststore: "config/truststores/partners.pem" };
const regionalPublic = { endpointType: "REGIONAL" };
const publicDomain = (extra: Record<string, unknown>) => ({ publicApi: { domainName: "api.dev.example.com", ...extra } });
const enhanced = { securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09", endpointAccessMode: "STRICT" };

function problemsOf(overrides: Record<string, unknown>): string[] {
  const result = parseEnvironment(environmentYaml({ dns: { publicZone: ZONE }, ...overrides }));
  return "problems" in result ? result.problems : [];
}

describe("environment schema: mTLS, dualstack, streaming, compression, provider gating", () => {
  test("accepts mTLS on a regional REST domain, dualstack, streaming and compression", () => {
    expect(
      problemsOf({
        publicApi: { ...regionalPublic, ipAddressType: "dualstack", minimumCompressionSize: 0, streaming: {} },
        httpApi: { ipAddressType: "dualstack", routeScopes: {} },
        customDomains: { ...publicDomain({ mutualTls: TRUSTSTORE, ipAddressType: "dualstack" }), httpApi: { domainName: "app.dev.example.com", mutualTls: TRUSTSTORE } },
      }),
    ).toEqual([]);
  });

  test("accepts an enhanced TLS policy with its access mode under provider 6.28.0", () => {
    expect(problemsOf({ providerVersion: "6.28.0", publicApi: regionalPublic, customDomains: publicDomain(enhanced) })).toEqual([]);
  });

  // Each refusal names the key, what it got and why AWS (or the pinned provider) refuses it.
  test.each<[string, Record<string, unknown>, RegExp]>([
    ["mTLS on an EDGE domain", { customDomains: publicDomain({ mutualTls: TRUSTSTORE }) }, /^customDomains\.publicApi\.mutualTls: got .*is set on an EDGE domain .*REGIONAL domains only/],
    ["mTLS with an enhanced TLS policy", { providerVersion: "6.28.0", publicApi: regionalPublic, customDomains: publicDomain({ ...enhanced, mutualTls: TRUSTSTORE }) }, /^customDomains\.publicApi\.mutualTls: .*enhanced securityPolicy SecurityPolicy_TLS13_1_3_2025_09, which API Gateway refuses with mutual TLS/],
    ["mTLS on the WebSocket domain", { websocketApi: {}, customDomains: { websocketApi: { domainName: "ws.dev.example.com", mutualTls: TRUSTSTORE } } }, /^customDomains\.websocketApi\.mutualTls: .*REST and HTTP APIs only/],
    ["mTLS on the private domain", { customDomains: { privateApi: { domainName: "files.dev.example.com", certificateArn: "arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", mutualTls: TRUSTSTORE } }, dns: { publicZone: ZONE, privateZone: ZONE } }, /^customDomains\.privateApi\.mutualTls: .*public REGIONAL domains only/],
    ["an IP address type on the private domain", { customDomains: { privateApi: { domainName: "files.dev.example.com", certificateArn: "arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", ipAddressType: "dualstack" } }, dns: { publicZone: ZONE, privateZone: ZONE } }, /^customDomains\.privateApi\.ipAddressType: got "dualstack"; is not set on the private domain/],
    ["a truststore outside the repository", { publicApi: regionalPublic, customDomains: publicDomain({ mutualTls: { truststore: "../secrets/ca.pem" } }) }, /^customDomains\.publicApi\.mutualTls\.truststore: got "\.\.\/secrets\/ca\.pem"; expected a \.pem file of the repository/],
    ["an enhanced TLS policy under provider 6.25.0", { publicApi: regionalPublic, customDomains: publicDomain(enhanced) }, /^customDomains\.publicApi\.securityPolicy: got "SecurityPolicy_TLS13_1_3_2025_09"; needs AWS provider 6\.28\.0 or newer, .*providerVersion is 6\.25\.0/],
    ["an endpoint access mode under provider 6.27.9", { providerVersion: "6.27.9", publicApi: regionalPublic, customDomains: publicDomain(enhanced) }, /^customDomains\.publicApi\.endpointAccessMode: got "STRICT"; needs AWS provider 6\.28\.0 or newer/],
    ["an enhanced TLS policy without an access mode", { providerVersion: "6.28.0", publicApi: regionalPublic, customDomains: publicDomain({ securityPolicy: enhanced.securityPolicy }) }, /^customDomains\.publicApi\.endpointAccessMode: missing; is required with the enhanced securityPolicy/],
    ["an access mode without an enhanced policy", { providerVersion: "6.28.0", customDomains: publicDomain({ endpointAccessMode: "STRICT" }) }, /^customDomains\.publicApi\.endpointAccessMode: got "STRICT"; applies to domains with an enhanced securityPolicy/],
    ["an HTTP API on an enhanced-policy domain", { providerVersion: "6.28.0", customDomains: { httpApi: { domainName: "app.dev.example.com", ...enhanced } } }, /^customDomains\.httpApi\.securityPolicy: .*API Gateway maps no HTTP API to a domain with an enhanced security policy/],
    ["a TLS policy AWS does not have", { customDomains: publicDomain({ securityPolicy: "TLS_1_0" }) }, /^customDomains\.publicApi\.securityPolicy: got "TLS_1_0"/],
    ["a provider version range", { providerVersion: "~> 6.28" }, /^providerVersion: got "~> 6\.28"; expected an exact AWS provider version/],
    ["streaming on the HTTP API", { httpApi: { routeScopes: {}, streaming: { timeoutSeconds: 60 } } }, /^httpApi\.streaming: .*streams answers of REST APIs only/],
    ["streaming on the WebSocket API", { websocketApi: { streaming: true } }, /^websocketApi\.streaming: got true; API Gateway streams answers of REST APIs only/],
    ["a streaming timeout over 15 minutes", { publicApi: { streaming: { timeoutSeconds: 901 } } }, /^publicApi\.streaming\.timeoutSeconds: got 901; Too big/],
    ["a compression size over 10 MiB", { publicApi: { minimumCompressionSize: 10485761 } }, /^publicApi\.minimumCompressionSize: got 10485761; Too big/],
    ["an IP address type AWS does not have", { publicApi: { ipAddressType: "ipv6" } }, /^publicApi\.ipAddressType: got "ipv6"/],
  ])("refuses %s", (_, overrides, expected) => {
    expect(problemsOf(overrides)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  const rule = { priority: 10, headers: [{ name: "x-api-version", valueGlob: "2*" }], basePaths: ["orders"], stripBasePath: true };
  const routed = (extra: Record<string, unknown>) => ({ providerVersion: "6.29.0", publicApi: regionalPublic, customDomains: publicDomain({ routingMode: "ROUTING_RULE_THEN_BASE_PATH_MAPPING", routingRules: { v2: rule }, ...extra }) });

  test("accepts routing rules on the public REST API's REGIONAL domain under provider 6.29.0", () => {
    expect(problemsOf(routed({}))).toEqual([]);
    expect(problemsOf(routed({ routingMode: "ROUTING_RULE_ONLY", routingRules: { all: { priority: 1000000 } } }))).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ["routing rules under provider 6.28.0", { ...routed({}), providerVersion: "6.28.0" }, /^customDomains\.publicApi\.routingRules: .*needs AWS provider 6\.29\.0 or newer, which adds routing rules/],
    ["a routing mode under provider 6.25.0", { ...routed({ routingRules: undefined, routingMode: "ROUTING_RULE_ONLY" }), providerVersion: "6.25.0" }, /^customDomains\.publicApi\.routingMode: got "ROUTING_RULE_ONLY"; needs AWS provider 6\.29\.0/],
    ["routing rules on an EDGE domain", { ...routed({}), publicApi: { endpointType: "EDGE" } }, /^customDomains\.publicApi\.routingRules: .*publicApi\.endpointType is EDGE; API Gateway offers routing rules on REGIONAL domains only/],
    ["routing rules on the HTTP API's domain", { providerVersion: "6.29.0", customDomains: { httpApi: { domainName: "app.dev.example.com", routingMode: "ROUTING_RULE_ONLY", routingRules: { v2: rule } } } }, /^customDomains\.httpApi\.routingRules: .*routing rules route to REST APIs only/],
    ["routing rules on the private domain", { providerVersion: "6.29.0", customDomains: { privateApi: { domainName: "files.dev.example.com", certificateArn: "arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", routingMode: "ROUTING_RULE_ONLY", routingRules: { v2: rule } } }, dns: { publicZone: ZONE, privateZone: ZONE } }, /^customDomains\.privateApi\.routingRules: .*no routing rules for private domains \(terraform-provider-aws#46919\)/],
    ["three header conditions", routed({ routingRules: { v2: { ...rule, headers: [rule.headers[0], rule.headers[0], rule.headers[0]] } } }), /^customDomains\.publicApi\.routingRules\.v2\.headers: .*at most 2 header conditions/],
    ["priority 0", routed({ routingRules: { v2: { ...rule, priority: 0 } } }), /^customDomains\.publicApi\.routingRules\.v2\.priority: got 0; Too small/],
    ["priority 1,000,001", routed({ routingRules: { v2: { ...rule, priority: 1000001 } } }), /^customDomains\.publicApi\.routingRules\.v2\.priority: got 1000001; Too big/],
    ["two rules of one priority", routed({ routingRules: { v2: rule, beta: { ...rule, basePaths: ["beta"] } } }), /^customDomains\.publicApi\.routingRules\.beta\.priority: got 10; is 10, as is rule v2's; priorities are unique/],
    ["rules the mode ignores", routed({ routingMode: undefined }), /^customDomains\.publicApi\.routingMode: .*BASE_PATH_MAPPING_ONLY \(the default\), which ignores routingRules/],
    ["a rule mode without rules", routed({ routingRules: undefined }), /^customDomains\.publicApi\.routingRules: .*is empty while routingMode is ROUTING_RULE_THEN_BASE_PATH_MAPPING/],
    ["versions a rules-only domain never reads", routed({ routingMode: "ROUTING_RULE_ONLY", basePath: "v1", versions: [{ basePath: "v1" }] }), /^customDomains\.publicApi\.versions: .*ROUTING_RULE_ONLY never reads/],
    ["a glob with a * inside", routed({ routingRules: { v2: { ...rule, headers: [{ name: "x-api-version", valueGlob: "2*b*" }] } } }), /^customDomains\.publicApi\.routingRules\.v2\.headers\[0\]\.valueGlob: got "2\*b\*"; expected at most a leading and a trailing \*/],
    ["a header name of 40 characters", routed({ routingRules: { v2: { ...rule, headers: [{ name: "x".repeat(40), valueGlob: "2" }] } } }), /^customDomains\.publicApi\.routingRules\.v2\.headers\[0\]\.name: .*fewer than 40/],
    ["stripping without a base path", routed({ routingRules: { v2: { priority: 5, headers: rule.headers, stripBasePath: true } } }), /^customDomains\.publicApi\.routingRules\.v2\.stripBasePath: got true; is true on a rule without basePaths/],
  ])("refuses %s", (_, overrides, expected) => {
    expect(problemsOf(overrides)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  test("accepts a TLS policy on the public REST API's own endpoint under provider 6.64.0", () => {
    expect(problemsOf({ providerVersion: "6.64.0", publicApi: { ...regionalPublic, securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09", endpointAccessMode: "STRICT" } })).toEqual([]);
    expect(problemsOf({ providerVersion: "6.64.0", publicApi: { securityPolicy: "SecurityPolicy_TLS13_2025_EDGE", endpointAccessMode: "BASIC" } })).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ["a REST API policy under provider 6.63.0", { providerVersion: "6.63.0", publicApi: { ...regionalPublic, securityPolicy: "TLS_1_2" } }, /^publicApi\.securityPolicy: got "TLS_1_2"; needs AWS provider 6\.64\.0 or newer, which adds securityPolicy and endpointAccessMode on REST APIs/],
    ["an enhanced REST API policy without an access mode", { providerVersion: "6.64.0", publicApi: { ...regionalPublic, securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09" } }, /^publicApi\.endpointAccessMode: missing; is required with the enhanced securityPolicy/],
    ["an access mode with TLS_1_2", { providerVersion: "6.64.0", publicApi: { ...regionalPublic, securityPolicy: "TLS_1_2", endpointAccessMode: "STRICT" } }, /^publicApi\.endpointAccessMode: got "STRICT"; applies with an enhanced publicApi\.securityPolicy/],
    ["an edge policy on a REGIONAL API", { providerVersion: "6.64.0", publicApi: { ...regionalPublic, securityPolicy: "SecurityPolicy_TLS13_2025_EDGE", endpointAccessMode: "STRICT" } }, /^publicApi\.securityPolicy: got "SecurityPolicy_TLS13_2025_EDGE"; is for EDGE endpoints, and the API is REGIONAL: \*_EDGE policies are for EDGE endpoints only/],
    ["a REST API policy on a switched-off default endpoint", { providerVersion: "6.64.0", publicApi: { ...regionalPublic, securityPolicy: "TLS_1_2" }, customDomains: publicDomain({}) }, /^publicApi\.securityPolicy: got "TLS_1_2"; is set while the default endpoint is off .*set customDomains\.publicApi\.securityPolicy/],
    ["a regional policy on an EDGE domain", { providerVersion: "6.28.0", customDomains: publicDomain(enhanced) }, /^customDomains\.publicApi\.securityPolicy: got "SecurityPolicy_TLS13_1_3_2025_09"; is for REGIONAL and PRIVATE endpoints, and this domain is EDGE/],
  ])("refuses %s", (_, overrides, expected) => {
    expect(problemsOf(overrides)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  test.each([
    ["6.25.0", "6.28.0", false],
    ["6.28.0", "6.28.0", true],
    ["6.66.1", "6.28.0", true],
    ["7.0.0", "6.28.0", true],
    ["6.9.0", "6.28.0", false],
  ])("providerAtLeast(%s, %s) is %s", (version, required, expected) => {
    expect(providerAtLeast(version, required)).toBe(expected);
  });
});

describe("readTruststore", () => {
  const fixtures = path.join(__dirname, "..", "fixtures", "truststores");
  // short-lived.pem ends on 2027-01-02; bundle.pem holds it after a CA valid until 2036.
  const SHORT_END = new Date("2027-01-02T00:00:00Z");
  const days = (n: number) => new Date(SHORT_END.getTime() - n * 86_400_000);
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-truststore-"));
    fs.writeFileSync(path.join(dir, "empty.pem"), "no certificate here\n");
    fs.writeFileSync(path.join(dir, "broken.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("reads every certificate of a bundle and warns of the one that expires within the period", () => {
    const file = readTruststore(fixtures, "setting", "bundle.pem", 30, days(10));
    expect(file.certificates.map((c) => c.notAfter.getUTCFullYear())).toEqual([2036, 2027]);
    expect(file.warnings).toEqual([expect.stringMatching(/^setting: "CN=Short-lived test CA" in bundle\.pem expires on 2027-01-02, in 1\d days; add its successor/)]);
  });

  test("does not warn outside the period", () => {
    expect(readTruststore(fixtures, "setting", "bundle.pem", 30, days(40)).warnings).toEqual([]);
  });

  test.each<[string, string, Date, RegExp]>([
    ["a missing file", "missing.pem", new Date(), /^setting: got "missing\.pem"; no such file in the repository/],
    ["a file without certificates", "empty.pem", new Date(), /^setting: empty\.pem holds no PEM certificate/],
    ["a certificate that does not parse", "broken.pem", new Date(), /^setting: certificate 1 of broken\.pem does not parse as X\.509/],
    ["an expired certificate", "short-lived.pem", days(-1), /^setting: short-lived\.pem holds "CN=Short-lived test CA", which expired on 2027-01-02; .*renew or remove it/],
  ])("refuses %s", (_, file, now, expected) => {
    const where = file === "short-lived.pem" ? fixtures : dir;
    let error: unknown;
    try {
      readTruststore(where, "setting", file, 30, now);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(expected);
  });
});
