import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import * as esbuild from "esbuild";

/** A handler directory zipped reproducibly: the same sources give the same bytes on every machine. */
export interface FunctionBundle {
  /** The zip file, outside the repository; cdktf copies it into the synth output. */
  readonly zipFile: string;
  /** Hex SHA-256 of the zip's bytes. */
  readonly sha256: string;
  /** Base64 SHA-256 of the zip's bytes, as Lambda's `source_code_hash` expects. */
  readonly sourceCodeHash: string;
}

/** 1980-01-01 00:00, the earliest DOS date: file times would make every checkout's zip differ. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const FILE_MODE = 0o100644;

/**
 * The project directory, found as cdktf finds relative asset paths: the nearest directory
 * holding cdktf.json, from the working directory up. (`__dirname` would point into the
 * esbuild bundle's directory at synth time.)
 */
export function projectDir(from = process.cwd()): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "cdktf.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no cdktf.json found in ${from} or above it: run the app from the project directory`);
  }
}

/** The project's `functions/` directory, beside cdktf.json. */
export function projectFunctionsDir(from = process.cwd()): string {
  return path.join(projectDir(from), "functions");
}

/** Bundles already made in this process: every environment stack uses the same handlers. */
const bundles = new Map<string, FunctionBundle>();

let privateDir: string | undefined;

/**
 * A directory only this process can write to (mkdtemp: a fresh name, mode 0700), removed at exit.
 * A shared, predictable path would let another local user plant a zip that the synth then ships
 * under the genuine bytes' source_code_hash.
 */
function bundleDir(): string {
  if (privateDir === undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-functions-"));
    process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    privateDir = dir;
  }
  return privateDir;
}

/**
 * Zips `functions/<name>/` (sorted entries, fixed times and modes) into a content-addressed file,
 * once per process. A handler with a `package.json` that lists `dependencies` is compiled with
 * them into one `index.js` first (esbuild), after checking that the installed versions are the
 * ones it pins: Lambda's Node.js runtime has no packages but the AWS SDK.
 */
export function bundleFunction(name: string, functionsDir = projectFunctionsDir()): FunctionBundle {
  const dir = path.join(functionsDir, name);
  const made = bundles.get(dir);
  if (made) return made;
  if (!fs.existsSync(path.join(dir, "index.js"))) {
    throw new Error(`functions/${name}: no index.js handler found in ${path.relative(process.cwd(), dir) || dir}`);
  }
  const dependencies = declaredDependencies(dir);
  const zip = Object.keys(dependencies).length ? zipFiles([{ name: "index.js", data: compile(name, dir, dependencies) }]) : zipDirectory(dir);
  const digest = createHash("sha256").update(zip);
  const sha256 = digest.copy().digest("hex");
  // The file name (the asset's name in the output) depends only on the content; the directory is this process's own.
  const zipFile = path.join(bundleDir(), `${name}-${sha256.slice(0, 16)}.zip`);
  fs.writeFileSync(zipFile, zip);
  const bundle = { zipFile, sha256, sourceCodeHash: digest.digest("base64") };
  bundles.set(dir, bundle);
  return bundle;
}

function listFiles(dir: string, prefix = ""): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return listFiles(dir, relative);
      return entry.isFile() ? [relative] : [];
    })
    .sort();
}

function declaredDependencies(dir: string): Record<string, string> {
  const manifest = path.join(dir, "package.json");
  if (!fs.existsSync(manifest)) return {};
  return (JSON.parse(fs.readFileSync(manifest, "utf8")) as { dependencies?: Record<string, string> }).dependencies ?? {};
}

/** The installed version of a package, looked up from `dir` upwards as Node.js resolves it. */
function installedVersion(dir: string, dependency: string): string | undefined {
  for (let at = dir; ; at = path.dirname(at)) {
    const manifest = path.join(at, "node_modules", dependency, "package.json");
    if (fs.existsSync(manifest)) return (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version?: string }).version;
    if (path.dirname(at) === at) return undefined;
  }
}

/**
 * The handler and its dependencies as one CommonJS file for the Lambda runtime. Paths in the
 * output are relative to the handler's directory, so every checkout compiles the same bytes.
 */
function compile(name: string, dir: string, dependencies: Record<string, string>): Buffer {
  for (const [dependency, pinned] of Object.entries(dependencies)) {
    const installed = installedVersion(dir, dependency);
    if (installed !== pinned) {
      throw new Error(`functions/${name}: package.json pins ${dependency} ${pinned}, but ${installed ? `${installed} is` : "none is"} installed; pin the same version in the project's package.json and run npm ci`);
    }
  }
  const result = esbuild.buildSync({
    absWorkingDir: dir,
    entryPoints: ["index.js"],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    write: false,
    legalComments: "inline",
    logLevel: "silent",
  });
  return Buffer.from(result.outputFiles[0].contents);
}

export function zipDirectory(dir: string): Buffer {
  return zipFiles(listFiles(dir).map((name) => ({ name, data: fs.readFileSync(path.join(dir, name)) })));
}

/** A zip of the given files in the given order, with fixed times and modes. */
export function zipFiles(files: readonly { readonly name: string; readonly data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of files) {
    const compressed = zlib.deflateRawSync(data, { level: 9 });
    const crc = zlib.crc32(data);
    const nameBytes = Buffer.from(name, "utf8");

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, so the mode below is honoured
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE((FILE_MODE << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);

    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDirectory, end]);
}
