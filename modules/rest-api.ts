import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayRestApiPolicy } from "@cdktf/provider-aws/lib/api-gateway-rest-api-policy";
import { ApiGatewayRestApiPut } from "@cdktf/provider-aws/lib/api-gateway-rest-api-put";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import * as formats from "../config/formats";
import type { IExecuteApiEndpoint } from "./execute-api-vpc-endpoint";
import { IntegrationRole } from "./integration-role";
import type { ILambdaFunction } from "./lambda-function";
import { accessLogFormat, accessLogGroup, grantInvoke, routeSource } from "./shared/api-support";
import { policyDocument, PolicyStatement } from "./shared/iam";
import { gatewayResponses } from "./shared/gateway-responses";
import { ClientOperation, clientDocument, defaultOperationId, OPENAPI_VERSION, OpenApiParameter, OpenApiServer, parameterObject, parametersOf } from "./shared/openapi";
import { authorizerHeaders, authorizerPermissions, authorizerSchemes, checkAuthorizers, clientAuthorizerSchemes, invocationRoles, RestAuthorizer, RestRouteAuthorizer } from "./shared/rest-authorizers";
import { checkCors, gatewayResponseCorsHeaders, integrationCorsHeaders, preflightOperation, ResponseHeaders, RestCorsOptions } from "./shared/rest-cors";
import { requestBodyOf, RestRequestValidation, validationDocument, validationProblem, validatorOf } from "./shared/rest-validation";
import { CheckedRoute, checkRoutes, HttpMethod, parsePath, PathSegment, pathId } from "./shared/routes";
import { callStatuses, restServiceIntegration, ServiceCall } from "./shared/service-integrations";
import { linearlyResolved, terraformLiteral } from "./shared/terraform";
import { checkThrottling, ThrottleSettings } from "./shared/throttling";
import { checkFormat, PropsError } from "./shared/validation";

export type RestEndpointType = "PRIVATE" | "REGIONAL" | "EDGE";

/** Where a route's requests go. */
export type RestIntegration =
  | { readonly kind: "lambda"; readonly function: ILambdaFunction }
  | { readonly kind: "http-proxy"; readonly url: string; readonly method?: HttpMethod; readonly vpcLinkId?: string }
  | { readonly kind: "mock"; readonly statusCode?: number; readonly body?: string }
  | { readonly kind: "service"; readonly call: ServiceCall };

export const RestIntegration = {
  /** Lambda proxy integration (`AWS_PROXY`): the function gets the whole request. */
  lambda: (fn: ILambdaFunction): RestIntegration => ({ kind: "lambda", function: fn }),
  /** HTTP proxy integration; `{param}`s of the route are passed into the URL's `{param}`s. https:// only. */
  httpProxy: (url: string, method?: HttpMethod): RestIntegration => ({ kind: "http-proxy", url, ...(method ? { method } : {}) }),
  /**
   * HTTP proxy integration through a VPC link to a private NLB. The URL's host is the Host header
   * and the name the backend's certificate must carry; it may read stage variables, `https://${stageVariables.host}/{proxy}`.
   */
  privateHttpProxy: (url: string, vpcLinkId: string, method?: HttpMethod): RestIntegration => ({ kind: "http-proxy", url, vpcLinkId, ...(method ? { method } : {}) }),
  /** An AWS service action with mapping templates and its own credentials role (see `ServiceCalls`). */
  service: (call: ServiceCall): RestIntegration => ({ kind: "service", call }),
  /** A fixed answer from API Gateway itself, for health checks and stubs. */
  mock: (statusCode = 200, body = "{}"): RestIntegration => ({ kind: "mock", statusCode, body }),
};

/** How a route's answers are cached on a stage that has a cache cluster. */
export interface RestRouteCache {
  /** @default true for GET routes, false for the others */
  readonly enabled?: boolean;
  /**
   * What the cache is keyed on: `path.<name>`, `querystring.<name>` or `header.<name>`, each
   * declared by the route. Every path parameter must be a key, or one cached answer would be
   * served for every value.
   * @default every path and query string parameter of the route
   */
  readonly keys?: readonly string[];
}

export interface RestRoute {
  /** `/`, `/files`, `/files/{key}`, `/proxy/{proxy+}`. */
  readonly path: string;
  readonly method: HttpMethod;
  readonly integration: RestIntegration;
  /**
   * `AWS_IAM` requires SigV4-signed calls.
   * @default "NONE"
   */
  readonly authorization?: "NONE" | "AWS_IAM";
  /**
   * Whether callers must send an API key of a usage plan of this API.
   * @default false
   */
  readonly apiKeyRequired?: boolean;
  /**
   * One of the API's `authorizers` (not with `authorization: "AWS_IAM"`), with the OAuth scopes a
   * Cognito authorizer demands.
   * @default none
   */
  readonly authorizer?: RestRouteAuthorizer;
  /**
   * What API Gateway checks before the integration sees the request (answered 400 otherwise).
   * @default no validation
   */
  readonly validation?: RestRequestValidation;
  /**
   * Query string parameters the route reads (optional for callers).
   * @default none
   */
  readonly queryParameters?: readonly string[];
  /**
   * Request headers the route reads (optional for callers), for cache keys; a CORS preflight allows them.
   * @default none
   */
  readonly headerParameters?: readonly string[];
  /** @default GET routes are cached, keyed on their path and query string parameters */
  readonly cache?: RestRouteCache;
  /**
   * The operation's name in the OpenAPI documents, which generated clients use as a method name.
   * @default the method and the path in camel case, such as getFilesKey
   */
  readonly operationId?: string;
  /** @default none */
  readonly summary?: string;
  /**
   * OpenAPI request body and response objects, copied into the exported client document.
   * @default none
   */
  readonly documentation?: { readonly requestBody?: object; readonly responses?: Readonly<Record<string, object>> };
  /**
   * Stream the Lambda function's answer to the client as it writes it (`responseTransferMode:
   * STREAM`, InvokeWithResponseStream); the function must use `awslambda.streamifyResponse`.
   * Lambda routes only, never cached. `timeoutMillis` is the integration timeout, 50 to 900,000
   * (15 minutes), where a buffered integration stops at 29,000.
   * @default buffered
   */
  readonly streaming?: { readonly timeoutMillis: number };
}

