import { Construct } from "constructs";
import * as formats from "../config/formats";
import { DataAwsIamRoles } from "@cdktf/provider-aws/lib/data-aws-iam-roles";
import { checkFormat } from "./shared/validation";

export interface ApiGatewayAccountCheckProps {
  /** Name of the IAM role the region's API Gateway account setting points at. */
  readonly roleName: string;
  /** What to do when the role is missing, e.g. which stack to apply first; ends the plan's error message. */
  readonly remedy: string;
}

/**
 * Fails `terraform plan` when the role API Gateway writes logs with is missing, instead of
 * failing the apply halfway with "CloudWatch Logs role ARN must be set in account settings".
 * The provider has no data source for the account setting itself, so the role stands in for it.
 */
export class ApiGatewayAccountCheck extends Construct {
  constructor(scope: Construct, id: string, props: ApiGatewayAccountCheckProps) {
    super(scope, id);
    checkFormat(this, "roleName", props.roleName, formats.iamRoleName);
    // aws_iam_roles, not aws_iam_role: an empty result reaches the postcondition and its
    // message, where a missing role would stop the plan with the provider's own error.
    // A postcondition, because only it may read the result (self); on a data source read
    // at plan time it fails the plan.
    new DataAwsIamRoles(this, "role", {
      nameRegex: `^${props.roleName.replace(/[.+]/g, "\\$&")}$`,
      lifecycle: {
        postcondition: [
          {
            condition: "${length(self.names) == 1}",
            errorMessage: `API Gateway cannot write logs in this account and region: the IAM role ${props.roleName} does not exist. ${props.remedy}`,
          },
        ],
      },
    });
  }
}
