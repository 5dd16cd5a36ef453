import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { ExecuteApiVpcEndpoint } from "../modules/execute-api-vpc-endpoint";
import { PlatformStack, PlatformStackProps } from "./platform-stack";

export interface EndpointStackProps extends PlatformStackProps {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** Every range that any environment of the VPC lets call the endpoint. */
  readonly allowedCidrs: readonly string[];
  /**
   * Accounts whose APIs hosts in the VPC may invoke through the endpoint (its endpoint policy).
   * @default the endpoint's own account, unless allowedApiOrganizationIds is set
   */
  readonly allowedApiAccountIds?: readonly string[];
  /**
   * Organizations whose accounts' APIs hosts in the VPC may invoke through the endpoint.
   * @default none
   */
  readonly allowedApiOrganizationIds?: readonly string[];
  /** Name of the endpoint and prefix of its security group's name. */
  readonly name: string;
}

/**
 * The execute-api endpoint of one VPC, shared by every environment in it: a VPC takes one
 * endpoint with private DNS. Its own stack, so that no environment's create-before-destroy
 * chain reaches it; environments find it by VPC (ExecuteApiEndpointLookup).
 */
export class EndpointStack extends PlatformStack {
  /**
   * The endpoint's construct id, the one it had in environment stacks: its resources keep their
   * addresses when their state moves here (README, "Changing things").
   */
  static readonly ENDPOINT_ID = "execute-api-endpoint";

  static stackName(vpcId: string): string {
    return `endpoint-${vpcId}`;
  }

  public readonly endpoint: ExecuteApiVpcEndpoint;

  constructor(scope: Construct, id: string, props: EndpointStackProps) {
    super(scope, id, props);
    this.endpoint = new ExecuteApiVpcEndpoint(this, EndpointStack.ENDPOINT_ID, {
      region: props.region,
      vpcId: props.vpcId,
      subnetIds: props.subnetIds,
      allowedCidrs: props.allowedCidrs,
      allowedApiAccountIds: props.allowedApiAccountIds,
      allowedApiOrganizationIds: props.allowedApiOrganizationIds,
      name: props.name,
    });
    new TerraformOutput(this, "vpc_endpoint_id", { value: this.endpoint.endpointId });
  }
}
