/**
 * npm run check:terrain: builds this project on CDK Terrain in a temporary copy and shows that
 * it synthesizes the same Terraform JSON as on cdktf, apart from the differences listed in
 * scripts/terrain.ts. Exit 0 when it does and the policy check passes on the result, 1 otherwise.
 * Needs the npm registry (the copy installs cdktn); set APIGW_TERRAIN_KEEP=1 to keep the copy.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compareOutputs, describeDifferences, rewriteImports, terrainPackageJson } from "./terrain";

// npm runs scripts in the project directory.
const ROOT = process.cwd();
/** Not copied: installed, generated or local state. */
const SKIPPED = new Set(["node_modules", ".git", "dist", "coverage", ".terraform"]);
const SKIPPED_PATTERN = /^cdktf\.out|\.tfstate/;
/**
 * The synths compared: local state, and Terraform Cloud workspaces (the `cloud` blocks). Both outputs
 * of each are at the same place relative to their project, so that the relative local-state paths agree.
 * Without the tfc stack: its tfe bindings are built on cdktf, and no @cdktn/provider-tfe exists.
 */
const VARIANTS: readonly { outdir: string; env: Record<string, string> }[] = [
  { outdir: path.join("dist", "terrain", "local"), env: { APIGW_TFC_STACK: "off" } },
  { outdir: path.join("dist", "terrain", "cloud"), env: { TFC_ORGANIZATION: "example-org", APIGW_TFC_STACK: "off" } },
];

const started = Date.now();
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

function step(label: string, command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const since = Date.now();
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env }, maxBuffer: 64 * 1024 * 1024 });
  console.log(`${label.padEnd(44)} ${seconds(since)}`);
  if (result.status !== 0) {
    throw new Error(`${label} failed (${command} ${args.join(" ")}, exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

function copyProject(target: string): void {
  fs.cpSync(ROOT, target, {
    recursive: true,
    filter: (source) => {
      const name = path.basename(source);
      return source === ROOT || (!SKIPPED.has(name) && !SKIPPED_PATTERN.test(name));
    },
  });
  for (const entry of fs.readdirSync(target, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ts|js)$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const source = fs.readFileSync(file, "utf8");
    const rewritten = rewriteImports(source);
    if (rewritten !== source) fs.writeFileSync(file, rewritten);
  }
  const pkgFile = path.join(target, "package.json");
  fs.writeFileSync(pkgFile, `${JSON.stringify(terrainPackageJson(JSON.parse(fs.readFileSync(pkgFile, "utf8"))), null, 2)}\n`);
}

function main(): number {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-terrain-"));
  const copy = path.join(work, "project");
  try {
    for (const { outdir, env } of VARIANTS) step(`synth with cdktf (${path.basename(outdir)})`, "npm", ["run", "--silent", "app"], ROOT, { ...env, CDKTF_OUTDIR: path.join(ROOT, outdir) });
    copyProject(copy);
    // The lock file stays: every package but the swapped ones keeps its locked version.
    step("npm install (cdktn)", "npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], copy);
    step("type-check against cdktn", "npx", ["tsc", "--noEmit"], copy);
    for (const { outdir, env } of VARIANTS) step(`synth with cdktn (${path.basename(outdir)})`, "npm", ["run", "--silent", "app"], copy, { ...env, CDKTF_OUTDIR: path.join(copy, outdir) });
    const policy = step("policy check of the cdktn output", "npm", ["run", "--silent", "policy", "--", "--dir", path.join(copy, VARIANTS[0].outdir)], copy);
    console.log(policy.trim().split("\n").slice(-1)[0]);
    // What a newer providerVersion writes raw (scripts/terrain-newer-pin.ts), against the 6.66 bindings.
    console.log(step("raw attributes against the 6.66 bindings", "node", ["scripts/run.js", "scripts/terrain-newer-pin.ts"], copy, { TMPDIR: work }).trim());
    const differences = VARIANTS.flatMap(({ outdir }) =>
      compareOutputs(path.join(ROOT, outdir), path.join(copy, outdir)).map((d) => ({ ...d, file: `${path.basename(outdir)}/${d.file}` })),
    );
    const lines = describeDifferences(differences);
    console.log(lines.length ? lines.join("\n") : "no differences");
    const unexpected = differences.filter((d) => !d.allowed).length;
    console.log(`${unexpected === 0 ? "same Terraform JSON" : `${unexpected} unexpected difference(s)`} apart from the allowed ones`);
    return unexpected === 0 ? 0 : 1;
  } catch (error) {
    console.error(`check:terrain: ${(error as Error).message}`);
    return 1;
  } finally {
    if (process.env.APIGW_TERRAIN_KEEP) console.log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
    console.log(`${seconds(started)} in all`);
  }
}

process.exitCode = main();
