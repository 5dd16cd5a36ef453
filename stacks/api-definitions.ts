import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { projectDir } from "../functions/bundle";
import { DefinitionError, OpenApiSource } from "../modules/shared/openapi-import";

/** Definitions already read in this process: every environment stack uses the same files. */
const read = new Map<string, OpenApiSource>();

/** An OpenAPI document of the project's `apis/` directory (YAML or JSON), parsed once per process. */
export function readApiDefinition(name: string, apisDir = path.join(projectDir(), "apis")): OpenApiSource {
  const file = path.join(apisDir, name);
  const known = read.get(file);
  if (known) return known;
  const shown = path.relative(process.cwd(), file) || file;
  if (!fs.existsSync(file)) throw new DefinitionError(shown, [], "no such API definition file");
  const parsed = parseDocument(fs.readFileSync(file, "utf8"), { prettyErrors: false, uniqueKeys: true });
  if (parsed.errors.length > 0) throw new DefinitionError(shown, [], `malformed YAML or JSON: ${parsed.errors[0].message.split("\n")[0]}`);
  const source = { file: shown, document: parsed.toJS() as unknown };
  read.set(file, source);
  return source;
}
