import { LocalBackend, NamedCloudWorkspace, S3Backend, TerraformBackend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { BackendSettings } from "../config/backend";

/**
 * The `cloud` block of cdktf's CloudBackend, without its synth-time `terraform version`
 * check: synth must work on machines and CI jobs that have no terraform binary, and the
 * block itself already requires Terraform >= 1.1 wherever it is used.
 */
class TerraformCloudBlock extends TerraformBackend {
  constructor(
    scope: Construct,
    private readonly settings: Extract<BackendSettings, { kind: "cloud" }>,
  ) {
    super(scope, "backend", "cloud");
  }

  toTerraform(): Record<string, unknown> {
    const { organization, hostname, workspace, project } = this.settings;
    return {
      terraform: {
        cloud: {
          organization,
          ...(hostname ? { hostname } : {}),
          workspaces: new NamedCloudWorkspace(workspace, project).toTerraform(),
        },
      },
    };
  }

  toMetadata(): Record<string, unknown> {
    return { ...super.toMetadata(), cloud: this.settings.hostname && !this.settings.hostname.startsWith("app.terraform.io") ? "tfe" : "tfc" };
  }

  getRemoteStateDataSource(): never {
    throw new Error("remote state of a Terraform Cloud workspace is not read across stacks in this project");
  }
}

export function configureBackend(stack: TerraformStack, settings: BackendSettings): void {
  switch (settings.kind) {
    case "cloud":
      new TerraformCloudBlock(stack, settings);
      return;
    case "s3": {
      const backend = new S3Backend(stack, { bucket: settings.bucket, key: settings.key, region: settings.region, encrypt: true });
      // S3-native locking (Terraform >= 1.10); cdktf 0.21 has no prop for it yet.
      backend.addOverride("use_lockfile", true);
      return;
    }
    case "local":
      // Relative, so no build machine's path lands in the JSON. Terraform runs in
      // cdktf.out/stacks/<stack>; the state lives beside cdktf.json, outside the output
      // directory that every synth replaces.
      new LocalBackend(stack, { path: `../../../terraform.${stack.node.id}.tfstate` });
      return;
  }
}
