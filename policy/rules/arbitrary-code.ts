import { expressionsIn } from "../stack";
import type { Rule, Violation } from "../types";

/**
 * HashiCorp's providers that talk only to the cloud APIs or compute locally. Others reach out at
 * plan time: `external` runs a program, `http`, `dns` and `tls` (`data "tls_certificate"`) send
 * requests to any host, `local` reads and writes the runner's files. `archive` zips paths of the
 * stack's own directory only (below).
 */
const CONTAINED_PROVIDERS = new Set(["aws", "awscc", "tfe", "archive", "random", "time", "null", "cloudinit", "terraform"]);
/** `aws`, `hashicorp/aws`, `registry.terraform.io/hashicorp/aws`. */
const HASHICORP_SOURCE = /^(?:(?:registry\.terraform\.io\/)?hashicorp\/)?([a-z0-9-]+)$/i;
/** Data sources of contained providers that still run code or read what the plan token may not: a function, another workspace's state. */
const CODE_DATA_SOURCES: Record<string, string> = {
  aws_lambda_invocation: "invokes a function at every plan",
  terraform_remote_state: "reads another state with the plan's token",
  tfe_outputs: "reads another workspace's outputs with the plan's token",
};
/**
 * Terraform functions that read the runner's files (/proc/self/environ holds the job's tokens),
 * however they are called: `core::file`, whitespace or a comment before the parenthesis, inside a
 * `${...}` or a template directive `%{...}` (expressionsIn compacts each).
 */
