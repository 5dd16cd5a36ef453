import { Construct } from "constructs";
import { ApiCustomDomain, ApiCustomDomainProps } from "../../modules/api-custom-domain";
import { HttpApi } from "../../modules/http-api";
import { RestApi, RestEndpointType, RestIntegration } from "../../modules/rest-api";
import { resourcesOf, synthConstruct, testStack } from "../fixtures/environment";
import { privateDomainProps, PUBLIC_ZONE, testEndpoint } from "../fixtures/domains";
import { fixtureFunction } from "../fixtures/lambda";

const fn = fixtureFunction("handler");
const MAPPING = "aws_api_gateway_base_path_mapping";

function restApi(scope: Construct, endpointType: RestEndpointType = "EDGE", id = "api"): RestApi {
  return new RestApi(scope, id, {
    name: id,
    endpointType,
    routes: [{ path: "/hello", method: "GET", integration: RestIntegration.lambda(fn), apiKeyRequired: true }],
    stage: { stageName: "dev", logRetentionDays: 7, throttling: { rateLimit: 1, burstLimit: 1 } },
  });
}

const domain = (api: RestApi, basePaths: string[], extra: Partial<ApiCustomDomainProps> = {}): ApiCustomDomainProps => ({
  domainName: "api.dev.example.com",
  endpointType: "EDGE",
  hostedZone: PUBLIC_ZONE,
  region: "eu-west-1",
  mappings: [],
  versions: basePaths.map((basePath) => ({ api, basePath })),
  ...extra,
});

const synthVersions = (basePaths: string[], extra: Partial<ApiCustomDomainProps> = {}) => synthConstruct((scope) => new ApiCustomDomain(scope, "domain", domain(restApi(scope), basePaths, extra)));
const mappings = (synthesized: Record<string, any>) => Object.fromEntries(Object.entries(resourcesOf(synthesized, MAPPING)).map(([name, m]) => [name.replace(/_[0-9A-F]{8}$/, ""), m.base_path]));

describe("ApiCustomDomain versions", () => {
  test("each version's mapping is keyed by its base path, so removing v1 leaves v2's address alone", () => {
    expect(mappings(synthVersions(["v1", "v2"]))).toEqual({ "domain_version-v1": "v1", "domain_version-v2": "v2" });
    expect(mappings(synthVersions(["v2"]))).toEqual({ "domain_version-v2": "v2" });
    expect(Object.keys(resourcesOf(synthVersions(["v2"]), MAPPING))).toEqual(Object.keys(resourcesOf(synthVersions(["v1", "v2"]), MAPPING)).filter((n) => n.includes("v2")));
  });

  test("the former base path's version takes over the position-keyed mapping, through the older mapping-<path> address", () => {
    const moved: { from: string; to: string }[] = synthVersions(["v1", "v2"], { formerBasePath: "v2" }).moved;
    const chain = moved.map((m) => [m.from, m.to].map((a) => a.replace(/_[0-9A-F]{8}$/, "").replace(`${MAPPING}.`, "")));
    expect(chain).toEqual([
      ["domain_mapping-v2", "domain_mapping"],
      ["domain_mapping", "domain_version-v2"],
    ]);
  });

  test("a nested base path gets a construct id Terraform accepts", () => {
    expect(mappings(synthVersions(["orders/v1"]))).toEqual({ "domain_version-orders-v1": "orders/v1" });
  });

  test.each<[string, (scope: Construct) => ApiCustomDomainProps, string]>([
    ["a version is listed twice", (s) => domain(restApi(s), ["v1", "v1"]), "test/domain: versions[1].basePath v1 is mapped twice"],
    ["a version repeats a position-keyed mapping's base path", (s) => { const api = restApi(s); return domain(api, ["v1"], { mappings: [{ api, basePath: "v1" }] }); }, "test/domain: versions[0].basePath v1 is mapped twice"],
    ["two versions would share a mapping id", (s) => domain(restApi(s), ["a/b", "a-b"]), "test/domain: versions[1].basePath a-b and a/b would share the mapping id version-a-b"],
    ["versions sit beside a root mapping", (s) => { const api = restApi(s); return domain(api, ["v1"], { mappings: [{ api }] }); }, "test/domain: versions is set beside a mapping of the root"],
    ["the former base path is no version", (s) => domain(restApi(s), ["v1"], { formerBasePath: "v0" }), "test/domain: formerBasePath is v0, which is none of the versions (v1)"],
    ["a version has a leading slash", (s) => domain(restApi(s), ["/v1"]), 'test/domain: versions[0].basePath is "/v1"; expected a base path'],
    [
      "versions go on a private domain",
      (s) => {
        const api = new RestApi(s, "private", { name: "private", endpointType: "PRIVATE", vpcEndpoints: [testEndpoint(s)], routes: [{ path: "/hello", method: "GET", integration: RestIntegration.lambda(fn) }], stage: { stageName: "dev", logRetentionDays: 7, throttling: { rateLimit: 1, burstLimit: 1 } } });
        return { ...privateDomainProps(s, api), versions: [{ api, basePath: "v1" }] };
      },
      "test/domain: versions is set on a PRIVATE domain",
    ],
    [
      "versions go on an HTTP API domain",
      (s) => ({ ...domain(restApi(s, "REGIONAL"), ["v1"]), endpointType: "REGIONAL", mappings: [{ api: new HttpApi(s, "http", { name: "http", authorizer: { issuer: "https://issuer.example.com", audiences: ["a"] }, routes: [{ method: "GET", path: "/o", function: fn }], logRetentionDays: 7, throttling: { rateLimit: 1, burstLimit: 1 } }), basePath: "h" }] }),
      "test/domain: versions is set on an API Gateway v2 domain",
    ],
  ])("fails if %s", (_name, build, message) => {
    const stack = testStack();
    expect(() => new ApiCustomDomain(stack, "domain", build(stack))).toThrow(message);
  });
});
