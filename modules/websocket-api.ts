import { Fn } from "cdktf";
import { Construct } from "constructs";
import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
import { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route";
import { Apigatewayv2RouteResponse } from "@cdktf/provider-aws/lib/apigatewayv2-route-response";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import * as formats from "../config/formats";
import type { ILambdaFunction } from "./lambda-function";
import { accessLogFormat, accessLogGroup, distinctFunctions, grantAuthorizerInvoke, grantInvoke } from "./shared/api-support";
import { policyDocument } from "./shared/iam";
import { checkThrottling, ThrottleSettings } from "./shared/throttling";
import { checkFormat, PropsError } from "./shared/validation";

/**
 * How `$connect` is authorized; the other routes of a connection inherit its identity, and API
 * Gateway takes an authorizer on `$connect` only.
 */
export type WebSocketConnectAuthorization =
  | { readonly kind: "lambda"; readonly function: ILambdaFunction; readonly identitySources: readonly string[] }
  | { readonly kind: "iam" }
  | { readonly kind: "none"; readonly reason: string };

export const WebSocketConnectAuthorization = {
  /**
   * A Lambda REQUEST authorizer. Browsers cannot set headers on the WebSocket upgrade request,
   * so by default it reads the query string parameter `token`.
   */
  lambda: (fn: ILambdaFunction, identitySources: readonly string[] = ["route.request.querystring.token"]): WebSocketConnectAuthorization => ({
    kind: "lambda",
    function: fn,
    identitySources,
  }),
  /** SigV4-signed upgrade requests, for backends and devices with AWS credentials. */
  iam: (): WebSocketConnectAuthorization => ({ kind: "iam" }),
  /** The explicit opt-out: anyone may connect. The reason is kept in the code review. */
  none: (reason: string): WebSocketConnectAuthorization => ({ kind: "none", reason }),
};

export interface WebSocketRoute {
  /** `$connect`, `$disconnect`, `$default`, or an action the route selection expression yields (`sendMessage`). */
  readonly routeKey: string;
  readonly function: ILambdaFunction;
  /**
   * Two-way: the function's answer goes back to the client as a message (a route response).
   * @default false
   */
  readonly twoWay?: boolean;
}

/** What `grantManageConnections` needs of a function: the role to attach the grant to. */
export interface ConnectionManager {
  readonly key: string;
  readonly roleName: string;
}

export interface WebSocketApiProps {
  readonly name: string;
  /** @default "" */
  readonly description?: string;
  /** Must contain `$connect`: without it API Gateway accepts every connection unauthorized. */
  readonly routes: readonly WebSocketRoute[];
  readonly connectAuthorization: WebSocketConnectAuthorization;
  readonly stageName: string;
  /** Retention of the access and execution log groups, in days. */
  readonly logRetentionDays: number;
  /**
   * A customer managed KMS key for the access and execution log groups; its key policy must let
   * CloudWatch Logs use it.
   * @default AWS-owned keys
   */
  readonly logKmsKeyArn?: string;
  /** @default "ERROR" */
  readonly loggingLevel?: "INFO" | "ERROR";
  /** Default route throttling of the stage: messages (and connection attempts) per second. */
  readonly throttling: ThrottleSettings;
  /** @default "$request.body.action" */
  readonly routeSelectionExpression?: string;
}

const PREDEFINED_ROUTES = ["$connect", "$disconnect", "$default"];
const CUSTOM_ROUTE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** The forms API Gateway takes for a WebSocket REQUEST authorizer's identity sources (aws-cdk#18307). */
const IDENTITY_SOURCE = /^(route\.request\.(querystring|header)|stageVariables|context)\.[A-Za-z0-9._-]+$/;


/**
 * A WebSocket API (`$request.body.action` routing) with Lambda proxy integrations, an authorized
 * `$connect`, route responses on two-way routes, and a named stage that logs (access and
 * execution), throttles, and deploys every change automatically.
 */
export class WebSocketApi extends Construct {
  public readonly name: string;
  public readonly description: string;
  /** The stage's access log group, which alarms count throttled requests in. */
  public readonly accessLogGroupName: string;
  public readonly apiId: string;
  public readonly executionArn: string;
  public readonly stageName: string;
  public readonly stageId: string;
  /** `arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>`. */
  public readonly stageExecutionArn: string;
  /** `wss://<api-id>.execute-api.<region>.amazonaws.com/<stage>`, where clients connect. */
  public readonly invokeUrl: string;
  /** `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>`, where backends post to `@connections/<id>`. */
  public readonly callbackUrl: string;

  constructor(scope: Construct, id: string, props: WebSocketApiProps) {
    super(scope, id);
    this.validate(props);
    this.name = props.name;
    this.description = props.description ?? "";

    const api = new Apigatewayv2Api(this, "api", {
      name: props.name,
      description: props.description,
      protocolType: "WEBSOCKET",
      routeSelectionExpression: props.routeSelectionExpression ?? "$request.body.action",
    });
    const auth = props.connectAuthorization;
    const authorizer =
      auth.kind === "lambda"
        ? new Apigatewayv2Authorizer(this, "connect-authorizer", {
            apiId: api.id,
            name: `${props.name}-connect`,
            authorizerType: "REQUEST",
            authorizerUri: auth.function.invokeArn,
            identitySources: [...auth.identitySources],
            // No result TTL: API Gateway refuses one on WebSocket APIs (terraform-provider-aws#15232).
          })
        : undefined;

    const routeFunctions = distinctFunctions(props.routes.map((r) => r.function));
    // One integration per function, shared by its routes.
    const integrations = new Map(
      [...routeFunctions.values()].map((fn) => [
        fn.key,
        new Apigatewayv2Integration(this, `integration-${fn.key}`, { apiId: api.id, integrationType: "AWS_PROXY", integrationMethod: "POST", integrationUri: fn.invokeArn }),
      ]),
    );
    const routes = props.routes.map((route) => {
      const resource = new Apigatewayv2Route(this, `route:${route.routeKey}`, {
        apiId: api.id,
        routeKey: route.routeKey,
        target: `integrations/${integrations.get(route.function.key)!.id}`,
        ...(route.routeKey !== "$connect" || auth.kind === "none"
          ? { authorizationType: "NONE" }
          : auth.kind === "iam"
            ? { authorizationType: "AWS_IAM" }
            : { authorizationType: "CUSTOM", authorizerId: authorizer!.id }),
        ...(route.twoWay ? { routeResponseSelectionExpression: "$default" } : {}),
      });
      // API Gateway takes only the $default route response key on WebSocket APIs.
      const response = route.twoWay
        ? new Apigatewayv2RouteResponse(this, `route-response:${route.routeKey}`, { apiId: api.id, routeId: resource.id, routeResponseKey: "$default" })
        : undefined;
      return { resource, response };
    });
    grantInvoke(this, props.name, api.executionArn, props.routes.map((route) => ({ function: route.function, id: route.routeKey, source: `${props.stageName}/${route.routeKey}` })));
    if (auth.kind === "lambda") {
      // The authorizer's function may be called as that authorizer only, not as a route backend.
      grantAuthorizerInvoke(this, "invoke-connect-authorizer", `apigateway-${props.name}-authorizer-`, auth.function, api.executionArn, authorizer!.id);
    }

    const accessLogs = accessLogGroup(this, props.name, props.stageName, props.logRetentionDays, props.logKmsKeyArn);
    this.accessLogGroupName = accessLogs.name;
    // API Gateway creates this group itself on the first logged event, with no retention.
    const executionLogs = new CloudwatchLogGroup(this, "execution-logs", {
      name: `/aws/apigateway/${api.id}/${props.stageName}`,
      retentionInDays: props.logRetentionDays,
      ...(props.logKmsKeyArn ? { kmsKeyId: props.logKmsKeyArn } : {}),
    });
    const stage = new Apigatewayv2Stage(this, "stage", {
      apiId: api.id,
      name: props.stageName,
      // API Gateway redeploys the stage after every change to the API, a removed route too. A
      // triggered aws_apigatewayv2_deployment with create_before_destroy would be created before
      // a removed route is destroyed (the old deployment depends on it), so its snapshot would
      // keep serving the route until the next apply. AWS CDK's WebSocketStage offers the same
      // autoDeploy (docs: aws-cdk-lib.aws_apigatewayv2.WebSocketStage).
      autoDeploy: true,
      accessLogSettings: { destinationArn: accessLogs.arn, format: accessLogFormat("WEBSOCKET") },
      defaultRouteSettings: {
        loggingLevel: props.loggingLevel ?? "ERROR",
        dataTraceEnabled: false,
        detailedMetricsEnabled: true,
        throttlingRateLimit: props.throttling.rateLimit,
        throttlingBurstLimit: props.throttling.burstLimit,
      },
      // The first automatic deployment then has every route (API Gateway refuses to deploy an API without routes).
      dependsOn: [executionLogs, ...routes.flatMap(({ resource, response }) => (response ? [resource, response] : [resource]))],
    });

    this.apiId = api.id;
    this.executionArn = api.executionArn;
    this.stageName = props.stageName;
    this.stageId = stage.id;
    this.stageExecutionArn = stage.executionArn;
    this.invokeUrl = stage.invokeUrl;
    this.callbackUrl = Fn.replace(stage.invokeUrl, "wss://", "https://");
  }

  /**
   * Lets the function post to this stage's connections: `execute-api:ManageConnections` on
   * `<stage execution ARN>/POST/@connections/*` and nothing else (no other stage, no GET or
   * DELETE of connections).
   */
  public grantManageConnections(fn: ConnectionManager): void {
    new IamRolePolicy(this, `manage-connections-${fn.key}`, {
      role: fn.roleName,
      name: "manage-connections",
      policy: policyDocument([{ Sid: "PostToConnections", Effect: "Allow", Action: "execute-api:ManageConnections", Resource: `${this.stageExecutionArn}/POST/@connections/*` }]),
    });
  }

  private validate(props: WebSocketApiProps): void {
    checkFormat(this, "stageName", props.stageName, formats.stageName);
    checkThrottling(this, "throttling", props.throttling);
    const keys = new Set<string>();
    for (const route of props.routes) {
      const key = route.routeKey;
      if (!PREDEFINED_ROUTES.includes(key) && !CUSTOM_ROUTE.test(key)) {
        throw new PropsError(this, `route ${JSON.stringify(key)}`, `is not a route key; allowed: ${PREDEFINED_ROUTES.join(", ")} or an action of 1-64 letters, digits, - or _ starting with a letter`);
      }
      if (keys.has(key)) throw new PropsError(this, `route ${key}`, "is defined twice");
      keys.add(key);
      if (route.twoWay && (key === "$connect" || key === "$disconnect")) {
        throw new PropsError(this, `route ${key}`, "cannot be two-way; only $default and actions answer the client with a message");
      }
    }
    if (!keys.has("$connect")) {
      throw new PropsError(this, "routes", "have no $connect route; without one API Gateway accepts every connection unauthorized");
    }
    const auth = props.connectAuthorization;
    if (auth.kind === "none" && auth.reason.trim().length < 10) {
      throw new PropsError(this, "connectAuthorization", "opts out of authorizing $connect without a reason; give one of at least 10 characters");
    }
    if (auth.kind === "lambda") {
      if (auth.identitySources.length === 0) throw new PropsError(this, "connectAuthorization.identitySources", "is empty; name where the authorizer reads the token, such as route.request.querystring.token");
      auth.identitySources.forEach((source, i) =>
        checkFormat(this, `connectAuthorization.identitySources[${i}]`, source, (v) =>
          IDENTITY_SOURCE.test(v) ? undefined : "route.request.querystring.<name>, route.request.header.<name>, stageVariables.<name> or context.<name>",
        ),
      );
    }
  }
}
