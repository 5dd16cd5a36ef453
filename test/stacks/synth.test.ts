import { ChildProcessByStdio, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Readable } from "stream";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { buildSync } from "esbuild";
import { synthAtomically } from "../../stacks/synth";

function appWith(outdir: string, stacks: string[], valid = true): App {
  const app = new App({ outdir });
  for (const name of stacks) {
    const stack = new TerraformStack(app, name);
    // Without a provider, cdktf's validation fails during app.synth(), after some stacks are written.
    if (valid || name !== stacks[stacks.length - 1]) new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new SecurityGroup(stack, "sg", { name });
  }
  return app;
}

/** Every file below a directory with its content, to compare two states of the output. */
function snapshotTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files[path.relative(dir, file)] = fs.readFileSync(file, "utf8");
    }
  }
  return files;
}

/** The pid of a process that has exited (and been reaped), as a killed synth's is. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  if (child.pid === undefined || child.status !== 0) throw new Error("could not run node");
  return child.pid;
}

/** A process that is running until `stop` is called. */
function liveProcess(): { pid: number; stop: () => void } {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  if (child.pid === undefined) throw new Error("could not run node");
  return { pid: child.pid, stop: () => child.kill("SIGKILL") };
}

/** Directories as a dead or running synth leaves them: a tmp with a partial output, an old with a complete one. */
function leaveDebris(outdir: string, pid: number): string[] {
  const dirs = [`${outdir}.tmp-${pid}-Ab12Cd`, `${outdir}.old-${pid}`];
  for (const dir of dirs) {
    fs.mkdirSync(path.join(dir, "stacks", "dev"), { recursive: true });
    fs.writeFileSync(path.join(dir, "stacks", "dev", "cdk.tf.json"), "{}");
  }
  return dirs;
}

