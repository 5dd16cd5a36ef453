import { spawn, spawnSync } from "child_process";

export interface TerraformRun {
  readonly args: readonly string[];
  /** Exit code; null when killed (timeout) or not started. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
  readonly timedOut: boolean;
}

/** The terraform on PATH (or TERRAFORM), with its version; undefined when there is none. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): { path: string; version: string } | undefined {
  const command = env.TERRAFORM ?? "terraform";
  const result = spawnSync(command, ["version", "-json"], { encoding: "utf8", env: { ...env, CHECKPOINT_DISABLE: "1" } });
  if (result.error || result.status !== 0) return undefined;
  try {
    return { path: command, version: JSON.parse(result.stdout).terraform_version as string };
  } catch {
    return undefined;
  }
}

/** Runs terraform in cwd (asynchronously, so that two stacks can run side by side), capturing its output. */
export function runTerraform(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<TerraformRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(options.env.TERRAFORM ?? "terraform", [...args], { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill("SIGTERM");
        }, options.timeoutMs)
      : undefined;
    const done = (status: number | null, extra = "") => {
      if (timer) clearTimeout(timer);
      resolve({ args, status, stdout, stderr: stderr + extra, seconds: (Date.now() - started) / 1000, timedOut });
    };
    child.on("error", (error) => done(null, String(error)));
    child.on("close", (code) => done(code));
  });
}

/**
 * Why an init failed: "providers" when a provider could not be installed (not in the mirror, no registry,
 * no matching release): the stack was not validated, which is not the same as invalid. Anything else
 * (a configuration error, a backend error) is "error".
 */
export function initFailureKind(output: string): "providers" | "error" {
  return /Failed to query available provider packages|Failed to install provider|could not connect to registry|Incompatible provider version|no available releases match|provider registry .* does not have a provider/i.test(
    output,
  )
    ? "providers"
    : "error";
}

/** The first error's summary line in terraform's output ("Error: ..." or "│ Error: ..."), with its detail line. */
export function firstError(output: string): string {
  const lines = output.split("\n").map((l) => l.replace(/^[│╷╵]\s?/, "").trimEnd());
  const at = lines.findIndex((l) => /^Error: /.test(l.trim()));
  if (at < 0) return lines.filter(Boolean).slice(-1)[0] ?? "";
  const detail = lines.slice(at + 1).find((l) => l.trim() && !/^\s*(on |\d+:|with )/.test(l));
  return [lines[at].trim(), detail?.trim()].filter(Boolean).join(" ");
}

/** fn over items, at most limit at a time, results in the items' order. */
export async function parallelMap<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export function resultTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** How many terraform processes to run side by side: APIGW_TF_PARALLELISM, default 2 (machines here have 2 cores). */
export function terraformParallelism(env: NodeJS.ProcessEnv = process.env): number {
  const wanted = Number(env.APIGW_TF_PARALLELISM ?? 2);
  return Number.isInteger(wanted) && wanted >= 1 ? wanted : 2;
}

/**
 * Runs the first call per key alone and the others after it: Terraform's plugin cache is not safe for
 * concurrent installs (two inits filling an empty cache with the same provider fail with "Failed to
 * install provider"), so the first init of a provider set fills the cache and the rest link from it.
 */
export function firstAlone(): <R>(key: string, fn: () => Promise<R>) => Promise<R> {
  const firsts = new Map<string, Promise<unknown>>();
  return async (key, fn) => {
    const first = firsts.get(key);
    if (first) {
      await first.catch(() => undefined);
      return fn();
    }
    const run = fn();
    firsts.set(key, run);
    return run;
  };
}

/**
 * The closing lines of a per-stack run (validate, test:terraform): each failure's output, the plain
 * `<name>: N passed, N failed, N not run` line .ci/run reads, and the exit code: 1 on a failure,
 * 2 when only some stacks could not run, 0 when all passed.
 */
export function summarize(name: string, results: readonly { readonly stack: string; readonly result: string; readonly output?: string }[], notRun: string): number {
  const count = (result: string) => results.filter((r) => r.result === result).length;
  for (const r of results.filter((x) => x.result === "failed" && x.output)) console.log(`\n--- ${r.stack}\n${r.output}`);
  console.log(`${name}: ${count("passed")} passed, ${count("failed")} failed, ${count(notRun)} not run`);
  if (count(notRun) > 0) console.log(`!!! ${count(notRun)} stack(s) ${notRun}: their providers could not be installed (see the reasons above)`);
  return count("failed") > 0 ? 1 : count(notRun) > 0 ? 2 : 0;
}

/** Runs a CLI's async main: its result is the exit code; an exception is one line and exit 1. */
export function runMain(name: string, main: (args: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}

/** The value after `name` in a CLI's arguments (`--dir out`), if the option is given; an option without one is an error. */
export function optionValue(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`${name} needs a value`);
  return value;
}

/**
 * The cdktf output a command checks: `--dir` when given, else the platform synthesized into
 * `outdir` by this project's app (one Node process, scripts/run.js). Undefined when the synth failed.
 */
export function outputToCheck(args: readonly string[], outdir: string): string | undefined {
  const dir = optionValue(args, "--dir");
  if (dir) return dir;
  const synth = spawnSync(process.execPath, ["scripts/run.js", "main.ts"], { stdio: "inherit", env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" } });
  return synth.status === 0 ? outdir : undefined;
}
