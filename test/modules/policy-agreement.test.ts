import { Construct } from "constructs";
import { DOMAIN_TLS_POLICIES } from "../../config/formats";
import { bundleFunction } from "../../functions/bundle";
import { ApiCustomDomain } from "../../modules/api-custom-domain";
import { ApiGatewayCloudWatchRole } from "../../modules/api-gateway-cloudwatch-role";
import { HttpApi, HttpRouteAuthorization } from "../../modules/http-api";
import { LambdaFunction } from "../../modules/lambda-function";
import { RestApi, RestEndpointType, RestIntegration } from "../../modules/rest-api";
import type { ThrottleSettings } from "../../modules/shared/throttling";
import { UsagePlan } from "../../modules/usage-plan";
import { ConnectionsTable } from "../../modules/connections-table";
import { WebSocketApi, WebSocketConnectAuthorization } from "../../modules/websocket-api";
import { DataTable } from "../../modules/data-table";
import { EventArchive } from "../../modules/event-archive";
import { EventStream } from "../../modules/event-stream";
import { HttpVpcLink } from "../../modules/http-vpc-link";
import { IntegrationRole } from "../../modules/integration-role";
import { MessageQueue } from "../../modules/message-queue";
import { RestVpcLink } from "../../modules/rest-vpc-link";
import { HttpServiceCalls, ServiceCalls } from "../../modules/shared/service-integrations";
import { mappingTemplates } from "../../stacks/mapping-templates";
import { monitor } from "../../stacks/alarms";
import { EnvironmentSchema } from "../../config/schema";
import { checkStack } from "../../policy/check";
import { ALL_RULES } from "../../policy/rules";
import { domainTls } from "../../policy/rules/domains";
import { StackView } from "../../policy/stack";
import { synthConstruct, testStack } from "../fixtures/environment";
import { privateDomainProps, PUBLIC_ZONE, testEndpoint } from "../fixtures/domains";
import { fixtureFunction } from "../fixtures/lambda";

/**
 * A module never builds what the policy checker rejects: each module, with its minimal
 * props and every default, is synthesized alone (with the alarms a stack adds) and checked against every rule.
 */

const fn = fixtureFunction("handler");
const THROTTLING: ThrottleSettings = { rateLimit: 10, burstLimit: 20 };
const endpoint = testEndpoint;

function restApi(scope: Construct, endpointType: RestEndpointType, throttling = THROTTLING, disableExecuteApiEndpoint = false): RestApi {
  return new RestApi(scope, "api", {
    name: "api",
    endpointType,
    disableExecuteApiEndpoint,
    ...(endpointType === "PRIVATE" ? { vpcEndpoints: [endpoint(scope)] } : {}),
    routes: [{ path: "/hello", method: "GET", integration: RestIntegration.lambda(fn), ...(endpointType === "PRIVATE" ? {} : { apiKeyRequired: true }) }],
    stage: { stageName: "dev", logRetentionDays: 30, throttling },
  });
}

