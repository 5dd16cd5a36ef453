import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { bundleFunction, projectFunctionsDir, zipDirectory } from "../../functions/bundle";

/** Reads a zip's entries back through its central directory, as unzip does. */
function readZip(zip: Buffer): Record<string, { content: string; mode: number; dosDate: number }> {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: Record<string, { content: string; mode: number; dosDate: number }> = {};
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const content = zlib.inflateRawSync(zip.subarray(dataStart, dataStart + size)).toString("utf8");
    expect(zlib.crc32(content)).toBe(zip.readUInt32LE(at + 16));
    entries[name] = { content, mode: zip.readUInt32LE(at + 38) >>> 16, dosDate: zip.readUInt16LE(at + 14) };
    at += 46 + nameLength;
  }
  return entries;
}

function sourceDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-src-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe("zipDirectory", () => {
  test("default", () => {
    const entries = readZip(zipDirectory(sourceDir({ "index.js": "exports.handler = 1;\n", "lib/util.js": "module.exports = 2;\n" })));
    expect(entries).toEqual({
      "index.js": { content: "exports.handler = 1;\n", mode: 0o100644, dosDate: 33 },
      "lib/util.js": { content: "module.exports = 2;\n", mode: 0o100644, dosDate: 33 },
    });
  });

  test("writes the same bytes whatever the files' times, modes and creation order", () => {
    const first = sourceDir({ "b.js": "b", "a.js": "a" });
    const second = sourceDir({ "a.js": "a", "b.js": "b" });
    fs.utimesSync(path.join(second, "a.js"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    fs.chmodSync(path.join(second, "b.js"), 0o755);
    expect(zipDirectory(second).equals(zipDirectory(first))).toBe(true);
  });
});

describe("bundleFunction", () => {
  test("default", () => {
    const bundle = bundleFunction("object-reader");
    expect(readZip(fs.readFileSync(bundle.zipFile))["index.js"].content).toBe(fs.readFileSync("functions/object-reader/index.js", "utf8"));
    expect(Buffer.from(bundle.sourceCodeHash, "base64").toString("hex")).toBe(bundle.sha256);
  });

  test("never ships a zip planted at a predictable path: each process writes its own private directory", () => {
    const functions = sourceDir({ "planted/index.js": "exports.handler = async () => 'genuine';\n" });
    const genuine = zipDirectory(path.join(functions, "planted"));
    const sha256 = createHash("sha256").update(genuine).digest("hex");
    // Where an earlier version reused any existing file without re-hashing it.
    const predictable = path.join(os.tmpdir(), "apigw-functions", `planted-${sha256.slice(0, 16)}.zip`);
    fs.mkdirSync(path.dirname(predictable), { recursive: true });
    fs.writeFileSync(predictable, "planted");
    const bundle = bundleFunction("planted", functions);
    expect(bundle.zipFile).not.toBe(predictable);
    expect(createHash("sha256").update(fs.readFileSync(bundle.zipFile)).digest("hex")).toBe(bundle.sha256);
    expect(bundle.sha256).toBe(sha256);
    expect(fs.statSync(path.dirname(bundle.zipFile)).mode & 0o777).toBe(0o700);
    fs.rmSync(predictable);
  });

  test("fails if the function has no handler file", () => {
    expect(() => bundleFunction("missing", sourceDir({ "missing/README.md": "" }))).toThrow(/^functions\/missing: no index\.js handler found in /);
  });

  test("finds the functions directory beside cdktf.json from below it", () => {
    expect(projectFunctionsDir(path.join("stacks"))).toBe(path.resolve("functions"));
  });
});

describe("bundleFunction with dependencies", () => {
  test("compiles the handler and its pinned dependencies into one index.js", () => {
    const entries = readZip(fs.readFileSync(bundleFunction("authorizer").zipFile));
    expect(Object.keys(entries)).toEqual(["index.js"]);
    const code = entries["index.js"].content;
    expect(code).toContain("aws-jwt-verify");
    expect(code).not.toMatch(/require\("aws-jwt-verify"\)/);
    // No machine path: the same bytes in every checkout.
    expect(code).not.toContain(process.cwd());
    const handler = { exports: {} as Record<string, unknown> };
    new Function("module", "exports", "require", code)(handler, handler.exports, require);
    expect(typeof handler.exports.handler).toBe("function");
  });

  test("fails if the version the handler pins is not installed", () => {
    const dir = sourceDir({ "pinned/index.js": 'require("aws-jwt-verify");\n', "pinned/package.json": JSON.stringify({ dependencies: { "aws-jwt-verify": "0.0.1" } }) });
    expect(() => bundleFunction("pinned", dir)).toThrow("functions/pinned: package.json pins aws-jwt-verify 0.0.1, but none is installed");
  });
});
