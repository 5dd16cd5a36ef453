import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { BackendSettings } from "../config/backend";
import { configureBackend, OutputLayout } from "./backend";

export const PROJECT = "apigw-platform";

export interface PlatformStackProps {
  readonly region: string;
  /** When set, the provider refuses credentials of any other account. */
  readonly accountId?: string;
  readonly backend: BackendSettings;
  /** Where the output and the project are, for local state. */
  readonly layout: OutputLayout;
  /** Tags on every resource, beside project and managed-by. */
  readonly tags: Readonly<Record<string, string>>;
}

/** What every stack of the platform has: one AWS provider with default tags, and its backend. */
export abstract class PlatformStack extends TerraformStack {
  public readonly backend: BackendSettings;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    this.backend = props.backend;
    new AwsProvider(this, "aws", {
      region: props.region,
      ...(props.accountId ? { allowedAccountIds: [props.accountId] } : {}),
      defaultTags: [{ tags: { project: PROJECT, "managed-by": "cdktf", ...props.tags } }],
    });
    configureBackend(this, props.backend, props.layout);
  }
}