function httpApi(scope: Construct, throttling = THROTTLING, disableExecuteApiEndpoint = false): HttpApi {
  return new HttpApi(scope, "http", {
    name: "http",
    disableExecuteApiEndpoint,
    authorizer: { issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example01", audiences: ["client"] },
    routes: [{ method: "GET", path: "/orders", function: fn }],
    logRetentionDays: 30,
    throttling,
  });
}

function websocketApi(scope: Construct, throttling = THROTTLING): WebSocketApi {
  return new WebSocketApi(scope, "ws", {
    name: "ws",
    routes: [{ routeKey: "$connect", function: fn }, { routeKey: "$default", function: fn, twoWay: true }],
    connectAuthorization: WebSocketConnectAuthorization.lambda(fixtureFunction("authorizer")),
    stageName: "dev",
    logRetentionDays: 30,
    throttling,
  });
}

const usagePlan = (scope: Construct, throttling = THROTTLING) => new UsagePlan(scope, "plan", { api: restApi(scope, "EDGE"), throttling, quota: { limit: 10000, period: "DAY" }, apiKeyNames: ["k"] });

const MODULES: Record<string, (scope: Construct) => void> = {
  ExecuteApiVpcEndpoint: endpoint,
  ApiGatewayCloudWatchRole: (scope) => new ApiGatewayCloudWatchRole(scope, "role"),
  "RestApi PRIVATE": (scope) => restApi(scope, "PRIVATE"),
  "RestApi EDGE": (scope) => restApi(scope, "EDGE"),
  UsagePlan: (scope) => usagePlan(scope),
  HttpApi: (scope) => httpApi(scope),
  WebSocketApi: (scope) => websocketApi(scope).grantManageConnections({ key: "handler", roleName: "handler-role" }),
  ConnectionsTable: (scope) => new ConnectionsTable(scope, "table", { tableName: "connections" }),
  "ApiCustomDomain EDGE": (scope) =>
    new ApiCustomDomain(scope, "domain", { domainName: "api.dev.example.com", endpointType: "EDGE", hostedZone: PUBLIC_ZONE, region: "eu-west-1", mappings: [{ api: restApi(scope, "EDGE", THROTTLING, true) }] }),
  "ApiCustomDomain REGIONAL": (scope) =>
    new ApiCustomDomain(scope, "domain", { domainName: "api.dev.example.com", endpointType: "REGIONAL", hostedZone: PUBLIC_ZONE, region: "eu-west-1", mappings: [{ api: restApi(scope, "REGIONAL", THROTTLING, true) }] }),
  "ApiCustomDomain HTTP": (scope) =>
    new ApiCustomDomain(scope, "domain", { domainName: "app.dev.example.com", endpointType: "REGIONAL", hostedZone: PUBLIC_ZONE, region: "eu-west-1", mappings: [{ api: httpApi(scope, THROTTLING, true) }] }),
  "ApiCustomDomain WebSocket": (scope) =>
    new ApiCustomDomain(scope, "domain", { domainName: "ws.dev.example.com", endpointType: "REGIONAL", hostedZone: PUBLIC_ZONE, region: "eu-west-1", mappings: [{ api: websocketApi(scope) }] }),
  "ApiCustomDomain PRIVATE": (scope) => {
    new ApiCustomDomain(scope, "domain", privateDomainProps(scope, restApi(scope, "PRIVATE")));
  },
  LambdaFunction: (scope) => new LambdaFunction(scope, "fn", { functionName: "fn", bundle: bundleFunction("hello"), logRetentionDays: 30 }),
  "RestApi EDGE with authorizers, validation and CORS": (scope) =>
    new RestApi(scope, "api", {
      name: "api",
      endpointType: "EDGE",
      authorizers: {
        tokens: { type: "TOKEN", function: fixtureFunction("checker"), resultTtlSeconds: 0 },
        users: { type: "COGNITO_USER_POOLS", userPoolArns: ["arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_Example01"] },
      },
      cors: { allowOrigins: ["https://app.example.com"] },
      routes: [
        { path: "/hello", method: "GET", integration: RestIntegration.lambda(fn), authorizer: { name: "tokens" } },
        { path: "/users", method: "POST", integration: RestIntegration.lambda(fn), authorizer: { name: "users", scopes: ["users/write"] }, validation: { body: { model: "NewUser", schema: { type: "object" } } } },
      ],
      stage: { stageName: "dev", logRetentionDays: 30, throttling: THROTTLING },
    }),
  "RestApi PRIVATE with AWS_IAM": (scope) =>
    new RestApi(scope, "api", {
      name: "api",
      vpcEndpoints: [endpoint(scope)],
      allowedPrincipalArns: ["arn:aws:iam::333333333333:role/reader"],
      routes: [{ path: "/files/{key}", method: "GET", integration: RestIntegration.lambda(fn), authorization: "AWS_IAM", cache: { enabled: false } }],
      stage: { stageName: "dev", logRetentionDays: 30, throttling: THROTTLING },
    }),
  "HttpApi with a Lambda authorizer": (scope) =>
    new HttpApi(scope, "http", {
      name: "http",
      authorizer: { issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example01", audiences: ["client"] },
      lambdaAuthorizer: { function: fixtureFunction("checker"), resultTtlSeconds: 300 },
      routes: [{ method: "GET", path: "/products", function: fn, authorization: HttpRouteAuthorization.lambda() }],
      logRetentionDays: 30,
      throttling: THROTTLING,
    }),
  EventStream: (scope) => new EventStream(scope, "stream", { streamName: "events", region: "eu-west-1" }),
  EventArchive: (scope) =>
    new EventArchive(scope, "archive", { name: "events", stream: new EventStream(scope, "stream", { streamName: "events", region: "eu-west-1" }), bucketName: "acme-events", logRetentionDays: 30 }),
  MessageQueue: (scope) => new MessageQueue(scope, "queue", { queueName: "orders", region: "eu-west-1" }),
  DataTable: (scope) => new DataTable(scope, "table", { tableName: "users", region: "eu-west-1", partitionKey: "id" }),
  RestVpcLink: (scope) => new RestVpcLink(scope, "link", { name: "legacy", nlbArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/legacy/50dc6c495c0c9188" }),
  HttpVpcLink: (scope) => new HttpVpcLink(scope, "link", { name: "legacy", vpcId: "vpc-0a1b2c3d4e5f60718", subnetIds: ["subnet-0a1b2c3d4e5f60711"], backendCidrs: ["10.10.8.0/24"] }),
  IntegrationRole: (scope) =>
    new IntegrationRole(scope, "role", { roleName: "r", apiExecutionArn: "arn:aws:execute-api:eu-west-1:111111111111:a1b2c3", action: "kinesis:PutRecord", resourceArn: "arn:aws:kinesis:eu-west-1:111111111111:stream/events" }),
  "RestApi with service and private routes": (scope) => {
    const stream = new EventStream(scope, "stream", { streamName: "events", region: "eu-west-1" });
    const link = new RestVpcLink(scope, "link", { name: "legacy", nlbArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/legacy/50dc6c495c0c9188" });
    const api = new RestApi(scope, "api", {
      name: "api",
      endpointType: "REGIONAL",
      routes: [
        { path: "/events", method: "POST", integration: RestIntegration.service(ServiceCalls.kinesisPutRecord("events", stream, mappingTemplates("kinesis-put-record"))), apiKeyRequired: true, authorization: "AWS_IAM", validation: { body: { model: "Event", schema: { type: "object" } } } },
        { path: "/legacy/{proxy+}", method: "ANY", integration: RestIntegration.privateHttpProxy("https://${stageVariables.host}/{proxy}", link.vpcLinkId), apiKeyRequired: true, authorization: "AWS_IAM" },
      ],
      stage: { stageName: "dev", logRetentionDays: 30, throttling: THROTTLING, variables: { host: "legacy.internal" } },
    });
    // The composition admits the integration as the stream's only writer (APIGW-INTEGRATION-TARGET-WRITERS), as EnvironmentStack does.
    stream.admitOnlyWriter(api.credentials.get("events")!);
  },
  "HttpApi with service and private routes": (scope) => {
    const queue = new MessageQueue(scope, "queue", { queueName: "orders", region: "eu-west-1" });
    const api = new HttpApi(scope, "http", {
      name: "http",
      authorizer: { issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example01", audiences: ["client"] },
      routes: [
        { method: "POST", path: "/orders/queue", service: HttpServiceCalls.sqsSendMessage("orders", queue), authorization: HttpRouteAuthorization.jwt(["orders/write"]) },
        {
          method: "ANY",
          path: "/legacy/{proxy+}",
          authorization: HttpRouteAuthorization.jwt(["legacy/access"]),
          privateBackend: {
            name: "legacy",
            vpcLinkId: new HttpVpcLink(scope, "link", { name: "legacy", vpcId: "vpc-0a1b2c3d4e5f60718", subnetIds: ["subnet-0a1b2c3d4e5f60711"], backendCidrs: ["10.10.8.0/24"] }).vpcLinkId,
            listenerArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/net/legacy/50dc6c495c0c9188/f7a9c3e1b2d4a6c8",
            serverNameToVerify: "legacy.internal.example.com",
          },
        },
      ],
      logRetentionDays: 30,
      throttling: THROTTLING,
    });
    queue.admitOnlySender(api.credentials.get("orders")!);
  },
};

/**
 * Warnings a module's defaults raise on purpose: a public stage's web ACL is the caller's
 * choice (RestApi webAclArn), so an EDGE or REGIONAL API without one is only warned about.
 */
const CMK = "APIGW-LOG-GROUP-CMK";
const CONCURRENCY = "APIGW-LAMBDA-CONCURRENCY";
/** Also the caller's choice: a log key (logKmsKeyArn, kmsKeyArn), reserved concurrency, method authorization, an HTTP API's CloudFront and WAF, the state backend. */
const DELIBERATE_WARNINGS: Record<string, string[]> = {
  "RestApi PRIVATE": [CMK, "APIGW-PRIVATE-METHOD-AUTH"],
  "RestApi EDGE": [CMK, "APIGW-STAGE-WAF"],
  UsagePlan: ["APIGW-API-KEY-LOCAL-STATE", CMK, "APIGW-STAGE-WAF"],
  HttpApi: ["APIGW-HTTP-WAF", CMK],
  "ApiCustomDomain EDGE": [CMK, "APIGW-STAGE-WAF"],
  "ApiCustomDomain REGIONAL": [CMK, "APIGW-STAGE-WAF"],
  "ApiCustomDomain HTTP": ["APIGW-HTTP-WAF", CMK],
  "ApiCustomDomain PRIVATE": [CMK, "APIGW-PRIVATE-METHOD-AUTH"],
  LambdaFunction: [CONCURRENCY, CMK],
  "RestApi EDGE with authorizers, validation and CORS": [CMK, "APIGW-STAGE-WAF"],
  "RestApi PRIVATE with AWS_IAM": [CMK],
  "HttpApi with a Lambda authorizer": ["APIGW-HTTP-WAF", CMK],
  WebSocketApi: [CMK],
  "ApiCustomDomain WebSocket": [CMK],
  "RestApi with service and private routes": [CMK, "APIGW-STAGE-WAF"],
  "HttpApi with service and private routes": ["APIGW-HTTP-WAF", CMK],
  EventArchive: [CMK],
};

describe("modules and policy rules", () => {
  test.each(Object.keys(MODULES))("%s with its defaults passes every rule", (name) => {
    // Alarms are the composition's: each module is checked with the monitoring a stack gives it.
    const monitored = (scope: Construct) => {
      MODULES[name](scope);
      monitor(scope, { namePrefix: "test", region: "eu-west-1", thresholds: EnvironmentSchema.shape.alarms.parse(undefined) });
    };
    const findings = checkStack(new StackView(name, synthConstruct(monitored)), ALL_RULES);
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    expect([...new Set(findings.map((f) => f.rule))].sort()).toEqual(DELIBERATE_WARNINGS[name] ?? []);
  });

  const builders: [string, (scope: Construct, throttling: ThrottleSettings) => void][] = [
    ["RestApi", (scope, throttling) => restApi(scope, "EDGE", throttling)],
    ["HttpApi", (scope, throttling) => httpApi(scope, throttling)],
    ["WebSocketApi", (scope, throttling) => websocketApi(scope, throttling)],
    ["UsagePlan", (scope, throttling) => usagePlan(scope, throttling)],
  ];
  test.each(
    builders.flatMap(([module, build]) =>
      (
        [
          ["0", { rateLimit: 0, burstLimit: 0 }],
          ["a burst below the rate", { rateLimit: 10, burstLimit: 5 }],
          ["a fractional burst", { rateLimit: 1, burstLimit: 1.5 }],
        ] as [string, ThrottleSettings][]
      ).map(([what, throttling]) => [module, what, build, throttling] as const),
    ),
  )("%s fails if throttling is %s", (_module, _what, build, throttling) => {
    expect(() => build(testStack(), throttling)).toThrow(
      `throttling is rate ${throttling.rateLimit}, burst ${throttling.burstLimit}; expected rate > 0 and an integer burst >= rate (0 refuses every request)`,
    );
  });
});

describe("custom domain TLS policies", () => {
  const domain = (kind: "rest" | "http", securityPolicy: string) => (scope: Construct) =>
    new ApiCustomDomain(scope, "domain", {
      domainName: "api.dev.example.com",
      endpointType: "REGIONAL",
      hostedZone: PUBLIC_ZONE,
      region: "eu-west-1",
      mappings: [{ api: kind === "http" ? httpApi(scope) : restApi(scope, "REGIONAL") }],
      securityPolicy: securityPolicy as never,
    });
  const offered = (Object.keys(DOMAIN_TLS_POLICIES) as (keyof typeof DOMAIN_TLS_POLICIES)[]).flatMap((kind) => DOMAIN_TLS_POLICIES[kind].map((policy) => [kind, policy] as const));

  test.each(offered)("a %s domain with %s passes APIGW-DOMAIN-TLS", (kind, policy) => {
    expect(domainTls.check(new StackView("test", synthConstruct(domain(kind, policy))))).toEqual([]);
  });

  test.each(["SecurityPolicy_TLS13_1_2_2021_06", "TLS_1_0"])("an HTTP API domain refuses %s, which API Gateway v2 does not take", (policy) => {
    expect(() => domain("http", policy)(testStack())).toThrow(`test/domain: securityPolicy is "${policy}"; expected TLS 1.2 or newer that an HTTP API domain takes: TLS_1_2`);
  });
});
