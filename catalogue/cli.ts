/**
 * npm run catalogue -- [<synth output dir>] [--out <dir>] [--public-only]
 * Writes the API catalogue (default <dir>/catalogue) from what npm run synth wrote. Exit 0, or 2
 * when the input is unusable.
 */
import { buildCatalogue, CatalogueInputError } from "./build";

function main(args: readonly string[]): void {
  let dir = "cdktf.out";
  let out: string | undefined;
  let publicOnly = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--public-only") publicOnly = true;
    else if (args[i] === "--out") {
      out = args[++i];
      if (out === undefined) throw new CatalogueInputError("--out needs a directory");
    } else if (args[i].startsWith("--")) throw new CatalogueInputError(`unknown option ${args[i]}; options: --out <dir>, --public-only`);
    else dir = args[i];
  }
  const started = Date.now();
  const environments = buildCatalogue({ dir, ...(out ? { out } : {}), publicOnly });
  console.log(`catalogue: ${environments.join(", ")}${publicOnly ? " (public APIs only)" : ""} in ${out ?? `${dir}/catalogue`} (${Date.now() - started} ms)`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof CatalogueInputError)) throw error;
  console.error(`catalogue: ${error.message}`);
  process.exitCode = 2;
}
