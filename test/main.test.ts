import { spawnSync, SpawnSyncReturns } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { environmentYaml } from "./fixtures/environment";

// The app as users run it (`npm run synth`, cdktf.json's app): one Node process running the
// bundled entry point, in a child process, configured by the environment variables the README documents.
const ROOT = path.resolve(__dirname, "..");
const SOURCES = ["main.ts", "config", "stacks", "modules", "functions", "policy", "apis", "scripts", "package.json", "package-lock.json", "tsconfig.json", "cdktf.json"];

function run(command: string, args: string[], cwd: string, env: Record<string, string>): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), TMPDIR: os.tmpdir(), ...env } });
}

function synth(env: Record<string, string>, cwd = ROOT): SpawnSyncReturns<string> {
  return run(process.execPath, [path.join(cwd, "scripts", "run.js"), "main.ts"], cwd, env);
}

function files(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[path.relative(dir, path.join(entry.parentPath, entry.name))] = fs.readFileSync(path.join(entry.parentPath, entry.name));
  }
  return out;
}

/** Each file's SHA-256: jest compares a megabyte of Buffers byte by byte, in seconds. */
function digests(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(files(dir)).map(([name, content]) => [name, createHash("sha256").update(content).digest("hex")]));
}

function configDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-env-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/**
 * A copy of the project's sources at a fresh path, sharing node_modules, bundled as `npm run build`
 * does, or with the bundle of `from` (a clone of the same sources) copied along.
 */
function cloneProject(from?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-clone-"));
  for (const entry of [...SOURCES, ...(from ? ["dist"] : [])]) fs.cpSync(path.join(from ?? ROOT, entry), path.join(dir, entry), { recursive: true });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  if (!from) {
    const build = run(process.execPath, [path.join("scripts", "run.js"), "--bundle", "main.ts"], dir, {});
    if (build.status !== 0) throw new Error(build.stderr);
  }
  return dir;
}

/**
 * Runs the bundled app with a hook that records each module it loads from @cdktf/provider-tfe,
 * one line each, in a file of its own (stderr stays the app's).
 */
function tracedSynth(env: Record<string, string>, cwd: string): { result: SpawnSyncReturns<string>; loaded: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-hook-"));
  const hook = path.join(dir, "trace.js");
  const trace = path.join(dir, "loaded.txt");
  fs.writeFileSync(
    hook,
    `const fs = require("fs"); const M = require("module"); const load = M._load; M._load = function (request, ...rest) { if (request.includes("provider-tfe")) fs.appendFileSync(${JSON.stringify(trace)}, request + "\\n"); return load.call(this, request, ...rest); };\n`,
  );
  const result = run(process.execPath, ["--require", hook, path.join(cwd, "scripts", "run.js"), "main.ts"], cwd, env);
  return { result, loaded: fs.existsSync(trace) ? fs.readFileSync(trace, "utf8").trimEnd().split("\n") : [] };
}

/** The shipped files with an organization, no terraform on PATH, and a relative CDKTF_OUTDIR. */
const CLOUD_ENV = { CDKTF_OUTDIR: "dist/cloud", TFC_ORGANIZATION: "acme", PATH: path.dirname(process.execPath) };

