import { Construct } from "constructs";
import { DataAwsVpcEndpoint } from "@cdktf/provider-aws/lib/data-aws-vpc-endpoint";
import * as formats from "../config/formats";
import type { IExecuteApiEndpoint } from "./execute-api-vpc-endpoint";
import { checkFormat } from "./shared/validation";

export interface ExecuteApiEndpointLookupProps {
  /** Region of the endpoint service `com.amazonaws.<region>.execute-api`. */
  readonly region: string;
  /** The VPC whose execute-api endpoint it is; a VPC has at most one with private DNS. */
  readonly vpcId: string;
}

/**
 * The execute-api endpoint of a VPC, managed in another stack and found by VPC and service
 * when the plan reads it. Nothing here depends on the endpoint as a resource, so no
 * create-before-destroy of a deployment or stage can reach it and ask for a second endpoint
 * with private DNS in the VPC, which AWS refuses ("conflicting DNS domain").
 */
export class ExecuteApiEndpointLookup extends Construct implements IExecuteApiEndpoint {
  public readonly endpointId: string;
  public readonly dns: { readonly name: string; readonly hostedZoneId: string };

  constructor(scope: Construct, id: string, props: ExecuteApiEndpointLookupProps) {
    super(scope, id);
    checkFormat(this, "vpcId", props.vpcId, formats.vpcId);
    const endpoint = new DataAwsVpcEndpoint(this, "endpoint", { vpcId: props.vpcId, serviceName: `com.amazonaws.${props.region}.execute-api` });
    this.endpointId = endpoint.id;
    // The first entry is the regional name; the others are per availability zone.
    this.dns = { name: endpoint.dnsEntry.get(0).dnsName, hostedZoneId: endpoint.dnsEntry.get(0).hostedZoneId };
  }
}
