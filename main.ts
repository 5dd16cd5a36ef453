import { App } from "cdktf";
import { DEFAULT_CONFIG_DIR, loadEnvironments } from "./config/loader";
import { buildPlatform } from "./stacks/platform";
import { synthAtomically } from "./stacks/synth";

try {
  const environments = loadEnvironments(process.env.APIGW_CONFIG_DIR ?? DEFAULT_CONFIG_DIR);
  synthAtomically(process.env.CDKTF_OUTDIR ?? "cdktf.out", (outdir) => {
    const app = new App({ outdir });
    buildPlatform(app, environments, process.env);
    return app;
  });
} catch (error) {
  // The messages name the file, key or construct and what is allowed; a trace would bury them.
  console.error(`synth failed:\n${error instanceof Error ? error.message : String(error)}`);
  if (process.env.APIGW_DEBUG && error instanceof Error) console.error(error.stack);
  process.exitCode = 1;
}
