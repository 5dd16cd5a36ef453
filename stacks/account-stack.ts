import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { partitionOf } from "../config/regions";
import { ApiGatewayCloudWatchRole } from "../modules/api-gateway-cloudwatch-role";
import { PlatformStack, PlatformStackProps } from "./platform-stack";

/** The singletons of one account and region that every environment there relies on. */
export class AccountStack extends PlatformStack {
  public readonly cloudWatchRole: ApiGatewayCloudWatchRole;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    this.cloudWatchRole = new ApiGatewayCloudWatchRole(this, "cloudwatch-role", {
      partition: partitionOf(props.region),
      roleName: `apigw-cloudwatch-logs-${props.region}`,
    });
    new TerraformOutput(this, "cloudwatch_role_arn", { value: this.cloudWatchRole.roleArn });
  }

  /** `account-<region>`, or `account-<account id>-<region>` when the account is pinned. */
  static stackName(target: { readonly accountId?: string; readonly region: string }): string {
    return target.accountId ? `account-${target.accountId}-${target.region}` : `account-${target.region}`;
  }
}
