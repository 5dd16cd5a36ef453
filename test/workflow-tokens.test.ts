import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

// Who holds which Terraform Cloud token, and what a pull request can change of the gate.
const ROOT = path.resolve(__dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const platform: any = parse(read(".github/workflows/platform.yml"));
const apply: any = parse(read(".github/workflows/apply.yml"));
const TOKEN = "TF_TOKEN_app_terraform_io";

/** Every place of a workflow that sets the token: `job` or `job/step`. */
function tokenHolders(doc: any): Record<string, string> {
  const holders: Record<string, string> = {};
  if (doc.env?.[TOKEN]) holders.workflow = doc.env[TOKEN];
  for (const [name, job] of Object.entries<any>(doc.jobs)) {
    if (job.env?.[TOKEN]) holders[name] = job.env[TOKEN];
    for (const step of job.steps ?? []) if (step.env?.[TOKEN]) holders[`${name}/${step.name}`] = step.env[TOKEN];
  }
  return holders;
}

describe("GitHub workflows' Terraform Cloud tokens", () => {
  test("pull-request plans get the plan-only token on the terraform step only", () => {
    expect(tokenHolders(platform)).toEqual({ "plan/Plan": "${{ secrets.TF_PLAN_TOKEN }}" });
    expect(read(".github/workflows/platform.yml")).not.toMatch(/TF_API_TOKEN|TF_APPLY_TOKEN/);
  });

  test("applies take the apply token from the stack's environment, on the apply step only", () => {
    expect(apply.on.workflow_call.secrets).toBeUndefined();
    expect(apply.jobs.apply.environment).toBe("${{ matrix.stack }}");
    expect(tokenHolders(apply)).toEqual({ "apply/Apply": "${{ secrets.TF_APPLY_TOKEN }}" });
    for (const job of ["apply-first", "apply-then"]) expect(platform.jobs[job].secrets).toBeUndefined();
  });

  test("never auto-approves a Terraform Cloud run: the workspace or its approvers confirm it", () => {
    const step = apply.jobs.apply.steps.find((s: any) => s.name === "Apply");
    const [cloud, other] = (step.run as string).split(/\belse\b/);
    expect(cloud).toContain("tfc-run.sh");
    expect(cloud).not.toContain("-auto-approve");
    expect(other).toContain("-auto-approve");
    const script = read(".github/scripts/tfc-run.sh");
    // -auto-approve only in the local-execution branch, which exits before any run is created.
    expect(script.slice(0, script.indexOf("/runs"))).toMatch(/"local" \][^]*-auto-approve[^]*exit 0\nfi/);
    expect(script.slice(script.indexOf("configuration-versions"))).not.toMatch(/auto-apply"?\s*:\s*true|-auto-approve/);
    expect(spawnSync("bash", ["-n", path.join(ROOT, ".github/scripts/tfc-run.sh")], { encoding: "utf8" }).stderr).toBe("");
  });

  test.each([
    ["app.terraform.io", "TF_TOKEN_app_terraform_io"],
    ["app-terraform.io", "TF_TOKEN_app__terraform_io"],
    ["tfe.example-corp.com", "TF_TOKEN_tfe_example__corp_com"],
  ])("tfc-run.sh sends a token only to its own host: %s reads %s, as Terraform names it", (host, variable) => {
    const line = read(".github/scripts/tfc-run.sh").split("\n").find((l) => l.startsWith("token_var="))!;
    const result = spawnSync("bash", ["-c", `host=${host}; ${line}; echo "$token_var"`], { encoding: "utf8" });
    expect(result.stdout.trim()).toBe(variable);
  });

  test("runs the base commit's checker, with the base's suppressions, over the pull request's output, in a job no pull request code runs in", () => {
    const upload = platform.jobs.check.steps.find((s: any) => s.name === "Upload the synthesized stacks");
    expect(upload.with.path.split("\n").filter(Boolean)).toEqual(["cdktf.out/manifest.json", "cdktf.out/stacks"]);
    const gate = platform.jobs["policy-gate"];
    expect(gate.if).toBe("github.event_name == 'pull_request' && !cancelled()");
    expect(gate.permissions).toEqual({ contents: "read" });
    const [checkout, , install, download] = gate.steps;
    const check = gate.steps.find((s: any) => s.name === "Policy check");
    expect(checkout.with).toEqual({ ref: "${{ github.event.pull_request.base.sha }}", "persist-credentials": false });
    expect(install.run).toBe("npm ci --no-audit --no-fund");
    expect(download.with.name).toBe(upload.with.name);
    expect(check.run).toMatch(/npm run --silent policy -- --dir "\$RUNNER_TEMP\/pull-request" --suppressions policy\/suppressions.yaml/);
    // No cache the pull request's jobs could have written is restored there.
    expect(gate.steps.filter((s: any) => s.with?.cache !== undefined || s.uses?.startsWith("actions/cache"))).toEqual([]);
    // Nothing of the pull request's checkout runs there, and plans wait for the gate.
    expect(gate.steps.filter((s: any) => s.uses?.startsWith("./"))).toEqual([]);
    expect(platform.jobs.plan.needs).toEqual(["check", "policy-gate"]);
  });

  test.each([
    ["pull-request plans", platform.jobs.plan, "Plan"],
    ["applies", apply.jobs.apply, "Apply"],
  ])("%s run Terraform over the checked artifact, with no code of the commit: no install, no synth, no local action", (_, job, stepName) => {
    const steps: any[] = job.steps;
    const download = steps.find((s) => s.uses?.startsWith("actions/download-artifact@"));
    expect(download.with.name).toBe(platform.jobs.check.steps.find((s: any) => s.name === "Upload the synthesized stacks").with.name);
    expect(steps.find((s) => s.name === stepName)["working-directory"]).toBe(`\${{ runner.temp }}/${download.with.path.split("/").pop()}/stacks/\${{ matrix.stack }}`);
    expect(steps.filter((s) => s.uses?.startsWith("./") || /\bnpm\b|\bnpx\b|\bnode\b/.test(s.run ?? ""))).toEqual([]);
    // A checkout, if any, is of the scripts alone.
    for (const checkout of steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) expect(checkout.with["sparse-checkout"]).toBe(".github/scripts");
  });

  test("plans wait for the gate to pass, in the environment that holds the plan token, over the stacks the gate listed from an artifact it refused unless it held only synthesized files", () => {
    const { plan } = platform.jobs;
    expect(plan.if).toContain("needs.policy-gate.result == 'success'");
    expect(plan.environment).toBe("pull-request-plans");
    expect(plan.strategy.matrix.include).toBe("${{ fromJSON(needs.policy-gate.outputs.changed) }}");
    const order = platform.jobs["policy-gate"].steps.find((s: any) => s.id === "stacks");
    expect(order.run).toMatch(/npm run --silent ci:stacks -- --dir "\$RUNNER_TEMP\/pull-request" --synthesized-only/);
    expect(platform.jobs["policy-gate"].outputs.changed).toBe("${{ steps.stacks.outputs.changed }}");
  });

  test("plans only the very artifact the gate checked: the same digest of every file, computed the same way", () => {
    const gate = platform.jobs["policy-gate"];
    const digest = gate.steps.find((s: any) => s.id === "digest");
    expect(gate.outputs.digest).toBe("${{ steps.digest.outputs.sha256 }}");
    // Taken before the check, over the directory the check reads.
    expect(gate.steps.indexOf(digest)).toBeLessThan(gate.steps.findIndex((s: any) => s.name === "Policy check"));
    const steps: any[] = platform.jobs.plan.steps;
    const verify = steps.find((s) => s.name === "The output policy-gate checked");
    expect(verify.env.CHECKED).toBe("${{ needs.policy-gate.outputs.digest }}");
    const command = (run: string) => /\$\((find \. -type f[^)]*)\)/.exec(run)?.[1];
    expect(command(verify.run)).toBe(command(digest.run));
    expect(verify["working-directory"]).toBe(digest["working-directory"]);
    expect(steps.indexOf(verify)).toBeLessThan(steps.findIndex((s) => s.name === "Plan"));
  });

  test.each([
    ["plan", platform.jobs.plan, "Plan"],
    ["apply", apply.jobs.apply, "Apply"],
  ])("%s installs providers from their registries only, never from a directory of the artifact", (_, job, stepName) => {
    const run: string = job.steps.find((s: any) => s.name === stepName).run;
    expect(run).toContain(`printf 'provider_installation {\\n  direct {}\\n}\\n' > "$RUNNER_TEMP/terraformrc"`);
    expect(run.indexOf('export TF_CLI_CONFIG_FILE="$RUNNER_TEMP/terraformrc"')).toBeLessThan(run.indexOf("terraform init"));
    if (stepName === "Plan") expect(run.indexOf("unset ACTIONS_ID_TOKEN_REQUEST_TOKEN ACTIONS_ID_TOKEN_REQUEST_URL")).toBeLessThan(run.indexOf("terraform init"));
  });

  test("CODEOWNERS covers the checker, the workflows, what the gate installs and the Terraform Cloud roles, with files that exist", () => {
    const owners = read(".github/CODEOWNERS").split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split(/\s+/)[0]);
    expect(owners).toEqual(expect.arrayContaining(["/policy/", "/.github/", "/package.json", "/package-lock.json", "/scripts/", "/modules/tfc-workspace.ts", "/stacks/tfc.ts"]));
    for (const owned of owners) expect(fs.existsSync(path.join(ROOT, owned))).toBe(true);
  });
});
