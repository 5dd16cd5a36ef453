import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The parts of a synthesized stack (cdk.tf.json) these scripts read. */
export interface StackJson {
  readonly terraform?: {
    readonly required_providers?: Record<string, { source?: string; version?: string }>;
    readonly backend?: Record<string, unknown>;
    readonly cloud?: unknown;
  };
  readonly provider?: Record<string, unknown>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly check?: Record<string, unknown>;
  readonly output?: Record<string, unknown>;
}

export interface ProviderRequirement {
  /** The local name in required_providers ("aws"). */
  readonly name: string;
  /** The full source address ("registry.terraform.io/hashicorp/aws"). */
  readonly source: string;
  /** The version constraint as synthesized ("6.25.0"), if any. */
  readonly version?: string;
}

export const AWS_SOURCE = "registry.terraform.io/hashicorp/aws";

/** Terraform's rules for a source address: "aws" is hashicorp/aws on the public registry. */
export function normalizeSource(source: string): string {
  const parts = source.toLowerCase().split("/");
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${parts.join("/")}`;
  return parts.join("/");
}

export function requiredProviders(stack: StackJson): ProviderRequirement[] {
  return Object.entries(stack.terraform?.required_providers ?? {}).map(([name, requirement]) => ({
    name,
    source: normalizeSource(requirement.source ?? name),
    ...(requirement.version ? { version: requirement.version } : {}),
  }));
}

/** Terraform's os_arch: linux_amd64, darwin_arm64, windows_amd64. */
export function platformDir(platform: string = process.platform, arch: string = process.arch): string {
  const goArch: Record<string, string> = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" };
  return `${platform === "win32" ? "windows" : platform}_${goArch[arch] ?? arch}`;
}

/** A filesystem mirror in Terraform's unpacked layout: <dir>/<host>/<namespace>/<type>/<version>/<os_arch>/. */
export interface Mirror {
  readonly dir: string;
  /** Source address -> versions present for this platform, oldest first. */
  readonly versions: Readonly<Record<string, readonly string[]>>;
}

const VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

function subdirs(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name);
  } catch {
    return [];
  }
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const pb = b.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/** What a directory holds as a mirror for this platform; undefined when it holds no provider. */
export function scanMirror(dir: string, osArch: string = platformDir()): Mirror | undefined {
  const versions: Record<string, string[]> = {};
  for (const host of subdirs(dir).filter((h) => h.includes("."))) {
    for (const namespace of subdirs(path.join(dir, host))) {
      for (const type of subdirs(path.join(dir, host, namespace))) {
        const found = subdirs(path.join(dir, host, namespace, type))
          .filter((v) => VERSION.test(v) && fs.existsSync(path.join(dir, host, namespace, type, v, osArch)))
          .sort(compareVersions);
        if (found.length > 0) versions[`${host}/${namespace}/${type}`] = found;
      }
    }
  }
  return Object.keys(versions).length > 0 ? { dir: path.resolve(dir), versions } : undefined;
}

/** Terraform's implied local mirror directories (CLI configuration docs, "Implied Local Mirror Directories"). */
function impliedMirrorDirs(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? os.homedir();
  const dataDirs = (env.XDG_DATA_DIRS ?? "/usr/local/share:/usr/share").split(":").filter(Boolean);
  return [
    path.join(home, ".terraform.d", "plugins"),
    path.join(env.XDG_DATA_HOME ?? path.join(home, ".local", "share"), "terraform", "plugins"),
    ...dataDirs.map((d) => path.join(d, "terraform", "plugins")),
  ];
}

export interface FindMirrorOptions {
  /** `--mirror DIR`: used as is (an error when it holds no provider). */
  readonly mirror?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Where to look besides Terraform's own places; default /opt/tf-plugins and every /opt/<dir>. */
  readonly searchDirs?: readonly string[];
}

/**
 * The mirror to install from: a named one (--mirror, else APIGW_TF_MIRROR), else the first directory of
 * the usual places that holds registry.terraform.io/hashicorp/aws/<version>/<os_arch>. Undefined: none,
 * so terraform installs from the registry as usual.
 */
export function findMirror(options: FindMirrorOptions = {}): Mirror | undefined {
  const env = options.env ?? process.env;
  const named = options.mirror ?? env.APIGW_TF_MIRROR;
  if (named) {
    const mirror = scanMirror(named);
    if (!mirror) throw new Error(`mirror ${named} holds no provider for ${platformDir()} (expected <dir>/registry.terraform.io/<namespace>/<type>/<version>/${platformDir()})`);
    return mirror;
  }
  const candidates = options.searchDirs ?? ["/opt/tf-plugins", ...subdirs("/opt").map((d) => path.join("/opt", d))];
  for (const dir of [...candidates, ...impliedMirrorDirs(env)]) {
    const mirror = scanMirror(dir);
    if (mirror?.versions[AWS_SOURCE]) return mirror;
  }
  return undefined;
}

export function newestVersion(mirror: Mirror | undefined, source: string): string | undefined {
  const versions = mirror?.versions[normalizeSource(source)];
  return versions?.[versions.length - 1];
}

/**
 * The AWS provider version to check against: `--provider-version X` names it, "mirror" means the newest
 * in the mirror, none means the stack's pin.
 */
export function resolveAwsVersion(option: string | undefined, pinned: string | undefined, mirror: Mirror | undefined): string | undefined {
  if (option === undefined || option === "") return pinned;
  if (option === "mirror") {
    const newest = newestVersion(mirror, AWS_SOURCE);
    if (!newest) throw new Error("--provider-version mirror: no local mirror with the AWS provider was found (name one with --mirror DIR)");
    return newest;
  }
  if (!VERSION.test(option)) throw new Error(`--provider-version ${JSON.stringify(option)} is not a version; expected for example 6.25.0, or "mirror"`);
  return option;
}

export function majorVersion(version: string | undefined): number | undefined {
  const match = /^\D*(\d+)\./.exec(version ?? "");
  return match ? Number(match[1]) : undefined;
}

const hcl = (value: string) => JSON.stringify(value);

/**
 * A Terraform CLI configuration: the mirror's providers from the mirror only (so a missing version fails
 * at once, not after a registry lookup), every other provider from its registry, and one plugin cache for
 * all stacks (init links the ~600 MB AWS provider from it instead of copying it).
 */
export function cliConfigText(options: { mirror?: Mirror; pluginCacheDir: string }): string {
  const lines = [`plugin_cache_dir = ${hcl(options.pluginCacheDir)}`, "disable_checkpoint = true"];
  if (options.mirror) {
    const sources = Object.keys(options.mirror.versions).sort();
    lines.push(
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = ${hcl(options.mirror.dir)}`,
      `    include = [${sources.map(hcl).join(", ")}]`,
      "  }",
      "  direct {",
      `    exclude = [${sources.map(hcl).join(", ")}]`,
      "  }",
      "}",
    );
  }
  return `${lines.join("\n")}\n`;
}

