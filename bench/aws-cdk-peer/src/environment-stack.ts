/**
 * One environment (dev, staging or prod) as one CloudFormation stack: the four APIs, their
 * functions, integration targets, custom domains, logs and alarms. Shaped by the CDKTF project's
 * environment file; see README.md for what it models and omits.
 */
import * as path from "path";
import {
  Duration,
  Fn,
  RemovalPolicy,
  Size,
  Stack,
  StackProps,
  aws_apigateway as apigw,
  aws_apigatewayv2 as apigwv2,
  aws_apigatewayv2_authorizers as v2auth,
  aws_apigatewayv2_integrations as v2int,
  aws_certificatemanager as acm,
  aws_cloudwatch as cw,
  aws_cloudwatch_actions as cwActions,
  aws_cognito as cognito,
  aws_dynamodb as dynamodb,
  aws_ec2 as ec2,
  aws_elasticloadbalancingv2 as elbv2,
  aws_iam as iam,
  aws_kinesis as kinesis,
  aws_kinesisfirehose as firehose,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_route53 as route53,
  aws_route53_targets as targets,
  aws_s3 as s3,
  aws_sns as sns,
  aws_sns_subscriptions as subs,
  aws_sqs as sqs,
  aws_wafv2 as wafv2,
} from "aws-cdk-lib";
import { Construct } from "constructs";
import type { EnvConfig } from "./config";

export interface EnvironmentStackProps extends StackProps {
  readonly envName: string;
  readonly config: EnvConfig;
  /** The project whose functions/ directories are the Lambda assets. */
  readonly projectDir: string;
  /** The execute-api endpoint of the environment's VPC (its own stack). */
  readonly vpcEndpoint: ec2.IInterfaceVpcEndpoint;
  /** The endpoint's DNS names (for the private domain's alias). */
  readonly vpcEndpointDnsEntries: string[];
}

interface FunctionSpec {
  readonly name: string;
  readonly dir: string;
  readonly handler: string;
  readonly description: string;
  readonly timeoutSeconds?: number;
  readonly memory?: number;
  readonly environment?: Record<string, string>;
}

interface ApiAlarmSpec {
  readonly name: string;
  readonly dimensions: Record<string, string>;
  readonly latencyMetric: string;
  readonly integrationLatencyMetric: string;
  readonly fourxx: string;
  readonly fivexx: string;
  readonly accessLogs: logs.ILogGroup;
  readonly extra?: cw.IAlarm[];
}

const REST_ACCESS_LOG_FIELDS = {
  requestId: "$context.requestId",
  extendedRequestId: "$context.extendedRequestId",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  httpMethod: "$context.httpMethod",
  path: "$context.path",
  resourcePath: "$context.resourcePath",
  status: "$context.status",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationLatency: "$context.integrationLatency",
  integrationStatus: "$context.integration.status",
  integrationError: "$context.integration.error",
  authorizerError: "$context.authorizer.error",
  wafError: "$context.waf.error",
  apiKeyId: "$context.identity.apiKeyId",
  caller: "$context.identity.caller",
  userArn: "$context.identity.userArn",
  principalId: "$context.authorizer.principalId",
  sub: "$context.authorizer.claims.sub",
};
const V2_ACCESS_LOG_FIELDS = {
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  routeKey: "$context.routeKey",
  status: "$context.status",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationLatency: "$context.integrationLatency",
  integrationError: "$context.integrationErrorMessage",
  authorizerError: "$context.authorizer.error",
};

/** What the WebSocket functions do with the connections table. */
const CONNECTION_OPS = ["GetItem", "PutItem", "DeleteItem", "Query"].map((o) => o as dynamodb.Operation);