/** A canary release on a stage: a share of its requests see other stage variables (the backend under test). */
export interface RestCanary {
  /** Percent of the stage's requests, above 0 and below 100. */
  readonly percent: number;
  /** @default none */
  readonly stageVariableOverrides?: Readonly<Record<string, string>>;
  /** @default false */
  readonly useStageCache?: boolean;
}

/** The longest integration timeout of a streamed answer (15 minutes). */
export const STREAMING_MAX_TIMEOUT_MILLIS = 900_000;

export interface RestStageOptions {
  readonly stageName: string;
  /** Retention of the access and execution log groups, in days. */
  readonly logRetentionDays: number;
  /**
   * A customer managed KMS key for the access and execution log groups.
   * @default AWS-owned keys
   */
  readonly logKmsKeyArn?: string;
  /** Stage-wide throttling of every method. */
  readonly throttling: ThrottleSettings;
  /** @default "INFO" */
  readonly loggingLevel?: "INFO" | "ERROR";
  /** @default true */
  readonly tracing?: boolean;
  /**
   * A canary release: `percent` of the requests run the stage's deployment with the overrides.
   * @default no canary
   */
  readonly canary?: RestCanary;
  /**
   * Size in GB of the stage's cache cluster; its data is always encrypted.
   * @default no cache
   */
  readonly cacheClusterSize?: (typeof formats.CACHE_CLUSTER_SIZES)[number];
  /** @default 300 */
  readonly cacheTtlSeconds?: number;
  /**
   * Stage variables, which integration URLs read as `${stageVariables.<name>}`.
   * @default none
   */
  readonly variables?: Readonly<Record<string, string>>;
}

export interface RestApiProps {
  /** The API's name, also used in log group names and as the definition's title. */
  readonly name: string;
  /** @default "" */
  readonly description?: string;
  /**
   * `PRIVATE` APIs are reachable only through `vpcEndpoints`.
   * @default "PRIVATE"
   */
  readonly endpointType?: RestEndpointType;
  /**
   * The execute-api endpoints a private API is bound to; its resource policy denies every
   * request that does not come through one of them. Required for, and only for, `PRIVATE`.
   * @default none
   */
  readonly vpcEndpoints?: readonly IExecuteApiEndpoint[];
  /**
   * VPCs whose requests a private API also accepts, through any endpoint in them (`aws:SourceVpc`).
   * @default none
   */
  readonly allowedSourceVpcIds?: readonly string[];
  /**
   * IAM principals (roles or users, also of other accounts) a private API's policy allows by name,
   * for `AWS_IAM` routes: a caller of another account needs this as well as its own IAM policy.
   * The endpoint condition still applies to them.
   * @default none
   */
  readonly allowedPrincipalArns?: readonly string[];
  readonly routes: readonly RestRoute[];
  /**
   * Media types API Gateway passes as bytes: a Lambda proxy answer with `isBase64Encoded` is
   * decoded for a client whose `Accept` header names one of them.
   * @default none
   */
  readonly binaryMediaTypes?: readonly string[];
  readonly stage: RestStageOptions;
  /**
   * Turn off `https://<api-id>.execute-api...` (which accepts TLS 1.0) so that clients must use a
   * custom domain. EDGE and REGIONAL APIs only.
   * @default false
   */
  readonly disableExecuteApiEndpoint?: boolean;
  /**
   * A regional WAFv2 web ACL to put in front of the stage.
   * @default none
   */
  readonly webAclArn?: string;
  /**
   * Authorizers routes may name, by name (their security scheme's name in the document).
   * @default none
   */
  readonly authorizers?: Readonly<Record<string, RestAuthorizer>>;
  /**
   * Browser access from another origin: a preflight `OPTIONS` per resource, and CORS headers on
   * API Gateway's own error answers and on the answers of AWS service and mock integrations.
   * @default no CORS
   */
  readonly cors?: RestCorsOptions;
  /**
   * `dualstack` lets IPv6 clients call the default endpoint too. EDGE and REGIONAL only.
   * @default "ipv4"
   */
  readonly ipAddressType?: "ipv4" | "dualstack";
  /**
   * Compress answers of at least this many bytes (0 to 10,485,760) for clients that accept
   * gzip or deflate. Streamed answers are never compressed by API Gateway.
   * @default no compression
   */
  readonly minimumCompressionSize?: number;
  /**
   * The TLS policy of the API's default (execute-api) endpoint, with its access mode for an enhanced
   * policy. The 6.25 bindings know neither attribute of aws_api_gateway_rest_api (terraform-provider-aws
   * PR #47973 adds them), so both are written raw.
   * @default none: AWS's default, which accepts TLS 1.0
   */
  readonly endpointSecurity?: { readonly securityPolicy: string; readonly endpointAccessMode?: "BASIC" | "STRICT" };
}

/** A route with everything derived from it once: its key, segments, parameters and cache keys. */
interface DefinedRoute extends CheckedRoute<RestRoute> {
  readonly operationId: string;
  readonly parameters: readonly OpenApiParameter[];
  /** Whether a stage with a cache caches the route's answers. */
  readonly cached: boolean;
  /** `method.request.<location>.<name>` of each cache key of a cached route. */
  readonly cacheKeys: readonly string[];
}

