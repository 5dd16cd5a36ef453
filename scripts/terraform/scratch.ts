import * as fs from "fs";
import * as path from "path";
import { majorVersion, requiredProviders, StackJson } from "./provider";

/** Terraform merges files named *_override.tf.json over the configuration: cdk.tf.json stays as synthesized. */
export const OVERRIDE_FILE = "zz_apigw_override.tf.json";
/** The local state of a scratch copy, inside it. */
export const SCRATCH_STATE = "terraform.tfstate";

export interface OverrideOptions {
  /** The AWS provider version to pin instead of the stack's (an upgrade check, or the mirror's). */
  readonly awsVersion?: string;
}

/** Resources and data sources that set the per-resource `region` argument (AWS provider 6 and later). */
export function regionArguments(stack: StackJson): { kind: "resource" | "data"; type: string; name: string }[] {
  const found: { kind: "resource" | "data"; type: string; name: string }[] = [];
  for (const kind of ["resource", "data"] as const) {
    for (const [type, blocks] of Object.entries(stack[kind] ?? {})) {
      for (const [name, block] of Object.entries(blocks)) if (block && typeof block === "object" && "region" in block) found.push({ kind, type, name });
    }
  }
  return found;
}

/**
 * The override file for a scratch copy: every provider pinned (aws to awsVersion when given), the
 * `region` arguments set to null when the AWS provider is older than 6 (it has no such argument; null
 * leaves the resource in the provider's region), and a local backend in the scratch directory in place
 * of the stack's local, s3, remote or cloud one (an override's backend replaces a cloud block too).
 */
export function overridesFor(stack: StackJson, options: OverrideOptions = {}): Record<string, unknown> {
  const providers: Record<string, { source: string; version?: string }> = {};
  for (const p of requiredProviders(stack)) {
    const version = p.source.endsWith("/hashicorp/aws") && options.awsVersion ? options.awsVersion : p.version;
    providers[p.name] = { source: p.source, ...(version ? { version } : {}) };
  }
  const override: Record<string, unknown> = {
    terraform: { ...(Object.keys(providers).length ? { required_providers: providers } : {}), backend: { local: { path: SCRATCH_STATE } } },
  };
  const aws = requiredProviders(stack).find((p) => p.source.endsWith("/hashicorp/aws"));
  const major = majorVersion(options.awsVersion ?? aws?.version);
  if (major !== undefined && major < 6) {
    for (const { kind, type, name } of regionArguments(stack)) {
      const blocks = ((override[kind] ??= {}) as Record<string, Record<string, unknown>>);
      (blocks[type] ??= {})[name] = { region: null };
    }
  }
  return override;
}

export interface ScratchOptions extends OverrideOptions {
  /** Further files to write into the copy (tests, mocks, more overrides): name -> text or JSON value. */
  readonly files?: Readonly<Record<string, string | object>>;
}

export interface Scratch {
  readonly dir: string;
  readonly stack: StackJson;
  readonly override: Record<string, unknown>;
}

/** A working copy of one synthesized stack: cdk.tf.json, its assets, the override file and `files`. */
export function prepareScratch(stackDir: string, scratchDir: string, options: ScratchOptions = {}): Scratch {
  const source = path.join(stackDir, "cdk.tf.json");
  const stack = JSON.parse(fs.readFileSync(source, "utf8")) as StackJson;
  fs.rmSync(scratchDir, { recursive: true, force: true });
  fs.mkdirSync(scratchDir, { recursive: true });
  fs.copyFileSync(source, path.join(scratchDir, "cdk.tf.json"));
  if (fs.existsSync(path.join(stackDir, "assets"))) fs.cpSync(path.join(stackDir, "assets"), path.join(scratchDir, "assets"), { recursive: true });
  const override = overridesFor(stack, options);
  fs.writeFileSync(path.join(scratchDir, OVERRIDE_FILE), `${JSON.stringify(override, null, 2)}\n`);
  for (const [name, content] of Object.entries(options.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(scratchDir, name)), { recursive: true });
    fs.writeFileSync(path.join(scratchDir, name), typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  return { dir: scratchDir, stack, override };
}

/** The stacks of a cdktf output directory (<dir>/stacks/<name>/cdk.tf.json), sorted. */
export function listStacks(outdir: string): string[] {
  const stacksDir = path.join(outdir, "stacks");
  if (!fs.existsSync(stacksDir)) throw new Error(`${outdir} has no stacks/ directory: not a cdktf output (synthesize first, or name one with --dir)`);
  return fs
    .readdirSync(stacksDir)
    .filter((s) => fs.existsSync(path.join(stacksDir, s, "cdk.tf.json")))
    .sort();
}

/** The provider versions a scratch copy pins, as a key: copies with the same key install the same providers. */
export function providerSetKey(scratch: Scratch): string {
  return JSON.stringify((scratch.override.terraform as { required_providers?: unknown }).required_providers ?? {});
}