export class EnvironmentStack extends Stack {
  private readonly envName: string;
  private readonly cfg: EnvConfig;
  private readonly retention: logs.RetentionDays;
  private readonly logKey?: kms.IKey;
  private readonly alarmTopic: sns.Topic;
  private readonly alarmAction: cwActions.SnsAction;
  private readonly dashboardWidgets: cw.IWidget[] = [];
  private readonly projectDir: string;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id, props);
    this.envName = props.envName;
    this.cfg = props.config;
    this.projectDir = props.projectDir;
    const cfg = this.cfg;
    const prefix = `apigw-${this.envName}`;
    this.retention = cfg.logging.retentionDays as logs.RetentionDays;
    this.logKey = cfg.logging.kmsKeyArn ? kms.Key.fromKeyArn(this, "log-key", cfg.logging.kmsKeyArn) : undefined;

    // ---- Alarm topic (encrypted, its own key) ----
    const topicKey = new kms.Key(this, "alarm-topic-key", {
      description: `${prefix} alarm topic`,
      enableKeyRotation: true,
      alias: `alias/${prefix}-alarms`,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    topicKey.grantEncryptDecrypt(new iam.ServicePrincipal("cloudwatch.amazonaws.com"));
    this.alarmTopic = new sns.Topic(this, "alarm-topic", { topicName: `${prefix}-alarms`, masterKey: topicKey, enforceSSL: true });
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["sns:Publish"],
        resources: [this.alarmTopic.topicArn],
        conditions: { StringEquals: { "aws:SourceAccount": this.account } },
      }),
    );
    for (const sub of cfg.alarms?.subscriptions ?? []) {
      if (sub.email) this.alarmTopic.addSubscription(new subs.EmailSubscription(sub.email));
      if (sub.https) this.alarmTopic.addSubscription(new subs.UrlSubscription(sub.https, { protocol: sns.SubscriptionProtocol.HTTPS }));
    }
    this.alarmAction = new cwActions.SnsAction(this.alarmTopic);

    // ---- Integration targets: Kinesis -> Firehose -> S3, SQS with dead letters, DynamoDB ----
    const integrations = cfg.integrations ?? {};
    let eventsStream: kinesis.Stream | undefined;
    if (integrations.events) {
      const ev = integrations.events;
      const streamKey = ev.kmsKeyArn ? kms.Key.fromKeyArn(this, "events-key", ev.kmsKeyArn) : undefined;
      eventsStream = new kinesis.Stream(this, "events-stream", {
        streamName: `${prefix}-events`,
        streamMode: kinesis.StreamMode.ON_DEMAND,
        retentionPeriod: Duration.hours(ev.retentionHours ?? 24),
        encryption: streamKey ? kinesis.StreamEncryption.KMS : kinesis.StreamEncryption.MANAGED,
        encryptionKey: streamKey,
      });
      new kinesis.CfnResourcePolicy(this, "events-stream-policy", {
        resourceArn: eventsStream.streamArn,
        resourcePolicy: {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "kinesis:*",
              Resource: eventsStream.streamArn,
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        },
      });
      const archiveKey = new kms.Key(this, "events-archive-key", { description: `${prefix} events archive`, enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
      const archiveBucket = new s3.Bucket(this, "events-archive-bucket", {
        bucketName: ev.archiveBucketName,
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: archiveKey,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforceSSL: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const deliveryLogs = new logs.LogGroup(this, "events-archive-logs", {
        logGroupName: `/aws/kinesisfirehose/${prefix}-events-archive`,
        retention: this.retention,
        encryptionKey: this.logKey,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const delivery = new firehose.DeliveryStream(this, "events-archive", {
        deliveryStreamName: `${prefix}-events-archive`,
        source: new firehose.KinesisStreamSource(eventsStream),
        destination: new firehose.S3Bucket(archiveBucket, {
          dataOutputPrefix: "events/!{timestamp:yyyy/MM/dd}/",
          errorOutputPrefix: "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/",
          bufferingInterval: Duration.minutes(5),
          encryptionKey: archiveKey,
          loggingConfig: new firehose.EnableLogging(deliveryLogs),
        }),
      });
      this.alarm("events-archive-delivery-failures", "Firehose could not deliver events to the archive bucket", delivery.metric("DeliveryToS3.DataFreshness", { statistic: "Maximum", period: Duration.minutes(5) }), 900, 1);
      this.alarm("events-stream-iterator-age", "The archive falls behind the events stream", eventsStream.metricGetRecordsIteratorAgeMilliseconds({ statistic: "Maximum", period: Duration.minutes(5) }), 3_600_000, 3);
      this.alarm("events-stream-write-throttles", "Writes to the events stream are throttled", eventsStream.metricPutRecordsThrottledRecords({ statistic: "Sum", period: Duration.minutes(5) }), 1, 1);
    }

    let ordersQueue: sqs.Queue | undefined;
    if (integrations.ordersQueue) {
      const q = integrations.ordersQueue;
      const queueKey = q.kmsKeyArn ? kms.Key.fromKeyArn(this, "orders-queue-key", q.kmsKeyArn) : undefined;
      const encryption = queueKey ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: queueKey } : { encryption: sqs.QueueEncryption.SQS_MANAGED };
      const deadLetters = new sqs.Queue(this, "orders-queue-dead-letters", { queueName: `${prefix}-orders-dead-letters`, retentionPeriod: Duration.days(14), enforceSSL: true, ...encryption });
      ordersQueue = new sqs.Queue(this, "orders-queue", {
        queueName: `${prefix}-orders`,
        visibilityTimeout: Duration.seconds(60),
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: q.maxReceiveCount ?? 5 },
        enforceSSL: true,
        ...encryption,
      });
      for (const arn of q.redriveRoleArns ?? []) {
        deadLetters.grantConsumeMessages(iam.Role.fromRoleArn(this, `redrive-${arn.split("/").pop()}`, arn, { mutable: false }));
        ordersQueue.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(arn)], actions: ["sqs:SendMessage"], resources: [ordersQueue.queueArn] }));
      }
      this.alarm("orders-queue-dead-letters", "Orders reached the dead-letter queue", deadLetters.metricApproximateNumberOfMessagesVisible({ statistic: "Maximum", period: Duration.minutes(5) }), 1, 1);
      this.alarm("orders-queue-oldest-message", "Orders wait in the queue for more than 15 minutes", ordersQueue.metricApproximateAgeOfOldestMessage({ statistic: "Maximum", period: Duration.minutes(5) }), 900, 3);
    }

    let usersTable: dynamodb.TableV2 | undefined;
    if (integrations.usersTable) {
      usersTable = new dynamodb.TableV2(this, "users-table", {
        tableName: `${prefix}-users`,
        partitionKey: { name: "id", type: dynamodb.AttributeType.STRING },
        billing: dynamodb.Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: this.envName === "prod",
      });
    }

    const connectionsTable = new dynamodb.TableV2(this, "websocket-connections", {
      tableName: `${prefix}-websocket-connections`,
      partitionKey: { name: "connectionId", type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      timeToLiveAttribute: "expiresAt",
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      globalSecondaryIndexes: [{ indexName: "byTopic", partitionKey: { name: "topic", type: dynamodb.AttributeType.STRING } }],
    });
    this.alarm("websocket-connections-system-errors", "DynamoDB system errors on the connections table", connectionsTable.metricSystemErrorsForOperations({ operations: CONNECTION_OPS, period: Duration.minutes(5) }), 1, 1);
    this.alarm("websocket-connections-throttles", "Throttled requests on the connections table", connectionsTable.metricThrottledRequestsForOperations({ operations: CONNECTION_OPS, period: Duration.minutes(5) }), 1, 1);

    // ---- Functions ----
    const corsOrigin = { CORS_ORIGIN: (cfg.publicApi.cors?.allowOrigins ?? ["*"])[0] };
    const fn = (spec: FunctionSpec) => this.lambdaFunction(spec);
    const authorizerFn = fn({ name: "authorizer", dir: "authorizer", handler: "index.handler", description: "JWT authorizer of the REST and HTTP APIs", environment: { ISSUER: cfg.jwt.issuer, AUDIENCES: cfg.jwt.audiences.join(",") } });
    const helloGet = fn({ name: "hello-get", dir: "hello", handler: "index.get", description: "GET /hello", environment: corsOrigin });
    const helloPost = fn({ name: "hello-post", dir: "hello", handler: "index.post", description: "POST /hello", environment: corsOrigin });
    const users = fn({ name: "users", dir: "users", handler: "index.handler", description: "The /users routes", environment: corsOrigin });
    const orders = fn({ name: "orders", dir: "orders", handler: "index.handler", description: "The /orders routes" });
    const products = fn({ name: "products", dir: "products", handler: "index.handler", description: "GET /products" });
    const reader = cfg.privateApi.objectReader;
    const objectReader = fn({ name: "object-reader", dir: "object-reader", handler: "index.handler", description: "GET /files/{key}", memory: 512, environment: { BUCKET: reader.bucketName, KEY_PREFIX: reader.keyPrefix } });
    const filesBucket = s3.Bucket.fromBucketName(this, "files-bucket", reader.bucketName);
    filesBucket.grantRead(objectReader, `${reader.keyPrefix}*`);
    if (reader.kmsKeyArn) kms.Key.fromKeyArn(this, "files-key", reader.kmsKeyArn).grantDecrypt(objectReader);
    const stream = cfg.publicApi.streaming
      ? fn({ name: "stream", dir: "stream", handler: "index.stream", description: "GET /stream (response streaming)", timeoutSeconds: cfg.publicApi.streaming.timeoutSeconds, environment: corsOrigin })
      : undefined;
    const wsEnv = { TABLE_NAME: connectionsTable.tableName, ISSUER: cfg.jwt.issuer };
    const wsAuthorizerFn = fn({ name: "websocket-authorizer", dir: "websocket-authorizer", handler: "index.handler", description: "$connect authorizer of the WebSocket API", environment: { ISSUER: cfg.jwt.issuer, AUDIENCES: cfg.jwt.audiences.join(",") } });
    const wsConnect = fn({ name: "websocket-connect", dir: "websocket", handler: "index.connect", description: "WebSocket $connect", environment: wsEnv });
    const wsDisconnect = fn({ name: "websocket-disconnect", dir: "websocket", handler: "index.disconnect", description: "WebSocket $disconnect", environment: wsEnv });
    const wsDefault = fn({ name: "websocket-default", dir: "websocket", handler: "index.fallback", description: "WebSocket $default", environment: wsEnv });
    const wsMessages = fn({ name: "websocket-messages", dir: "websocket", handler: "index.message", description: "WebSocket sendMessage and subscribe", environment: wsEnv });
    connectionsTable.grantWriteData(wsConnect);
    connectionsTable.grantWriteData(wsDisconnect);
    connectionsTable.grantReadWriteData(wsMessages);

    // ---- DNS and certificates ----
    const publicZone = route53.HostedZone.fromHostedZoneAttributes(this, "public-zone", { hostedZoneId: cfg.dns.publicZone.id, zoneName: cfg.dns.publicZone.name });
    const certificate = (id: string, domainName: string, zone: route53.IHostedZone) =>
      new acm.Certificate(this, `${id}-certificate`, { domainName, validation: acm.CertificateValidation.fromDns(zone) });

    // ---- Private REST API: OpenAPI body, resource policy bound to the VPC endpoint ----
    const privateApi = this.privateApi(prefix, objectReader, props.vpcEndpoint);
    if (cfg.customDomains?.privateApi && cfg.dns.privateZone) {
      const d = cfg.customDomains.privateApi;
      const privateZone = route53.HostedZone.fromHostedZoneAttributes(this, "private-zone", { hostedZoneId: cfg.dns.privateZone.id, zoneName: cfg.dns.privateZone.name });
      const validationZone = route53.HostedZone.fromHostedZoneAttributes(this, "validation-zone", { hostedZoneId: d.validationZone.id, zoneName: d.validationZone.name });
      const cert = certificate("private-api-domain", d.domainName, validationZone);
      const domain = new apigw.CfnDomainNameV2(this, "private-api-domain", {
        domainName: d.domainName,
        certificateArn: cert.certificateArn,
        endpointConfiguration: { types: ["PRIVATE"] },
        securityPolicy: "TLS_1_2",
        policy: {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" },
            { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpce": props.vpcEndpoint.vpcEndpointId } } },
          ],
        },
      });
      new apigw.CfnBasePathMappingV2(this, "private-api-domain-mapping", { domainNameArn: domain.attrDomainNameArn, restApiId: privateApi.restApiId, stage: privateApi.deploymentStage.stageName });
      new apigw.CfnDomainNameAccessAssociation(this, "private-api-domain-access", {
        domainNameArn: domain.attrDomainNameArn,
        accessAssociationSource: props.vpcEndpoint.vpcEndpointId,
        accessAssociationSourceType: "VPCE",
      });
      new route53.ARecord(this, "private-api-domain-alias-a", {
        zone: privateZone,
        recordName: d.domainName,
        target: route53.RecordTarget.fromAlias({
          bind: () => ({ dnsName: Fn.select(1, Fn.split(":", Fn.select(0, props.vpcEndpointDnsEntries))), hostedZoneId: Fn.select(0, Fn.split(":", Fn.select(0, props.vpcEndpointDnsEntries))) }),
        }),
      });
    }

    // ---- Public REST API: usage plan, API keys, Cognito and Lambda authorizers, WAF ----
    const publicApi = this.publicApi(prefix, { helloGet, helloPost, users, stream, authorizerFn, eventsStream, usersTable });
    if (cfg.customDomains?.publicApi) {
      const d = cfg.customDomains.publicApi;
      const edge = cfg.publicApi.endpointType === "EDGE";
      const cert = certificate("public-api-domain", d.domainName, publicZone);
      const domain = new apigw.DomainName(this, "public-api-domain", {
        domainName: d.domainName,
        certificate: cert,
        endpointType: edge ? apigw.EndpointType.EDGE : apigw.EndpointType.REGIONAL,
        securityPolicy: apigw.SecurityPolicy.TLS_1_2,
      });
      const versions: string[] = (d.versions ?? [{ basePath: d.basePath }]).map((v: { basePath: string }) => v.basePath);
      for (const basePath of versions) domain.addBasePathMapping(publicApi, { basePath, stage: publicApi.deploymentStage });
      const target = route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain));
      new route53.ARecord(this, "public-api-domain-alias-a", { zone: publicZone, recordName: d.domainName, target });
      if (d.ipAddressType === "dualstack") new route53.AaaaRecord(this, "public-api-domain-alias-aaaa", { zone: publicZone, recordName: d.domainName, target });
    }

    // ---- HTTP API: JWT and Lambda authorizers, SQS and NLB integrations, mutual TLS ----
    const http = this.httpApi(prefix, { orders, products, authorizerFn, ordersQueue });
    if (cfg.customDomains?.httpApi) {
      const d = cfg.customDomains.httpApi;
      const cert = certificate("http-api-domain", d.domainName, publicZone);
      let mtls: apigwv2.MTLSConfig | undefined;
      if (d.mutualTls) {
        const truststores = new s3.Bucket(this, "truststores", {
          bucketName: `${prefix}-truststores-${this.account}`,
          versioned: true,
          encryption: s3.BucketEncryption.S3_MANAGED,
          blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
          objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
          enforceSSL: true,
          lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
        });
        mtls = { bucket: truststores, key: `httpApi/${path.basename(d.mutualTls.truststore)}` };
      }
      const domain = new apigwv2.DomainName(this, "http-api-domain", {
        domainName: d.domainName,
        certificate: cert,
        mtls,
        ipAddressType: d.ipAddressType === "dualstack" ? apigwv2.IpAddressType.DUAL_STACK : undefined,
      });
      new apigwv2.ApiMapping(this, "http-api-domain-mapping", { api: http.api, domainName: domain, stage: http.stage });
      const target = route53.RecordTarget.fromAlias(new targets.ApiGatewayv2DomainProperties(domain.regionalDomainName, domain.regionalHostedZoneId));
      new route53.ARecord(this, "http-api-domain-alias-a", { zone: publicZone, recordName: d.domainName, target });
      if (d.ipAddressType === "dualstack") new route53.AaaaRecord(this, "http-api-domain-alias-aaaa", { zone: publicZone, recordName: d.domainName, target });
    }

    // ---- WebSocket API ----
    const ws = this.websocketApi(prefix, { wsAuthorizerFn, wsConnect, wsDisconnect, wsDefault, wsMessages });
    if (cfg.customDomains?.websocketApi) {
      const d = cfg.customDomains.websocketApi;
      const cert = certificate("websocket-api-domain", d.domainName, publicZone);
      const domain = new apigwv2.DomainName(this, "websocket-api-domain", { domainName: d.domainName, certificate: cert });
      new apigwv2.ApiMapping(this, "websocket-api-domain-mapping", { api: ws.api, domainName: domain, stage: ws.stage });
      new route53.ARecord(this, "websocket-api-domain-alias-a", {
        zone: publicZone,
        recordName: d.domainName,
        target: route53.RecordTarget.fromAlias(new targets.ApiGatewayv2DomainProperties(domain.regionalDomainName, domain.regionalHostedZoneId)),
      });
    }

    // ---- Dashboard ----
    new cw.Dashboard(this, "dashboard", { dashboardName: prefix, widgets: [this.dashboardWidgets] });
  }

  // ===================================================================================== helpers

  /** A function with its own log group, role (logs, tracing, environment key only) and alarm. */
  private lambdaFunction(spec: FunctionSpec): lambda.Function {
    const cfg = this.cfg;
    const scope = new Construct(this, spec.name);
    const functionName = `apigw-${this.envName}-${spec.name}`;
    const logGroup = new logs.LogGroup(scope, "logs", {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: this.retention,
      encryptionKey: this.logKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(scope, "role", {
      roleName: functionName,
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `${functionName}: its own logs and traces only`,
    });
    role.attachInlinePolicy(
      new iam.Policy(scope, "logs-policy", {
        policyName: "write-own-logs",
        statements: [new iam.PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [logGroup.logGroupArn] })],
      }),
    );
    const timeoutSeconds = spec.timeoutSeconds ?? 10;
    const f = new lambda.Function(scope, "function", {
      functionName,
      description: spec.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(path.join(this.projectDir, "functions", spec.dir)),
      handler: spec.handler,
      memorySize: spec.memory ?? 256,
      timeout: Duration.seconds(timeoutSeconds),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: (cfg.logging.applicationLogLevel ?? "INFO") as lambda.ApplicationLogLevel,
      systemLogLevelV2: (cfg.logging.systemLogLevel ?? "INFO") as lambda.SystemLogLevel,
      tracing: cfg.tracing?.functions ? lambda.Tracing.ACTIVE : lambda.Tracing.PASS_THROUGH,
      reservedConcurrentExecutions: cfg.reservedConcurrency?.[spec.name] ?? cfg.reservedConcurrency?.default,
      environment: spec.environment,
      environmentEncryption: this.logKey,
    });
    const thresholdMs = timeoutSeconds * 800;
    const errors = f.metricErrors({ statistic: "Sum", period: Duration.minutes(5) });
    const throttles = f.metricThrottles({ statistic: "Sum", period: Duration.minutes(5) });
    const duration = f.metricDuration({ statistic: "p99", period: Duration.minutes(5) });
    const label = `${functionName}: errors (>= 1), throttles (>= 1) or p99 duration above ${thresholdMs} ms, per 5 minutes`;
    const alarm = new cw.MathExpression({
      expression: `IF(FILL(errors, 0) >= 1, 1, 0) + IF(FILL(throttles, 0) >= 1, 1, 0) + IF(FILL(duration, 0) > ${thresholdMs}, 1, 0)`,
      usingMetrics: { errors, throttles, duration },
      label,
      period: Duration.minutes(5),
    }).createAlarm(this, `alarm-function-${spec.name}`, {
      alarmName: `apigw-${this.envName}-function-${spec.name}`,
      alarmDescription: `${label}. Runbook: read the function's ERROR lines and the failing request's trace.`,
      threshold: 1,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.alarmAction);
    alarm.addOkAction(this.alarmAction);
    this.dashboardWidgets.push(new cw.GraphWidget({ title: functionName, left: [errors, throttles], right: [duration], width: 8 }));
    return f;
  }

  /** A metric alarm that notifies the topic. */
  private alarm(name: string, description: string, metric: cw.IMetric, threshold: number, evaluationPeriods: number, op = cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD): cw.Alarm {
    const a = new cw.Alarm(this, `alarm-${name}`, {
      alarmName: `apigw-${this.envName}-${name}`,
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods,
      datapointsToAlarm: evaluationPeriods,
      comparisonOperator: op,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    a.addAlarmAction(this.alarmAction);
    return a;
  }

  /** AWS's recommended API alarms (5XX, 4XX, p99 latency, p99 integration latency, throttling) and a composite. */
  private apiAlarms(spec: ApiAlarmSpec): void {
    const m = (metricName: string, statistic: string, period = 60) =>
      new cw.Metric({ namespace: "AWS/ApiGateway", metricName, dimensionsMap: spec.dimensions, statistic, period: Duration.seconds(period) });
    const latencyMs = this.cfg.alarms?.apis?.latencyP99Ms ?? 5000;
    const members: cw.IAlarm[] = [
      this.alarm(`${spec.name}-5xx`, `${spec.name}: share of requests answered 5XX`, m(spec.fivexx, "Average"), 0.05, 5, cw.ComparisonOperator.GREATER_THAN_THRESHOLD),
      this.alarm(`${spec.name}-4xx`, `${spec.name}: share of requests answered 4XX`, m(spec.fourxx, "Average"), 0.2, 5, cw.ComparisonOperator.GREATER_THAN_THRESHOLD),
      this.alarm(`${spec.name}-latency-p99`, `${spec.name}: p99 latency above ${latencyMs} ms`, m(spec.latencyMetric, "p99", 300), latencyMs, 3),
      this.alarm(`${spec.name}-integration-latency-p99`, `${spec.name}: p99 integration latency above ${latencyMs} ms`, m(spec.integrationLatencyMetric, "p99", 300), latencyMs, 3),
    ];
    const filter = new logs.MetricFilter(this, `alarm-${spec.name}-throttled-filter`, {
      logGroup: spec.accessLogs,
      filterPattern: logs.FilterPattern.stringValue("$.status", "=", "429"),
      metricNamespace: `apigw/${this.envName}`,
      metricName: `${spec.name}-throttled`,
      metricValue: "1",
      defaultValue: 0,
    });
    members.push(this.alarm(`${spec.name}-throttled`, `${spec.name}: requests throttled (429)`, filter.metric({ statistic: "Sum", period: Duration.minutes(5) }), 10, 1));
    members.push(...(spec.extra ?? []));
    const composite = new cw.CompositeAlarm(this, `alarm-${spec.name}-composite`, {
      compositeAlarmName: `apigw-${this.envName}-${spec.name}`,
      alarmDescription: `Any alarm of ${spec.name}: the API is failing, slow or throttling`,
      alarmRule: cw.AlarmRule.anyOf(...members),
    });
    composite.addAlarmAction(this.alarmAction);
    composite.addOkAction(this.alarmAction);
    this.dashboardWidgets.push(
      new cw.GraphWidget({ title: spec.name, left: [m(spec.fivexx, "Sum"), m(spec.fourxx, "Sum")], right: [m(spec.latencyMetric, "p99", 300)], width: 12 }),
      new cw.AlarmStatusWidget({ title: `${spec.name} alarms`, alarms: members, width: 12 }),
    );
  }

  private accessLogGroup(scope: Construct, id: string, name: string): logs.LogGroup {
    return new logs.LogGroup(scope, id, { logGroupName: name, retention: this.retention, encryptionKey: this.logKey, removalPolicy: RemovalPolicy.DESTROY });
  }

  private privateApi(prefix: string, objectReader: lambda.IFunction, endpoint: ec2.IInterfaceVpcEndpoint): apigw.SpecRestApi {
    const cfg = this.cfg;
    const scope = new Construct(this, "private-api");
    const apiName = `${prefix}-private`;
    const invokeUri = `arn:${this.partition}:apigateway:${this.region}:lambda:path/2015-03-31/functions/${objectReader.functionArn}/invocations`;
    const definition = {
      openapi: "3.0.1",
      info: { title: apiName, version: "1.0.0", description: "Objects of the environment's bucket, inside the VPC only" },
      "x-amazon-apigateway-binary-media-types": ["application/octet-stream"],
      "x-amazon-apigateway-endpoint-configuration": { vpcEndpointIds: [endpoint.vpcEndpointId] },
      paths: {
        "/files/{key}": {
          get: {
            operationId: "getFile",
            summary: "One object of the environment's bucket; send Accept: application/octet-stream for its bytes",
            parameters: [{ name: "key", in: "path", required: true, schema: { type: "string" } }],
            security: [{ sigv4: [] }],
            responses: { "200": { description: "The object" }, "403": { description: "Not allowed" }, "404": { description: "No such object" } },
            "x-amazon-apigateway-integration": { type: "aws_proxy", httpMethod: "POST", uri: invokeUri, passthroughBehavior: "when_no_match", timeoutInMillis: 29000 },
          },
        },
      },
      components: {
        securitySchemes: { sigv4: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "awsSigv4" } },
      },
    };
    const accessLogs = this.accessLogGroup(scope, "access-logs", `/aws/apigateway/${apiName}/access`);
    const api = new apigw.SpecRestApi(scope, "api", {
      restApiName: apiName,
      apiDefinition: apigw.ApiDefinition.fromInline(definition),
      endpointTypes: [apigw.EndpointType.PRIVATE],
      cloudWatchRole: false,
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ["execute-api:Invoke"], resources: ["execute-api:/*"] }),
          new iam.PolicyStatement({
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ["execute-api:Invoke"],
            resources: ["execute-api:/*"],
            conditions: { StringNotEquals: { "aws:SourceVpce": endpoint.vpcEndpointId } },
          }),
        ],
      }),
      deployOptions: {
        stageName: "v1",
        tracingEnabled: !!cfg.tracing?.restStages,
        loggingLevel: cfg.logging.executionLogLevel as apigw.MethodLoggingLevel,
        metricsEnabled: true,
        throttlingRateLimit: cfg.throttling.rateLimit,
        throttlingBurstLimit: cfg.throttling.burstLimit,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(REST_ACCESS_LOG_FIELDS)),
        cacheClusterEnabled: !!cfg.privateApi.cacheClusterSize,
        cacheClusterSize: cfg.privateApi.cacheClusterSize,
        methodOptions: cfg.privateApi.cacheClusterSize ? { "/files/{key}/GET": { cachingEnabled: true, cacheTtl: Duration.minutes(5) } } : undefined,
      },
    });
    this.accessLogGroup(scope, "execution-logs", `API-Gateway-Execution-Logs_${api.restApiId}/v1`);
    objectReader.addPermission("private-api-invoke", {
      principal: new iam.ServicePrincipal("apigateway.amazonaws.com"),
      sourceArn: api.arnForExecuteApi("GET", "/files/*", "v1"),
    });
    this.apiAlarms({
      name: "private-api",
      dimensions: { ApiName: apiName, Stage: "v1" },
      latencyMetric: "Latency",
      integrationLatencyMetric: "IntegrationLatency",
      fourxx: "4XXError",
      fivexx: "5XXError",
      accessLogs,
    });
    return api;
  }

  private publicApi(
    prefix: string,
    f: {
      helloGet: lambda.IFunction;
      helloPost: lambda.IFunction;
      users: lambda.IFunction;
      stream?: lambda.IFunction;
      authorizerFn: lambda.IFunction;
      eventsStream?: kinesis.IStream;
      usersTable?: dynamodb.ITableV2;
    },
  ): apigw.RestApi {
    const cfg = this.cfg;
    const pub = cfg.publicApi;
    const scope = new Construct(this, "public-api");
    const apiName = `${prefix}-public`;
    const accessLogs = this.accessLogGroup(scope, "access-logs", `/aws/apigateway/${apiName}/access`);
    const edge = pub.endpointType === "EDGE";
    const api = new apigw.RestApi(scope, "api", {
      restApiName: apiName,
      description: "The platform's public REST API",
      endpointConfiguration: {
        types: [edge ? apigw.EndpointType.EDGE : apigw.EndpointType.REGIONAL],
        ipAddressType: pub.ipAddressType === "dualstack" ? apigw.IpAddressType.DUAL_STACK : undefined,
      },
      minCompressionSize: pub.minimumCompressionSize !== undefined ? Size.bytes(pub.minimumCompressionSize) : undefined,
      cloudWatchRole: false,
      apiKeySourceType: apigw.ApiKeySourceType.HEADER,
      defaultCorsPreflightOptions: pub.cors ? { allowOrigins: pub.cors.allowOrigins, allowHeaders: ["Authorization", "Content-Type", "X-Api-Key", "X-Partition-Key"], maxAge: Duration.hours(1) } : undefined,
      deployOptions: {
        stageName: "v1",
        tracingEnabled: !!cfg.tracing?.restStages,
        loggingLevel: cfg.logging.executionLogLevel as apigw.MethodLoggingLevel,
        metricsEnabled: true,
        throttlingRateLimit: cfg.throttling.rateLimit,
        throttlingBurstLimit: cfg.throttling.burstLimit,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(REST_ACCESS_LOG_FIELDS)),
        variables: pub.stageVariables,
      },
    });
    this.accessLogGroup(scope, "execution-logs", `API-Gateway-Execution-Logs_${api.restApiId}/v1`);
    if (pub.canary) {
      this.accessLogGroup(scope, "canary-execution-logs", `API-Gateway-Execution-Logs_${api.restApiId}/v1/Canary`);
      const cfnStage = api.deploymentStage.node.defaultChild as apigw.CfnStage;
      cfnStage.canarySetting = { percentTraffic: pub.canary.percent, stageVariableOverrides: pub.canary.stageVariableOverrides, useStageCache: false };
    }

    // Authorizers
    const authorizers: Record<string, apigw.IAuthorizer> = {};
    for (const [name, a] of Object.entries<EnvConfig>(pub.authorizers ?? {})) {
      if (a.type === "COGNITO_USER_POOLS") {
        authorizers[name] = new apigw.CognitoUserPoolsAuthorizer(scope, `authorizer-${name}`, {
          authorizerName: name,
          cognitoUserPools: a.userPoolArns.map((arn: string, i: number) => cognito.UserPool.fromUserPoolArn(scope, `pool-${name}-${i}`, arn)),
        });
      } else if (a.type === "REQUEST") {
        authorizers[name] = new apigw.RequestAuthorizer(scope, `authorizer-${name}`, {
          authorizerName: name,
          handler: f.authorizerFn,
          identitySources: a.identitySources,
          resultsCacheTtl: Duration.seconds(a.resultTtlSeconds ?? 300),
        });
      } else {
        authorizers[name] = new apigw.TokenAuthorizer(scope, `authorizer-${name}`, {
          authorizerName: name,
          handler: f.authorizerFn,
          validationRegex: a.identityValidationExpression,
          resultsCacheTtl: Duration.seconds(a.resultTtlSeconds ?? 300),
        });
      }
    }
    const routeAuth = (routeKey: string): Partial<apigw.MethodOptions> => {
      const r = pub.routeAuthorizers?.[routeKey];
      if (!r) return { authorizationType: apigw.AuthorizationType.IAM };
      const authorizer = authorizers[r.authorizer];
      return { authorizer, authorizationScopes: r.scopes };
    };
    const lambdaIntegration = (fn: lambda.IFunction, extra: Partial<apigw.LambdaIntegrationOptions> = {}) => new apigw.LambdaIntegration(fn, { allowTestInvoke: false, ...extra });
    const method = (resource: apigw.IResource, httpMethod: string, integration: apigw.Integration, extra: Partial<apigw.MethodOptions> = {}) =>
      resource.addMethod(httpMethod, integration, { apiKeyRequired: true, ...routeAuth(`${httpMethod} ${resource.path}`), ...extra });

    const jsonValidator = api.addRequestValidator("body-validator", { requestValidatorName: "body", validateRequestBody: true, validateRequestParameters: true });
    const greeting = api.addModel("Greeting", {
      modelName: "Greeting",
      contentType: "application/json",
      schema: { type: apigw.JsonSchemaType.OBJECT, required: ["name"], properties: { name: { type: apigw.JsonSchemaType.STRING, minLength: 1, maxLength: 100 } } },
    });
    const hello = api.root.addResource("hello");
    method(hello, "GET", lambdaIntegration(f.helloGet));
    method(hello, "POST", lambdaIntegration(f.helloPost), { requestValidator: jsonValidator, requestModels: { "application/json": greeting } });

    const usersRes = api.root.addResource("users");
    const user = usersRes.addResource("{id}");
    const usersIntegration = lambdaIntegration(f.users);
    method(usersRes, "GET", usersIntegration);
    method(usersRes, "POST", usersIntegration);
    if (f.usersTable) {
      const role = new iam.Role(scope, "integration-role-users-get-item", { assumedBy: new iam.ServicePrincipal("apigateway.amazonaws.com") });
      f.usersTable.grant(role, "dynamodb:GetItem");
      method(
        user,
        "GET",
        new apigw.AwsIntegration({
          service: "dynamodb",
          action: "GetItem",
          options: {
            credentialsRole: role,
            requestTemplates: { "application/json": JSON.stringify({ TableName: f.usersTable.tableName, Key: { id: { S: "$input.params('id')" } } }) },
            integrationResponses: [
              { statusCode: "200", responseTemplates: { "application/json": "#set($item = $input.path('$.Item'))\n{\"id\": \"$item.id.S\"}" } },
              { statusCode: "500", selectionPattern: "5\\d{2}", responseTemplates: { "application/json": "{\"message\": \"service error\"}" } },
            ],
          },
        }),
        { methodResponses: [{ statusCode: "200" }, { statusCode: "500" }], requestParameters: { "method.request.path.id": true } },
      );
    } else {
      method(user, "GET", usersIntegration);
    }
    method(user, "PUT", usersIntegration);
    method(user, "DELETE", usersIntegration);

    if (f.eventsStream) {
      const role = new iam.Role(scope, "integration-role-events-put-record", { assumedBy: new iam.ServicePrincipal("apigateway.amazonaws.com") });
      f.eventsStream.grantWrite(role);
      const eventModel = api.addModel("Event", { modelName: "Event", contentType: "application/json", schema: { type: apigw.JsonSchemaType.OBJECT } });
      method(
        api.root.addResource("events"),
        "POST",
        new apigw.AwsIntegration({
          service: "kinesis",
          action: "PutRecord",
          options: {
            credentialsRole: role,
            requestTemplates: {
              "application/json": `{"StreamName": "${f.eventsStream.streamName}", "Data": "$util.base64Encode($input.body)", "PartitionKey": "$util.escapeJavaScript($input.params('X-Partition-Key'))"}`,
            },
            integrationResponses: [
              { statusCode: "200", responseTemplates: { "application/json": "{\"sequenceNumber\": \"$input.path('$.SequenceNumber')\"}" } },
              { statusCode: "500", selectionPattern: "5\\d{2}", responseTemplates: { "application/json": "{\"message\": \"service error\"}" } },
            ],
          },
        }),
        {
          requestValidator: jsonValidator,
          requestModels: { "application/json": eventModel },
          requestParameters: { "method.request.header.X-Partition-Key": false },
          methodResponses: [{ statusCode: "200" }, { statusCode: "500" }],
        },
      );
    }
    if (f.stream) {
      method(api.root.addResource("stream"), "GET", lambdaIntegration(f.stream, { responseTransferMode: apigw.ResponseTransferMode.STREAM, timeout: Duration.seconds(pub.streaming.timeoutSeconds) }), {
        requestParameters: { "method.request.querystring.parts": false },
      });
    }
    const legacy = cfg.integrations?.legacy;
    if (legacy?.nlbArn) {
      const nlb = elbv2.NetworkLoadBalancer.fromNetworkLoadBalancerAttributes(scope, "legacy-nlb", { loadBalancerArn: legacy.nlbArn });
      const vpcLink = new apigw.VpcLink(this, "legacy-vpc-link", { vpcLinkName: `${prefix}-legacy`, targets: [nlb] });
      const proxy = api.root.addResource("legacy").addResource("{proxy+}");
      method(
        proxy,
        "ANY",
        new apigw.Integration({
          type: apigw.IntegrationType.HTTP_PROXY,
          integrationHttpMethod: "ANY",
          uri: "https://${stageVariables.legacyHost}/{proxy}",
          options: { connectionType: apigw.ConnectionType.VPC_LINK, vpcLink, requestParameters: { "integration.request.path.proxy": "method.request.path.proxy" } },
        }),
        { requestParameters: { "method.request.path.proxy": true } },
      );
    }

    // Lambda authorizers' invoke permission is added by the authorizer constructs; usage plan and keys:
    const plan = api.addUsagePlan("usage-plan", {
      name: `${prefix}-public`,
      throttle: pub.usagePlanThrottling ? { rateLimit: pub.usagePlanThrottling.rateLimit, burstLimit: pub.usagePlanThrottling.burstLimit } : { rateLimit: cfg.throttling.rateLimit, burstLimit: cfg.throttling.burstLimit },
      quota: { limit: cfg.quota.limit, period: cfg.quota.period as apigw.Period },
      apiStages: [{ api, stage: api.deploymentStage }],
    });
    for (const keyName of pub.apiKeyNames ?? []) {
      const key = new apigw.ApiKey(scope, `key-${keyName}`, { apiKeyName: `${prefix}-${keyName}`, enabled: true });
      plan.addApiKey(key, { overrideLogicalId: undefined });
    }

    if (pub.webAclArn) {
      new wafv2.CfnWebACLAssociation(scope, "web-acl", { resourceArn: api.deploymentStage.stageArn, webAclArn: pub.webAclArn });
    }

    const extra: cw.IAlarm[] = [];
    if (pub.canary) {
      const dims = { ApiName: apiName, Stage: "v1/Canary" };
      extra.push(
        this.alarm("public-api-canary-5xx", "public-api canary: share of requests answered 5XX", new cw.Metric({ namespace: "AWS/ApiGateway", metricName: "5XXError", dimensionsMap: dims, statistic: "Average", period: Duration.minutes(1) }), 0.05, 5, cw.ComparisonOperator.GREATER_THAN_THRESHOLD),
        this.alarm("public-api-canary-latency-p99", "public-api canary: p99 latency", new cw.Metric({ namespace: "AWS/ApiGateway", metricName: "Latency", dimensionsMap: dims, statistic: "p99", period: Duration.minutes(5) }), cfg.alarms?.apis?.latencyP99Ms ?? 5000, 3),
      );
    }
    this.apiAlarms({ name: "public-api", dimensions: { ApiName: apiName, Stage: "v1" }, latencyMetric: "Latency", integrationLatencyMetric: "IntegrationLatency", fourxx: "4XXError", fivexx: "5XXError", accessLogs, extra });
    return api;
  }

  private httpApi(prefix: string, f: { orders: lambda.IFunction; products: lambda.IFunction; authorizerFn: lambda.IFunction; ordersQueue?: sqs.IQueue }): { api: apigwv2.HttpApi; stage: apigwv2.HttpStage } {
    const cfg = this.cfg;
    const h = cfg.httpApi;
    const scope = new Construct(this, "http-api");
    const apiName = `${prefix}-http`;
    const jwt = new v2auth.HttpJwtAuthorizer("jwt-authorizer", cfg.jwt.issuer, { jwtAudience: cfg.jwt.audiences, authorizerName: "jwt" });
    const lambdaAuthorizer = new v2auth.HttpLambdaAuthorizer("lambda-authorizer", f.authorizerFn, {
      authorizerName: "tokens",
      responseTypes: [v2auth.HttpLambdaResponseType.SIMPLE],
      resultsCacheTtl: Duration.seconds(h.lambdaAuthorizer?.resultTtlSeconds ?? 300),
    });
    const api = new apigwv2.HttpApi(scope, "api", {
      apiName,
      disableExecuteApiEndpoint: !!h.disableExecuteApiEndpoint,
      ipAddressType: h.ipAddressType === "dualstack" ? apigwv2.IpAddressType.DUAL_STACK : undefined,
      corsPreflight: h.cors ? { allowOrigins: h.cors.allowOrigins, allowHeaders: ["Authorization", "Content-Type"], allowMethods: [apigwv2.CorsHttpMethod.ANY], maxAge: Duration.hours(1) } : undefined,
      createDefaultStage: false,
    });
    const accessLogs = this.accessLogGroup(scope, "access-logs", `/aws/apigateway/${apiName}/access`);
    const stage = api.addStage("stage", {
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: cfg.throttling.rateLimit, burstLimit: cfg.throttling.burstLimit },
      detailedMetricsEnabled: true,
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs), format: apigw.AccessLogFormat.custom(JSON.stringify(V2_ACCESS_LOG_FIELDS)) },
    });
    const ordersIntegration = new v2int.HttpLambdaIntegration("integration-orders", f.orders);
    const lambdaRoutes = new Set<string>(h.lambdaAuthorizer?.routes ?? []);
    const route = (routeKey: string, integration: apigwv2.HttpRouteIntegration) => {
      const [m, p] = routeKey.split(" ");
      api.addRoutes({
        path: p,
        methods: [m as apigwv2.HttpMethod],
        integration,
        authorizer: lambdaRoutes.has(routeKey) ? lambdaAuthorizer : jwt,
        authorizationScopes: lambdaRoutes.has(routeKey) ? undefined : h.routeScopes?.[routeKey],
      });
    };
    route("GET /orders", ordersIntegration);
    route("GET /orders/{id}", ordersIntegration);
    route("POST /orders", ordersIntegration);
    route("GET /products", new v2int.HttpLambdaIntegration("integration-products", f.products));
    if (f.ordersQueue) {
      route(
        "POST /orders/queue",
        new v2int.HttpSqsIntegration("integration-orders-send-message", {
          queue: f.ordersQueue,
          parameterMapping: new apigwv2.ParameterMapping().custom("QueueUrl", f.ordersQueue.queueUrl).custom("MessageBody", "$request.body"),
        }),
      );
    }
    const legacy = cfg.integrations?.legacy?.httpApi;
    if (legacy) {
      const vpc = ec2.Vpc.fromVpcAttributes(scope, "legacy-vpc", { vpcId: legacy.vpcId, availabilityZones: legacy.subnetIds.map((_: string, i: number) => `${this.region}${"abc"[i]}`), privateSubnetIds: legacy.subnetIds });
      const sg = new ec2.SecurityGroup(scope, "legacy-vpc-link-sg", { vpc, allowAllOutbound: false, description: "VPC link of the HTTP API to the legacy NLB" });
      for (const cidr of legacy.backendCidrs) sg.addEgressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), `HTTPS to ${cidr}`);
      const vpcLink = new apigwv2.VpcLink(this, "legacy-http-vpc-link", { vpc, vpcLinkName: `${prefix}-legacy-http`, securityGroups: [sg], subnets: { subnets: vpc.privateSubnets } });
      const listener = elbv2.NetworkListener.fromNetworkListenerArn(scope, "legacy-listener", legacy.listenerArn);
      route("ANY /legacy/{proxy+}", new v2int.HttpNlbIntegration("integration-legacy", listener, { vpcLink, secureServerName: cfg.publicApi.stageVariables?.legacyHost }));
    }
    this.apiAlarms({ name: "http-api", dimensions: { ApiId: api.apiId, Stage: "$default" }, latencyMetric: "Latency", integrationLatencyMetric: "IntegrationLatency", fourxx: "4xx", fivexx: "5xx", accessLogs });
    return { api, stage };
  }

  private websocketApi(
    prefix: string,
    f: { wsAuthorizerFn: lambda.IFunction; wsConnect: lambda.IFunction; wsDisconnect: lambda.IFunction; wsDefault: lambda.IFunction; wsMessages: lambda.IFunction },
  ): { api: apigwv2.WebSocketApi; stage: apigwv2.WebSocketStage } {
    const cfg = this.cfg;
    const scope = new Construct(this, "websocket-api");
    const apiName = `${prefix}-websocket`;
    const authorizer = new v2auth.WebSocketLambdaAuthorizer("connect-authorizer", f.wsAuthorizerFn, { identitySource: ["route.request.querystring.token"], authorizerName: "connect" });
    const api = new apigwv2.WebSocketApi(scope, "api", {
      apiName,
      routeSelectionExpression: "$request.body.action",
      connectRouteOptions: { integration: new v2int.WebSocketLambdaIntegration("integration-websocket-connect", f.wsConnect), authorizer },
      disconnectRouteOptions: { integration: new v2int.WebSocketLambdaIntegration("integration-websocket-disconnect", f.wsDisconnect) },
      defaultRouteOptions: { integration: new v2int.WebSocketLambdaIntegration("integration-websocket-default", f.wsDefault), returnResponse: true },
    });
    const messages = new v2int.WebSocketLambdaIntegration("integration-websocket-messages", f.wsMessages);
    api.addRoute("sendMessage", { integration: messages, returnResponse: true });
    api.addRoute("subscribe", { integration: messages, returnResponse: true });
    api.grantManageConnections(f.wsMessages);
    const accessLogs = this.accessLogGroup(scope, "access-logs", `/aws/apigateway/${apiName}/access`);
    const throttle = cfg.websocketApi?.throttling ?? cfg.throttling;
    const stage = new apigwv2.WebSocketStage(scope, "stage", {
      webSocketApi: api,
      stageName: "v1",
      autoDeploy: true,
      throttle: { rateLimit: throttle.rateLimit, burstLimit: throttle.burstLimit },
      detailedMetricsEnabled: true,
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs), format: apigw.AccessLogFormat.custom(JSON.stringify(V2_ACCESS_LOG_FIELDS)) },
    });
    const cfnStage = stage.node.defaultChild as apigwv2.CfnStage;
    cfnStage.defaultRouteSettings = { ...(cfnStage.defaultRouteSettings as object), loggingLevel: cfg.logging.executionLogLevel, dataTraceEnabled: false };
    this.accessLogGroup(scope, "execution-logs", `/aws/apigateway/${api.apiId}/v1`);
    const filter = new logs.MetricFilter(this, "alarm-websocket-api-connect-errors-filter", {
      logGroup: accessLogs,
      filterPattern: logs.FilterPattern.all(logs.FilterPattern.stringValue("$.routeKey", "=", "$connect"), logs.FilterPattern.stringValue("$.status", "!=", "200")),
      metricNamespace: `apigw/${this.envName}`,
      metricName: "websocket-api-connect-errors",
      metricValue: "1",
      defaultValue: 0,
    });
    const connectErrors = this.alarm("websocket-api-connect-errors", "websocket-api: $connect refused or failed", filter.metric({ statistic: "Sum", period: Duration.minutes(5) }), 10, 1);
    this.apiAlarms({ name: "websocket-api", dimensions: { ApiId: api.apiId, Stage: "v1" }, latencyMetric: "IntegrationLatency", integrationLatencyMetric: "IntegrationLatency", fourxx: "ClientError", fivexx: "ExecutionError", accessLogs, extra: [connectErrors] });
    return { api, stage };
  }
}
