// @ts-check
/**
 * One temporary directory per test run: jest's globalSetup makes it and points TMPDIR at it, so
 * that the workers, cdktf's Testing apps and every process the tests start (synths, the policy
 * CLI, terraform) make their temporary files below it; globalTeardown removes it, whether the
 * tests passed or not, and fails the run if anything was left in the temporary directory the run
 * was given (something that ignored TMPDIR, or a child started without it).
 */
const fs = require("fs");
const os = require("os");
const path = require("path");

/** What this project and cdktf's Testing name their temporary files. */
const OURS = /^(?:apigw-|cdktf\.outdir\.)/;

/**
 * @typedef {{ given: string, before: string[], root: string, tmpdir: string | undefined }} TempRoot
 */

/** @param {string} given the temporary directory the run was given @returns {TempRoot} */
function openTempRoot(given) {
  const before = fs.readdirSync(given).filter((name) => OURS.test(name));
  const root = fs.mkdtempSync(path.join(given, "apigw-test-run-"));
  const tmpdir = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return { given, before, root, tmpdir };
}

/** @param {TempRoot} run */
function closeTempRoot({ given, before, root, tmpdir }) {
  fs.rmSync(root, { recursive: true, force: true });
  if (tmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = tmpdir;
  const left = fs.readdirSync(given).filter((name) => OURS.test(name) && !before.includes(name));
  if (left.length) {
    throw new Error(`the tests left ${left.length} new entries in ${given}, outside the run's own temporary directory (start child processes with TMPDIR): ${left.sort().join(", ")}`);
  }
}

module.exports = {
  openTempRoot,
  closeTempRoot,
  /** jest's globalSetup and globalTeardown run in its main process, one after the other. */
  globalSetup: () => {
    /** @type {any} */ (globalThis).apigwTempRoot = openTempRoot(os.tmpdir());
  },
  globalTeardown: () => closeTempRoot(/** @type {any} */ (globalThis).apigwTempRoot),
};
