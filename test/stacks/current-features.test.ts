import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { environmentConfig, resourcesOf } from "../fixtures/environment";
import { OUTPUT_LAYOUT } from "../fixtures/layout";

const ZONE = { id: "Z0123456789ABCDEFGHIJ", name: "dev.example.com" };

function build(overrides: Record<string, unknown>, layout = OUTPUT_LAYOUT) {
  const stack = new EnvironmentStack(Testing.app(), "dev", { config: environmentConfig({ dns: { publicZone: ZONE }, ...overrides }), backend: { kind: "local" }, layout });
  return { stack, synthesized: JSON.parse(Testing.synth(stack, true)) };
}

describe("EnvironmentStack: mTLS, provider pin", () => {
  test("an enhanced policy under a newer pin is written raw, and the stack is pinned to that provider", () => {
    const { synthesized } = build({
      providerVersion: "6.28.0",
      publicApi: { endpointType: "REGIONAL" },
      customDomains: { publicApi: { domainName: "api.dev.example.com", securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09", endpointAccessMode: "STRICT" } },
    });
    expect(Object.values(resourcesOf(synthesized, "aws_api_gateway_domain_name"))[0]).toMatchObject({ security_policy: "SecurityPolicy_TLS13_1_3_2025_09", endpoint_access_mode: "STRICT" });
    expect(synthesized.terraform.required_providers.aws.version).toBe("6.28.0");
  });

  test("routing rules under a newer pin are written raw: the domain's mode, one rule resource per rule to the public API's stage", () => {
    const routing = (routingMode: string) =>
      build({
        providerVersion: "6.29.0",
        publicApi: { endpointType: "REGIONAL" },
        customDomains: { publicApi: { domainName: "api.dev.example.com", routingMode, routingRules: { v2: { priority: 10, headers: [{ name: "x-api-version", valueGlob: "2*" }], basePaths: ["orders"], stripBasePath: true } } } },
      }).synthesized;
    const synthesized = routing("ROUTING_RULE_THEN_BASE_PATH_MAPPING");
    const [[domainName, domain]] = Object.entries<any>(resourcesOf(synthesized, "aws_api_gateway_domain_name"));
    expect(domain.routing_mode).toBe("ROUTING_RULE_THEN_BASE_PATH_MAPPING");
    const rules = resourcesOf(synthesized, "aws_apigatewayv2_routing_rule");
    expect(Object.keys(rules)).toEqual([expect.stringMatching(/^public-api-domain_routing-rule-v2_/)]);
    expect(Object.values(rules)[0]).toEqual({
      domain_name: `\${aws_api_gateway_domain_name.${domainName}.domain_name}`,
      priority: 10,
      condition: [{ match_headers: [{ any_of: [{ header: "x-api-version", value_glob: "2*" }] }] }, { match_base_paths: [{ any_of: ["orders"] }] }],
      action: [{ invoke_api: [{ api_id: expect.stringMatching(/^\$\{aws_api_gateway_rest_api\.public-api_/), stage: expect.stringMatching(/^\$\{aws_api_gateway_stage\.public-api_stage_\w+\.stage_name\}$/), strip_base_path: true }] }],
    });
    expect(Object.keys(resourcesOf(synthesized, "aws_api_gateway_base_path_mapping"))).toHaveLength(1);
    // Rules only: the mapping would never be read.
    expect(resourcesOf(routing("ROUTING_RULE_ONLY"), "aws_api_gateway_base_path_mapping")).toEqual({});
  });

  test("the public REST API's own TLS policy under a newer pin is written raw on the API", () => {
    const { synthesized } = build({ providerVersion: "6.64.0", publicApi: { endpointType: "REGIONAL", securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09", endpointAccessMode: "STRICT" } });
    const apis = Object.values<any>(resourcesOf(synthesized, "aws_api_gateway_rest_api"));
    expect(apis.find((a) => a.name === "apigw-dev-public")).toMatchObject({ security_policy: "SecurityPolicy_TLS13_1_3_2025_09", endpoint_access_mode: "STRICT" });
    expect(apis.find((a) => a.name === "apigw-dev-private").security_policy).toBeUndefined();
  });

  test("the default pin is the bindings' 6.25.0", () => {
    expect(build({}).synthesized.terraform.required_providers.aws.version).toBe("6.25.0");
  });

  test("the truststore is uploaded from the repository and pinned by version; no warning far from expiry", () => {
    // readTruststore's own tests cover the warning period with a fixed clock.
    const { stack, synthesized } = build({ publicApi: { endpointType: "REGIONAL" }, customDomains: { publicApi: { domainName: "api.dev.example.com", mutualTls: { truststore: "config/truststores/partners.pem" } } } });
    const [object] = Object.entries(resourcesOf(synthesized, "aws_s3_object"));
    expect(object[1].content).toBe(fs.readFileSync(path.join(__dirname, "..", "..", "config", "truststores", "partners.pem"), "utf8"));
    expect(Object.values(resourcesOf(synthesized, "aws_api_gateway_domain_name"))[0].mutual_tls_authentication.truststore_version).toBe(`\${aws_s3_object.${object[0]}.version_id}`);
    expect(stack.node.metadata.filter((m) => m.type === "@cdktf/warn")).toEqual([]);
  });
});
