import * as path from "path";
import { z } from "zod";
import { EnvironmentSchema } from "./schema";

export const SCHEMA_FILE = path.join("config", "environment.schema.json");

/** The environment schema as JSON Schema, describing what a user writes (defaults optional). */
export function environmentJsonSchema(): string {
  const schema = z.toJSONSchema(EnvironmentSchema, { io: "input", unrepresentable: "any" });
  return `${JSON.stringify({ ...schema, title: "API Gateway platform environment" }, null, 2)}\n`;
}
