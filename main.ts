import * as path from "path";
import { App } from "cdktf";
import { DEFAULT_CONFIG_DIR, loadEnvironments } from "./config/loader";
import { projectDir } from "./functions/bundle";
import { applyPolicy } from "./policy/aspect";
import { ALL_RULES } from "./policy/rules";
import { DEFAULT_SUPPRESSIONS_FILE, loadSuppressions } from "./policy/suppressions";
import { buildPlatform } from "./stacks/platform";
import { writeOpenApiDocuments } from "./stacks/openapi-export";
import { writeCatalogueData } from "./stacks/catalogue";
import { checkOrphanedState } from "./stacks/orphaned-state";
import { synthAtomically } from "./stacks/synth";

const POLICY_MODES = ["error", "warn", "off"];

try {
  const environments = loadEnvironments(process.env.APIGW_CONFIG_DIR ?? DEFAULT_CONFIG_DIR);
  const policyMode = process.env.APIGW_POLICY ?? "error";
  if (!POLICY_MODES.includes(policyMode)) throw new Error(`APIGW_POLICY is ${JSON.stringify(policyMode)}; expected one of ${POLICY_MODES.join(", ")}`);
  const suppressions = loadSuppressions(DEFAULT_SUPPRESSIONS_FILE, ALL_RULES, false);
  // The stacks are written to a temporary directory but run from this one.
  const layout = { outdir: path.resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out"), projectDir: projectDir() };
  synthAtomically(layout.outdir, (outdir) => {
    const app = new App({ outdir });
    const platform = buildPlatform(app, environments, process.env, layout);
    checkOrphanedState(layout.projectDir, [...platform.environments, ...platform.accounts, ...platform.endpoints].map((s) => s.node.id));
    writeOpenApiDocuments(outdir, platform.environments);
    writeCatalogueData(outdir, platform.environments);
    if (policyMode !== "off") {
      applyPolicy(app, { rules: ALL_RULES, suppressions, mode: policyMode as "error" | "warn", warn: (message) => console.error(message) });
    }
    return app;
  });
} catch (error) {
  // The messages name the file, key or construct and what is allowed; a trace would bury them.
  console.error(`synth failed:\n${error instanceof Error ? error.message : String(error)}`);
  if (process.env.APIGW_DEBUG && error instanceof Error) console.error(error.stack);
  process.exitCode = 1;
}
