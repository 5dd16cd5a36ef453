import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { partitionOf } from "../config/regions";
import type { EnvironmentConfig } from "../config/schema";
import { bundleFunction } from "../functions/bundle";
import { ApiCustomDomain, DomainEndpointType, DomainMapping } from "../modules/api-custom-domain";
import { ExecuteApiVpcEndpoint, IExecuteApiEndpoint } from "../modules/execute-api-vpc-endpoint";
import { ILambdaFunction, LambdaFunction } from "../modules/lambda-function";
import { HttpApi } from "../modules/http-api";
import { RestApi } from "../modules/rest-api";
import type { PolicyStatement } from "../modules/shared/iam";
import { UsagePlan } from "../modules/usage-plan";
import { PlatformStack, PlatformStackProps } from "./platform-stack";
import { httpApiRoutes, privateApiRoutes, publicApiRoutes } from "./routes";

export interface EnvironmentStackProps extends Omit<PlatformStackProps, "region" | "accountId" | "tags"> {
  readonly config: EnvironmentConfig;
}

/** One environment's APIs and the network path to them, built from its environment file. */
export class EnvironmentStack extends PlatformStack {
  public readonly endpoint: IExecuteApiEndpoint;
  public readonly privateApi: RestApi;
  public readonly publicApi: RestApi;
  public readonly httpApi: HttpApi;

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

    const logRetentionDays = config.logging.retentionDays;
    const hello = bundleFunction("hello");
    const lambda = (name: string, description: string, bundle = bundleFunction(name), handler?: string) =>
      new LambdaFunction(this, name, { functionName: `apigw-${id}-${name}`, description, bundle, handler, logRetentionDays });
    this.publicApi = new RestApi(this, "public-api", {
      name: `apigw-${id}-public`,
      description: `Public API of ${id}; every method needs an API key`,
      endpointType: config.publicApi.endpointType,
      webAclArn: config.publicApi.webAclArn,
      routes: publicApiRoutes({
        helloGet: lambda("hello-get", "GET /hello", hello, "index.get"),
        helloPost: lambda("hello-post", "POST /hello", hello, "index.post"),
        users: lambda("users", "The /users resource"),
      }),
      stage: {
        stageName: config.publicApi.stageName ?? id,
        logRetentionDays,
        loggingLevel: config.logging.executionLogLevel,
        throttling: config.throttling,
      },
    });
    const usagePlan = new UsagePlan(this, "public-api-usage-plan", {
      api: this.publicApi,
      throttling: config.publicApi.usagePlanThrottling ?? config.throttling,
      quota: config.quota,
      apiKeyNames: config.publicApi.apiKeyNames,
    });

    this.httpApi = new HttpApi(this, "http-api", {
      name: `apigw-${id}-http`,
      description: `HTTP API of ${id}; every route needs a JWT from ${config.jwt.issuer}`,
      authorizer: { issuer: config.jwt.issuer, audiences: config.jwt.audiences },
      routes: httpApiRoutes(
        { orders: lambda("orders", "The /orders routes"), products: lambda("products", "GET /products") },
        config.httpApi.routeScopes,
      ),
      logRetentionDays,
      throttling: config.throttling,
      cors: config.httpApi.cors,
      disableExecuteApiEndpoint: config.httpApi.disableExecuteApiEndpoint,
    });

    this.customDomain(config, "public-api-domain", "publicApi", config.publicApi.endpointType, this.publicApi);
    this.customDomain(config, "http-api-domain", "httpApi", "REGIONAL", this.httpApi);
    this.customDomain(config, "private-api-domain", "privateApi", "PRIVATE", this.privateApi);

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
    new TerraformOutput(this, "public_api_id", { value: this.publicApi.apiId });
    new TerraformOutput(this, "public_api_invoke_url", { value: this.publicApi.invokeUrl });
    new TerraformOutput(this, "public_api_key_ids", {
      value: usagePlan.apiKeyIds,
      description: "aws apigateway get-api-key --include-value --api-key <id> reads a key's value",
    });
    new TerraformOutput(this, "http_api_id", { value: this.httpApi.apiId });
    new TerraformOutput(this, "http_api_endpoint", { value: this.httpApi.apiEndpoint });
  }

  /** The API's custom domain, when the environment file names one; outputs its URL. */
  private customDomain(config: EnvironmentConfig, id: string, api: keyof EnvironmentConfig["customDomains"], endpointType: DomainEndpointType, target: DomainMapping["api"]): void {
    const domain = config.customDomains[api];
    const zone = endpointType === "PRIVATE" ? config.dns.privateZone : config.dns.publicZone;
    // The schema refuses a domain without its zone.
    if (!domain || !zone) return;
    new ApiCustomDomain(this, id, {
      domainName: domain.domainName,
      endpointType,
      hostedZone: { zoneId: zone.id, zoneName: zone.name },
      ...("validationZone" in domain && domain.validationZone ? { validationZone: { zoneId: domain.validationZone.id, zoneName: domain.validationZone.name } } : {}),
      region: config.region,
      certificateArn: domain.certificateArn,
      mappings: [{ api: target, basePath: domain.basePath }],
      ...(endpointType === "PRIVATE" ? { vpcEndpoint: this.endpoint } : {}),
    });
    new TerraformOutput(this, `${id.replace(/-/g, "_")}_url`, { value: `https://${domain.domainName}/${domain.basePath ?? ""}` });
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