const FILE_FUNCTIONS = /(?<![\w.-])(?:core::)?(file|filebase64|filebase64sha256|filebase64sha512|filesha1|filesha256|filesha512|filemd5|fileset|fileexists|templatefile)\(/;

const providerOf = (type: string) => type.split("_")[0];

/**
 * What an archive_file reads or writes outside the stack's directory: an absolute path, a `..`,
 * or an expression other than `${path.module}` (/proc/self/environ, the runner's home).
 */
function archivePathProblems(body: Record<string, unknown>): string[] {
  const paths = [body.source_file, body.source_dir, body.output_path, ...([] as unknown[]).concat(body.source ?? []).map((s) => (s as Record<string, unknown>)?.filename)].filter((p) => p !== undefined);
  return paths.map(String).filter((p) => {
    const rest = p.replace(/^\$\{path\.module\}\//, "");
    return rest.startsWith("/") || rest.split("/").includes("..") || rest.includes("${") || /^[A-Za-z]:/.test(rest);
  });
}

/**
 * What runs code, reaches outside the cloud APIs or brings in configuration that no rule can read.
 * Each would run in an unreviewed pull request's plan, with the plan's credentials and tokens.
 */
export const noArbitraryCode: Rule = {
  id: "APIGW-NO-ARBITRARY-CODE",
  severity: "error",
  message:
    "A stack must not run programs, load modules or reach outside the cloud APIs: no module blocks, no providers but HashiCorp's contained ones (aws, awscc, tfe, archive within the stack's directory, random, time, null, cloudinit), no function invocations, remote state, file functions, imports or ephemeral resources at plan time, no provisioners",
  explanation:
    "A module's resources are not in the synthesized JSON, so no rule sees them; `data \"external\"` runs a program during every plan, including an unreviewed pull request's speculative plan, with the plan role's credentials; `data \"http\"`, `dns` and `tls_certificate` send whatever the plan read to any host, and `data \"local_file\"` reads the runner's files (its credentials among them) into the plan, and so would an `archive_file` of a path outside the stack's directory (an absolute path, `..`, an expression other than `${path.module}`); a provider from outside HashiCorp's namespace on the public registry is a binary of anyone's that runs at every init and plan; `data \"aws_lambda_invocation\"` runs a function at every plan and `data \"terraform_remote_state\"` and `tfe_outputs` read other workspaces' state; Terraform's file functions (`file()`, `templatefile()`, `filebase64()`, ...) read the runner's files, `/proc/self/environ` with the job's tokens among them; an `import` block makes a plan read an existing resource (another stack's API key) and print it; an `ephemeral` resource (Terraform 1.10) is opened at every plan; `local-exec` and `remote-exec` provisioners run commands on the applying machine or a host. Data sources inside `check` blocks count too. The platform needs none of them: write the resources into the stack, or run the program in the pipeline where it is reviewed.",
  references: [
    "Terraform docs: Modules (module sources)",
    "Terraform docs: external data source",
    "Terraform docs: http, dns, tls and local providers",
    "Terraform docs: Provider requirements (source addresses)",
        "Terraform docs: Provisioners (a last resort)",
  ],
  check: (stack) => {
    const violations: Violation[] = Object.keys(stack.json.module ?? {}).map((name) => ({ address: `module.${name}`, detail: "a module block" }));
    const dataSources = (data: Record<string, Record<string, unknown>> | undefined, prefix: string) => {
      for (const [type, sources] of Object.entries(data ?? {})) {
        const contained = CONTAINED_PROVIDERS.has(providerOf(type));
        const detail = contained ? CODE_DATA_SOURCES[type] : `a data source of provider ${providerOf(type)}, which reaches outside the cloud APIs at every plan`;
        for (const [name, body] of Object.entries(sources)) {
          const outside = type === "archive_file" ? archivePathProblems((body ?? {}) as Record<string, unknown>) : [];
          if (detail) violations.push({ address: `${prefix}data.${type}.${name}`, detail });
          else if (outside.length) violations.push({ address: `${prefix}data.${type}.${name}`, detail: `zips or writes ${outside.join(", ")}, outside the stack's directory, at every plan` });
        }
      }
    };
    dataSources(stack.json.data, "");
    // check blocks, in every JSON form: an object of names, or an array of such objects; each body an object or an array of one.
    for (const level of ([] as any[]).concat(stack.json.check ?? [])) {
      for (const [name, body] of Object.entries<any>(level ?? {})) {
        for (const check of ([] as any[]).concat(body)) for (const data of ([] as any[]).concat(check?.data ?? [])) dataSources(data, `check.${name}.`);
      }
    }
    // Ephemeral resources (Terraform 1.10) are opened at every plan: a function invoked, a secret read.
    for (const level of ([] as any[]).concat(stack.json.ephemeral ?? [])) {
      for (const [type, byName] of Object.entries<any>(level ?? {})) {
        for (const name of Object.keys(([] as any[]).concat(byName).reduce((all, o) => ({ ...all, ...o }), {}))) violations.push({ address: `ephemeral.${type}.${name}`, detail: "an ephemeral resource, opened at every plan" });
      }
    }
    for (const [type, resources] of Object.entries<Record<string, Record<string, unknown>>>(stack.json.resource ?? {})) {
      for (const [name, body] of Object.entries(resources)) {
        if (body.provisioner !== undefined) violations.push({ address: `${type}.${name}`, detail: "has a provisioner" });
        else if (!CONTAINED_PROVIDERS.has(providerOf(type))) violations.push({ address: `${type}.${name}`, detail: `a resource of provider ${providerOf(type)}, which reaches outside the cloud APIs` });
        else if (type === "archive_file" && archivePathProblems(body).length) violations.push({ address: `${type}.${name}`, detail: `zips or writes ${archivePathProblems(body).join(", ")}, outside the stack's directory` });
      }
    }
    // Every block that Terraform evaluates: resources, data sources, outputs, locals, providers, checks.
    for (const key of ["resource", "data", "output", "locals", "provider", "check", "variable"]) {
      const found = expressionsIn(stack.json[key]).map((e) => FILE_FUNCTIONS.exec(e)).find((m) => m !== null);
      if (found) violations.push({ address: key, detail: `calls ${found[1]}(), which reads the runner's files at every plan` });
    }
    // A removed block can carry destroy-time provisioners: they run when the resource is forgotten.
    for (const removed of ([] as any[]).concat(stack.json.removed ?? [])) {
      if (removed?.provisioner !== undefined) violations.push({ address: `removed.${String(removed?.from ?? "?")}`, detail: "has a provisioner" });
    }
    for (const imported of ([] as any[]).concat(stack.json.import ?? [])) {
      violations.push({ address: `import.${String(imported?.to ?? "?")}`, detail: `imports ${String(imported?.id ?? "an existing resource")}: a plan reads it, and shows what it holds` });
    }
    for (const [name, requirement] of Object.entries<any>(stack.json.terraform?.required_providers ?? {})) {
      const source = String(typeof requirement === "string" ? name : (requirement?.source ?? name));
      const short = HASHICORP_SOURCE.exec(source)?.[1];
      if (!short || !CONTAINED_PROVIDERS.has(short.toLowerCase())) violations.push({ address: `terraform.required_providers.${name}`, detail: `source ${source}: only HashiCorp's ${[...CONTAINED_PROVIDERS].filter((p) => p !== "terraform").join(", ")} providers` });
    }
    return violations;
  },
};
