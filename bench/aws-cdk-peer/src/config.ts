/**
 * Reads the CDKTF project's environment files (config/environments/*.yaml) as plain data. No
 * schema check: the peer only needs the values that shape the infrastructure.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/* eslint-disable @typescript-eslint/no-explicit-any */
export type EnvConfig = Record<string, any>;

export interface Environment {
  readonly name: string;
  readonly config: EnvConfig;
}

export function loadEnvironments(dir: string, names: readonly string[]): Environment[] {
  return names.map((name) => ({ name, config: parse(fs.readFileSync(path.join(dir, `${name}.yaml`), "utf8")) as EnvConfig }));
}
