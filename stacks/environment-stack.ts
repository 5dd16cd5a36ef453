import { Annotations, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { dnsSuffixOf, partitionOf } from "../config/regions";
import { ConfigError } from "../config/errors";
import { BINDINGS_PROVIDER_VERSION, EnvironmentConfig } from "../config/schema";
import { readTruststore } from "../config/truststore";
import { bundleFunction, FunctionBundle } from "../functions/bundle";
import { ApiCustomDomain, DomainEndpointType, DomainMapping, VALIDATION_RECORD_ID } from "../modules/api-custom-domain";
import { ApiGatewayAccountCheck } from "../modules/api-gateway-account-check";
import { ExecuteApiEndpointLookup } from "../modules/execute-api-endpoint-lookup";
import { DataTable } from "../modules/data-table";
import { EventArchive } from "../modules/event-archive";
import { EventStream } from "../modules/event-stream";
import { ExecuteApiVpcEndpoint, IExecuteApiEndpoint } from "../modules/execute-api-vpc-endpoint";
import { ILambdaFunction, LambdaFunction } from "../modules/lambda-function";
import { HttpApi, HttpPrivateBackend } from "../modules/http-api";
import { HttpVpcLink } from "../modules/http-vpc-link";
import { MessageQueue } from "../modules/message-queue";
import { RestApi } from "../modules/rest-api";
import type { RestAuthorizer } from "../modules/shared/rest-authorizers";
import { addressUnder, forgetWithoutDestroying } from "../modules/shared/addresses";
import type { PolicyStatement } from "../modules/shared/iam";
import type { OpenApiServer } from "../modules/shared/openapi";
import { existingQueue, existingTarget, QueueTarget, ServiceTarget } from "../modules/shared/service-integrations";
import { RestVpcLink } from "../modules/rest-vpc-link";
import { MINIMUM_TLS_LOCAL } from "../policy/rules/domains";
import { Truststore, TruststoreBucket, truststoreBucketPrefix } from "../modules/truststore-bucket";
import { UsagePlan } from "../modules/usage-plan";
import type { WebSocketApi } from "../modules/websocket-api";
import { AccountStack } from "./account-stack";
import { monitoring } from "./alarms";
import { EndpointStack } from "./endpoint-stack";
import { FUNCTION_NAMES, functionObservability, reservedConcurrency } from "./function-settings";
import { PlatformStack, PlatformStackProps } from "./platform-stack";
import { httpApiRoutes, OBJECT_MEDIA_TYPE, PublicApiServices, privateApiRoutes, publicApiRoutes } from "./routes";
import { websocketApi } from "./websocket";
import { websocketAsyncApi } from "./websocket-asyncapi";
import { environmentCatalogue, EnvironmentCatalogue } from "./catalogue";

export interface EnvironmentStackProps extends Omit<PlatformStackProps, "region" | "accountId" | "tags"> {
  readonly config: EnvironmentConfig;
}

/** One environment's APIs and the network path to them, built from its environment file. */
export class EnvironmentStack extends PlatformStack {
  public readonly endpoint: IExecuteApiEndpoint;
  public readonly privateApi: RestApi;
  public readonly publicApi: RestApi;
  public readonly httpApi: HttpApi;
  /** With `websocketApi.enabled` in the environment file. */
  public readonly websocketApi?: WebSocketApi;
  /** Each API's client-facing OpenAPI document, by API name; `npm run synth` writes them to `<outdir>/openapi/<stack>/`. */
  public readonly openApiDocuments: Readonly<Record<string, Record<string, unknown>>>;
  /** The WebSocket API's AsyncAPI document, by API name; `npm run synth` writes it to `<outdir>/asyncapi/<stack>/`. */
  public readonly asyncApiDocuments: Readonly<Record<string, Record<string, unknown>>>;
  /** The environment's APIs as `npm run catalogue` lists them; `npm run synth` writes it to `<outdir>/apis/<stack>.json`. */
  public readonly catalogue: EnvironmentCatalogue;

  private readonly projectDir: string;
  private truststores?: TruststoreBucket;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    const { config } = props;
    super(scope, id, {
      region: config.region,
      accountId: config.accountId,
      backend: props.backend,
      layout: props.layout,
      tags: { environment: id, ...config.tags },
    });
    this.projectDir = props.layout.projectDir;
    // The bindings write their own release (6.25.0); a newer pin is what lets the schema accept
    // the settings that release adds, so the stack must be applied with it.
    if (config.providerVersion !== BINDINGS_PROVIDER_VERSION) this.addOverride("terraform.required_providers.aws.version", config.providerVersion);
    // Stated for APIGW-DOMAIN-TLS-MINIMUM, which reads only the JSON; 1.2 is the floor
    // APIGW-DOMAIN-TLS holds every stack to, so the environments that keep it synthesize as before.
    if (config.tls.minimumVersion !== "1.2") this.addOverride(`locals.${MINIMUM_TLS_LOCAL}`, config.tls.minimumVersion);
    // Plain `terraform apply` and VCS-driven runs do not order stacks: fail the plan, not a stage.
    new ApiGatewayAccountCheck(this, "cloudwatch-role-check", AccountStack.cloudWatchRoleCheck(config));

    const network = config.network;
    if ("existingVpcEndpointId" in network) {
      this.endpoint = ExecuteApiVpcEndpoint.fromEndpointId(this, network.existingVpcEndpointId);
    } else {
      this.endpoint = new ExecuteApiEndpointLookup(this, EndpointStack.ENDPOINT_ID, { region: config.region, vpcId: network.vpcId });
      this.forgetOwnEndpoint(network.allowedCidrs);
    }

    const objectReader = this.objectReader(id, config);
    const privateStage = config.privateApi.stageName ?? id;
    const publicStage = config.publicApi.stageName ?? id;
    this.privateApi = new RestApi(this, "private-api", {
      name: `apigw-${id}-private`,
      description: `Private API of ${id}, reachable only through its execute-api VPC endpoint`,
      endpointType: "PRIVATE",
      vpcEndpoints: [this.endpoint],
      allowedSourceVpcIds: config.privateApi.allowedSourceVpcIds,
      allowedPrincipalArns: config.privateApi.allowedPrincipalArns,
      routes: privateApiRoutes({ objectReader }),
      binaryMediaTypes: [OBJECT_MEDIA_TYPE],
      stage: {
        stageName: privateStage,
        logRetentionDays: config.logging.retentionDays,
        loggingLevel: config.logging.executionLogLevel,
        throttling: config.throttling,
        tracing: config.tracing.restStages,
        canary: config.privateApi.canary,
        cacheClusterSize: config.privateApi.cacheClusterSize,
        logKmsKeyArn: config.logging.kmsKeyArn,
      },
    });

    const logRetentionDays = config.logging.retentionDays;
    const kmsKeyArn = config.logging.kmsKeyArn;
    const hello = bundleFunction("hello");
    // Browsers read a Lambda proxy answer only if it carries the allowed origin itself.
    const corsOrigin = config.publicApi.cors ? { CORS_ALLOW_ORIGIN: config.publicApi.cors.allowOrigins[0] } : undefined;
    const lambda = (name: string, description: string, bundle = bundleFunction(name), handler?: string, environment?: Record<string, string>) =>
      new LambdaFunction(this, name, { functionName: `apigw-${id}-${name}`, description, bundle, handler, logRetentionDays, environment, kmsKeyArn, reservedConcurrency: reservedConcurrency(config, name), ...functionObservability(config) });
    const authorizerFunction = this.authorizerFunction(config, lambda);
    // The function may run as long as API Gateway waits for its stream.
    const streamRoute = (timeoutSeconds: number) => ({
      function: new LambdaFunction(this, "stream", { functionName: `apigw-${id}-stream`, description: "GET /stream (response streaming)", bundle: bundleFunction("stream"), handler: "index.handler", timeout: timeoutSeconds, logRetentionDays, environment: corsOrigin, kmsKeyArn, reservedConcurrency: reservedConcurrency(config, "stream") }),
      timeoutMillis: timeoutSeconds * 1000,
    });
    // A custom domain enforces its TLS policy; the default endpoint accepts TLS 1.0, so it is off wherever a domain serves the API.
    const publicEndpointOff = config.publicApi.disableExecuteApiEndpoint ?? config.customDomains.publicApi !== undefined;
    const httpEndpointOff = config.httpApi.disableExecuteApiEndpoint ?? config.customDomains.httpApi !== undefined;
    const publicServices = this.publicApiServices(id, config);
    this.publicApi = new RestApi(this, "public-api", {
      name: `apigw-${id}-public`,
      description: `Public API of ${id}; every method needs an API key`,
      endpointType: config.publicApi.endpointType,
      disableExecuteApiEndpoint: publicEndpointOff,
      ipAddressType: config.publicApi.ipAddressType,
      minimumCompressionSize: config.publicApi.minimumCompressionSize,
      ...(config.publicApi.securityPolicy ? { endpointSecurity: { securityPolicy: config.publicApi.securityPolicy, endpointAccessMode: config.publicApi.endpointAccessMode } } : {}),
      webAclArn: config.publicApi.webAclArn,
      authorizers: Object.fromEntries(
        Object.entries(config.publicApi.authorizers).map(([name, authorizer]): [string, RestAuthorizer] => [
          name,
          // The schema refuses Lambda authorizers without the function (see authorizerFunction).
          authorizer.type === "COGNITO_USER_POOLS" ? authorizer : { ...authorizer, function: authorizerFunction! },
        ]),
      ),
      cors: config.publicApi.cors,
      routes: publicApiRoutes({
        helloGet: lambda("hello-get", "GET /hello", hello, "index.get", corsOrigin),
        helloPost: lambda("hello-post", "POST /hello", hello, "index.post", corsOrigin),
        users: lambda("users", "The /users resource", undefined, undefined, corsOrigin),
      }, (functionArn) => LambdaFunction.fromFunctionArn(this, functionArn), {
        ...publicServices,
        ...(config.publicApi.streaming ? { stream: streamRoute(config.publicApi.streaming.timeoutSeconds) } : {}),
      }, Object.fromEntries(
        // API Gateway checks the scopes of Cognito authorizers; the authorizer function checks the rest (ROUTE_SCOPES).
        Object.entries(config.publicApi.routeAuthorizers).map(([key, use]) => [key, { name: use.authorizer, ...(use.scopes && isCognito(config, use.authorizer) ? { scopes: use.scopes } : {}) }]),
      )),
      stage: {
        stageName: publicStage,
        logRetentionDays,
        loggingLevel: config.logging.executionLogLevel,
        throttling: config.throttling,
        variables: config.publicApi.stageVariables,
        tracing: config.tracing.restStages,
        canary: config.publicApi.canary,
        logKmsKeyArn: kmsKeyArn,
      },
    });
    const perKeyThrottling = config.publicApi.usagePlanThrottling ?? halfOf(config.throttling);
    const usagePlan = new UsagePlan(this, "public-api-usage-plan", {
      api: this.publicApi,
      throttling: perKeyThrottling,
      quota: config.quota,
      apiKeyNames: config.publicApi.apiKeyNames,
    });

    const httpServices = this.httpApiServices(id, config);
    this.httpApi = new HttpApi(this, "http-api", {
      name: `apigw-${id}-http`,
      description: `HTTP API of ${id}; every route needs a JWT from ${config.jwt.issuer}`,
      authorizer: { issuer: config.jwt.issuer, audiences: config.jwt.audiences },
      ...(config.httpApi.lambdaAuthorizer
        ? { lambdaAuthorizer: { function: authorizerFunction!, resultTtlSeconds: config.httpApi.lambdaAuthorizer.resultTtlSeconds, identitySources: config.httpApi.lambdaAuthorizer.identitySources } }
        : {}),
      routes: httpApiRoutes(
        { orders: lambda("orders", "The /orders routes"), products: lambda("products", "GET /products"), ...httpServices },
        config.httpApi.routeScopes,
        config.httpApi.lambdaAuthorizer?.routes,
      ),
      logRetentionDays,
      logKmsKeyArn: kmsKeyArn,
      throttling: config.throttling,
      cors: config.httpApi.cors,
      disableExecuteApiEndpoint: httpEndpointOff,
      ipAddressType: config.httpApi.ipAddressType,
    });

    // The integration's role is the only writer of the stream and queue the stack creates (an
    // existing one keeps the policy its owner gives it).
    const streamWriter = this.publicApi.credentials.get("events-put-record");
    if (publicServices.events instanceof EventStream && streamWriter) publicServices.events.admitOnlyWriter(streamWriter);
    const queueSender = this.httpApi.credentials.get("orders-send-message");
    if (httpServices.ordersQueue instanceof MessageQueue && queueSender) httpServices.ordersQueue.admitOnlySender(queueSender, config.integrations.ordersQueue?.redriveRoleArns);

    this.websocketApi = websocketApi(this, id, config);
    const websocketDomain = this.websocketApi && this.customDomain(config, "websocket-api-domain", "websocketApi", "REGIONAL", this.websocketApi, "wss");

    const publicDomain = this.customDomain(config, "public-api-domain", "publicApi", config.publicApi.endpointType, this.publicApi);
    const httpDomain = this.customDomain(config, "http-api-domain", "httpApi", "REGIONAL", this.httpApi);
    const privateDomain = this.customDomain(config, "private-api-domain", "privateApi", "PRIVATE", this.privateApi);

    // Inside the VPC, private DNS of the execute-api endpoint sends every execute-api name to
    // the endpoint, where public APIs answer 403: there, clients use the custom domains.
    const defaultEndpoint = (output: string, stage: string | undefined, description: string, scheme = "https"): OpenApiServer => ({
      url: `${scheme}://{apiId}.execute-api.${config.region}.${dnsSuffixOf(config.region)}${stage ? `/${stage}` : ""}`,
      description,
      variables: { apiId: { default: "api-id", description: `terraform output -raw ${output}` } },
    });
    const servers = (domain: OpenApiServer | undefined, fallback: OpenApiServer | undefined) => [domain, fallback].filter((s): s is OpenApiServer => s !== undefined);
    const outsideVpc = "The default endpoint, from outside the VPC (inside it, private DNS sends it to the VPC endpoint, which answers 403 for public APIs)";
    this.openApiDocuments = {
      [this.privateApi.name]: this.privateApi.clientDocument(
        servers(privateDomain, defaultEndpoint("private_api_id", privateStage, "From inside the VPC, through the execute-api endpoint's private DNS")),
      ),
      [this.publicApi.name]: this.publicApi.clientDocument(servers(publicDomain, publicEndpointOff ? undefined : defaultEndpoint("public_api_id", publicStage, outsideVpc))),
      [this.httpApi.name]: this.httpApi.clientDocument(servers(httpDomain, httpEndpointOff ? undefined : defaultEndpoint("http_api_id", undefined, outsideVpc))),
    };
    const ws = this.websocketApi;
    const wsServers = ws && { ...(websocketDomain ? { customDomain: websocketDomain } : {}), default: defaultEndpoint("websocket_api_id", ws.stageName, "The default endpoint", "wss") };
    this.asyncApiDocuments = ws && wsServers
      ? { [ws.name]: websocketAsyncApi({ name: ws.name, description: ws.description, servers: wsServers, authorization: config.websocketApi!.authorizer.type === "iam" ? "iam" : "token", issuer: config.jwt.issuer }) }
      : {};
    this.catalogue = environmentCatalogue({
      id,
      config,
      names: { private: this.privateApi.name, public: this.publicApi.name, http: this.httpApi.name },
      privateStage,
      publicStage,
      perKeyThrottling,
      openApiDocuments: this.openApiDocuments,
      ...(ws && wsServers ? { websocket: { name: ws.name, description: ws.description, stage: ws.stageName, servers: [wsServers.customDomain, wsServers.default].filter((s): s is OpenApiServer => s !== undefined) } } : {}),
    });

    monitoring(this, id, config);

    const unknown = Object.keys(config.reservedConcurrency ?? {}).find((name) => name !== "default" && !FUNCTION_NAMES.includes(name));
    if (unknown) throw new ConfigError([`environment ${id}: reservedConcurrency: no function ${JSON.stringify(unknown)}; the functions are ${FUNCTION_NAMES.join(", ")} (and default for the others)`]);

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
    if (!publicEndpointOff) new TerraformOutput(this, "public_api_invoke_url", { value: this.publicApi.invokeUrl });
    new TerraformOutput(this, "public_api_key_ids", {
      value: usagePlan.apiKeyIds,
      description: "aws apigateway get-api-key --include-value --api-key <id> reads a key's value",
    });
    new TerraformOutput(this, "http_api_id", { value: this.httpApi.apiId });
    if (!httpEndpointOff) new TerraformOutput(this, "http_api_endpoint", { value: this.httpApi.apiEndpoint });
  }

  /**
   * Environment stacks used to create the VPC's endpoint themselves. Its state moves to the VPC's
   * endpoint stack (README, "Changing things"); should this stack be applied first, it forgets the
   * endpoint, its security group and rules instead of destroying what the other stack takes over.
   */
  private forgetOwnEndpoint(allowedCidrs: readonly string[]): void {
    const formerIds: [string, string][] = [
      ["aws_vpc_endpoint", "endpoint"],
      ["aws_security_group", "security-group"],
      // Keyed by range, as ExecuteApiVpcEndpoint keys its rules.
      ...allowedCidrs.map((cidr): [string, string] => ["aws_vpc_security_group_ingress_rule", `https-from-${cidr.replace(/[./]/g, "-")}`]),
    ];
    for (const [type, id] of formerIds) forgetWithoutDestroying(this, addressUnder(this, type, EndpointStack.ENDPOINT_ID, id));
  }

  /** The targets the public API's service routes call, created or taken by ARN, as the environment file says. */
  private publicApiServices(id: string, config: EnvironmentConfig): PublicApiServices {
    const { events, usersTable, legacy } = config.integrations;
    const region = config.region;
    let stream: ServiceTarget | undefined;
    if (events) {
      stream = events.existingStreamArn
        ? existingTarget("stream", events.existingStreamArn, events.kmsKeyArn)
        : new EventStream(this, "events-stream", { streamName: `apigw-${id}-events`, region, retentionHours: events.retentionHours, kmsKeyArn: events.kmsKeyArn });
      if (events.archiveBucketName) {
        new EventArchive(this, "events-archive", { name: `apigw-${id}-events`, stream, bucketName: events.archiveBucketName, logRetentionDays: config.logging.retentionDays, logKmsKeyArn: config.logging.kmsKeyArn });
      }
    }
    const table =
      usersTable &&
      (usersTable.existingTableArn
        ? existingTarget("table", usersTable.existingTableArn, usersTable.kmsKeyArn)
        : new DataTable(this, "users-table", { tableName: `apigw-${id}-users`, region, partitionKey: "id", kmsKeyArn: usersTable.kmsKeyArn }));
    const vpcLink = legacy && new RestVpcLink(this, "legacy-vpc-link", { name: `apigw-${id}-legacy`, nlbArn: legacy.nlbArn });
    return { ...(stream ? { events: stream } : {}), ...(table ? { usersTable: table } : {}), ...(vpcLink ? { legacyVpcLinkId: vpcLink.vpcLinkId } : {}) };
  }

  /** The HTTP API's queue and private backend, as the environment file says. */
  private httpApiServices(id: string, config: EnvironmentConfig): { ordersQueue?: QueueTarget; legacy?: HttpPrivateBackend } {
    const { ordersQueue, legacy } = config.integrations;
    const queue =
      ordersQueue &&
      (ordersQueue.existingQueueArn
        ? existingQueue(ordersQueue.existingQueueArn, ordersQueue.kmsKeyArn)
        : new MessageQueue(this, "orders-queue", { queueName: `apigw-${id}-orders`, region: config.region, maxReceiveCount: ordersQueue.maxReceiveCount, kmsKeyArn: ordersQueue.kmsKeyArn }));
    const link = legacy?.httpApi;
    // The schema requires publicApi.stageVariables.legacyHost with integrations.legacy.
    const backend: HttpPrivateBackend | undefined = link && {
      name: "legacy",
      vpcLinkId: new HttpVpcLink(this, "legacy-http-vpc-link", { name: `apigw-${id}-legacy-http`, vpcId: link.vpcId, subnetIds: link.subnetIds, backendCidrs: link.backendCidrs }).vpcLinkId,
      listenerArn: link.listenerArn,
      serverNameToVerify: config.publicApi.stageVariables.legacyHost as string,
      path: "/$request.path.proxy",
    };
    return { ...(queue ? { ordersQueue: queue } : {}), ...(backend ? { legacy: backend } : {}) };
  }

  /** The API's custom domain, when the environment file names one; outputs its URL and returns it as a server. */
  private customDomain(config: EnvironmentConfig, id: string, api: keyof EnvironmentConfig["customDomains"], endpointType: DomainEndpointType, target: DomainMapping["api"], scheme = "https"): OpenApiServer | undefined {
    const domain = config.customDomains[api];
    const zone = endpointType === "PRIVATE" ? config.dns.privateZone : config.dns.publicZone;
    // The schema refuses a domain without its zone.
    if (!domain || !zone) {
      // A certificate this stack created for a domain it had may still renew through its validation record.
      forgetWithoutDestroying(this, addressUnder(this, "aws_route53_record", id, VALIDATION_RECORD_ID));
      return undefined;
    }
    new ApiCustomDomain(this, id, {
      domainName: domain.domainName,
      endpointType,
      hostedZone: { zoneId: zone.id, zoneName: zone.name },
      ...("validationZone" in domain && domain.validationZone ? { validationZone: { zoneId: domain.validationZone.id, zoneName: domain.validationZone.name } } : {}),
      region: config.region,
      certificateArn: domain.certificateArn,
      // With versions, every mapping is keyed by its base path; the current version's takes over the
      // position-keyed mapping the domain had when it served basePath alone.
      // ROUTING_RULE_ONLY reads no mapping, so none is made.
      mappings: domain.versions || domain.routingMode === "ROUTING_RULE_ONLY" ? [] : [{ api: target, basePath: domain.basePath }],
      ...(domain.versions ? { versions: domain.versions.map((v) => ({ api: target as RestApi, basePath: v.basePath })), formerBasePath: domain.basePath } : {}),
      ...(endpointType === "PRIVATE" ? { vpcEndpoint: this.endpoint } : {}),
      ipAddressType: domain.ipAddressType,
      ...(domain.mutualTls ? { mutualTls: this.truststore(api, domain.mutualTls) } : {}),
      // The schema allows routing rules on the public REST API's REGIONAL domain only, in a mode that reads them.
      ...(domain.routingRules && domain.routingMode && domain.routingMode !== "BASE_PATH_MAPPING_ONLY"
        ? { routing: { mode: domain.routingMode, api: target as RestApi, rules: Object.entries(domain.routingRules).map(([name, rule]) => ({ name, ...rule })) } }
        : {}),
      // The schema refuses these below the provider version that knows them, and without each other.
      ...(domain.securityPolicy && domain.securityPolicy !== "TLS_1_2" ? { enhancedSecurity: { securityPolicy: domain.securityPolicy, endpointAccessMode: domain.endpointAccessMode! } } : {}),
    });
    const url = `${scheme}://${domain.domainName}/${domain.basePath ?? ""}`;
    new TerraformOutput(this, `${id.replace(/-/g, "_")}_url`, { value: url });
    if (domain.versions) {
      new TerraformOutput(this, `${id.replace(/-/g, "_")}_versions`, {
        value: Object.fromEntries(domain.versions.map((v) => [v.basePath, { url: `${scheme}://${domain.domainName}/${v.basePath}`, deprecated: v.deprecated }])),
        description: "Each version's URL, and whether it is announced for removal",
      });
    }
    return { url: url.replace(/\/$/, ""), description: "The custom domain" };
  }

  /**
   * The domain's truststore, uploaded from the repository to the stack's truststore bucket (made
   * with the first one). Certificates about to expire are synth warnings.
   */
  private truststore(api: string, settings: { truststore: string; expiryWarningDays: number }): Truststore {
    const setting = `customDomains.${api}.mutualTls.truststore`;
    const file = readTruststore(this.projectDir, setting, settings.truststore, settings.expiryWarningDays);
    for (const warning of file.warnings) Annotations.of(this).addWarning(warning);
    this.truststores ??= new TruststoreBucket(this, "truststores", { bucketPrefix: truststoreBucketPrefix(this.node.id) });
    return this.truststores.add(api, `${api}/${settings.truststore.split("/").pop()}`, file.pem);
  }

  /**
   * The JWT authorizer function, when a Lambda authorizer is configured: it accepts tokens of the
   * environment's issuer (`jwt`), as the HTTP API's JWT authorizer does.
   */
  private authorizerFunction(config: EnvironmentConfig, lambda: (name: string, description: string, bundle?: FunctionBundle, handler?: string, environment?: Record<string, string>) => ILambdaFunction): ILambdaFunction | undefined {
    const used = config.httpApi.lambdaAuthorizer || Object.values(config.publicApi.authorizers).some((a) => a.type !== "COGNITO_USER_POOLS");
    if (!used) return undefined;
    return lambda("authorizer", `Lambda authorizer: bearer JWTs of ${config.jwt.issuer}`, bundleFunction("authorizer"), undefined, {
      JWT_ISSUER: config.jwt.issuer,
      JWT_AUDIENCES: config.jwt.audiences.join(","),
      // Every REST route the function fronts, [] where any access token will do: it denies a route it does not find.
      ROUTE_SCOPES: JSON.stringify(
        Object.fromEntries(Object.entries(config.publicApi.routeAuthorizers).filter(([, use]) => !isCognito(config, use.authorizer)).map(([key, use]) => [key, use.scopes ?? []])),
      ),
      // The same for the HTTP API's Lambda routes: API Gateway checks scopes of JWT routes only.
      ...(config.httpApi.lambdaAuthorizer
        ? { HTTP_ROUTE_SCOPES: JSON.stringify(Object.fromEntries(config.httpApi.lambdaAuthorizer.routes.map((key) => [key, config.httpApi.routeScopes[key] ?? []]))) }
        : {}),
    });
  }

  private objectReader(id: string, config: EnvironmentConfig): ILambdaFunction {
    const reader = config.privateApi.objectReader;
    if ("existingFunctionArn" in reader) return LambdaFunction.fromFunctionArn(this, reader.existingFunctionArn);
    const partition = partitionOf(config.region);
    const statements: PolicyStatement[] = [
      { Sid: "ReadObjects", Effect: "Allow", Action: "s3:GetObject", Resource: `arn:${partition}:s3:::${reader.bucketName}/${reader.keyPrefix ?? ""}*` },
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
      kmsKeyArn: config.logging.kmsKeyArn,
      reservedConcurrency: reservedConcurrency(config, "object-reader"),
      ...functionObservability(config),
      environment: { BUCKET_NAME: reader.bucketName, ...(reader.keyPrefix ? { KEY_PREFIX: reader.keyPrefix } : {}) },
      policyStatements: statements,
    });
  }
}

/** Each API key's default share of the stage: half its rate and burst, so no one key can take it all. */
function halfOf(throttling: EnvironmentConfig["throttling"]): EnvironmentConfig["throttling"] {
  return { rateLimit: throttling.rateLimit / 2, burstLimit: Math.max(1, Math.floor(throttling.burstLimit / 2)) };
}

const isCognito = (config: EnvironmentConfig, authorizer: string) => config.publicApi.authorizers[authorizer]?.type === "COGNITO_USER_POOLS";
