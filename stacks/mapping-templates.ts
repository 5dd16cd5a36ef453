import * as fs from "fs";
import * as path from "path";
import { projectDir } from "../functions/bundle";
import type { MappingTemplates } from "../modules/shared/service-integrations";

/** `apis/templates/<name>.request.vtl` and `.response.vtl`, with the shared `service-error.response.vtl`. */
export function mappingTemplates(name: string, dir = path.join(projectDir(), "apis", "templates")): MappingTemplates {
  const read = (file: string) => {
    const full = path.join(dir, file);
    if (!fs.existsSync(full)) throw new Error(`${path.relative(process.cwd(), full) || full}: no such mapping template`);
    return fs.readFileSync(full, "utf8");
  };
  return { request: read(`${name}.request.vtl`), response: read(`${name}.response.vtl`), error: read("service-error.response.vtl") };
}
