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
    const dir = path.join(outdir, "openapi", stack.node.id);
    fs.mkdirSync(dir, { recursive: true });
    for (const [api, document] of Object.entries(stack.openApiDocuments)) {
      const text = JSON.stringify(document, null, 2);
      if (Token.isUnresolved(text)) throw new Error(`openapi/${stack.node.id}/${api}.json: the client document holds a value known only at apply; give it as a server variable`);
      fs.writeFileSync(path.join(dir, `${api}.json`), `${text}\n`);
    }
  }
}
