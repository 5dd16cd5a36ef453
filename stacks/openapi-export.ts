import * as fs from "fs";
import * as path from "path";
import { Token } from "cdktf";
import type { EnvironmentStack } from "./environment-stack";

/**
 * Writes each API's client-facing OpenAPI document to `<outdir>/openapi/<stack>/<api>.json`,
 * for client generators and API portals. They describe what clients call, so nothing in them
 * may wait for Terraform: a value known only at apply is a server variable instead.
 */
export function writeOpenApiDocuments(outdir: string, stacks: readonly EnvironmentStack[]): void {
  for (const stack of stacks) {
    for (const [api, document] of Object.entries(stack.openApiDocuments)) writeJson(outdir, `openapi/${stack.node.id}/${api}.json`, document);
  }
}

/** Writes `<outdir>/<file>`, refusing a value known only at apply: clients read these files before any apply. */
export function writeJson(outdir: string, file: string, value: unknown): void {
  const text = JSON.stringify(value, null, 2);
  if (Token.isUnresolved(text)) throw new Error(`${file}: the client document holds a value known only at apply; give it as a server variable`);
  fs.mkdirSync(path.dirname(path.join(outdir, file)), { recursive: true });
  fs.writeFileSync(path.join(outdir, file), `${text}\n`);
}
