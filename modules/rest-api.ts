import { createHash } from "crypto";
import { Fn, IResolveContext, Lazy, TerraformElement } from "cdktf";
import { Construct } from "constructs";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayIntegrationResponse } from "@cdktf/provider-aws/lib/api-gateway-integration-response";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodResponse } from "@cdktf/provider-aws/lib/api-gateway-method-response";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayRestApiPolicy } from "@cdktf/provider-aws/lib/api-gateway-rest-api-policy";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import * as formats from "../config/formats";
import type { IExecuteApiEndpoint } from "./execute-api-vpc-endpoint";
import type { ILambdaFunction } from "./lambda-function";
import { accessLogFormat, accessLogGroup, distinctFunctions, grantInvoke } from "./shared/api-support";
import { checkRoutes, HttpMethod, parsePath, PathSegment, pathId } from "./shared/routes";
import { checkFormat, PropsError } from "./shared/validation";

export type RestEndpointType = "PRIVATE" | "REGIONAL" | "EDGE";

/** Where a route's requests go. */
export type RestIntegration =
  | { readonly kind: "lambda"; readonly function: ILambdaFunction }
  | { readonly kind: "http-proxy"; readonly url: string; readonly method?: HttpMethod }
  | { readonly kind: "mock"; readonly statusCode?: number; readonly body?: string };

export const RestIntegration = {
  /** Lambda proxy integration (`AWS_PROXY`): the function gets the whole request. */
  lambda: (fn: ILambdaFunction): RestIntegration => ({ kind: "lambda", function: fn }),
  /** HTTP proxy integration; `{param}`s of the route are passed into the URL's `{param}`s. */
  httpProxy: (url: string, method?: HttpMethod): RestIntegration => ({ kind: "http-proxy", url, ...(method ? { method } : {}) }),
  /** A fixed answer from API Gateway itself, for health checks and stubs. */
  mock: (statusCode = 200, body = "{}"): RestIntegration => ({ kind: "mock", statusCode, body }),
};

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
}

export interface RestStageOptions {
  readonly stageName: string;
  /** Retention of the access and execution log groups, in days. */
  readonly logRetentionDays: number;
  /** Stage-wide throttling of every method. */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  /** @default "INFO" */
  readonly loggingLevel?: "INFO" | "ERROR";
  /** @default true */
  readonly tracing?: boolean;
  /**
   * Size in GB of the stage's cache cluster; its data is always encrypted.
   * @default no cache
   */
  readonly cacheClusterSize?: (typeof formats.CACHE_CLUSTER_SIZES)[number];
  /** @default 300 */
  readonly cacheTtlSeconds?: number;
}

export interface RestApiProps {
  /** The API's name, also used in log group names. */
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
  readonly routes: readonly RestRoute[];
  readonly stage: RestStageOptions;
  /**
   * A regional WAFv2 web ACL to put in front of the stage.
   * @default none
   */
  readonly webAclArn?: string;
}

/**
 * A REST API with its resource tree, a deployment that redeploys whenever a route or the
 * resource policy changes, and one fully logged, traced and throttled stage.
 */
export class RestApi extends Construct {
  public readonly name: string;
  public readonly apiId: string;
  public readonly executionArn: string;
  public readonly rootResourceId: string;
  public readonly stageName: string;
  /** The stage's ARN, for WAF associations and usage plans. */
  public readonly stageArn: string;
  /** `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>`; inside the VPC for private APIs. */
  public readonly invokeUrl: string;
  /** For private APIs, `https://<api-id>-<vpce-id>.execute-api...` per endpoint, usable without private DNS. */
  public readonly endpointInvokeUrls: readonly string[];
  public readonly endpointType: RestEndpointType;
  /** The stage resource, for what builds on it (usage plans, domain mappings). */
  public readonly stage: ApiGatewayStage;

  private readonly api: ApiGatewayRestApi;
  private readonly resources = new Map<string, ApiGatewayResource>();
  /** What the deployment's configuration hash covers. */
  private readonly deployed: TerraformElement[] = [];

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    this.endpointType = props.endpointType ?? "PRIVATE";
    const isPrivate = this.endpointType === "PRIVATE";
    const endpoints = props.vpcEndpoints ?? [];
    this.validate(props, isPrivate, endpoints);

    this.api = new ApiGatewayRestApi(this, "api", {
      name: props.name,
      description: props.description,
      endpointConfiguration: {
        types: [this.endpointType],
        ...(isPrivate ? { vpcEndpointIds: endpoints.map((e) => e.endpointId) } : {}),
      },
    });
    this.name = props.name;
    this.apiId = this.api.id;
    this.executionArn = this.api.executionArn;
    this.rootResourceId = this.api.rootResourceId;

    if (isPrivate) this.privatePolicy(endpoints, props.allowedSourceVpcIds ?? []);
    props.routes.forEach((route) => this.addRoute(route));
    grantInvoke(this, props.name, this.executionArn, distinctFunctions(props.routes.map((r) => (r.integration.kind === "lambda" ? r.integration.function : undefined))).values());

