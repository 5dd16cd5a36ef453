import * as fs from "fs";
import * as path from "path";
import { StackView } from "./stack";
import { UnusableInputError } from "./suppressions";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * `resource` and `data` in one shape: type, then name, then one object. Terraform's JSON syntax also
 * takes an array of objects at each of those levels; anything else Terraform would not read as
 * blocks, so a checker that skipped it would pass what it never saw.
 */
function normalizeBlocks(file: string, json: Json): Json {
  // cdktf writes these as objects; an array of them is valid Terraform JSON that the rules would not read.
  for (const key of ["terraform", "provider", "output", "locals", "variable", "module"]) {
    if (Array.isArray(json[key])) throw new UnusableInputError(`${file}: ${key} is an array of blocks; write it as one object (cdktf does), so that it can be checked`);
  }
  const out: Json = { ...json };
  for (const key of ["resource", "data"]) {
    if (json[key] === undefined) continue;
    const where = (path: string) => `${file}: ${key}${path}`;
    const merged: Record<string, Json> = {};
    const levels = Array.isArray(json[key]) ? (json[key] as unknown[]) : [json[key]];
    for (const level of levels) {
      if (!isObject(level)) throw new UnusableInputError(`${where("")} is neither an object nor an array of objects`);
      for (const [type, byName] of Object.entries(level)) {
        const named = Array.isArray(byName) ? byName : [byName];
        for (const entry of named) {
          if (!isObject(entry)) throw new UnusableInputError(`${where(`.${type}`)} is neither an object nor an array of objects`);
          for (const [name, body] of Object.entries(entry)) {
            const bodies = Array.isArray(body) ? body : [body];
            if (bodies.length !== 1 || !isObject(bodies[0])) throw new UnusableInputError(`${where(`.${type}.${name}`)}: expected one block body (an object, or an array of one object)`);
            merged[type] ??= {};
            if (merged[type][name] !== undefined) throw new UnusableInputError(`${where(`.${type}.${name}`)}: declared twice`);
            merged[type][name] = bodies[0];
          }
        }
      }
    }
    out[key] = merged;
  }
  return out;
}

/**
 * `${"*"}` is the text `*` to Terraform: an interpolation of a quoted string with no template in
 * it is replaced by that string, so that rules see what Terraform will (`$${` stays an escape).
 */
const QUOTED_INTERPOLATION = /(?<!\$)\$\{~?\s*"((?:[^"\\$%{}]|\\.)*)"\s*~?\}/g;
export function inlineQuotedInterpolations(value: unknown): unknown {
  if (typeof value === "string") return value.includes("${") ? value.replace(QUOTED_INTERPOLATION, (_match, inner: string) => JSON.parse(`"${inner}"`)) : value;
  if (Array.isArray(value)) return value.map(inlineQuotedInterpolations);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, v]) => [inlineQuotedInterpolations(key) as string, inlineQuotedInterpolations(v)]));
  return value;
}

/**
 * The first key that an object of a JSON text repeats, with its path. JSON.parse keeps the last
 * of them; Terraform reads every one as a block of its own, which no rule would then have seen.
 */
export function repeatedKey(text: string): string | undefined {
  // Per open container: whether it is an object, the keys seen so far, its own key.
  const open: { object: boolean; keys: Set<string>; key?: string }[] = [];
  let pending: string | undefined;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      while (text[++i] !== '"') if (text[i] === "\\") i++;
      const value: string = JSON.parse(text.slice(start, i + 1));
      const top = open[open.length - 1];
      if (top?.object && expectKey) {
        if (top.keys.has(value)) return [...open.map((o) => o.key).filter((k) => k !== undefined), value].join(".");
        top.keys.add(value);
        pending = value;
        expectKey = false;
      }
    } else if (c === "{" || c === "[") {
      open.push({ object: c === "{", keys: new Set(), key: pending });
      pending = undefined;
      expectKey = c === "{";
    } else if (c === "}" || c === "]") {
      open.pop();
      pending = undefined;
    } else if (c === ",") {
      expectKey = open[open.length - 1]?.object ?? false;
      pending = undefined;
    }
  }
  return undefined;
}

/** The stacks a cdktf manifest lists: each must be there, or the check would pass without reading it. */
function manifestStacks(dir: string): string[] | undefined {
  const file = path.join(dir, "manifest.json");
  if (!fs.existsSync(file)) return undefined;
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new UnusableInputError(`${file}: malformed JSON: ${(error as Error).message}`);
  }
  if (!isObject(manifest) || !isObject(manifest.stacks)) throw new UnusableInputError(`${file}: no "stacks" object; is ${dir} a cdktf output directory?`);
  return Object.keys(manifest.stacks);
}

/** Reads `<dir>/stacks/*\/cdk.tf.json` of any cdktf output, optionally one stack only. */
export function loadStacks(dir: string, only?: string): StackView[] {
  const stacksDir = path.join(dir, "stacks");
  if (!fs.existsSync(dir)) throw new UnusableInputError(`${dir}: no such directory (synthesize first: npm run synth)`);
  if (!fs.existsSync(stacksDir)) throw new UnusableInputError(`${stacksDir}: no stacks directory; is ${dir} a cdktf output directory?`);
  const names = fs
    .readdirSync(stacksDir)
    .filter((name) => fs.existsSync(path.join(stacksDir, name, "cdk.tf.json")))
    .sort();
  if (names.length === 0) throw new UnusableInputError(`${stacksDir}: no stacks (no */cdk.tf.json)`);
  const missing = (manifestStacks(dir) ?? []).filter((name) => !names.includes(name));
  if (missing.length) throw new UnusableInputError(`${dir}: manifest.json lists ${missing.join(", ")}, which ${missing.length === 1 ? "has" : "have"} no stacks/<name>/cdk.tf.json`);
  if (only !== undefined && !names.includes(only)) throw new UnusableInputError(`${stacksDir}: no stack ${JSON.stringify(only)}; stacks: ${names.join(", ")}`);
  return names
    .filter((name) => only === undefined || name === only)
    .map((name) => {
      // Terraform reads every .tf and .tf.json file of the directory (overrides included); only cdk.tf.json is checked.
      const others = fs.readdirSync(path.join(stacksDir, name)).filter((f) => /\.tf(\.json)?$/.test(f) && f !== "cdk.tf.json");
      if (others.length) throw new UnusableInputError(`${path.join(stacksDir, name)}: holds ${others.join(", ")} besides cdk.tf.json; Terraform would plan and apply them too, unchecked: remove them`);
      const file = path.join(stacksDir, name, "cdk.tf.json");
      const text = fs.readFileSync(file, "utf8");
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new UnusableInputError(`${file}: malformed JSON: ${(error as Error).message}`);
      }
      if (!isObject(json)) throw new UnusableInputError(`${file}: expected a JSON object at the top, got ${Array.isArray(json) ? "an array" : typeof json}`);
      const repeated = repeatedKey(text);
      if (repeated !== undefined) throw new UnusableInputError(`${file}: the key ${repeated} appears twice in one object; Terraform would read both, the checker only the last`);
      return new StackView(name, inlineQuotedInterpolations(normalizeBlocks(file, json)) as Json, text);
    });
}