describe("main", () => {
  let project: string;
  let outdir: string;
  /**
   * The synths that several tests read, run once: one good environment (the failing cases start
   * from its output) and the shipped files with an organization and no terraform on PATH.
   */
  let good: { result: SpawnSyncReturns<string>; outdir: string; loaded: string[] };
  let cloud: { result: SpawnSyncReturns<string>; outdir: string; loaded: string[] };
  beforeAll(() => {
    project = cloneProject();
    const goodOutdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "apigw-out-")), "cdktf.out");
    good = { ...tracedSynth({ CDKTF_OUTDIR: goodOutdir, APIGW_CONFIG_DIR: configDir({ "qa.yaml": environmentYaml() }) }, project), outdir: goodOutdir };
    // Inside the project, with a relative CDKTF_OUTDIR: the output another clone must reproduce.
    cloud = { ...tracedSynth(CLOUD_ENV, project), outdir: path.join(project, CLOUD_ENV.CDKTF_OUTDIR) };
  });
  beforeEach(() => {
    outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "apigw-out-")), "cdktf.out");
  });

  test("default", () => {
    const { result, outdir: out } = good;
    // The policy runs at synth and only warns: qa, with no suppressions, has what a minimal file
    // leaves to its author (a web ACL on each API, a log key, reserved concurrency, authorizers on
    // the public writes) and keeps its API keys in local state.
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toContain("policy warning [APIGW-STAGE-WAF] qa aws_api_gateway_stage.public-api_stage_585AE32E: A public REST stage should be associated with a WAF web ACL");
    expect(lines.filter((l) => !/^policy warning \[APIGW-[A-Z-]+\] qa /.test(l))).toEqual([]);
    expect([...new Set(lines.map((l) => /\[(APIGW-[A-Z-]+)\]/.exec(l)![1]))].sort()).toEqual([
      "APIGW-API-KEY-LOCAL-STATE",
      "APIGW-HTTP-WAF",
      "APIGW-LAMBDA-CONCURRENCY",
      "APIGW-LOG-GROUP-CMK",
      "APIGW-STAGE-WAF",
    ]);
    expect(result.status).toBe(0);
    expect(fs.readdirSync(path.join(out, "stacks")).sort()).toEqual(["account-111111111111-eu-west-1", "endpoint-vpc-0123456789abcdef0", "qa"]);
    expect(fs.readdirSync(path.join(out, "openapi", "qa")).sort()).toEqual(["apigw-qa-http.json", "apigw-qa-private.json", "apigw-qa-public.json"]);
  });

  test.each<[string, Record<string, string>, RegExp[]]>([
    ["a CIDR out of range", { "qa.yaml": environmentYaml({ network: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef1"], allowedCidrs: ["10.0.0.0/33"] } }) }, [/qa\.yaml:$/m, /^  network\.allowedCidrs\[0\]: got "10\.0\.0\.0\/33"; expected an IPv4 CIDR block/m]],
    ["malformed YAML", { "qa.yaml": "region: [eu-west-1\n" }, [/qa\.yaml:$/m, /^  line \d+, column \d+: malformed YAML/m]],
    ["a misspelt key", { "qa.yaml": environmentYaml({ logging: { retentionDay: 30 } }) }, [/^  logging\.retentionDay: unknown key; did you mean "retentionDays"\?/m]],
    ["an empty file", { "qa.yaml": "" }, [/^  the file is empty/m]],
  ])("fails on %s with a short message, no stack trace, and the previous output intact", (_name, envFiles, expected) => {
    fs.cpSync(good.outdir, outdir, { recursive: true });
    const before = digests(outdir);

    const result = synth({ CDKTF_OUTDIR: outdir, APIGW_CONFIG_DIR: configDir(envFiles) }, project);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^synth failed:\n/);
    for (const line of expected) expect(result.stderr).toMatch(line);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr.split("\n").length).toBeLessThan(8);
    expect(digests(outdir)).toEqual(before);
  });

  test("fails if APIGW_POLICY is not a known mode", () => {
    const result = synth({ CDKTF_OUTDIR: outdir, APIGW_POLICY: "strict" }, project);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('synth failed:\nAPIGW_POLICY is "strict"; expected one of error, warn, off\n');
  });

  test("synthesizes Terraform Cloud blocks with no terraform binary on PATH", () => {
    const { result, outdir: out } = cloud;
    // dev's and staging's API keys are accepted in local state (policy/suppressions.yaml); in Terraform Cloud there is none to accept.
    expect(result.stderr.trimEnd().split("\n").map((l) => /^policy warning \[(APIGW-[A-Z-]+)\] (\S+) .*The suppression of (APIGW-[A-Z-]+) matches no finding/.exec(l)?.slice(1))).toEqual([
      ["APIGW-UNUSED-SUPPRESSION", "dev", "APIGW-API-KEY-LOCAL-STATE"],
      ["APIGW-UNUSED-SUPPRESSION", "staging", "APIGW-API-KEY-LOCAL-STATE"],
    ]);
    expect(result.status).toBe(0);
    const dev = JSON.parse(fs.readFileSync(path.join(out, "stacks", "dev", "cdk.tf.json"), "utf8"));
    expect(dev.terraform.cloud).toEqual({ organization: "acme", workspaces: { name: "apigw-dev" } });
    expect(dev.terraform.backend).toBeUndefined();
    expect(fs.readdirSync(path.join(out, "stacks")).sort()).toEqual([
      "account-111111111111-eu-west-1",
      "account-222222222222-eu-west-1",
      "dev",
      "endpoint-vpc-0a1b2c3d4e5f60718",
      "endpoint-vpc-0b1c2d3e4f5a60718",
      "endpoint-vpc-0c1d2e3f4a5b60718",
      "prod",
      "staging",
      "tfc",
    ]);
    const tfc = JSON.parse(fs.readFileSync(path.join(out, "stacks", "tfc", "cdk.tf.json"), "utf8"));
    expect(Object.keys(tfc.resource.tfe_workspace)).toHaveLength(8);
  });

  // The tfe bindings are only needed for the tfc stack; everyone else's synth does not pay for them.
  test("loads the tfe provider bindings only when a stack uses Terraform Cloud", () => {
    // Files that name no organization (the shipped prod does: it keeps its state in Terraform Cloud).
    expect(good.result.status).toBe(0);
    expect(good.loaded).toEqual([]);
    expect(cloud.result.status).toBe(0);
    expect(cloud.loaded).toContain("@cdktf/provider-tfe/lib/workspace");
    expect(cloud.loaded).not.toContain("@cdktf/provider-tfe");
  });

  function expectStateBesideCdktfJson(out: string, stacks: string[]): void {
    for (const stack of stacks) {
      const stackDir = path.join(out, "stacks", stack);
      const statePath: string = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")).terraform.backend.local.path;
      expect(path.isAbsolute(statePath)).toBe(false);
      expect(path.resolve(stackDir, statePath)).toBe(path.join(project, `terraform.${stack}.tfstate`));
    }
  }

  test("keeps local state beside cdktf.json with an absolute CDKTF_OUTDIR outside the project", () => {
    expect(good.result.status).toBe(0);
    expectStateBesideCdktfJson(good.outdir, ["qa", "account-111111111111-eu-west-1"]);
  });

  test("keeps local state beside cdktf.json with a relative CDKTF_OUTDIR", () => {
    expect(cloud.result.status).toBe(0);
    expectStateBesideCdktfJson(cloud.outdir, ["tfc"]);
  });

  test("is reproducible: clones at different paths write byte-identical output with no machine path in it", () => {
    const other = cloneProject(project);
    expect(synth(CLOUD_ENV, other).status).toBe(0);
    const outputs = [cloud.outdir, path.join(other, CLOUD_ENV.CDKTF_OUTDIR)];
    expect(Object.keys(digests(outputs[0])).length).toBeGreaterThan(5);
    expect(digests(outputs[1])).toEqual(digests(outputs[0]));
    for (const content of Object.values(files(outputs[0]))) {
      expect(content.toString("latin1")).not.toMatch(new RegExp(`${os.tmpdir()}|${ROOT}|/home/|/root/`));
    }
  });

  test("runs the app as changed after a source changed, whatever the file's time stamp says", () => {
    const clone = cloneProject(project);
    const main = path.join(clone, "main.ts");
    const { mtime } = fs.statSync(main);
    fs.writeFileSync(main, fs.readFileSync(main, "utf8").replace("APIGW_POLICY is", "APIGW_POLICY was"));
    // Older than the bundle again: a check of time stamps would run the bundle as it was.
    fs.utimesSync(main, mtime, mtime);
    const result = synth({ APIGW_POLICY: "strict" }, clone);
    expect(result.stderr).toBe('synth failed:\nAPIGW_POLICY was "strict"; expected one of error, warn, off\n');
  });

  test("bundles nothing that needs its own file's name: cdktf zips an archive asset by running lib/private/fs.js as a program", () => {
    // With __filename, the bundle's own name, that program would be the whole app, starting itself again and again.
    expect(fs.readFileSync(path.join(project, "dist", "main.js"), "utf8")).not.toMatch(/__filename|__dirname/);
  });
});
