/**
 * What moving from CDK for Terraform (cdktf) to its community fork CDK Terrain (cdktn) changes in
 * this project's sources, and in what they synthesize. Used by `npm run check:terrain`.
 */
import * as fs from "fs";
import * as path from "path";

/** The packages cdktn replaces, with the exact versions the check installs. */
export const TERRAIN_PACKAGES: Readonly<Record<string, { name: string; version: string }>> = {
  cdktf: { name: "cdktn", version: "0.24.0" },
  "cdktf-cli": { name: "cdktn-cli", version: "0.24.0" },
  "@cdktf/provider-aws": { name: "@cdktn/provider-aws", version: "25.7.0" },
};

/** cdktn 0.24 and @cdktn/provider-aws 25.7 declare the peer dependency constructs >=10.6.0 <10.8.0. */
export const TERRAIN_CONSTRUCTS = "10.6.0";

type PackageJson = Record<string, any>;

/** package.json with the cdktf packages swapped for cdktn's at pinned versions, and the CLI script renamed. */
export function terrainPackageJson(pkg: PackageJson): PackageJson {
  const swap = (deps: Record<string, string> | undefined) =>
    deps &&
    Object.fromEntries(
      Object.entries(deps)
        .map(([name, version]): [string, string] => {
          const terrain = TERRAIN_PACKAGES[name];
          if (terrain) return [terrain.name, terrain.version];
          return [name, name === "constructs" ? TERRAIN_CONSTRUCTS : version];
        })
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  const scripts = Object.fromEntries(Object.entries<string>(pkg.scripts ?? {}).map(([name, command]) => [name, command.replace(/(^|[\s;&|])cdktf(?=$|\s)/g, "$1cdktn")]));
  return { ...pkg, dependencies: swap(pkg.dependencies), devDependencies: swap(pkg.devDependencies), scripts };
}

// Module specifiers only: the string "cdktf" elsewhere (a tag value, a message) is the project's own text.
const SPECIFIER = /((?:\bfrom|\bimport|\brequire\s*\(|\bimport\s*\(|\bjest\.mock\s*\()\s*)(["'])(cdktf|cdktf-cli|@cdktf\/provider-aws)((?:\/[^"']*)?)\2/g;

/** A source file with its imports of cdktf packages pointing at the cdktn ones. */
export function rewriteImports(source: string): string {
  return source.replace(SPECIFIER, (_, lead: string, quote: string, name: string, subpath: string) => `${lead}${quote}${TERRAIN_PACKAGES[name].name}${subpath}${quote}`);
}

/** One place where the two outputs differ. `path` is a JSON path inside `file`, empty for a whole file. */
export interface Difference {
  readonly file: string;
  readonly path: string;
  readonly cdktf: unknown;
  readonly cdktn: unknown;
  /** Why the difference is expected; undefined when it is not. */
  readonly allowed?: string;
}

/** The differences that are expected, by file and JSON path. */
export const ALLOWED_DIFFERENCES: readonly { file: RegExp; path: string; reason: string }[] = [
  { file: /^manifest\.json$/, path: "version", reason: "the version of the library that synthesized (cdktf 0.21.0, cdktn 0.24.0)" },
  { file: /^stacks\/[^/]+\/cdk\.tf\.json$/, path: '["//"].metadata.version', reason: "the version of the library that synthesized, a comment Terraform ignores" },
  {
    file: /^stacks\/[^/]+\/cdk\.tf\.json$/,
    path: "terraform.required_providers.aws.version",
    reason: "the AWS provider the bindings were generated from: @cdktf/provider-aws 21.22.1 is AWS provider 6.25.0, @cdktn/provider-aws 25.7.0 is 6.66.0",
  },
  {
    file: /^stacks\/[^/]+\/cdk\.tf\.json$/,
    path: "terraform.required_providers.aws.source",
    reason: 'the same provider: a source without a namespace means namespace "hashicorp" in the default registry, so both are registry.terraform.io/hashicorp/aws to Terraform',
  },
];

function allowedReason(file: string, jsonPath: string): string | undefined {
  return ALLOWED_DIFFERENCES.find((a) => a.file.test(file) && a.path === jsonPath)?.reason;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const child = (parent: string, key: string) => (IDENTIFIER.test(key) ? (parent ? `${parent}.${key}` : key) : `${parent}[${JSON.stringify(key)}]`);

/** The differences between two JSON values, leaf by leaf (a key on one side only is one difference). */
export function jsonDifferences(file: string, cdktf: unknown, cdktn: unknown, at = ""): Difference[] {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object";
  if (isObject(cdktf) && isObject(cdktn) && Array.isArray(cdktf) === Array.isArray(cdktn)) {
    const keys = [...new Set([...Object.keys(cdktf), ...Object.keys(cdktn)])];
    return keys.flatMap((key) => jsonDifferences(file, cdktf[key], cdktn[key], Array.isArray(cdktf) ? `${at}[${key}]` : child(at, key)));
  }
  if (JSON.stringify(cdktf) === JSON.stringify(cdktn)) return [];
  const allowed = allowedReason(file, at);
  return [{ file, path: at, cdktf, cdktn, ...(allowed ? { allowed } : {}) }];
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

/** Every difference between two synth outputs: files on one side only, JSON leaf by leaf, other files by bytes. */
export function compareOutputs(cdktfDir: string, cdktnDir: string): Difference[] {
  const left = filesUnder(cdktfDir);
  const right = filesUnder(cdktnDir);
  const all = [...new Set([...left, ...right])].sort();
  return all.flatMap((file): Difference[] => {
    if (!right.includes(file)) return [{ file, path: "", cdktf: "present", cdktn: "missing" }];
    if (!left.includes(file)) return [{ file, path: "", cdktf: "missing", cdktn: "present" }];
    const a = fs.readFileSync(path.join(cdktfDir, file));
    const b = fs.readFileSync(path.join(cdktnDir, file));
    if (file.endsWith(".json")) return jsonDifferences(file, JSON.parse(a.toString("utf8")), JSON.parse(b.toString("utf8")));
    return a.equals(b) ? [] : [{ file, path: "", cdktf: `${a.length} bytes`, cdktn: `${b.length} bytes, different content` }];
  });
}

/** The report's lines for a set of differences: the allowed ones grouped by reason, the others one by one with both values. */
export function describeDifferences(differences: readonly Difference[]): string[] {
  const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v));
  const allowed = new Map<string, Difference[]>();
  for (const d of differences.filter((d) => d.allowed)) allowed.set(`${d.path}: ${d.allowed}`, [...(allowed.get(`${d.path}: ${d.allowed}`) ?? []), d]);
  const lines = [...allowed.entries()].map(([what, ds]) => {
    const values = [...new Set(ds.map((d) => `${show(d.cdktf)} -> ${show(d.cdktn)}`))].join(", ");
    return `allowed   ${what}; ${values} in ${ds.length} file(s)`;
  });
  for (const d of differences.filter((d) => !d.allowed)) lines.push(`DIFFERENT ${d.file}${d.path ? ` ${d.path}` : ""}: cdktf ${show(d.cdktf)}, cdktn ${show(d.cdktn)}`);
  return lines;
}
