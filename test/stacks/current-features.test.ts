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
