import { Token } from "cdktf";
import { Construct } from "constructs";
import { Apigatewayv2VpcLink } from "@cdktf/provider-aws/lib/apigatewayv2-vpc-link";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import * as formats from "../config/formats";
import { checkFormat, checkNotEmpty } from "./shared/validation";

export interface HttpVpcLinkProps {
  readonly name: string;
  readonly vpcId: string;
  /** Private subnets the link's network interfaces are placed in, one per availability zone. */
  readonly subnetIds: readonly string[];
  /** Where the backend's load balancer listens; the link may reach only these, on TCP 443. */
  readonly backendCidrs: readonly string[];
}

/**
 * An HTTP API VPC link (v2) in private subnets, with its own security group that lets it open
 * HTTPS connections to the backend's ranges and nothing else. Its network interfaces belong to
 * API Gateway; deleting the link releases them, which can take minutes, and the security group
 * cannot be deleted before.
 */
export class HttpVpcLink extends Construct {
  public readonly vpcLinkId: string;
  public readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: HttpVpcLinkProps) {
    super(scope, id);
    checkFormat(this, "vpcId", props.vpcId, formats.vpcId);
    checkNotEmpty(this, "subnetIds", props.subnetIds);
    props.subnetIds.forEach((s, i) => checkFormat(this, `subnetIds[${i}]`, s, formats.subnetId));
    checkNotEmpty(this, "backendCidrs", props.backendCidrs);
    props.backendCidrs.forEach((c, i) => checkFormat(this, `backendCidrs[${i}]`, c, formats.ipv4Cidr));

    // No ingress: the link only opens connections. Terraform drops the default allow-all egress of
    // a new group; the rules below are all it has. A prefix, so a replacement can be made first.
    const group = new SecurityGroup(this, "security-group", {
      namePrefix: `${props.name}-vpc-link-`,
      description: "API Gateway VPC link: HTTPS to the backend only",
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-vpc-link` },
      lifecycle: { createBeforeDestroy: true },
    });
    props.backendCidrs.forEach((cidr, i) => {
      // Keyed by the range, not its position, so removing one range leaves the others in place.
      const key = Token.isUnresolved(cidr) ? String(i) : cidr.replace(/[./]/g, "-");
      new VpcSecurityGroupEgressRule(this, `https-to-${key}`, { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: cidr, description: `HTTPS to ${cidr}` });
    });
    const link = new Apigatewayv2VpcLink(this, "link", {
      name: props.name,
      securityGroupIds: [group.id],
      subnetIds: [...props.subnetIds],
      // Subnets and security groups force a new link; integrations still point at the old one,
      // which API Gateway refuses to delete (terraform-provider-aws#12195), so the new one comes first.
      lifecycle: { createBeforeDestroy: true },
    });
    this.vpcLinkId = link.id;
    this.securityGroupId = group.id;
  }
}
