/** The account-level and VPC-endpoint stacks, one per account and one per VPC as in the CDKTF app. */
import { Stack, StackProps, aws_apigateway as apigw, aws_ec2 as ec2, aws_iam as iam } from "aws-cdk-lib";
import { Construct } from "constructs";

/** API Gateway's account settings: the role it writes CloudWatch logs with (one per account and region). */
export class AccountStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const role = new iam.Role(this, "cloudwatch-role", {
      roleName: "apigw-cloudwatch-logs",
      assumedBy: new iam.ServicePrincipal("apigateway.amazonaws.com"),
      description: "API Gateway writes execution and access logs of every API in this account and region",
    });
    // Least privilege in place of the managed AmazonAPIGatewayPushToCloudWatchLogs policy.
    role.attachInlinePolicy(
      new iam.Policy(this, "cloudwatch-role-policy", {
        policyName: "push-to-cloudwatch-logs",
        statements: [
          new iam.PolicyStatement({
            actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents"],
            resources: [`arn:${this.partition}:logs:${this.region}:${this.account}:log-group:*`],
          }),
        ],
      }),
    );
    new apigw.CfnAccount(this, "account", { cloudWatchRoleArn: role.roleArn });
  }
}

export interface EndpointStackProps extends StackProps {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly allowedCidrs: readonly string[];
}

/** The execute-api interface endpoint of one VPC, shared by the private APIs of that VPC. */
export class EndpointStack extends Stack {
  readonly endpoint: ec2.InterfaceVpcEndpoint;

  constructor(scope: Construct, id: string, props: EndpointStackProps) {
    super(scope, id, props);
    const azs = props.subnetIds.map((_, i) => `${this.region}${"abc"[i]}`);
    // From attributes: no lookup, no account needed at synth.
    const vpc = ec2.Vpc.fromVpcAttributes(this, "vpc", { vpcId: props.vpcId, availabilityZones: azs, privateSubnetIds: [...props.subnetIds] });
    const securityGroup = new ec2.SecurityGroup(this, "security-group", {
      vpc,
      description: `HTTPS to execute-api from ${props.allowedCidrs.join(", ")}`,
      allowAllOutbound: false,
    });
    for (const cidr of props.allowedCidrs) securityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), `HTTPS from ${cidr}`);
    this.endpoint = new ec2.InterfaceVpcEndpoint(this, "endpoint", {
      vpc,
      service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
      subnets: { subnets: props.subnetIds.map((s, i) => ec2.Subnet.fromSubnetAttributes(this, `subnet-${i}`, { subnetId: s, availabilityZone: azs[i] })) },
      securityGroups: [securityGroup],
      privateDnsEnabled: true,
      open: false,
    });
  }
}