    // The references trigger names every resource, method, integration and the policy, so
    // Terraform orders the deployment after them without a depends_on (which, together with
    // create_before_destroy, is known to produce dependency cycles on replacement).
    const deployment = new ApiGatewayDeployment(this, "deployment", {
      restApiId: this.api.id,
      description: "Managed by cdktf; replaced whenever a route or the resource policy changes",
      triggers: {
        // What this app controls: any change to a resource, method, integration or the policy.
        configuration: this.configurationHash(),
        // What only Terraform knows, such as a replaced endpoint's id or function's ARN.
        references: Fn.sha1(Fn.jsonencode(this.deployed.map((element) => element.fqn))),
      },
      lifecycle: { createBeforeDestroy: true },
    });

    const stage = props.stage;
    const accessLogs = accessLogGroup(this, props.name, stage.stageName, stage.logRetentionDays);
    // API Gateway creates this group itself on the first logged request, with no retention.
    const executionLogs = new CloudwatchLogGroup(this, "execution-logs", {
      name: `API-Gateway-Execution-Logs_${this.api.id}/${stage.stageName}`,
      retentionInDays: stage.logRetentionDays,
    });
    this.stage = new ApiGatewayStage(this, "stage", {
      restApiId: this.api.id,
      deploymentId: deployment.id,
      stageName: stage.stageName,
      xrayTracingEnabled: stage.tracing ?? true,
      accessLogSettings: { destinationArn: accessLogs.arn, format: accessLogFormat({ resourcePath: "$context.resourcePath", apiKeyId: "$context.identity.apiKeyId" }) },
      ...(stage.cacheClusterSize ? { cacheClusterEnabled: true, cacheClusterSize: stage.cacheClusterSize } : {}),
      dependsOn: [executionLogs],
    });
    new ApiGatewayMethodSettings(this, "method-settings", {
      restApiId: this.api.id,
      stageName: this.stage.stageName,
      methodPath: "*/*",
      settings: {
        loggingLevel: stage.loggingLevel ?? "INFO",
        metricsEnabled: true,
        // Full request and response bodies in the logs would leak credentials and personal data.
        dataTraceEnabled: false,
        throttlingRateLimit: stage.throttling.rateLimit,
        throttlingBurstLimit: stage.throttling.burstLimit,
        ...(stage.cacheClusterSize ? { cachingEnabled: true, cacheDataEncrypted: true, cacheTtlInSeconds: stage.cacheTtlSeconds ?? 300 } : {}),
      },
    });

    if (props.webAclArn) {
      new Wafv2WebAclAssociation(this, "web-acl", { resourceArn: this.stage.arn, webAclArn: props.webAclArn });
    }