export interface TerraformEnv {
  /** The environment to run terraform with. */
  readonly env: NodeJS.ProcessEnv;
  readonly cliConfigFile: string;
  readonly pluginCacheDir: string;
  readonly mirror?: Mirror;
}

/**
 * Writes the CLI configuration under root (a temporary directory the caller removes) and returns the
 * environment for terraform. TF_CLI_CONFIG_FILE is always set: a user's own configuration (or one that
 * is named but missing, as on these machines) would otherwise decide where providers come from.
 * APIGW_TF_PLUGIN_CACHE names a cache that outlives the run.
 */
export function prepareTerraformEnv(options: { root: string; mirror?: Mirror; env?: NodeJS.ProcessEnv }): TerraformEnv {
  const base = options.env ?? process.env;
  const pluginCacheDir = path.resolve(base.APIGW_TF_PLUGIN_CACHE ?? path.join(options.root, "plugin-cache"));
  fs.mkdirSync(pluginCacheDir, { recursive: true });
  const cliConfigFile = path.join(options.root, "terraform.tfrc");
  fs.writeFileSync(cliConfigFile, cliConfigText({ mirror: options.mirror, pluginCacheDir }));
  const env: NodeJS.ProcessEnv = { ...base, TF_CLI_CONFIG_FILE: cliConfigFile, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  delete env.TF_PLUGIN_CACHE_DIR;
  delete env.TF_DATA_DIR;
  delete env.TF_WORKSPACE;
  return { env, cliConfigFile, pluginCacheDir, ...(options.mirror ? { mirror: options.mirror } : {}) };
}
