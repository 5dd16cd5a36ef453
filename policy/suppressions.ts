import * as fs from "fs";
import { parse } from "yaml";
import type { Finding, Rule } from "./types";

/** One accepted exception: one rule, one resource of one stack, and why. */
export interface Suppression {
  readonly rule: string;
  readonly stack: string;
  readonly address: string;
  readonly reason: string;
}

export const DEFAULT_SUPPRESSIONS_FILE = "policy/suppressions.yaml";
const MIN_REASON = 10;

/** A problem with the input that makes a check meaningless: exit code 2, one line. */
export class UnusableInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnusableInputError";
  }
}

/** Reads `suppressions:` from a YAML file; a missing default file means none. */
export function loadSuppressions(file: string, rules: readonly Rule[], required: boolean): Suppression[] {
  if (!fs.existsSync(file)) {
    if (required) throw new UnusableInputError(`${file}: no such suppressions file`);
    return [];
  }
  let data: any;
  try {
    data = parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new UnusableInputError(`${file}: malformed YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const entries: unknown[] = data?.suppressions ?? [];
  if (!Array.isArray(entries)) throw new UnusableInputError(`${file}: suppressions must be a list`);
  return entries.map((entry, i) => {
    const s = (entry ?? {}) as Record<string, unknown>;
    const where = `${file}: suppressions[${i}]`;
    for (const key of ["rule", "stack", "address", "reason"]) {
      if (typeof s[key] !== "string" || s[key] === "") throw new UnusableInputError(`${where}: ${key} is required (rule, stack, address and reason)`);
    }
    if (!rules.some((r) => r.id === s.rule)) throw new UnusableInputError(`${where}: unknown rule ${JSON.stringify(s.rule)}`);
    if ((s.reason as string).trim().length < MIN_REASON) throw new UnusableInputError(`${where}: the reason must say why, in at least ${MIN_REASON} characters`);
    return { rule: s.rule, stack: s.stack, address: s.address, reason: s.reason } as Suppression;
  });
}

export function matches(suppression: Suppression, finding: Finding): boolean {
  return suppression.rule === finding.rule && suppression.stack === finding.stack && suppression.address === finding.address;
}
