import type { Rule, Violation } from "../types";

/** Providers whose data sources reach outside the cloud APIs at plan time: programs, URLs, the runner's files. */
const OUTSIDE_PROVIDERS = new Set(["external", "http", "local"]);
/** `aws`, `hashicorp/aws`, `registry.terraform.io/hashicorp/aws`: HashiCorp's own, on the public registry. */
const HASHICORP_SOURCE = /^((registry\.terraform\.io\/)?hashicorp\/)?[a-z0-9-]+$/i;

/**
 * What runs code or brings in configuration that no rule can read: a `module` block (its source is
 * fetched at init and may hold anything), `data "external"` (runs a program at every plan, with the
 * plan's credentials), `http` and `local` data sources (send what a plan read to any URL, read the
 * runner's files), a provider from outside HashiCorp's namespace (its binary runs at every plan)
 * and provisioners (`local-exec` runs on the machine that applies).
 */
export const noArbitraryCode: Rule = {
  id: "APIGW-NO-ARBITRARY-CODE",
  severity: "error",
  message: "A stack must not run programs, load modules or reach outside the cloud APIs: no module blocks, no external, http or local data sources, no providers outside HashiCorp's namespace, no provisioners",
  explanation:
    "A module's resources are not in the synthesized JSON, so no rule sees them; `data \"external\"` runs a program during every plan, including an unreviewed pull request's speculative plan, with the plan role's credentials; `data \"http\"` sends whatever the plan read to any URL, and `data \"local_file\"` reads the runner's files (its credentials among them) into the plan; a provider from outside HashiCorp's namespace on the public registry is a binary of anyone's that runs at every init and plan; `local-exec` and `remote-exec` provisioners run commands on the applying machine or a host. The platform needs none of them: write the resources into the stack, or run the program in the pipeline where it is reviewed.",
  references: ["Terraform docs: Modules (module sources)", "Terraform docs: external data source", "Terraform docs: http and local providers", "Terraform docs: Provider requirements (source addresses)", "Terraform docs: Provisioners (a last resort)"],
  check: (stack) => {
    const violations: Violation[] = Object.keys(stack.json.module ?? {}).map((name) => ({ address: `module.${name}`, detail: "a module block" }));
    for (const [type, sources] of Object.entries<Record<string, unknown>>(stack.json.data ?? {})) {
      const provider = type.split("_")[0];
      if (!OUTSIDE_PROVIDERS.has(provider)) continue;
      for (const name of Object.keys(sources)) violations.push({ address: `data.${type}.${name}`, detail: provider === "external" ? "runs a program at every plan" : provider === "http" ? "sends a request to any URL at every plan" : "reads the runner's files at every plan" });
    }
    for (const [name, requirement] of Object.entries<any>(stack.json.terraform?.required_providers ?? {})) {
      const source = String(typeof requirement === "string" ? name : (requirement?.source ?? name));
      if (!HASHICORP_SOURCE.test(source)) violations.push({ address: `terraform.required_providers.${name}`, detail: `source ${source}: a provider outside HashiCorp's namespace runs its own code at every init and plan` });
    }
    for (const [type, resources] of Object.entries<Record<string, Record<string, unknown>>>(stack.json.resource ?? {})) {
      for (const [name, body] of Object.entries(resources)) {
        if (body.provisioner !== undefined) violations.push({ address: `${type}.${name}`, detail: "has a provisioner" });
      }
    }
    return violations;
  },
};
