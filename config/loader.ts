import * as fs from "fs";
import * as path from "path";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { ConfigError } from "./errors";
import { EnvironmentConfig, EnvironmentSchema } from "./schema";

export interface Environment {
  /** The file's base name: the stack name and, by default, part of the workspace name. */
  readonly name: string;
  /** The file, relative to the working directory, as error messages name it. */
  readonly file: string;
  readonly config: EnvironmentConfig;
}

/** Stack names become Terraform Cloud workspace names and state keys. */
const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export const DEFAULT_CONFIG_DIR = path.join("config", "environments");

/** Reads every `<name>.yaml` (or `.yml`) of a directory; every problem of every file is reported at once. */
export function loadEnvironments(dir: string): Environment[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    throw new ConfigError([`${dir}: no such directory of environment files (set APIGW_CONFIG_DIR to another one)`]);
  }
  const files = entries.filter((f) => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) {
    throw new ConfigError([`${dir}: no environment files (<name>.yaml) found`]);
  }

  const errors: string[] = [];
  const environments: Environment[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const name = file.replace(/\.ya?ml$/, "");
    const where = path.join(dir, file);
    if (!ENVIRONMENT_NAME.test(name)) {
      errors.push(`${where}: the file name "${name}" is not a valid environment name: lower-case letters, digits and hyphens, starting with a letter, 32 characters at most`);
      continue;
    }
    const previous = seen.get(name);
    if (previous) {
      errors.push(`${where}: environment "${name}" is already defined by ${previous}`);
      continue;
    }
    seen.set(name, where);
    const result = parseEnvironment(fs.readFileSync(where, "utf8"));
    if ("problems" in result) errors.push(`${where}:`, ...result.problems.map((p) => `  ${p}`));
    else environments.push({ name, file: where, config: result.config });
  }
  if (errors.length > 0) throw new ConfigError(errors);
  checkAccountSettings(environments);
  checkSharedVpcs(environments);
  checkDomainNames(environments);
  return environments;
}

/** Parses one environment file's text; problems are one line each, keyed by their path. */
export function parseEnvironment(text: string): { config: EnvironmentConfig } | { problems: string[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const at = lineCounter.linePos(e.pos[0]);
        return `line ${at.line}, column ${at.col}: malformed YAML: ${e.message.split("\n")[0]}`;
      }),
    };
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) {
    return { problems: ["the file is empty: an environment needs at least region, network, jwt, throttling and logging"] };
  }
  const parsed = EnvironmentSchema.safeParse(data);
  if (parsed.success) return { config: parsed.data };
  return { problems: parsed.error.issues.map((issue) => describeIssue(issue, data)) };
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const where = formatPath(issue.path) || "(top level)";
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeys(issue.path);
    return issue.keys
      .map((key) => {
        const suggestion = closest(key, allowed);
        const hint = suggestion ? `did you mean "${suggestion}"? ` : "";
        return `${formatPath([...issue.path, key])}: unknown key; ${hint}allowed here: ${allowed.join(", ")}`;
      })
      .join("\n  ");
  }
  const received = valueAt(data, issue.path);
  const got = received === undefined ? "missing" : `got ${JSON.stringify(received)}`;
  return `${where}: ${got}; ${issue.message}`;
}

function formatPath(segments: readonly PropertyKey[]): string {
  return segments
    .map((s, i) => (typeof s === "number" ? `[${s}]` : `${i === 0 ? "" : "."}${String(s)}`))
    .join("");
}

function valueAt(data: unknown, segments: readonly PropertyKey[]): unknown {
  let current: unknown = data;
  for (const s of segments) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[s];
  }
  return current;
}

