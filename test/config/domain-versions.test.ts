import { parseEnvironment } from "../../config/loader";
import { environmentYaml } from "../fixtures/environment";

const ZONE = { id: "Z0123456789ABCDEFGHIJ", name: "dev.example.com" };
const publicDomain = (extra: Record<string, unknown>) => ({ publicApi: { domainName: "api.dev.example.com", ...extra } });

function problemsOf(customDomains: Record<string, unknown>): string[] {
  const result = parseEnvironment(environmentYaml({ dns: { publicZone: ZONE }, websocketApi: { enabled: true }, customDomains }));
  return "problems" in result ? result.problems : [];
}

describe("environment schema: customDomains.publicApi.versions", () => {
  test("accepts v1 (deprecated) and v2 with basePath on v2", () => {
    expect(problemsOf(publicDomain({ basePath: "v2", versions: [{ basePath: "v1", deprecated: true }, { basePath: "v2" }] }))).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ["a version is listed twice", publicDomain({ basePath: "v1", versions: [{ basePath: "v1" }, { basePath: "v1" }] }), /^customDomains\.publicApi\.versions\[1\]\.basePath: got "v1"; is listed twice/],
    ["basePath is none of the versions", publicDomain({ basePath: "v3", versions: [{ basePath: "v1" }, { basePath: "v2" }] }), /^customDomains\.publicApi\.basePath: got "v3"; is none of the versions \(v1, v2\)/],
    ["no basePath beside versions", publicDomain({ versions: [{ basePath: "v1" }] }), /^customDomains\.publicApi\.basePath: missing; the root is none of the versions \(v1\)/],
    ["basePath is a deprecated version", publicDomain({ basePath: "v1", versions: [{ basePath: "v1", deprecated: true }, { basePath: "v2" }] }), /^customDomains\.publicApi\.basePath: got "v1"; is a deprecated version; point basePath at a supported version/],
    ["versions on the HTTP API domain", { httpApi: { domainName: "app.dev.example.com", basePath: "v1", versions: [{ basePath: "v1" }] } }, /^customDomains\.httpApi\.versions: .*versions are base paths of the public REST API/],
    ["versions on the WebSocket domain", { websocketApi: { domainName: "ws.dev.example.com", basePath: "v1", versions: [{ basePath: "v1" }] } }, /^customDomains\.websocketApi\.versions: /],
    ["an empty version list", publicDomain({ basePath: "v1", versions: [] }), /^customDomains\.publicApi\.versions: /],
    ["a version with a leading slash", publicDomain({ basePath: "v1", versions: [{ basePath: "/v1" }] }), /^customDomains\.publicApi\.versions\[0\]\.basePath: got "\/v1"; expected a base path/],
    ["an unknown version setting", publicDomain({ basePath: "v1", versions: [{ basePath: "v1", stage: "beta" }] }), /^customDomains\.publicApi\.versions\[0\]\.stage: unknown key/],
  ])("fails if %s", (_name, customDomains, expected) => expect(problemsOf(customDomains)).toEqual(expect.arrayContaining([expect.stringMatching(expected)])));
});
