import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/schema";
import { ExecuteApiVpcEndpoint, IExecuteApiEndpoint } from "../modules/execute-api-vpc-endpoint";
import { PlatformStack, PlatformStackProps } from "./platform-stack";

export interface EnvironmentStackProps extends Omit<PlatformStackProps, "region" | "accountId" | "tags"> {
  readonly config: EnvironmentConfig;
}

/** One environment's APIs and the network path to them, built from its environment file. */
export class EnvironmentStack extends PlatformStack {
  public readonly endpoint: IExecuteApiEndpoint;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    const { config } = props;
    super(scope, id, {
      region: config.region,
      accountId: config.accountId,
      backend: props.backend,
      tags: { environment: id, ...config.tags },
    });

    const network = config.network;
    this.endpoint =
      "existingVpcEndpointId" in network
        ? ExecuteApiVpcEndpoint.fromEndpointId(this, network.existingVpcEndpointId)
        : new ExecuteApiVpcEndpoint(this, "execute-api-endpoint", { ...network, region: config.region, name: `apigw-${id}` });
    new TerraformOutput(this, "vpc_endpoint_id", { value: this.endpoint.endpointId });
  }
}