/** The keys the schema allows at an object path, for the "did you mean" hint. */
function allowedKeys(segments: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType = EnvironmentSchema;
  for (const s of [...segments, undefined]) {
    for (;;) {
      const def = schema._zod.def as unknown as Record<string, z.core.$ZodType>;
      if ("innerType" in def) schema = def.innerType;
      else if ("in" in def) schema = def.in;
      else break;
    }
    const def = schema._zod.def as unknown as { shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType };
    if (s === undefined) return Object.keys(def.shape ?? {});
    const next = typeof s === "number" ? def.element : def.shape?.[String(s)];
    if (!next) return [];
    schema = next;
  }
  return [];
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The API Gateway CloudWatch role setting is one per account and region: environments
 * that share both must agree on who manages it, or one stack would undo the other's.
 */
function checkAccountSettings(environments: Environment[]): void {
  const byTarget = new Map<string, Environment>();
  for (const env of environments) {
    const target = accountTargetKey(env.config);
    const other = byTarget.get(target);
    if (other && other.config.manageApiGatewayAccount !== env.config.manageApiGatewayAccount) {
      throw new ConfigError([
        `${env.file}: manageApiGatewayAccount is ${env.config.manageApiGatewayAccount} but ${other.file} sets it to ${other.config.manageApiGatewayAccount} for the same account and region (${target}); the setting is one per region, so they must agree`,
      ]);
    }
    byTarget.set(target, env);
  }
}

/** The (account, region) an environment deploys to; environments without accountId share one account. */
export function accountTargetKey(config: Pick<EnvironmentConfig, "accountId" | "region">): string {
  return config.accountId ? `${config.accountId}-${config.region}` : config.region;
}

/**
 * Environments in one VPC share its execute-api endpoint (a VPC takes one with private DNS),
 * which their VPC's endpoint stack creates in the subnets they name, with one endpoint policy:
 * they must name the same subnets and the same accounts and organizations whose APIs it admits.
 */
function checkSharedVpcs(environments: Environment[]): void {
  const byVpc = new Map<string, Environment>();
  const problems: string[] = [];
  for (const env of environments) {
    const network = env.config.network;
    if (!("vpcId" in network)) continue;
    const other = byVpc.get(network.vpcId);
    if (!other) {
      byVpc.set(network.vpcId, env);
      continue;
    }
    const otherNetwork = other.config.network as typeof network;
    const shared = `share VPC ${network.vpcId} and so its execute-api endpoint (stack endpoint-${network.vpcId})`;
    if (accountTargetKey(env.config) !== accountTargetKey(other.config)) {
      problems.push(`${env.file}: region and accountId (${accountTargetKey(env.config)}) differ from ${other.file}'s (${accountTargetKey(other.config)}), but both ${shared}: a VPC is in one account and region`);
    } else if ([...network.subnetIds].sort().join() !== [...otherNetwork.subnetIds].sort().join()) {
      problems.push(`${env.file}: network.subnetIds is ${network.subnetIds.join(", ")} but ${other.file} has ${otherNetwork.subnetIds.join(", ")}; both ${shared}, which sits in one set of subnets: list the same subnets in both`);
    }
    // The endpoint policy limits what every host of the VPC may call: one environment must not widen it for the others.
    for (const key of ["allowedApiAccountIds", "allowedApiOrganizationIds"] as const) {
      const listed = (n: typeof network) => (n[key] ? [...n[key]].sort().join(", ") : "not set");
      if (listed(network) !== listed(otherNetwork)) {
        problems.push(`${env.file}: network.${key} is ${listed(network)} but ${other.file} has ${listed(otherNetwork)}; both ${shared}, which has one endpoint policy for every host of the VPC: list the same in both`);
      }
    }
  }
  if (problems.length) throw new ConfigError(problems);
}

/**
 * A custom domain name is one per account and region in API Gateway and one set of records in
 * its zone: two environments (or two APIs) with one name would fight over both, and the second
 * stack's apply fails halfway.
 */
function checkDomainNames(environments: Environment[]): void {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const env of environments) {
    for (const [api, domain] of Object.entries(env.config.customDomains)) {
      if (!domain) continue;
      const other = seen.get(domain.domainName);
      if (other) problems.push(`${env.file}: customDomains.${api}.domainName is ${domain.domainName}, which ${other} uses already; each API needs a domain name of its own`);
      else seen.set(domain.domainName, `${env.file} (customDomains.${api})`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
}
