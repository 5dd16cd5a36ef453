import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { closeTempRoot, openTempRoot } from "./temp-root";

describe("closeTempRoot", () => {
  let given: string;
  let tmpdir: string | undefined;
  beforeEach(() => {
    given = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-given-"));
    tmpdir = process.env.TMPDIR;
  });
  afterEach(() => {
    process.env.TMPDIR = tmpdir;
    fs.rmSync(given, { recursive: true, force: true });
  });

  test("default", () => {
    fs.mkdirSync(path.join(given, "apigw-from-before"));
    const run = openTempRoot(given);
    // What os.tmpdir() reads, in this process and in the processes it starts.
    expect(process.env.TMPDIR).toBe(run.root);
    fs.mkdirSync(path.join(run.root, "apigw-synth-x"));
    closeTempRoot(run);
    expect(process.env.TMPDIR).toBe(tmpdir);
    expect(fs.readdirSync(given)).toEqual(["apigw-from-before"]);
  });

  test("fails if the run left entries beside its own directory, after removing that", () => {
    const run = openTempRoot(given);
    fs.mkdirSync(path.join(given, "apigw-out-abc"));
    fs.mkdirSync(path.join(given, "cdktf.outdir.xyz"));
    fs.mkdirSync(path.join(given, "unrelated"));
    expect(() => closeTempRoot(run)).toThrow(`the tests left 2 new entries in ${given}, outside the run's own temporary directory (start child processes with TMPDIR): apigw-out-abc, cdktf.outdir.xyz`);
    expect(fs.existsSync(run.root)).toBe(false);
  });
});