describe("synthAtomically", () => {
  let workdir: string;
  beforeEach(() => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-synth-"));
  });

  test("default", () => {
    const outdir = path.join(workdir, "cdktf.out");
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev", "prod"]));
    expect(Object.keys(snapshotTree(outdir)).sort()).toEqual(["manifest.json", "stacks/dev/cdk.tf.json", "stacks/prod/cdk.tf.json"]);
    expect(fs.readdirSync(workdir)).toEqual(["cdktf.out"]);
  });

  test("fails without touching the previous output when a stack fails validation", () => {
    const outdir = path.join(workdir, "cdktf.out");
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev", "prod"]));
    const before = snapshotTree(outdir);
    expect(() => synthAtomically(outdir, (tmp) => appWith(tmp, ["dev", "qa", "zz"], false))).toThrow(/Found resources without a matching provider/);
    expect(snapshotTree(outdir)).toEqual(before);
    expect(fs.readdirSync(workdir)).toEqual(["cdktf.out"]);
  });

  test("fails without touching the previous output when building the app throws", () => {
    const outdir = path.join(workdir, "cdktf.out");
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev"]));
    const before = snapshotTree(outdir);
    expect(() =>
      synthAtomically(outdir, () => {
        throw new Error("bad props");
      }),
    ).toThrow("bad props");
    expect(snapshotTree(outdir)).toEqual(before);
  });

  test("keeps what terraform init left in the stacks that still exist", () => {
    const outdir = path.join(workdir, "cdktf.out");
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev", "old"]));
    for (const stack of ["dev", "old"]) {
      fs.mkdirSync(path.join(outdir, "stacks", stack, ".terraform", "providers"), { recursive: true });
      fs.writeFileSync(path.join(outdir, "stacks", stack, ".terraform.lock.hcl"), `# ${stack}\n`);
    }
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev"]));
    expect(fs.existsSync(path.join(outdir, "stacks", "dev", ".terraform", "providers"))).toBe(true);
    expect(fs.readFileSync(path.join(outdir, "stacks", "dev", ".terraform.lock.hcl"), "utf8")).toBe("# dev\n");
    expect(fs.existsSync(path.join(outdir, "stacks", "old"))).toBe(false);
  });

  test("removes what dead synths left beside the output", () => {
    const outdir = path.join(workdir, "cdktf.out");
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev"]));
    leaveDebris(outdir, deadPid());
    leaveDebris(outdir, deadPid());
    synthAtomically(outdir, (tmp) => appWith(tmp, ["prod"]));
    expect(fs.readdirSync(workdir)).toEqual(["cdktf.out"]);
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual(["prod"]);
  });

  test("keeps the directories of a synth that is still running", () => {
    const outdir = path.join(workdir, "cdktf.out");
    const running = liveProcess();
    try {
      const debris = leaveDebris(outdir, running.pid);
      synthAtomically(outdir, (tmp) => appWith(tmp, ["dev"]));
      expect(fs.readdirSync(workdir).sort()).toEqual(["cdktf.out", ...debris.map((dir) => path.basename(dir))].sort());
      expect(fs.existsSync(path.join(debris[0], "stacks", "dev", "cdk.tf.json"))).toBe(true);
    } finally {
      running.stop();
    }
  });

  test("removes leftovers carrying its own pid, which only a dead process can have left (pids are reused)", () => {
    const outdir = path.join(workdir, "cdktf.out");
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev"]));
    leaveDebris(outdir, process.pid);
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev"]));
    expect(fs.readdirSync(workdir)).toEqual(["cdktf.out"]);
  });

  test("restores the output a synth retired before it died, and keeps it when the next synth fails", () => {
    const outdir = path.join(workdir, "cdktf.out");
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev", "prod"]));
    const before = snapshotTree(outdir);
    // Died between its two renames: the output moved aside, the new one not yet in place.
    fs.renameSync(outdir, `${outdir}.old-${deadPid()}`);
    expect(() => synthAtomically(outdir, (tmp) => appWith(tmp, ["dev", "qa", "zz"], false))).toThrow(/Found resources without a matching provider/);
    expect(snapshotTree(outdir)).toEqual(before);
    expect(fs.readdirSync(workdir)).toEqual(["cdktf.out"]);
  });

  test("carries over what terraform init left in a restored output", () => {
    const outdir = path.join(workdir, "cdktf.out");
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev"]));
    fs.writeFileSync(path.join(outdir, "stacks", "dev", ".terraform.lock.hcl"), "# dev\n");
    fs.renameSync(outdir, `${outdir}.old-${deadPid()}`);
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev"]));
    expect(fs.readFileSync(path.join(outdir, "stacks", "dev", ".terraform.lock.hcl"), "utf8")).toBe("# dev\n");
    expect(fs.readdirSync(workdir)).toEqual(["cdktf.out"]);
  });

  test("cleans up after a synth killed with SIGKILL while it writes", async () => {
    const outdir = path.join(workdir, "cdktf.out");
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev"]));
    const before = snapshotTree(outdir);
    const child = await synthBlockedWriting(workdir, outdir);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    expect(await exited).toBe(null);
    expect(fs.readdirSync(workdir).filter((name) => name.startsWith("cdktf.out.tmp-"))).toHaveLength(1);
    expect(snapshotTree(outdir)).toEqual(before);

    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev"]));
    expect(fs.readdirSync(workdir).sort()).toEqual(["cdktf.out", "synth.js"]);
  }, 30_000);

  // Signal 0 succeeds for a zombie; in a container without a reaping init, a killed synth's orphan stays one.
  test("cleans up after a killed synth whose process is still a zombie", async () => {
    const outdir = path.join(workdir, "cdktf.out");
    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev"]));
    const child = await synthBlockedWriting(workdir, outdir);
    const pid = child.pid!;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    // Node reaps its children in its event loop: until this test awaits, the killed synth stays a zombie.
    awaitProcState(pid, "Z");
    expect(() => process.kill(pid, 0)).not.toThrow();
    expect(fs.readdirSync(workdir).filter((name) => name.startsWith(`cdktf.out.tmp-${pid}-`))).toHaveLength(1);

    synthAtomically(outdir, (tmp) => appWith(tmp, ["dev"]));
    expect(procState(pid)).toBe("Z");
    expect(fs.readdirSync(workdir).sort()).toEqual(["cdktf.out", "synth.js"]);
    expect(await exited).toBe(null);
  }, 30_000);
});

/** A synth in a child process that has written part of its output and blocks until killed. */
async function synthBlockedWriting(workdir: string, outdir: string): Promise<ChildProcessByStdio<null, Readable, null>> {
  const bundle = path.join(workdir, "synth.js");
  buildSync({ entryPoints: [path.resolve(__dirname, "../../stacks/synth.ts")], bundle: true, platform: "node", outfile: bundle, logLevel: "warning" });
  const script = `require(${JSON.stringify(bundle)}).synthAtomically(${JSON.stringify(outdir)}, (tmp) => {
    require("fs").writeFileSync(tmp + "/manifest.json", "{");
    console.log("writing");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  });`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  return child;
}

/** The state letter of a process in /proc/<pid>/stat: R, S, Z (zombie), ... */
function procState(pid: number): string {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.charAt(stat.lastIndexOf(")") + 2);
}

/** Waits without yielding to the event loop, which would reap a zombie child. */
function awaitProcState(pid: number, state: string): void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let tries = 0; procState(pid) !== state; tries++) {
    if (tries === 2000) throw new Error(`process ${pid} is in state ${procState(pid)}, not ${state}`);
    Atomics.wait(sleeper, 0, 0, 5);
  }
}
