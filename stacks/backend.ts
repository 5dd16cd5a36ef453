import * as path from "path";
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

/** Where the synthesized stacks end up and where the project is, to place local state. */
export interface OutputLayout {
  /** The output directory the stacks are finally moved to (not the temporary one they are written in), absolute. */
  readonly outdir: string;
  /** The directory of cdktf.json, absolute. */
  readonly projectDir: string;
}

export function configureBackend(stack: TerraformStack, settings: BackendSettings, layout: OutputLayout): void {
  switch (settings.kind) {
    case "cloud":
      new TerraformCloudBlock(stack, settings);
      return;
    case "s3": {
      const backend = new S3Backend(stack, { bucket: settings.bucket, key: settings.key, region: settings.region, encrypt: true, ...(settings.kmsKeyId ? { kmsKeyId: settings.kmsKeyId } : {}) });
      // S3-native locking (Terraform >= 1.10); cdktf 0.21 has no prop for it yet.
      backend.addOverride("use_lockfile", true);
      return;
    }
    case "local":
      new LocalBackend(stack, { path: localStatePath(stack.node.id, layout) });
      return;
  }
}

/**
 * `terraform.<stack>.tfstate` beside cdktf.json, outside the output directory that every
 * synth replaces, relative to the directory Terraform runs in (`<outdir>/stacks/<stack>`)
 * so that no build machine's path lands in the JSON while the output is inside the project.
 * Forward slashes, so the JSON is the same on every OS.
 */
function localStatePath(stackName: string, layout: OutputLayout): string {
  const stackDir = path.join(layout.outdir, "stacks", stackName);
  return path.relative(stackDir, path.join(layout.projectDir, `terraform.${stackName}.tfstate`)).split(path.sep).join("/");
}
