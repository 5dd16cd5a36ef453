import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { partitionOf } from "../config/regions";
import type { EnvironmentConfig } from "../config/schema";
import { bundleFunction } from "../functions/bundle";
import { ExecuteApiVpcEndpoint, IExecuteApiEndpoint } from "../modules/execute-api-vpc-endpoint";
import { ILambdaFunction, LambdaFunction } from "../modules/lambda-function";
import { RestApi } from "../modules/rest-api";
import type { PolicyStatement } from "../modules/shared/iam";
import { PlatformStack, PlatformStackProps } from "./platform-stack";
import { privateApiRoutes } from "./routes";

export interface EnvironmentStackProps extends Omit<PlatformStackProps, "region" | "accountId" | "tags"> {
  readonly config: EnvironmentConfig;
}

/** One environment's APIs and the network path to them, built from its environment file. */
export class EnvironmentStack extends PlatformStack {
  public readonly endpoint: IExecuteApiEndpoint;
  public readonly privateApi: RestApi;

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

    const objectReader = this.objectReader(id, config);
    this.privateApi = new RestApi(this, "private-api", {
      name: `apigw-${id}-private`,
      description: `Private API of ${id}, reachable only through its execute-api VPC endpoint`,
      endpointType: "PRIVATE",
      vpcEndpoints: [this.endpoint],
      allowedSourceVpcIds: config.privateApi.allowedSourceVpcIds,
      routes: privateApiRoutes({ objectReader }),
      stage: {
        stageName: config.privateApi.stageName ?? id,
        logRetentionDays: config.logging.retentionDays,
        loggingLevel: config.logging.executionLogLevel,
        throttling: config.throttling,
        cacheClusterSize: config.privateApi.cacheClusterSize,
      },
    });

    new TerraformOutput(this, "vpc_endpoint_id", { value: this.endpoint.endpointId });
    new TerraformOutput(this, "private_api_id", { value: this.privateApi.apiId });
    new TerraformOutput(this, "private_api_execution_arn", { value: this.privateApi.executionArn });
    new TerraformOutput(this, "private_api_invoke_url", {
      value: this.privateApi.invokeUrl,
      description: "Resolves inside the VPC, through the endpoint's private DNS",
    });
    new TerraformOutput(this, "private_api_endpoint_invoke_urls", {
      value: this.privateApi.endpointInvokeUrls,
      description: "Per-endpoint URLs that work without private DNS",
    });
    new TerraformOutput(this, "object_reader_function_name", { value: objectReader.functionName });
  }

  private objectReader(id: string, config: EnvironmentConfig): ILambdaFunction {
    const reader = config.privateApi.objectReader;
    if ("existingFunctionArn" in reader) return LambdaFunction.fromFunctionArn(this, reader.existingFunctionArn);
    const partition = partitionOf(config.region);
    const statements: PolicyStatement[] = [
      { Sid: "ReadObjects", Effect: "Allow", Action: "s3:GetObject", Resource: `arn:${partition}:s3:::${reader.bucketName}/*` },
    ];
    if (reader.kmsKeyArn) {
      statements.push({
        Sid: "DecryptObjectsThroughS3",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: reader.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `s3.${config.region}.amazonaws.com` } },
      });
    }
    return new LambdaFunction(this, "object-reader", {
      functionName: `apigw-${id}-object-reader`,
      description: "Returns an object of the environment's bucket by key",
      bundle: bundleFunction("object-reader"),
      logRetentionDays: config.logging.retentionDays,
      environment: { BUCKET_NAME: reader.bucketName },
      policyStatements: statements,
    });
  }
}
