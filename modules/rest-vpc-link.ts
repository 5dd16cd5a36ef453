import { Construct } from "constructs";
import { ApiGatewayVpcLink } from "@cdktf/provider-aws/lib/api-gateway-vpc-link";
import * as formats from "../config/formats";
import { checkFormat } from "./shared/validation";

export interface RestVpcLinkProps {
  readonly name: string;
  /** The internal Network Load Balancer in front of the backend (REST API VPC links take exactly one NLB). */
  readonly nlbArn: string;
}

/**
 * A REST API VPC link (v1) to a Network Load Balancer. AWS takes minutes to make one AVAILABLE
 * (over 8 minutes seen, terraform-provider-aws#10405) and as long to delete it. Its target cannot
 * change in place (terraform-provider-aws#2512): a new NLB replaces the link, the new one first,
 * so the document moves to it before the old one, still referenced by the deployed stage, goes.
 */
export class RestVpcLink extends Construct {
  public readonly vpcLinkId: string;

  constructor(scope: Construct, id: string, props: RestVpcLinkProps) {
    super(scope, id);
    checkFormat(this, "nlbArn", props.nlbArn, formats.networkLoadBalancerArn);
    const link = new ApiGatewayVpcLink(this, "link", {
      name: props.name,
      description: "Private integrations of REST APIs to the NLB",
      targetArns: [props.nlbArn],
      lifecycle: { createBeforeDestroy: true },
    });
    this.vpcLinkId = link.id;
  }
}
