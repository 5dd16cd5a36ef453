import { ConfigError } from "./errors";
import type { EnvironmentConfig } from "./schema";

/** Where a stack keeps its state, resolved from the environment file and the process environment. */
export type BackendSettings =
  | { readonly kind: "local" }
  | {
      readonly kind: "cloud";
      readonly organization: string;
      readonly workspace: string;
      readonly project?: string;
      readonly hostname?: string;
    }
  | { readonly kind: "s3"; readonly bucket: string; readonly key: string; readonly region: string; readonly kmsKeyId?: string };

export const WORKSPACE_PREFIX = "apigw-";

/**
 * Terraform Cloud wins when an organization is known (the file's, else TFC_ORGANIZATION),
 * then an S3 bucket, else local state. `workspaceOverride` is only honoured for the
 * environment's own stack; shared stacks always get `apigw-<stack>`.
 */
export function resolveBackend(
  stackName: string,
  config: Pick<EnvironmentConfig, "terraformCloud" | "s3Backend" | "region"> & Partial<Pick<EnvironmentConfig, "requireEncryptedState">>,
  processEnv: Readonly<Record<string, string | undefined>>,
  options: { readonly ownStack: boolean },
): BackendSettings {
  const cloud = config.terraformCloud;
  const organization = cloud?.organization ?? nonEmpty(processEnv.TFC_ORGANIZATION);
  if (organization) {
    if (config.s3Backend) {
      throw new ConfigError([`stack ${stackName}: TFC_ORGANIZATION is set but the environment file configures s3Backend; unset one of them`]);
    }
    const workspace = (options.ownStack ? cloud?.workspace : undefined) ?? `${WORKSPACE_PREFIX}${stackName}`;
    return {
      kind: "cloud",
      organization,
      workspace,
      ...(cloud?.project ? { project: cloud.project } : {}),
      ...(cloud?.hostname ? { hostname: cloud.hostname } : {}),
    };
  }
  if (config.s3Backend) {
    if (config.requireEncryptedState && !config.s3Backend.kmsKeyId) {
      throw new ConfigError([`stack ${stackName}: requireEncryptedState is set but s3Backend has no kmsKeyId; state holds API key values in plain text, encrypt it with a KMS key`]);
    }
    return {
      kind: "s3",
      bucket: config.s3Backend.bucket,
      key: `${config.s3Backend.keyPrefix}${stackName}.tfstate`,
      region: config.s3Backend.region ?? config.region,
      ...(config.s3Backend.kmsKeyId ? { kmsKeyId: config.s3Backend.kmsKeyId } : {}),
    };
  }
  if (config.requireEncryptedState) {
    throw new ConfigError([`stack ${stackName}: requireEncryptedState is set but the state would be a local file; set s3Backend with kmsKeyId, terraformCloud, or TFC_ORGANIZATION`]);
  }
  return { kind: "local" };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== "" ? value.trim() : undefined;
}
