import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cliConfigText, findMirror, normalizeSource, overridesFor, resolveAwsVersion, scanMirror, StackJson } from "../../scripts/terraform";
import { classifyValidation } from "../../scripts/terraform/validation";

const run = (status: number | null, stdout = "", timedOut = false) => ({ args: [], status, stdout, stderr: "", seconds: 1, timedOut });

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-tflib-"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const stack: StackJson = {
  terraform: { cloud: { organization: "acme" }, required_providers: { aws: { source: "aws", version: "6.25.0" }, tfe: { source: "hashicorp/tfe", version: "0.71.0" } } },
  resource: { aws_acm_certificate: { cert: { region: "us-east-1", domain_name: "x" } }, aws_s3_bucket: { b: { bucket: "b" } } },
};

describe("overridesFor", () => {
  test("pins the named AWS version, keeps the other pins and replaces the backend by a local one", () => {
    expect(overridesFor(stack, { awsVersion: "5.100.0" }).terraform).toEqual({
      required_providers: {
        aws: { source: "registry.terraform.io/hashicorp/aws", version: "5.100.0" },
        tfe: { source: "registry.terraform.io/hashicorp/tfe", version: "0.71.0" },
      },
      backend: { local: { path: "terraform.tfstate" } },
    });
  });
  test("sets region to null only on the blocks that set it, and only for a provider older than 6", () => {
    expect(overridesFor(stack, { awsVersion: "5.100.0" }).resource).toEqual({ aws_acm_certificate: { cert: { region: null } } });
    expect(overridesFor(stack).resource).toBeUndefined();
    expect(overridesFor(stack, { awsVersion: "6.30.0" }).resource).toBeUndefined();
  });
});

describe("provider discovery", () => {
  test("normalizeSource expands short addresses as Terraform does", () => {
    expect(normalizeSource("aws")).toBe("registry.terraform.io/hashicorp/aws");
    expect(normalizeSource("hashicorp/tfe")).toBe("registry.terraform.io/hashicorp/tfe");
    expect(normalizeSource("example.com/a/b")).toBe("example.com/a/b");
  });
  test("scanMirror finds the versions present for this platform only", () => {
    const dir = path.join(root, "mirror");
    fs.mkdirSync(path.join(dir, "registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64"), { recursive: true });
    fs.mkdirSync(path.join(dir, "registry.terraform.io/hashicorp/aws/5.9.0/darwin_arm64"), { recursive: true });
    fs.mkdirSync(path.join(dir, "registry.terraform.io/hashicorp/aws/5.20.0/linux_amd64"), { recursive: true });
    expect(scanMirror(dir, "linux_amd64")?.versions).toEqual({ "registry.terraform.io/hashicorp/aws": ["5.20.0", "5.100.0"] });
    expect(scanMirror(path.join(root, "nothing"))).toBeUndefined();
  });
  test("fails if a named mirror holds no provider", () => {
    expect(() => findMirror({ mirror: path.join(root, "nothing") })).toThrow(/holds no provider/);
  });
  test.each([
    [undefined, "6.25.0"],
    ["mirror", "5.100.0"],
    ["6.30.0", "6.30.0"],
  ])("resolveAwsVersion(%s) is %s", (option, expected) => {
    expect(resolveAwsVersion(option, "6.25.0", { dir: "/m", versions: { "registry.terraform.io/hashicorp/aws": ["5.20.0", "5.100.0"] } })).toBe(expected);
  });
  test("fails if the version is not one", () => {
    expect(() => resolveAwsVersion("latest", "6.25.0", undefined)).toThrow(/not a version/);
    expect(() => resolveAwsVersion("mirror", "6.25.0", undefined)).toThrow(/no local mirror/);
  });
  test("the CLI configuration takes the mirrored providers from the mirror only and shares one plugin cache", () => {
    const text = cliConfigText({ mirror: { dir: "/opt/tf-plugins", versions: { "registry.terraform.io/hashicorp/aws": ["5.100.0"] } }, pluginCacheDir: "/tmp/c" });
    expect(text).toContain('plugin_cache_dir = "/tmp/c"');
    expect(text).toMatch(/filesystem_mirror \{\n\s+path\s+= "\/opt\/tf-plugins"\n\s+include = \["registry.terraform.io\/hashicorp\/aws"\]/);
    expect(text).toMatch(/direct \{\n\s+exclude = \["registry.terraform.io\/hashicorp\/aws"\]/);
    expect(cliConfigText({ pluginCacheDir: "/tmp/c" })).not.toContain("provider_installation");
  });
});

describe("classifyValidation", () => {
  const registryDown = 'Error: Failed to query available provider packages\n\nCould not retrieve the list of available versions for provider hashicorp/tfe';
  test.each([
    ["passed", run(0), run(0)],
    ["NOT VALIDATED", run(1, registryDown), undefined],
    ["failed", run(1, "Error: Unsupported argument\n\nAn argument named \"x\" is not expected here."), undefined],
    ["failed", run(null, "", true), undefined],
    ["failed", run(0), run(1, "Error: Missing required argument")],
  ])("is %s", (expected, init, validate) => {
    expect(classifyValidation("s", ["aws 5.100.0"], init, validate).result).toBe(expected);
  });
  test("names the reason of a stack not validated", () => {
    expect(classifyValidation("tfc", [], run(1, registryDown), undefined).reason).toMatch(/Failed to query available provider packages/);
  });
});