    this.stageName = this.stage.stageName;
    this.stageArn = this.stage.arn;
    this.invokeUrl = this.stage.invokeUrl;
    this.endpointInvokeUrls = isPrivate
      ? endpoints.map((e) => Fn.replace(this.stage.invokeUrl, `https://${this.api.id}.`, `https://${this.api.id}-${e.endpointId}.`))
      : [];
  }

  private validate(props: RestApiProps, isPrivate: boolean, endpoints: readonly IExecuteApiEndpoint[]): void {
    if (isPrivate && endpoints.length === 0) {
      throw new PropsError(this, "vpcEndpoints", "is empty; a PRIVATE API needs the execute-api endpoint(s) its resource policy admits, or API Gateway refuses to deploy it");
    }
    if (!isPrivate && (endpoints.length > 0 || props.allowedSourceVpcIds?.length)) {
      throw new PropsError(this, "vpcEndpoints", `is set on a ${this.endpointType} API; VPC endpoints and source VPCs apply to PRIVATE APIs only`);
    }
    (props.allowedSourceVpcIds ?? []).forEach((v, i) => checkFormat(this, `allowedSourceVpcIds[${i}]`, v, formats.vpcId));
    if (props.webAclArn !== undefined) checkFormat(this, "webAclArn", props.webAclArn, formats.regionalWebAclArn);
    if (props.routes.length === 0) throw new PropsError(this, "routes", "is empty; an API without methods cannot be deployed");

    const parameterAt = new Map<string, string>();
    for (const { route, key, segments } of checkRoutes((route, problem) => new PropsError(this, `route ${route}`, problem), props.routes)) {
      // API Gateway allows one parameter name per position: /a/{id} and /a/{key} conflict.
      segments.forEach((segment, i) => {
        if (!segment.parameter) return;
        const parent = `/${segments.slice(0, i).map((s) => s.text).join("/")}`;
        const other = parameterAt.get(parent);
        if (other && other !== segment.text) {
          throw new PropsError(this, `route ${key}`, `has ${segment.text} under ${parent}, where another route has ${other}; API Gateway allows one parameter per position`);
        }
        parameterAt.set(parent, segment.text);
      });
      if (route.integration.kind === "http-proxy") {
        checkFormat(this, `route ${key} integration url`, route.integration.url, (url) => (/^https?:\/\/[^\s/]+/.test(url) ? undefined : "an http(s):// URL"));
      }
    }
  }

  /** Allow invocation only through the bound endpoints (or the allowed VPCs); deny everything else. */
  private privatePolicy(endpoints: readonly IExecuteApiEndpoint[], sourceVpcIds: readonly string[]): void {
    const everyone = [{ type: "*", identifiers: ["*"] }];
    const document = new DataAwsIamPolicyDocument(this, "resource-policy", {
      statement: [
        { sid: "AllowInvoke", effect: "Allow", principals: everyone, actions: ["execute-api:Invoke"], resources: ["execute-api:/*"] },
        {
          sid: "DenyOutsideVpcEndpoints",
          effect: "Deny",
          principals: everyone,
          actions: ["execute-api:Invoke"],
          resources: ["execute-api:/*"],
          // Conditions of one statement are ANDed: the Deny applies only when neither matches.
          condition: [
            { test: "StringNotEquals", variable: "aws:SourceVpce", values: endpoints.map((e) => e.endpointId) },
            ...(sourceVpcIds.length ? [{ test: "StringNotEquals", variable: "aws:SourceVpc", values: [...sourceVpcIds] }] : []),
          ],
        },
      ],
    });
    // The attachment is deployed too: a deployment made before it would not carry the policy.
    const attachment = new ApiGatewayRestApiPolicy(this, "policy", { restApiId: this.api.id, policy: document.json });
    this.deployed.push(document, attachment);
  }

  private resourceFor(segments: readonly PathSegment[]): string {
    if (segments.length === 0) return this.api.rootResourceId;
    const path = segments.map((s) => s.text).join("/");
    let resource = this.resources.get(path);
    if (!resource) {
      resource = new ApiGatewayResource(this, `resource:${pathId(segments)}`, {
        restApiId: this.api.id,
        parentId: this.resourceFor(segments.slice(0, -1)),
        pathPart: segments[segments.length - 1].text,
      });
      this.resources.set(path, resource);
      this.deployed.push(resource);
    }
    return resource.id;
  }

  private addRoute(route: RestRoute): void {
    const segments = parsePath(route.path) as PathSegment[];
    const id = `${route.method}:${pathId(segments)}`;
    const parameters = segments.filter((s) => s.parameter).map((s) => s.parameter as string);
    const method = new ApiGatewayMethod(this, `method-${id}`, {
      restApiId: this.api.id,
      resourceId: this.resourceFor(segments),
      httpMethod: route.method,
      authorization: route.authorization ?? "NONE",
      apiKeyRequired: route.apiKeyRequired ?? false,
      ...(parameters.length ? { requestParameters: Object.fromEntries(parameters.map((p) => [`method.request.path.${p}`, true])) } : {}),
    });
    const common = { restApiId: this.api.id, resourceId: method.resourceId, httpMethod: method.httpMethod };
    // A stage cache keys on the path template plus these only: without them /files/a would answer /files/b.
    const cacheKeys = parameters.length ? { cacheKeyParameters: parameters.map((p) => `method.request.path.${p}`) } : {};
    const integration = route.integration;
    let resource: ApiGatewayIntegration;
    switch (integration.kind) {
      case "lambda":
        resource = new ApiGatewayIntegration(this, `integration-${id}`, {
          ...common,
          ...cacheKeys,
          type: "AWS_PROXY",
          integrationHttpMethod: "POST",
          uri: integration.function.invokeArn,
        });
        break;
      case "http-proxy":
        resource = new ApiGatewayIntegration(this, `integration-${id}`, {
          ...common,
          ...cacheKeys,
          type: "HTTP_PROXY",
          integrationHttpMethod: integration.method ?? route.method,
          uri: integration.url,
          ...(parameters.length
            ? { requestParameters: Object.fromEntries(parameters.map((p) => [`integration.request.path.${p}`, `method.request.path.${p}`])) }
            : {}),
        });
        break;
      case "mock": {
        const statusCode = String(integration.statusCode ?? 200);
        resource = new ApiGatewayIntegration(this, `integration-${id}`, {
          ...common,
          ...cacheKeys,
          type: "MOCK",
          requestTemplates: { "application/json": JSON.stringify({ statusCode: Number(statusCode) }) },
        });
        const methodResponse = new ApiGatewayMethodResponse(this, `method-response-${id}`, { ...common, statusCode });
        const integrationResponse = new ApiGatewayIntegrationResponse(this, `integration-response-${id}`, {
          ...common,
          statusCode: methodResponse.statusCode,
          responseTemplates: { "application/json": integration.body ?? "{}" },
          dependsOn: [resource],
        });
        this.deployed.push(methodResponse, integrationResponse);
        break;
      }
    }
    this.deployed.push(method, resource);
  }

  /**
   * A digest of the synthesized configuration of every resource, method, integration and
   * the policy document, computed at synth so it changes exactly when one of them does.
   */
  private configurationHash(): string {
    return Lazy.stringValue({
      produce: (context: IResolveContext) => {
        const configuration = this.deployed.map((resource) => withoutMetadata(context.resolve(resource.toTerraform())));
        return createHash("sha256").update(JSON.stringify(configuration)).digest("hex");
      },
    });
  }
}

/** Drops cdktf's `//` metadata (construct paths), which is not configuration. */
function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "//").map(([k, v]) => [k, withoutMetadata(v)]));
  }
  return value;
}

