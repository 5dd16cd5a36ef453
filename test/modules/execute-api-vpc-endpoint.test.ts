import { Fn, TerraformOutput, TerraformVariable } from "cdktf";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { ExecuteApiVpcEndpoint, ExecuteApiVpcEndpointProps } from "../../modules/execute-api-vpc-endpoint";
import { nameOf, resourcesOf, synthConstruct, synthesize, testStack } from "../fixtures/environment";

const PROPS: ExecuteApiVpcEndpointProps = {
  region: "eu-west-1",
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0123456789abcdef1", "subnet-0123456789abcdef2"],
  allowedCidrs: ["10.0.0.0/16", "192.168.0.0/24"],
};

describe("ExecuteApiVpcEndpoint", () => {
  test("default", () => {
    const synthesized = synthConstruct((scope) => new ExecuteApiVpcEndpoint(scope, "endpoint", PROPS));
    expect(JSON.stringify(synthesized)).toHaveResourceWithProperties(VpcEndpoint, {
      service_name: "com.amazonaws.eu-west-1.execute-api",
      vpc_endpoint_type: "Interface",
      private_dns_enabled: true,
      vpc_id: PROPS.vpcId,
      subnet_ids: PROPS.subnetIds,
      security_group_ids: [`\${aws_security_group.${nameOf(synthesized, "aws_security_group")}.id}`],
    });
    const groups = Object.values(resourcesOf(synthesized, "aws_security_group"));
    expect(groups).toHaveLength(1);
    expect(groups[0]).not.toHaveProperty("ingress");
    expect(groups[0]).not.toHaveProperty("egress");
  });

  test("lets its hosts invoke only the APIs of its own account", () => {
    const synthesized = synthConstruct((scope) => new ExecuteApiVpcEndpoint(scope, "endpoint", PROPS));
    const endpoint = resourcesOf(synthesized, "aws_vpc_endpoint")[nameOf(synthesized, "aws_vpc_endpoint")];
    const identity = Object.keys(synthesized.data.aws_caller_identity)[0];
    expect(JSON.parse(endpoint.policy).Statement).toEqual([
      { Sid: "InvokeApisOfAllowedAccounts", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: [`arn:aws:execute-api:eu-west-1:\${data.aws_caller_identity.${identity}.account_id}:*`] },
    ]);
  });

  test("lets its hosts invoke the APIs of the listed accounts and organizations", () => {
    const synthesized = synthConstruct((scope) => new ExecuteApiVpcEndpoint(scope, "endpoint", { ...PROPS, allowedApiAccountIds: ["111111111111"], allowedApiOrganizationIds: ["o-a1b2c3d4e5"] }));
    const endpoint = resourcesOf(synthesized, "aws_vpc_endpoint")[nameOf(synthesized, "aws_vpc_endpoint")];
    expect(JSON.parse(endpoint.policy).Statement).toEqual([
      { Sid: "InvokeApisOfAllowedAccounts", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: ["arn:aws:execute-api:eu-west-1:111111111111:*"] },
      { Sid: "InvokeApisOfAllowedOrganizations", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "*", Condition: { StringEquals: { "aws:ResourceOrgID": ["o-a1b2c3d4e5"] } } },
    ]);
    expect(synthesized.data?.aws_caller_identity).toBeUndefined();
  });

  test("lets in only TCP 443 from each allowed range, and nothing else", () => {
    const synthesized = synthConstruct((scope) => new ExecuteApiVpcEndpoint(scope, "endpoint", PROPS));
    const ingress = Object.values(resourcesOf(synthesized, "aws_vpc_security_group_ingress_rule"));
    expect(ingress.map((rule) => [rule.cidr_ipv4, rule.ip_protocol, rule.from_port, rule.to_port])).toEqual([
      ["10.0.0.0/16", "tcp", 443, 443],
      ["192.168.0.0/24", "tcp", 443, 443],
    ]);
    expect(resourcesOf(synthesized, "aws_vpc_security_group_egress_rule")).toEqual({});
    expect(resourcesOf(synthesized, "aws_security_group_rule")).toEqual({});
  });

  test("names each ingress rule after its range, so removing one leaves the others in place", () => {
    const names = (cidrs: string[]) =>
      Object.keys(resourcesOf(synthConstruct((scope) => new ExecuteApiVpcEndpoint(scope, "endpoint", { ...PROPS, allowedCidrs: cidrs })), "aws_vpc_security_group_ingress_rule"));
    const [, second] = names(["10.0.0.0/16", "192.168.0.0/24"]);
    expect(names(["192.168.0.0/24"])).toEqual([second]);
  });

  test("exposes the endpoint and security group ids", () => {
    const synthesized = synthConstruct((scope) => {
      const endpoint = new ExecuteApiVpcEndpoint(scope, "endpoint", PROPS);
      new TerraformOutput(scope, "endpoint_id", { value: endpoint.endpointId });
      new TerraformOutput(scope, "security_group_id", { value: endpoint.securityGroupId });
    });
    expect(synthesized.output).toEqual({
      endpoint_id: { value: `\${aws_vpc_endpoint.${nameOf(synthesized, "aws_vpc_endpoint")}.id}` },
      security_group_id: { value: `\${aws_security_group.${nameOf(synthesized, "aws_security_group")}.id}` },
    });
  });

  test("accepts unresolved values", () => {
    const stack = testStack();
    const vpc = new TerraformVariable(stack, "vpc_id", { type: "string" });
    const cidrs = new TerraformVariable(stack, "cidrs", { type: "list(string)" });
    expect(() => new ExecuteApiVpcEndpoint(stack, "endpoint", { ...PROPS, vpcId: vpc.stringValue, allowedCidrs: [Fn.element(cidrs.listValue, 0)] })).not.toThrow();
    expect(() => synthesize(stack)).not.toThrow();
  });

  test.each<[string, Partial<ExecuteApiVpcEndpointProps>, string]>([
    ["the VPC id is malformed", { vpcId: "vpc-123" }, 'test/endpoint: vpcId is "vpc-123"; expected a VPC id: vpc- and 8 or 17 hex digits'],
    ["there is no subnet", { subnetIds: [] }, "test/endpoint: subnetIds is empty; at least one value is required"],
    ["a subnet id is malformed", { subnetIds: ["subnet-0123456789abcdef1", "sn-1"] }, 'test/endpoint: subnetIds[1] is "sn-1"; expected a subnet id: subnet- and 8 or 17 hex digits'],
    ["there is no allowed range", { allowedCidrs: [] }, "test/endpoint: allowedCidrs is empty; at least one value is required"],
    ["a range is not a CIDR", { allowedCidrs: ["10.0.0.0/33"] }, 'test/endpoint: allowedCidrs[0] is "10.0.0.0/33"; expected an IPv4 CIDR block a.b.c.d/n (each octet 0-255, n 0-32, no host bits set)'],
    ["a range is half the internet", { allowedCidrs: ["128.0.0.0/1"] }, "test/endpoint: allowedCidrs[0] is 128.0.0.0/1; the endpoint must not be open to the internet"],
    ["a range is the whole internet", { allowedCidrs: ["0.0.0.0/0"] }, "test/endpoint: allowedCidrs[0] is 0.0.0.0/0; the endpoint must not be open to the internet: list the ranges that call the API"],
  ])("fails if %s", (_name, overrides, message) => {
    const stack = testStack();
    expect(() => new ExecuteApiVpcEndpoint(stack, "endpoint", { ...PROPS, ...overrides })).toThrow(message);
  });
});

describe("ExecuteApiVpcEndpoint.fromEndpointId", () => {
  test("default", () => {
    const stack = testStack();
    expect(ExecuteApiVpcEndpoint.fromEndpointId(stack, "vpce-0123456789abcdef0")).toEqual({ endpointId: "vpce-0123456789abcdef0" });
    expect(synthesize(stack).resource).toBeUndefined();
  });

  test("fails if the id is malformed", () => {
    const stack = testStack();
    expect(() => ExecuteApiVpcEndpoint.fromEndpointId(stack, "vpc-0123")).toThrow(
      'test: existing execute-api endpoint id is "vpc-0123"; expected a VPC endpoint id: vpce- and 8 or 17 hex digits',
    );
  });
});
