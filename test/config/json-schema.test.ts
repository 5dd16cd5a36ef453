import * as fs from "fs";
import { environmentJsonSchema, SCHEMA_FILE } from "../../config/json-schema";

describe("environment JSON Schema", () => {
  test("the committed file matches the zod schema (run `npm run schema` after changing it)", () => {
    expect(fs.readFileSync(SCHEMA_FILE, "utf8")).toBe(environmentJsonSchema());
  });

  test("refuses unknown keys, as the loader does", () => {
    const schema = JSON.parse(environmentJsonSchema());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.network.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(["region", "network", "jwt", "throttling", "logging"]));
  });
});