const MEDIA_TYPE = /^(?:\*|[A-Za-z0-9!#$&^_.+-]+)\/(?:\*|[A-Za-z0-9!#$&^_.+-]+)$/;
const PARAMETER_NAME = /^[A-Za-z0-9._-]+$/;
const OPERATION_ID = /^[A-Za-z][A-Za-z0-9_]*$/;

const API_KEY_SCHEME = { api_key: { type: "apiKey", name: "x-api-key", in: "header" } };
const SIGV4_DESCRIPTION = "AWS Signature Version 4 for the service execute-api";
const SIGV4_SCHEME = { sigv4: { type: "apiKey", name: "Authorization", in: "header", description: SIGV4_DESCRIPTION, "x-amazon-apigateway-authtype": "awsSigv4" } };
const CLIENT_SIGV4_SCHEME = { sigv4: { type: "apiKey", name: "Authorization", in: "header", description: SIGV4_DESCRIPTION } };

/**
 * A REST API defined by one OpenAPI document, with a deployment that is replaced whenever the
 * document changes, and one fully logged, traced and throttled stage.
 *
 * The document is written with `aws_api_gateway_rest_api_put`, which calls PutRestApi in
 * overwrite mode: the API becomes exactly the document, so a route removed from code is gone
 * from the API before the new deployment snapshots it. With a tree of method resources, the
 * new deployment (create_before_destroy) is made before the removed method is destroyed and
 * keeps serving it (pulumi/pulumi-aws#3289).
 * @see https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/api_gateway_rest_api_put
 */
export class RestApi extends Construct {
  public readonly name: string;
  /** The stage's access log group, which alarms count throttled requests in. */
  public readonly accessLogGroupName: string;
  public readonly apiId: string;
  public readonly executionArn: string;
  public readonly stageName: string;
  /** The stage's ARN, for WAF associations and usage plans. */
  public readonly stageArn: string;
  /** `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>`; inside the VPC for private APIs. */
  public readonly invokeUrl: string;
  /** For private APIs, `https://<api-id>-<vpce-id>.execute-api...` per endpoint, usable without private DNS. */
  public readonly endpointInvokeUrls: readonly string[];
  public readonly endpointType: RestEndpointType;
  /** The stage's canary, when it has one: it gets alarms of its own. */
  public readonly canary?: RestCanary;
  /** The stage resource, for what builds on it (usage plans, domain mappings). */
  public readonly stage: ApiGatewayStage;

  private readonly routes: readonly DefinedRoute[];
  private readonly description?: string;
  private readonly minimumCompressionSize?: number;
  private readonly authorizers: Readonly<Record<string, RestAuthorizer>>;
  /** The credentials role ARN of each service call, by the call's name. */
  public readonly credentials: ReadonlyMap<string, string>;

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    this.endpointType = props.endpointType ?? "PRIVATE";
    const isPrivate = this.endpointType === "PRIVATE";
    const endpoints = props.vpcEndpoints ?? [];
    this.authorizers = props.authorizers ?? {};
    this.routes = this.validate(props, isPrivate, endpoints);
    this.name = props.name;
    this.description = props.description;
    this.minimumCompressionSize = props.minimumCompressionSize;

    // The endpoint ids are set here and in the document alike: PutRestApi in overwrite mode
    // drops the vpcEndpointIds that the document does not list (aws/aws-sam-cli#2353).
    const endpointIds = endpoints.map((e) => e.endpointId);
    const api = new ApiGatewayRestApi(this, "api", {
      name: props.name,
      description: props.description,
      // ip_address_type is set here only: the document's endpoint configuration takes it for HTTP APIs alone.
      endpointConfiguration: { types: [this.endpointType], ...(isPrivate ? { vpcEndpointIds: endpointIds } : {}), ...(props.ipAddressType ? { ipAddressType: props.ipAddressType } : {}) },
      ...(props.disableExecuteApiEndpoint ? { disableExecuteApiEndpoint: true } : {}),
    });
    if (props.endpointSecurity) {
      api.addOverride("security_policy", props.endpointSecurity.securityPolicy);
      if (props.endpointSecurity.endpointAccessMode) api.addOverride("endpoint_access_mode", props.endpointSecurity.endpointAccessMode);
    }
    this.apiId = api.id;
    this.executionArn = api.executionArn;

    const policy = isPrivate ? privatePolicy(api.executionArn, endpointIds, props.allowedSourceVpcIds ?? [], props.allowedPrincipalArns ?? [], this.routes.every((r) => r.route.authorization === "AWS_IAM") ? this.accountRoot() : undefined) : undefined;
    const authorizers = props.authorizers ?? {};
    const roles = invocationRoles(this, props.name, authorizers);
    this.credentials = this.integrationRoles(props.name, api.executionArn);
    const definition = new ApiGatewayRestApiPut(this, "definition", {
      restApiId: api.id,
      body: linearlyResolved(JSON.stringify(this.definitionDocument(props, endpointIds, policy, new Map([...roles].map(([name, role]) => [name, role.arn]))))),
      // A document API Gateway only partly understands would otherwise be applied partly, silently.
      failOnWarnings: true,
      lifecycle: { createBeforeDestroy: true },
    });
    // The policy is in the document, since overwriting clears any other (terraform-provider-aws#49672),
    // and attached again after it: the attachment detects drift, and replacing the document never
    // destroys it, which would clear the policy (its delete writes an empty one).
    const attachment = policy ? new ApiGatewayRestApiPolicy(this, "policy", { restApiId: api.id, policy: policyDocument(policy), dependsOn: [definition] }) : undefined;
    const permissions = grantInvoke(
      this,
      props.name,
      this.executionArn,
      this.routes.flatMap(({ route }) => {
        if (route.integration.kind !== "lambda") return [];
        const segments = parsePath(route.path) as PathSegment[];
        return [{ function: route.integration.function, id: `${route.method}:${pathId(segments)}`, source: routeSource("*", route.method, segments) }];
      }),
    );
    const authorizerAccess = [
      ...authorizerPermissions(this, { apiName: props.name, restApiId: api.id, executionArn: api.executionArn, definition, authorizers }, new Set(roles.keys())),
      ...[...roles.values()].flatMap((role) => role.grants),
    ];

    // A deployment snapshots the API; AWS serves route and policy changes only from a new one.
    // The triggers are hashes Terraform computes, so they follow values only known at apply
    // (a replaced function's ARN, a new endpoint's id) and order the deployment after both.
    const deployment = new ApiGatewayDeployment(this, "deployment", {
      restApiId: api.id,
      description: "Managed by cdktf; replaced whenever the API's definition or resource policy changes",
      triggers: { definition: Fn.sha1(definition.body), ...(attachment ? { policy: Fn.sha1(attachment.policy) } : {}) },
      lifecycle: { createBeforeDestroy: true },
      // The stage moves to a new deployment only once API Gateway may call its authorizers.
      ...(authorizerAccess.length ? { dependsOn: authorizerAccess } : {}),
    });

    const stage = props.stage;
    const accessLogs = accessLogGroup(this, props.name, stage.stageName, stage.logRetentionDays, stage.logKmsKeyArn);
    this.accessLogGroupName = accessLogs.name;
    // API Gateway creates this group itself on the first logged request, with no retention.
    const executionLogs = new CloudwatchLogGroup(this, "execution-logs", {
      name: `API-Gateway-Execution-Logs_${api.id}/${stage.stageName}`,
      retentionInDays: stage.logRetentionDays,
      ...(stage.logKmsKeyArn ? { kmsKeyId: stage.logKmsKeyArn } : {}),
      // AWS names this group after the stage: a renamed stage's old group keeps its history until its retention ends.
      skipDestroy: true,
    });
    // Canary requests log to a group of their own, which API Gateway would create without retention.
    // It outlives a canary (skip_destroy, keeping its history until its retention ends), so it is made
    // for every stage, canary or not: made with the canary only, a canary added again after one was
    // removed would find its name taken (ResourceAlreadyExistsException).
    const canaryLogs = new CloudwatchLogGroup(this, "canary-execution-logs", {
      name: `API-Gateway-Execution-Logs_${api.id}/${stage.stageName}/Canary`,
      retentionInDays: stage.logRetentionDays,
      ...(stage.logKmsKeyArn ? { kmsKeyId: stage.logKmsKeyArn } : {}),
      skipDestroy: true,
    });
    // A new stage name replaces the stage. The new one is created first, mappings and usage plans
    // are moved to it in place, and the old one is deleted last: API Gateway refuses to delete a
    // stage that a base path mapping points at (terraform-provider-aws#41651). The stage depends on
    // the invoke permissions, so a renamed function's old permission (and the function) outlive
    // the stage's move to the deployment that calls the new one.
    this.stage = new ApiGatewayStage(this, "stage", {
      restApiId: api.id,
      deploymentId: deployment.id,
      stageName: stage.stageName,
      xrayTracingEnabled: stage.tracing ?? true,
      accessLogSettings: { destinationArn: accessLogs.arn, format: accessLogFormat("REST") },
      ...(stage.cacheClusterSize ? { cacheClusterEnabled: true, cacheClusterSize: stage.cacheClusterSize } : {}),
      ...(stage.variables && Object.keys(stage.variables).length ? { variables: { ...stage.variables } } : {}),
      // The canary runs the stage's own deployment (provider >= 5.75 requires its id, PR #39929), so
      // a new definition moves both together; only the overrides differ. Removing the block makes
      // the provider remove the canary settings from the stage.
      ...(stage.canary
        ? {
            canarySettings: {
              deploymentId: deployment.id,
              percentTraffic: stage.canary.percent,
              useStageCache: stage.canary.useStageCache ?? false,
              ...(stage.canary.stageVariableOverrides && Object.keys(stage.canary.stageVariableOverrides).length ? { stageVariableOverrides: { ...stage.canary.stageVariableOverrides } } : {}),
            },
          }
        : {}),
      dependsOn: [executionLogs, canaryLogs, ...[...permissions.values()].flat()],
      lifecycle: { createBeforeDestroy: true },
    });
    this.methodSettings(api.id, stage);

    if (props.webAclArn) {
      // Not create_before_destroy: deleting an association disassociates whatever web ACL the stage
      // has (by stage ARN), so a new ACL on the same stage would be removed right after it was set.
      new Wafv2WebAclAssociation(this, "web-acl", { resourceArn: this.stage.arn, webAclArn: props.webAclArn });
    }

    this.stageName = this.stage.stageName;
    this.canary = stage.canary;
    this.stageArn = this.stage.arn;
    this.invokeUrl = this.stage.invokeUrl;
    this.endpointInvokeUrls = endpointIds.map((e) => Fn.replace(this.stage.invokeUrl, `https://${api.id}.`, `https://${api.id}-${e}.`));
  }

  /** The API as its clients see it: an OpenAPI document without AWS extensions. */
  public clientDocument(servers: readonly OpenApiServer[]): Record<string, unknown> {
    const document = clientDocument({
      title: this.name,
      description: this.description,
      servers,
      securitySchemes: { ...this.securitySchemes(CLIENT_SIGV4_SCHEME), ...clientAuthorizerSchemes(this.authorizers) },
      operations: this.routes.map(
        ({ route, operationId, parameters }): ClientOperation => ({
          path: route.path,
          method: route.method,
          operationId,
          summary: route.summary,
          parameters,
          security: securityOf(route),
          requestBody: route.documentation?.requestBody ?? requestBodyOf(route.validation, true),
          responses: route.documentation?.responses,
        }),
      ),
    });
    // Clients learn that sending Accept-Encoding pays off, and from which size.
    const compression = this.minimumCompressionSize;
    return compression === undefined ? document : { ...document, "x-response-compression": { encodings: ["gzip", "deflate"], minimumSizeBytes: compression } };
  }

  private validate(props: RestApiProps, isPrivate: boolean, endpoints: readonly IExecuteApiEndpoint[]): DefinedRoute[] {
    if (isPrivate && endpoints.length === 0) {
      throw new PropsError(this, "vpcEndpoints", "is empty; a PRIVATE API needs the execute-api endpoint(s) its resource policy admits, or API Gateway refuses to deploy it");
    }
    if (!isPrivate && (endpoints.length > 0 || props.allowedSourceVpcIds?.length || props.allowedPrincipalArns?.length)) {
      throw new PropsError(this, "vpcEndpoints", `is set on a ${this.endpointType} API; VPC endpoints and source VPCs apply to PRIVATE APIs only`);
    }
    (props.allowedSourceVpcIds ?? []).forEach((v, i) => checkFormat(this, `allowedSourceVpcIds[${i}]`, v, formats.vpcId));
    (props.allowedPrincipalArns ?? []).forEach((v, i) => checkFormat(this, `allowedPrincipalArns[${i}]`, v, formats.iamPrincipalArn));
    (props.binaryMediaTypes ?? []).forEach((t, i) =>
      checkFormat(this, `binaryMediaTypes[${i}]`, t, (value) => (MEDIA_TYPE.test(value) ? undefined : "a media type such as application/octet-stream or image/png")),
    );
    if (props.webAclArn !== undefined) checkFormat(this, "webAclArn", props.webAclArn, formats.regionalWebAclArn);
    if (isPrivate && props.disableExecuteApiEndpoint) {
      throw new PropsError(this, "disableExecuteApiEndpoint", "is set on a PRIVATE API; it applies to EDGE and REGIONAL APIs, a private API is reached through its VPC endpoints");
    }
    if (props.routes.length === 0) throw new PropsError(this, "routes", "is empty; an API without methods cannot be deployed");
    if (isPrivate && props.ipAddressType === "ipv4") {
      throw new PropsError(this, "ipAddressType", "is ipv4 on a PRIVATE API, which AWS makes dualstack only; leave it unset");
    }
    const compression = props.minimumCompressionSize;
    if (compression !== undefined && (!Number.isInteger(compression) || compression < 0 || compression > 10_485_760)) {
      throw new PropsError(this, "minimumCompressionSize", `is ${compression}; expected a whole number of bytes from 0 to 10485760`);
    }
    checkThrottling(this, "stage.throttling", props.stage.throttling);
    const canary = props.stage.canary;
    if (canary && !Token.isUnresolved(canary.percent) && !(canary.percent > 0 && canary.percent < 100)) {
      throw new PropsError(this, "stage.canary.percent", `is ${canary.percent}; expected a share above 0 and below 100 (100 is a promotion: npm run canary -- promote)`);
    }
    for (const [name, value] of Object.entries(canary?.stageVariableOverrides ?? {})) {
      checkFormat(this, "stage.canary.stageVariableOverrides", name, formats.stageVariableName);
      checkFormat(this, `stage.canary.stageVariableOverrides.${name}`, value, formats.stageVariableValue);
    }
    checkAuthorizers(this, this.authorizers);
    if (props.cors) checkCors(this, props.cors);
    for (const [name, value] of Object.entries(props.stage.variables ?? {})) {
      checkFormat(this, "stage.variables", name, formats.stageVariableName);
      checkFormat(this, `stage.variables.${name}`, value, formats.stageVariableValue);
    }
    const models = new Map<string, string>();

    const parameterAt = new Map<string, string>();
    const operationIds = new Map<string, string>();
    return checkRoutes((route, problem) => new PropsError(this, `route ${route}`, problem), props.routes).map((checked) => {
      const { route, key, segments } = checked;
      const fail = (problem: string) => new PropsError(this, `route ${key}`, problem);
      // API Gateway allows one parameter name per position: /a/{id} and /a/{key} conflict.
      segments.forEach((segment, i) => {
        if (!segment.parameter) return;
        const parent = `/${segments.slice(0, i).map((s) => s.text).join("/")}`;
        const other = parameterAt.get(parent);
        if (other && other !== segment.text) throw fail(`has ${segment.text} under ${parent}, where another route has ${other}; API Gateway allows one parameter per position`);
        parameterAt.set(parent, segment.text);
      });
      if (route.integration.kind === "http-proxy") this.checkBackendUrl(key, route.integration, props.stage.variables ?? {});
      const required = { query: route.validation?.requiredQueryParameters ?? [], header: route.validation?.requiredHeaders ?? [] };
      for (const name of [...(route.queryParameters ?? []), ...(route.headerParameters ?? []), ...required.query, ...required.header]) {
        if (!PARAMETER_NAME.test(name)) throw fail(`declares the parameter ${JSON.stringify(name)}; allowed: letters, digits and . _ -`);
      }
      this.checkRouteAuthorizer(route, fail);
      if (route.validation) {
        const problem = validationProblem(route.validation);
        if (problem) throw fail(problem);
        const body = route.validation.body;
        const known = body && models.get(body.model);
        if (body && known !== undefined && known !== JSON.stringify(body.schema)) throw fail(`has the body model ${body.model} with another schema than a route before it; give each schema its own model name`);
        if (body) models.set(body.model, JSON.stringify(body.schema));
      }
      const operationId = route.operationId ?? defaultOperationId(route.method, segments);
      if (!OPERATION_ID.test(operationId)) throw fail(`has the operationId ${JSON.stringify(operationId)}; expected a letter followed by letters, digits or _`);
      const sameId = operationIds.get(operationId);
      if (sameId) throw fail(`has the operationId ${operationId} of ${sameId}; each operation needs its own`);
      operationIds.set(operationId, key);
      const declared = (names: readonly string[] | undefined, more: readonly string[]) => [...new Set([...(names ?? []), ...more])];
      const parameters = parametersOf(segments, declared(route.queryParameters, required.query), declared(route.headerParameters, required.header)).map((p) =>
        p.in !== "path" && (required[p.in] as readonly string[]).includes(p.name) ? { ...p, required: true } : p,
      );
      if (route.streaming) this.checkStreaming(route, fail);
      const cached = !route.streaming && (route.cache?.enabled ?? route.method === "GET");
      return { ...checked, operationId, parameters, cached, cacheKeys: cached ? this.cacheKeys(route, parameters, fail) : [] };
    });
  }

  /** What AWS allows a streamed answer: a Lambda proxy integration, no stage cache, a timeout of up to 15 minutes. */
  private checkStreaming(route: RestRoute, fail: (problem: string) => Error): void {
    const timeout = route.streaming!.timeoutMillis;
    if (route.integration.kind !== "lambda") throw fail(`streams its answer through a ${route.integration.kind} integration; this module streams Lambda proxy integrations only`);
    if (route.cache?.enabled) throw fail("streams its answer and is cached; API Gateway caches buffered answers only (set cache.enabled: false)");
    if (!Number.isInteger(timeout) || timeout < 50 || timeout > STREAMING_MAX_TIMEOUT_MILLIS) {
      throw fail(`streams with timeoutMillis ${timeout}; expected 50 to ${STREAMING_MAX_TIMEOUT_MILLIS} (15 minutes)`);
    }
  }

  private checkRouteAuthorizer(route: RestRoute, fail: (problem: string) => Error): void {
    const use = route.authorizer;
    if (!use) return;
    const authorizer = this.authorizers[use.name];
    if (!authorizer) throw fail(`names the authorizer ${JSON.stringify(use.name)}; the API's authorizers are ${Object.keys(this.authorizers).join(", ") || "(none)"}`);
    if (route.authorization === "AWS_IAM") throw fail("has both AWS_IAM and an authorizer; API Gateway applies one authorization type per method");
    if (!use.scopes?.length && authorizer.type === "COGNITO_USER_POOLS") throw fail(`takes any token of the user pools of ${use.name}, ID tokens of every app client included; name the OAuth scopes it demands (APIGW-COGNITO-SCOPES)`);
    if (use.scopes?.length && authorizer.type !== "COGNITO_USER_POOLS") throw fail(`demands scopes of the ${authorizer.type} authorizer ${use.name}; API Gateway checks scopes with Cognito user pool authorizers only`);
    (use.scopes ?? []).forEach((scope, i) => checkFormat(this, `route ${route.method} ${route.path} authorizer.scopes[${i}]`, scope, formats.oauthScope));
  }

  /**
   * Plain http:// crosses the internet unencrypted, and through a VPC link it carries the caller's
   * token across the VPC in plain text (APIGW-INTEGRATION-HTTPS refuses both).
   */
  private checkBackendUrl(key: string, integration: Extract<RestIntegration, { kind: "http-proxy" }>, variables: Readonly<Record<string, string>>): void {
    checkFormat(this, `route ${key} integration url`, integration.url, (url) => (/^https:\/\/[^\s/]+/.test(url) ? undefined : "an https:// URL"));
    for (const [, name] of integration.url.matchAll(/\$\{stageVariables\.([^}]*)\}/g)) {
      if (!(name in variables)) {
        throw new PropsError(this, `route ${key} integration url`, `reads the stage variable ${JSON.stringify(name)}, which the stage does not set; it sets ${Object.keys(variables).join(", ") || "none"}`);
      }
    }
  }

  /** One credentials role per service call, allowed that call only, assumable for this API only. */
  private integrationRoles(apiName: string, executionArn: string): Map<string, string> {
    const roles = new Map<string, string>();
    for (const { route } of this.routes) {
      if (route.integration.kind !== "service" || roles.has(route.integration.call.name)) continue;
      const call = route.integration.call;
      checkFormat(this, "service call name", call.name, (name) => (/^[a-z0-9-]{1,32}$/.test(name) ? undefined : "1-32 lower-case letters, digits and -"));
      const role = new IntegrationRole(this, `integration-role-${call.name}`, {
        roleName: `${apiName}-${call.name}`,
        apiExecutionArn: executionArn,
        action: call.iamAction,
        resourceArn: call.resourceArn,
        ...(call.kms ? { kms: call.kms } : {}),
      });
      roles.set(call.name, role.arn);
    }
    return roles;
  }

  private cacheKeys(route: RestRoute, parameters: readonly OpenApiParameter[], fail: (problem: string) => Error): string[] {
    const keys = route.cache?.keys ?? parameters.filter((p) => p.in !== "header").map((p) => `${p.in === "query" ? "querystring" : p.in}.${p.name}`);
    const declared = parameters.map((p) => `${p.in === "query" ? "querystring" : p.in}.${p.name}`);
    for (const key of keys) {
      if (!declared.includes(key)) throw fail(`has the cache key ${JSON.stringify(key)}; allowed: the route's own parameters ${declared.join(", ") || "(none)"}`);
    }
    const unkeyed = parameters.find((p) => p.in === "path" && !keys.includes(`path.${p.name}`));
    if (unkeyed) throw fail(`is cached without the cache key path.${unkeyed.name}; one cached answer would be served for every ${unkeyed.name} (add the key, or set cache.enabled: false)`);
    return keys.map((k) => `method.request.${k}`);
  }

  private securitySchemes(sigv4: Record<string, object> = SIGV4_SCHEME): Record<string, object> {
    return {
      ...(this.routes.some((r) => r.route.apiKeyRequired) ? API_KEY_SCHEME : {}),
      ...(this.routes.some((r) => r.route.authorization === "AWS_IAM") ? sigv4 : {}),
    };
  }

  /**
   * The API's whole definition in OpenAPI 3 with API Gateway's extensions. Whatever PutRestApi's
   * overwrite would otherwise reset lives here too: the policy, the endpoint ids, the binary types.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
   */
  private definitionDocument(props: RestApiProps, endpointIds: readonly string[], policy: readonly PolicyStatement[] | undefined, roles: ReadonlyMap<string, string>): Record<string, unknown> {
    const paths: Record<string, Record<string, object>> = {};
    const streaming = this.streamingTarget();
    for (const defined of this.routes) {
      const { route } = defined;
      const method = route.method === "ANY" ? "x-amazon-apigateway-any-method" : route.method.toLowerCase();
      const security = securityOf(route);
      const requestBody = requestBodyOf(route.validation);
      const validator = validatorOf(route.validation);
      const cors = props.cors && isNonProxy(route.integration) ? integrationCorsHeaders(props.cors) : undefined;
      (paths[route.path] ??= {})[method] = {
        operationId: defined.operationId,
        ...(route.summary ? { summary: terraformLiteral(route.summary) } : {}),
        ...(defined.parameters.length ? { parameters: defined.parameters.map(parameterObject) } : {}),
        ...(requestBody ? { requestBody } : {}),
        ...(validator ? { "x-amazon-apigateway-request-validator": validator } : {}),
        ...(Object.keys(security).length ? { security: [security] } : {}),
        responses: Object.fromEntries(methodStatuses(route.integration).map((status) => [status, { description: "Answered by the integration", ...(cors ? { headers: cors.declared } : {}) }])),
        "x-amazon-apigateway-integration": integrationOf(defined, this.credentials, streaming, cors),
      };
    }
    if (props.cors) {
      for (const [path, item] of Object.entries(paths)) {
        // A route's own OPTIONS answers the preflight itself. An ANY does not: it would take the
        // preflight, which carries no API key or token, to its authorizer or backend, while next
        // to an explicit OPTIONS it takes every other method.
        if (item.options) continue;
        const routes = this.routes.filter((r) => r.route.path === path);
        item.options = preflightOperation(props.cors, routes.map((r) => r.route.method), routes.flatMap((r) => this.browserHeaders(r)));
      }
    }
    const schemes = { ...this.securitySchemes(), ...authorizerSchemes(this.authorizers, roles) };
    const { schemas, validators } = validationDocument(this.routes.map((r) => r.route.validation));
    const components = { ...(Object.keys(schemes).length ? { securitySchemes: schemes } : {}), ...(Object.keys(schemas).length ? { schemas } : {}) };
    return {
      openapi: OPENAPI_VERSION,
      // The title is the API's name: PutRestApi renames the API after it.
      info: { title: props.name, version: "1", ...(props.description ? { description: terraformLiteral(props.description) } : {}) },
      paths,
      ...(Object.keys(components).length ? { components } : {}),
      ...(Object.keys(validators).length ? { "x-amazon-apigateway-request-validators": validators } : {}),
      "x-amazon-apigateway-gateway-responses": gatewayResponses(props.cors ? gatewayResponseCorsHeaders(props.cors) : {}),
      ...(props.binaryMediaTypes?.length ? { "x-amazon-apigateway-binary-media-types": [...props.binaryMediaTypes] } : {}),
      // The overwrite turns compression off unless the document sets it.
      ...(props.minimumCompressionSize !== undefined ? { "x-amazon-apigateway-minimum-compression-size": props.minimumCompressionSize } : {}),
      // OpenAPI 3 carries the endpoint configuration on a Server object, not at the top level (that is Swagger 2's place).
      // The overwrite resets what the document leaves out, so the disabled default endpoint is stated here too.
      ...(endpointIds.length ? { servers: [{ url: "/", "x-amazon-apigateway-endpoint-configuration": { vpcEndpointIds: [...endpointIds] } }] } : {}),
      ...(props.disableExecuteApiEndpoint ? { servers: [{ url: "/", "x-amazon-apigateway-endpoint-configuration": { disableExecuteApiEndpoint: true } }] } : {}),
      ...(policy ? { "x-amazon-apigateway-policy": { Version: "2012-10-17", Statement: policy } } : {}),
    };
  }

  /** The request headers a browser sends for a route: its header parameters and its authorizer's identity headers. */
  private browserHeaders({ route, parameters }: DefinedRoute): string[] {
    const authorizer = route.authorizer ? this.authorizers[route.authorizer.name] : undefined;
    return [...parameters.filter((p) => p.in === "header").map((p) => p.name), ...(authorizer ? authorizerHeaders(authorizer) : [])];
  }

  /** `arn:<partition>:iam::<account>:root` of the account the API is in. */
  private accountRoot(): string {
    const partition = this.partition();
    const caller = new DataAwsCallerIdentity(this, "account");
    return `arn:${partition.partition}:iam::${caller.accountId}:root`;
  }

  private partitionData?: DataAwsPartition;
  private partition(): DataAwsPartition {
    return (this.partitionData ??= new DataAwsPartition(this, "partition"));
  }

  /** Where streamed routes' URIs are: the API's partition and region, which the function's ARN holds too. */
  private streamingTarget(): StreamingTarget | undefined {
    if (!this.routes.some((r) => r.route.streaming)) return undefined;
    // The region's id is its name in provider 5.x and 6.x alike (6.x deprecates `name`).
    return { partition: this.partition().partition, region: new DataAwsRegion(this, "region").id };
  }

  /**
   * Stage-wide settings for every method, and an override per cached route: only the routes
   * that ask for it are cached (GET by default), each keyed on its own parameters.
   */
  private methodSettings(restApiId: string, stage: RestStageOptions): void {
    const cached = stage.cacheClusterSize ? this.routes.filter((r) => r.cached) : [];
    const settings = (cachingEnabled: boolean) => ({
      loggingLevel: stage.loggingLevel ?? "INFO",
      metricsEnabled: true,
      // Full request and response bodies in the logs would leak credentials and personal data.
      dataTraceEnabled: false,
      // Every override repeats these: an unset throttling limit of an override is -1, unthrottled.
      throttlingRateLimit: stage.throttling.rateLimit,
      throttlingBurstLimit: stage.throttling.burstLimit,
      ...(stage.cacheClusterSize ? { cachingEnabled, cacheDataEncrypted: true, cacheTtlInSeconds: stage.cacheTtlSeconds ?? 300 } : {}),
      // Otherwise any caller could empty the cache with Cache-Control: max-age=0 and send every request to the backend.
      ...(cachingEnabled ? { requireAuthorizationForCacheControl: true, unauthorizedCacheControlHeaderStrategy: "FAIL_WITH_403" } : {}),
    });
    // Settings of a renamed stage are made on the new stage before the old stage loses its own.
    const lifecycle = { createBeforeDestroy: true };
    new ApiGatewayMethodSettings(this, "method-settings", { restApiId, stageName: this.stage.stageName, methodPath: "*/*", settings: settings(false), lifecycle });
    for (const { route, segments } of cached) {
      new ApiGatewayMethodSettings(this, `cache-${route.method}:${pathId(segments)}`, {
        restApiId,
        stageName: this.stage.stageName,
        // The resource path with every `/` written `~1` (the root is `~1`), then the method; the
        // provider passes it to AWS as it is, and an unescaped path matches no method (terraform-provider-aws#9738).
        methodPath: `${route.path.replace(/\//g, "~1")}/${route.method === "ANY" ? "*" : route.method}`,
        settings: settings(true),
        lifecycle,
      });
    }
  }
}

