import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/schema";
import type { ApiGatewayAccountCheckProps } from "../modules/api-gateway-account-check";
import { ApiGatewayCloudWatchRole } from "../modules/api-gateway-cloudwatch-role";
import { PlatformStack, PlatformStackProps } from "./platform-stack";

/** The singletons of one account and region that every environment there relies on. */
export class AccountStack extends PlatformStack {
  public readonly cloudWatchRole: ApiGatewayCloudWatchRole;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    this.cloudWatchRole = new ApiGatewayCloudWatchRole(this, "cloudwatch-role", {
      roleName: AccountStack.cloudWatchRoleName(props.region),
    });
    new TerraformOutput(this, "cloudwatch_role_arn", { value: this.cloudWatchRole.roleArn });
  }

  /** IAM names are account-wide: one role per region. Environment stacks check for it by this name. */
  static cloudWatchRoleName(region: string): string {
    return `apigw-cloudwatch-logs-${region}`;
  }

  /** The role an environment's stages need before they can log, and what to do when it is missing. */
  static cloudWatchRoleCheck(config: Pick<EnvironmentConfig, "accountId" | "region" | "manageApiGatewayAccount" | "apiGatewayCloudWatchRoleName">): ApiGatewayAccountCheckProps {
    if (config.manageApiGatewayAccount) {
      return {
        roleName: AccountStack.cloudWatchRoleName(config.region),
        remedy: `Apply stack ${AccountStack.stackName(config)} first: it creates the role and points the region's API Gateway account setting at it.`,
      };
    }
    return {
      // The schema requires the name with manageApiGatewayAccount: false.
      roleName: config.apiGatewayCloudWatchRoleName ?? "",
      remedy:
        "The environment sets manageApiGatewayAccount: false, so whoever manages this account's API Gateway settings must create the role and point the setting at it (aws apigateway update-account) before this stack is applied; or apiGatewayCloudWatchRoleName must name the role it uses.",
    };
  }

  /** `account-<region>`, or `account-<account id>-<region>` when the account is pinned. */
  static stackName(target: { readonly accountId?: string; readonly region: string }): string {
    return target.accountId ? `account-${target.accountId}-${target.region}` : `account-${target.region}`;
  }
}
