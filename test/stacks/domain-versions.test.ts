import { Testing } from "cdktf";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { environmentConfig, resourcesOf } from "../fixtures/environment";
import { OUTPUT_LAYOUT } from "../fixtures/layout";

const ZONE = { id: "Z0123456789ABCDEFGHIJ", name: "dev.example.com" };
const MAPPING = "aws_api_gateway_base_path_mapping";

function synth(publicDomain: Record<string, unknown>): Record<string, any> {
  const config = environmentConfig({ dns: { publicZone: ZONE }, customDomains: { publicApi: { domainName: "api.dev.example.com", ...publicDomain } } });
  return JSON.parse(Testing.synth(new EnvironmentStack(Testing.app(), "dev", { config, backend: { kind: "local" }, layout: OUTPUT_LAYOUT }), true));
}

/** Each mapping's base path by its address, after following the stack's moved blocks from `before`'s addresses. */
function basePaths(synthesized: Record<string, any>): Record<string, string> {
  return Object.fromEntries(Object.entries(resourcesOf(synthesized, MAPPING)).map(([name, m]) => [`${MAPPING}.${name}`, m.base_path]));
}

function follow(address: string, moved: { from: string; to: string }[] = []): string {
  const next = moved.find((m) => m.from === address);
  return next ? follow(next.to, moved) : address;
}

describe("EnvironmentStack: versions behind one domain (before and after)", () => {
  test("adding versions with basePath unchanged hands the existing mapping to that version, unchanged", () => {
    const before = basePaths(synth({ basePath: "v1" }));
    const after = synth({ basePath: "v1", versions: [{ basePath: "v1" }, { basePath: "v2" }] });
    const [[address, path]] = Object.entries(before);
    const target = follow(address, after.moved);
    expect(basePaths(after)[target]).toBe(path);
    expect(Object.values(basePaths(after)).sort()).toEqual(["v1", "v2"]);
  });

  test("deprecating v1 changes outputs only; removing it destroys only its mapping", () => {
    const both = synth({ basePath: "v1", versions: [{ basePath: "v1" }, { basePath: "v2" }] });
    const deprecated = synth({ basePath: "v2", versions: [{ basePath: "v1", deprecated: true }, { basePath: "v2" }] });
    const removed = synth({ basePath: "v2", versions: [{ basePath: "v2" }] });
    expect(resourcesOf(deprecated, MAPPING)).toEqual(resourcesOf(both, MAPPING));
    expect(deprecated.output.public_api_domain_versions.value.v1).toEqual({ url: "https://api.dev.example.com/v1", deprecated: true });
    const v2 = Object.entries(basePaths(deprecated)).filter(([, p]) => p === "v2");
    expect(Object.entries(basePaths(removed))).toEqual(v2);
  });
});