function securityOf(route: RestRoute): Record<string, string[]> {
  return {
    ...(route.authorization === "AWS_IAM" ? { sigv4: [] } : {}),
    ...(route.authorizer ? { [route.authorizer.name]: [...(route.authorizer.scopes ?? [])] } : {}),
    ...(route.apiKeyRequired ? { api_key: [] } : {}),
  };
}

/** Whether API Gateway builds the answer from integration responses, rather than passing the backend's through. */
function isNonProxy(integration: RestIntegration): boolean {
  return integration.kind === "service" || integration.kind === "mock";
}

/** The statuses a method answers with: each integration response needs its method response. */
function methodStatuses(integration: RestIntegration): string[] {
  if (integration.kind === "service") return callStatuses(integration.call);
  return [String(integration.kind === "mock" ? (integration.statusCode ?? 200) : 200)];
}

/** A route's integration; `headers` are mapped on every integration response of a non-proxy one. */
function integrationOf({ route, segments, cacheKeys }: DefinedRoute, credentials: ReadonlyMap<string, string>, streaming: StreamingTarget | undefined, headers?: ResponseHeaders): Record<string, unknown> {
  const cache = cacheKeys.length ? { cacheKeyParameters: [...cacheKeys] } : {};
  const integration = route.integration;
  switch (integration.kind) {
    case "service":
      return restServiceIntegration(integration.call, credentials.get(integration.call.name) as string, cacheKeys, headers?.mapped);
    case "lambda":
      return route.streaming
        ? { type: "aws_proxy", httpMethod: "POST", uri: streamingInvokeUri(integration.function.functionArn, streaming!), passthroughBehavior: "when_no_match", responseTransferMode: "STREAM", timeoutInMillis: route.streaming.timeoutMillis }
        : { type: "aws_proxy", httpMethod: "POST", uri: integration.function.invokeArn, passthroughBehavior: "when_no_match", ...cache };
    case "http-proxy": {
      const parameters = segments.filter((s) => s.parameter).map((s) => s.parameter as string);
      return {
        type: "http_proxy",
        httpMethod: integration.method ?? route.method,
        // API Gateway reads ${stageVariables.x}; Terraform must not.
        uri: integration.url.replace(/\$\{stageVariables\./g, () => "$${stageVariables."),
        ...(integration.vpcLinkId !== undefined ? { connectionType: "VPC_LINK", connectionId: integration.vpcLinkId } : {}),
        passthroughBehavior: "when_no_match",
        ...(parameters.length ? { requestParameters: Object.fromEntries(parameters.map((p) => [`integration.request.path.${p}`, `method.request.path.${p}`])) } : {}),
        ...cache,
      };
    }
    case "mock": {
      const statusCode = integration.statusCode ?? 200;
      return {
        type: "mock",
        requestTemplates: { "application/json": JSON.stringify({ statusCode }) },
        passthroughBehavior: "when_no_match",
        responses: { default: { statusCode: String(statusCode), ...(headers ? { responseParameters: { ...headers.mapped } } : {}), responseTemplates: { "application/json": terraformLiteral(integration.body ?? "{}") } } },
        ...cache,
      };
    }
  }
}

/**
 * The URI API Gateway calls InvokeWithResponseStream through: Lambda's 2021-11-15 API and
 * `/response-streaming-invocations`, where buffered calls use 2015-03-31 and `/invocations`.
 * Provider 6.25 has no `response_streaming_invoke_arn`, so it is built from the function's ARN
 * and the API's partition and region (a function is invoked in its own region).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/response-transfer-mode-lambda.html
 */
export function streamingInvokeUri(functionArn: string, target: StreamingTarget): string {
  return `arn:${target.partition}:apigateway:${target.region}:lambda:path/2021-11-15/functions/${functionArn}/response-streaming-invocations`;
}

interface StreamingTarget {
  readonly partition: string;
  readonly region: string;
}

/**
 * Allow invocation only through the bound endpoints (or the allowed VPCs); deny everything else.
 * The resource is the full ARN: API Gateway stores `execute-api:/*` expanded to it, and the
 * provider would report the shorthand as a change on every plan (terraform-provider-aws#15602).
 */
function privatePolicy(executionArn: string, endpointIds: readonly string[], sourceVpcIds: readonly string[], principalArns: readonly string[], accountRoot: string | undefined): PolicyStatement[] {
  const everything = `${executionArn}/*`;
  return [
    // With AWS_IAM on every route, an Allow for * would let any signed caller in, whatever its IAM
    // policy says; naming the API's own account instead leaves the decision to its IAM policies.
    { Sid: "AllowInvoke", Effect: "Allow", Principal: accountRoot ? { AWS: accountRoot } : "*", Action: "execute-api:Invoke", Resource: everything },
    // Another account's principal gets in only if this policy names it and its own IAM policy allows it.
    ...(principalArns.length ? [{ Sid: "AllowNamedPrincipals", Effect: "Allow" as const, Principal: { AWS: [...principalArns] }, Action: "execute-api:Invoke", Resource: everything }] : []),
    {
      Sid: "DenyOutsideVpcEndpoints",
      Effect: "Deny",
      Principal: "*",
      Action: "execute-api:Invoke",
      Resource: everything,
      // Keys of one condition are ANDed: the Deny applies only when neither matches.
      Condition: { StringNotEquals: { "aws:SourceVpce": [...endpointIds], ...(sourceVpcIds.length ? { "aws:SourceVpc": [...sourceVpcIds] } : {}) } },
    },
  ];
}
