import { Token } from "cdktf";
import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import * as formats from "../config/formats";
import { partitionOf } from "../config/regions";
import { policyDocument, PolicyStatement } from "./shared/iam";
import { checkFormat, checkNotEmpty, PropsError } from "./shared/validation";

/** What a private API needs of its endpoint: implemented by this module and by an existing endpoint. */
export interface IExecuteApiEndpoint {
  readonly endpointId: string;
  /** The endpoint's regional DNS name and its zone, which private custom domain names alias to; unknown for an existing endpoint given by id. */
  readonly dns?: { readonly name: string; readonly hostedZoneId: string };
}

export interface ExecuteApiVpcEndpointProps {
  /** Region of the endpoint service `com.amazonaws.<region>.execute-api`. */
  readonly region: string;
  readonly vpcId: string;
  /** One subnet per availability zone the callers run in. */
  readonly subnetIds: readonly string[];
  /** IPv4 ranges allowed to reach the endpoint on TCP 443; never 0.0.0.0/0. */
  readonly allowedCidrs: readonly string[];
  /**
   * Accounts whose APIs hosts in the VPC may call through the endpoint (execute-api:Invoke on
   * `arn:<partition>:execute-api:<region>:<account>:*`, which covers their APIs and private domain names).
   * @default the account the endpoint is in, unless allowedApiOrganizationIds is set
   */
  readonly allowedApiAccountIds?: readonly string[];
  /**
   * AWS Organizations whose accounts' APIs hosts may call through the endpoint (aws:ResourceOrgID).
   * @default none
   */
  readonly allowedApiOrganizationIds?: readonly string[];
  /**
   * Name prefix of the security group and the endpoint's Name tag.
   * @default "execute-api"
   */
  readonly name?: string;
}

/**
 * The interface endpoint through which private REST APIs are reached, with private DNS
 * so `<api-id>.execute-api.<region>.amazonaws.com` resolves to it inside the VPC, and a
 * security group of its own that lets only HTTPS in from the listed ranges.
 */
export class ExecuteApiVpcEndpoint extends Construct implements IExecuteApiEndpoint {
  /** An endpoint managed elsewhere, for the private API to bind to. */
  static fromEndpointId(scope: Construct, endpointId: string): IExecuteApiEndpoint {
    checkFormat(scope, "existing execute-api endpoint id", endpointId, formats.vpcEndpointId);
    return { endpointId };
  }

  public readonly endpointId: string;
  public readonly endpointArn: string;
  public readonly dns: { readonly name: string; readonly hostedZoneId: string };
  public readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: ExecuteApiVpcEndpointProps) {
    super(scope, id);
    checkFormat(this, "vpcId", props.vpcId, formats.vpcId);
    checkNotEmpty(this, "subnetIds", props.subnetIds);
    props.subnetIds.forEach((s, i) => checkFormat(this, `subnetIds[${i}]`, s, formats.subnetId));
    checkNotEmpty(this, "allowedCidrs", props.allowedCidrs);
    props.allowedCidrs.forEach((cidr, i) => {
      checkFormat(this, `allowedCidrs[${i}]`, cidr, formats.ipv4Cidr);
      if (!Token.isUnresolved(cidr) && formats.cidrBreadth(cidr) === "open") {
        throw new PropsError(this, `allowedCidrs[${i}]`, `is ${cidr}; the endpoint must not be open to the internet: list the ranges that call the API`);
      }
    });
    (props.allowedApiAccountIds ?? []).forEach((a, i) => checkFormat(this, `allowedApiAccountIds[${i}]`, a, formats.accountId));
    (props.allowedApiOrganizationIds ?? []).forEach((o, i) => checkFormat(this, `allowedApiOrganizationIds[${i}]`, o, formats.organizationId));
    const name = props.name ?? "execute-api";

    // No egress rule: Terraform drops the default allow-all egress of a new group, and an
    // interface endpoint answers on the connections clients open, so it needs none.
    const securityGroup = new SecurityGroup(this, "security-group", {
      namePrefix: `${name}-endpoint-`,
      description: "HTTPS from the allowed ranges to the execute-api VPC endpoint",
      vpcId: props.vpcId,
      tags: { Name: `${name}-endpoint` },
      lifecycle: { createBeforeDestroy: true },
    });
    props.allowedCidrs.forEach((cidr, i) => {
      // Keyed by the range, not its position, so removing one range leaves the others in place.
      const key = Token.isUnresolved(cidr) ? String(i) : cidr.replace(/[./]/g, "-");
      new VpcSecurityGroupIngressRule(this, `https-from-${key}`, {
        securityGroupId: securityGroup.id,
        description: `HTTPS from ${cidr}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    });

    const endpoint = new VpcEndpoint(this, "endpoint", {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${props.region}.execute-api`,
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: [...props.subnetIds],
      securityGroupIds: [securityGroup.id],
      // Without a policy the endpoint lets its hosts call any account's private APIs, a way out of the VPC for data.
      policy: this.endpointPolicy(props),
      tags: { Name: name },
    });

    this.endpointId = endpoint.id;
    // The first entry is the regional name; the others are per availability zone.
    this.dns = { name: endpoint.dnsEntry.get(0).dnsName, hostedZoneId: endpoint.dnsEntry.get(0).hostedZoneId };
    this.endpointArn = endpoint.arn;
    this.securityGroupId = securityGroup.id;
  }

  private endpointPolicy(props: ExecuteApiVpcEndpointProps): string {
    const organizations = props.allowedApiOrganizationIds ?? [];
    const accounts = props.allowedApiAccountIds ?? (organizations.length ? [] : [new DataAwsCallerIdentity(this, "account").accountId]);
    const invoke = { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke" } as const;
    const statements: PolicyStatement[] = [
      ...(accounts.length
        ? [{ Sid: "InvokeApisOfAllowedAccounts", ...invoke, Resource: accounts.map((a) => `arn:${partitionOf(props.region)}:execute-api:${props.region}:${a}:*`) }]
        : []),
      ...(organizations.length ? [{ Sid: "InvokeApisOfAllowedOrganizations", ...invoke, Resource: "*", Condition: { StringEquals: { "aws:ResourceOrgID": [...organizations] } } }] : []),
    ];
    return policyDocument(statements);
  }
}
