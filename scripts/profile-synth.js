// @ts-check
/**
 * Where a synth's CPU time goes: `node scripts/profile-synth.js <bundle.js> <profile.cpuprofile>...`
 * reads V8 CPU profiles of the bundled app (`node --cpu-prof scripts/run.js main.ts`, as
 * scripts/bench.sh --profile takes them) and prints the time of each phase, summed over the profiles.
 *
 * A sample counts for the first phase below that a frame of its stack belongs to, so that, say,
 * the tokens resolved for an OpenAPI document count for the export, not for resolution. A frame's
 * source file comes from the bundle's `// <path>` comments, which esbuild writes before each
 * module's code.
 */
const fs = require("fs");

/** @typedef {{ fn: string, file: string, inBundle: boolean }} Frame */
/** @type {[string, (frame: Frame) => boolean][]} */
const PHASES = [
  // esbuild names a module's wrapper after its path; the externals load through Node's loader.
  ["module load", (f) => /^[\w@.-]+(?:\/[\w@.-]+)+\.(?:[cm]?js|ts|json)$/.test(f.fn) || (f.inBundle && f.file.startsWith("node:internal/modules")) || f.fn === "__require"],
  // cdktf records a whole stack trace for each token it makes (for the error that may name it).
  ["token stack traces", (f) => /^captureStackTrace\d*$/.test(f.fn)],
  ["config and suppressions load", (f) => f.fn === "loadEnvironments" || f.fn === "loadSuppressions"],
  ["function packaging", (f) => f.file === "functions/bundle.ts"],
  ["OpenAPI export", (f) => f.file === "stacks/openapi-export.ts"],
  ["policy check", (f) => f.file.startsWith("policy/")],
  ["JSON writing", (f) => /stringify/.test(f.file) || f.fn === "writeFileSync" || f.fn === "writeSync"],
  ["resolution", (f) => f.file.startsWith("node_modules/cdktf/lib/tokens/") || f.fn === "toTerraform"],
  ["cdktf synth (aspects, validations, manifest)", (f) => f.file === "node_modules/cdktf/lib/app.js" && f.fn === "synth"],
  ["construct tree", (f) => /^(?:main\.ts|stacks\/|modules\/|config\/)/.test(f.file) || /^node_modules\/(?:@cdktf\/provider-aws|constructs|cdktf)\//.test(f.file)],
];
const GC = "garbage collection";
/** Time outside the bundle: run.js's freshness check and loading the bundle itself count as module load. */
const OUTSIDE = "module load";
const OTHER = "other (V8, start-up, exit)";

const [bundle, ...profiles] = process.argv.slice(2);
if (!bundle || !profiles.length) {
  console.error("usage: node scripts/profile-synth.js <bundle.js> <profile.cpuprofile>...");
  process.exit(2);
}

/** The bundle's line numbers (0-based) where each module's code starts, with its path. */
const starts = fs
  .readFileSync(bundle, "utf8")
  .split("\n")
  .flatMap((line, i) => {
    const match = /^\/\/ ((?:node_modules\/)?[\w@.\-/]+\.(?:[cm]?js|ts|json))$/.exec(line);
    return match ? [{ line: i, file: match[1] }] : [];
  });

/** @param {number} line */
function fileAt(line) {
  let low = 0;
  let high = starts.length - 1;
  let found = "";
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (starts[mid].line <= line) {
      found = starts[mid].file;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

/** run.js compiles the bundle under its plain path. */
const bundlePath = require("path").resolve(bundle);
/** @type {Map<string, number>} */
const totals = new Map();
let all = 0;
for (const file of profiles) {
  /** @type {{ nodes: { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }[], samples: number[], timeDeltas: number[] }} */
  const profile = JSON.parse(fs.readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  /** @type {Map<number, string>} */
  const phaseOf = new Map();
  /**
   * @param {number} id
   * @param {number} best index into PHASES of the best phase on the way here, PHASES.length for none
   * @param {boolean} inBundle whether the bundle's code is on the way here
   */
  const visit = (id, best, inBundle) => {
    const node = byId.get(id);
    if (!node) return;
    const { functionName: fn, url, lineNumber } = node.callFrame;
    const here = inBundle || [bundlePath, `file://${bundlePath}`].includes(url);
    const frame = { fn, file: [bundlePath, `file://${bundlePath}`].includes(url) ? fileAt(lineNumber) : url.replace(/^file:\/\//, ""), inBundle: here };
    const index = PHASES.findIndex(([, matches]) => matches(frame));
    const next = index >= 0 && index < best ? index : best;
    phaseOf.set(id, fn === "(garbage collector)" ? GC : next < PHASES.length ? PHASES[next][0] : fn.startsWith("(") ? OTHER : OUTSIDE);
    for (const child of node.children ?? []) visit(child, next, here);
  };
  visit(profile.nodes[0].id, PHASES.length, false);
  profile.samples.forEach((id, i) => {
    const phase = phaseOf.get(id) ?? OTHER;
    totals.set(phase, (totals.get(phase) ?? 0) + profile.timeDeltas[i]);
    all += profile.timeDeltas[i];
  });
}

const runs = profiles.length;
console.log(`${"phase".padEnd(46)} ${"ms per run".padStart(10)} ${"share".padStart(6)}`);
for (const [phase, micros] of [...totals].sort((a, b) => b[1] - a[1])) {
  console.log(`${phase.padEnd(46)} ${(micros / 1000 / runs).toFixed(0).padStart(10)} ${`${((100 * micros) / all).toFixed(0)}%`.padStart(6)}`);
}
console.log(`${"total (sampled)".padEnd(46)} ${(all / 1000 / runs).toFixed(0).padStart(10)}   100%`);
console.log(`(${runs} profiled runs of ${bundle})`);
