import * as path from "path";
import { TerraformStack, Testing } from "cdktf";
import type { BackendSettings } from "../../config/backend";
import { resolveBackend } from "../../config/backend";
import { configureBackend, OutputLayout } from "../../stacks/backend";
import { environmentConfig } from "../fixtures/environment";

const PROJECT_DIR = "/srv/checkouts/apigw";

function terraformBlock(settings: BackendSettings, layout: OutputLayout = { outdir: `${PROJECT_DIR}/cdktf.out`, projectDir: PROJECT_DIR }): Record<string, any> {
  const stack = new TerraformStack(Testing.app(), "dev");
  configureBackend(stack, settings, layout);
  return JSON.parse(Testing.synth(stack, true)).terraform;
}

describe("resolveBackend", () => {
  test("default", () => {
    expect(resolveBackend("dev", environmentConfig(), {}, { ownStack: true })).toEqual({ kind: "local" });
  });

  test("uses Terraform Cloud when TFC_ORGANIZATION is set, with a workspace per stack", () => {
    expect(resolveBackend("dev", environmentConfig(), { TFC_ORGANIZATION: "acme" }, { ownStack: true })).toEqual({
      kind: "cloud",
      organization: "acme",
      workspace: "apigw-dev",
    });
  });

  test("prefers the file's organization and honours its workspace only for the environment's own stack", () => {
    const config = environmentConfig({ terraformCloud: { organization: "file-org", workspace: "payments-dev", project: "apis" } });
    expect(resolveBackend("dev", config, { TFC_ORGANIZATION: "env-org" }, { ownStack: true })).toEqual({
      kind: "cloud",
      organization: "file-org",
      workspace: "payments-dev",
      project: "apis",
    });
    expect(resolveBackend("account-eu-west-1", config, {}, { ownStack: false })).toEqual(
      expect.objectContaining({ workspace: "apigw-account-eu-west-1" }),
    );
  });

  test("uses S3 with a key per stack and the environment's region by default", () => {
    expect(resolveBackend("dev", environmentConfig({ s3Backend: { bucket: "acme-tfstate" } }), {}, { ownStack: true })).toEqual({
      kind: "s3",
      bucket: "acme-tfstate",
      key: "apigw/dev.tfstate",
      region: "eu-west-1",
    });
  });

  test("encrypts S3 state with the file's KMS key, as requireEncryptedState demands", () => {
    const key = "arn:aws:kms:eu-west-1:111111111111:key/7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f";
    const config = environmentConfig({ requireEncryptedState: true, s3Backend: { bucket: "acme-tfstate", kmsKeyId: key } });
    expect(resolveBackend("dev", config, {}, { ownStack: true })).toEqual(expect.objectContaining({ kind: "s3", kmsKeyId: key }));
    expect(terraformBlock({ kind: "s3", bucket: "acme-tfstate", key: "apigw/dev.tfstate", region: "eu-west-1", kmsKeyId: key }).backend.s3.kms_key_id).toBe(key);
    expect(resolveBackend("dev", environmentConfig({ requireEncryptedState: true }), { TFC_ORGANIZATION: "acme" }, { ownStack: true })).toEqual(expect.objectContaining({ kind: "cloud" }));
  });

  test.each([
    ["local state", {}, "stack dev: requireEncryptedState is set but the state would be a local file; set s3Backend with kmsKeyId, terraformCloud, or TFC_ORGANIZATION"],
    ["S3 without a KMS key", { s3Backend: { bucket: "acme-tfstate" } }, "stack dev: requireEncryptedState is set but s3Backend has no kmsKeyId"],
  ])("fails if requireEncryptedState meets %s", (_name, overrides, message) => {
    expect(() => resolveBackend("dev", environmentConfig({ requireEncryptedState: true, ...overrides }), {}, { ownStack: true })).toThrow(message);
  });

  test("fails if TFC_ORGANIZATION is set while the file asks for S3", () => {
    expect(() => resolveBackend("dev", environmentConfig({ s3Backend: { bucket: "acme-tfstate" } }), { TFC_ORGANIZATION: "acme" }, { ownStack: true })).toThrow(
      "stack dev: TFC_ORGANIZATION is set but the environment file configures s3Backend; unset one of them",
    );
  });
});

describe("configureBackend", () => {
  test("default", () => {
    expect(terraformBlock({ kind: "local" }).backend).toEqual({ local: { path: "../../../terraform.dev.tfstate" } });
  });

  test.each([
    ["dist/shipped", `${PROJECT_DIR}/dist/shipped`, "../../../../terraform.dev.tfstate"],
    ["a nested directory", `${PROJECT_DIR}/build/out/cdktf`, "../../../../../terraform.dev.tfstate"],
    ["a directory outside the project", "/tmp/x", "../../../../srv/checkouts/apigw/terraform.dev.tfstate"],
  ])("keeps local state beside cdktf.json when the output is in %s", (_name, outdir, expected) => {
    const statePath = terraformBlock({ kind: "local" }, { outdir, projectDir: PROJECT_DIR }).backend.local.path;
    expect(statePath).toBe(expected);
    expect(path.resolve(outdir, "stacks", "dev", statePath)).toBe(path.join(PROJECT_DIR, "terraform.dev.tfstate"));
  });

  test("writes a cloud block with a named workspace, and synthesizes without a terraform binary", () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      expect(terraformBlock({ kind: "cloud", organization: "acme", workspace: "apigw-dev", project: "apis" })).toEqual(
        expect.objectContaining({ cloud: { organization: "acme", workspaces: { name: "apigw-dev", project: "apis" } } }),
      );
    } finally {
      process.env.PATH = path;
    }
  });

  test("writes an encrypted S3 backend with S3-native locking", () => {
    expect(terraformBlock({ kind: "s3", bucket: "acme-tfstate", key: "apigw/dev.tfstate", region: "eu-central-1" }).backend).toEqual({
      s3: { bucket: "acme-tfstate", key: "apigw/dev.tfstate", region: "eu-central-1", encrypt: true, use_lockfile: true },
    });
  });
});
