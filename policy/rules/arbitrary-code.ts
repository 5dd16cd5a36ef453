import type { Rule, Violation } from "../types";

/**
 * What runs code or brings in configuration that no rule can read: a `module` block (its source is
 * fetched at init and may hold anything), `data "external"` (runs a program at every plan, with the
 * plan's credentials) and provisioners (`local-exec` runs on the machine that applies).
 */
export const noArbitraryCode: Rule = {
  id: "APIGW-NO-ARBITRARY-CODE",
  severity: "error",
  message: "A stack must not run programs or load modules: no module blocks, no external data source, no provisioners",
  explanation:
    "A module's resources are not in the synthesized JSON, so no rule sees them; `data \"external\"` runs a program during every plan, including an unreviewed pull request's speculative plan, with the plan role's credentials; `local-exec` and `remote-exec` provisioners run commands on the applying machine or a host. The platform needs none of them: write the resources into the stack, or run the program in the pipeline where it is reviewed.",
  references: ["Terraform docs: Modules (module sources)", "Terraform docs: external data source", "Terraform docs: Provisioners (a last resort)"],
  check: (stack) => {
    const violations: Violation[] = Object.keys(stack.json.module ?? {}).map((name) => ({ address: `module.${name}`, detail: "a module block" }));
    violations.push(...stack.dataSources("external").map((d) => ({ address: d.address, detail: "runs a program at every plan" })));
    for (const [type, resources] of Object.entries<Record<string, Record<string, unknown>>>(stack.json.resource ?? {})) {
      for (const [name, body] of Object.entries(resources)) {
        if (body.provisioner !== undefined) violations.push({ address: `${type}.${name}`, detail: "has a provisioner" });
      }
    }
    return violations;
  },
};
