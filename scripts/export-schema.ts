/** Writes config/environment.schema.json from the zod schema, for editors' completion and checks. */
import * as fs from "fs";
import { environmentJsonSchema, SCHEMA_FILE } from "../config/json-schema";

fs.writeFileSync(SCHEMA_FILE, environmentJsonSchema());
console.log(`wrote ${SCHEMA_FILE}`);
