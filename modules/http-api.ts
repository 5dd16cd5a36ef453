import { Token } from "cdktf";
import { Construct } from "constructs";
import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
import { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";
import * as formats from "../config/formats";
import { IntegrationRole } from "./integration-role";
import type { ILambdaFunction } from "./lambda-function";
import { movedFrom } from "./shared/addresses";
import { accessLogFormat, accessLogGroup, distinctFunctions, grantAuthorizerInvoke, grantInvoke, routeSource } from "./shared/api-support";
import { ClientOperation, clientDocument, defaultOperationId, OpenApiServer, parametersOf } from "./shared/openapi";
import { checkRoutes, HttpMethod, METHODS_OF_ANY, parsePath, PathSegment, pathId } from "./shared/routes";
import type { HttpServiceCall } from "./shared/service-integrations";
import { checkThrottling, ThrottleSettings } from "./shared/throttling";
import { checkFormat, PropsError } from "./shared/validation";

/** How a route is protected: by the API's JWT or Lambda authorizer, or by nothing, for a stated reason. */
export type HttpRouteAuthorization = { readonly kind: "jwt"; readonly scopes?: readonly string[] } | { readonly kind: "lambda" } | { readonly kind: "none"; readonly reason: string };

export const HttpRouteAuthorization = {
  /** The API's JWT authorizer; with scopes, the token must carry one of them. */
  jwt: (scopes?: readonly string[]): HttpRouteAuthorization => ({ kind: "jwt", ...(scopes?.length ? { scopes } : {}) }),
  /** The API's Lambda authorizer (`lambdaAuthorizer`). */
  lambda: (): HttpRouteAuthorization => ({ kind: "lambda" }),
  /** The explicit opt-out: anyone may call the route. The reason is kept in the route's code review. */
  none: (reason: string): HttpRouteAuthorization => ({ kind: "none", reason }),
};

/** A backend in the VPC, reached through a VPC link (v2) over TLS. */
export interface HttpPrivateBackend {
  /** Names the integration: `legacy`. */
  readonly name: string;
  readonly vpcLinkId: string;
  /** The ALB or NLB listener (or Cloud Map service) ARN requests go to. */
  readonly listenerArn: string;
  /** The name on the backend's certificate: API Gateway sends it as SNI and verifies the certificate against it. */
  readonly serverNameToVerify: string;
  /**
   * The path sent to the backend, such as `/$request.path.proxy`.
   * @default the request's path
   */
  readonly path?: string;
}

/** A route's backend: exactly one of `function`, `service` and `privateBackend`. */
export interface HttpRoute {
  readonly path: string;
  /** On an API with `cors`, `ANY` is one route per method but OPTIONS, which API Gateway answers from the CORS configuration. */
  readonly method: HttpMethod;
  /** A Lambda function (proxy integration, payload 2.0). */
  readonly function?: ILambdaFunction;
  /** An AWS service action (`AWS_PROXY` with a subtype), with its own credentials role. */
  readonly service?: HttpServiceCall;
  readonly privateBackend?: HttpPrivateBackend;
  /** @default HttpRouteAuthorization.jwt() */
  readonly authorization?: HttpRouteAuthorization;
}

export interface JwtAuthorizerOptions {
  /** https issuer, e.g. `https://cognito-idp.<region>.amazonaws.com/<user-pool-id>`. */
  readonly issuer: string;
  /** Accepted `aud` values (for Cognito access tokens, the app client ids). */
  readonly audiences: readonly string[];
  /** @default "$request.header.Authorization" */
  readonly identitySource?: string;
}

/** A Lambda function that decides on the request: payload format 2.0, simple responses (`isAuthorized`). */
export interface HttpLambdaAuthorizerOptions {
  readonly function: ILambdaFunction;
  /**
   * `$request.header.<name>`, `$request.querystring.<name>`, `$context.<name>` or `$stageVariables.<name>`:
   * a request missing one is refused (401) without calling the function, and they key the cache.
   * While results are cached, `$context.routeKey` is added: a simple response names no route, and
   * API Gateway would give one route's cached answer to every route behind the authorizer.
   * @default ["$request.header.Authorization"]
   */
  readonly identitySources?: readonly string[];
  /** Seconds API Gateway caches a decision per identity (0 to 3600); 0 calls the function every time. */
  readonly resultTtlSeconds: number;
}

export interface CorsOptions {
  /** Exact origins; `*` only without credentials. */
  readonly allowOrigins: readonly string[];
  /** @default ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] */
  readonly allowMethods?: readonly string[];
  /** @default ["authorization", "content-type"] */
  readonly allowHeaders?: readonly string[];
  /** @default false */
  readonly allowCredentials?: boolean;
  /** Seconds browsers may cache a preflight answer. @default 600 */
  readonly maxAgeSeconds?: number;
}

export interface HttpApiProps {
  readonly name: string;
  /**
   * `dualstack` lets IPv6 clients call the default endpoint too.
   * @default "ipv4"
   */
  readonly ipAddressType?: "ipv4" | "dualstack";
  /** @default "" */
  readonly description?: string;
  readonly authorizer: JwtAuthorizerOptions;
  /**
   * The Lambda authorizer routes with `HttpRouteAuthorization.lambda()` use.
   * @default none
   */
  readonly lambdaAuthorizer?: HttpLambdaAuthorizerOptions;
  readonly routes: readonly HttpRoute[];
  /** Retention of the access log group, in days. */
  readonly logRetentionDays: number;
  /**
   * A customer managed KMS key for the access log group.
   * @default an AWS-owned key
   */
  readonly logKmsKeyArn?: string;
  /** Default route throttling of the `$default` stage. */
  readonly throttling: ThrottleSettings;
  /** @default no CORS */
  readonly cors?: CorsOptions;
  /**
   * Turn off `https://<api-id>.execute-api...` so clients must use the custom domain.
   * @default false
   */
  readonly disableExecuteApiEndpoint?: boolean;
}

/** Methods that change state: a JWT route with one of them must demand a scope. */
export const WRITE_METHODS: readonly string[] = ["POST", "PUT", "PATCH", "DELETE", "ANY"];

const COGNITO_ISSUER = /^https:\/\/cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/(.*)$/;

/**
 * An HTTP API whose routes all go through a JWT authorizer (unless a route opts out by
 * name and reason), with Lambda proxy integrations (payload 2.0) and an auto-deployed,
 * logged and throttled `$default` stage.
 */
export class HttpApi extends Construct {
  public readonly name: string;
  /** The stage's access log group, which alarms count throttled requests in. */
  public readonly accessLogGroupName: string;
  public readonly apiId: string;
  public readonly executionArn: string;
  /** `https://<api-id>.execute-api.<region>.amazonaws.com`. */
  public readonly apiEndpoint: string;
  public readonly authorizerId: string;
  public readonly stageName = "$default";
  /** The credentials role ARN of each service call, by the call's name. */
  public readonly credentials = new Map<string, string>();
  public readonly stageId: string;

  private readonly props: HttpApiProps;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    this.validate(props);
    this.props = props;
    this.name = props.name;

    const api = new Apigatewayv2Api(this, "api", {
      name: props.name,
      description: props.description,
      protocolType: "HTTP",
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint ?? false,
      ...(props.ipAddressType ? { ipAddressType: props.ipAddressType } : {}),
      ...(props.cors ? { corsConfiguration: corsConfiguration(props.cors) } : {}),
    });
    const authorizer = new Apigatewayv2Authorizer(this, "jwt-authorizer", {
      apiId: api.id,
      name: `${props.name}-jwt`,
      authorizerType: "JWT",
      identitySources: [props.authorizer.identitySource ?? "$request.header.Authorization"],
      jwtConfiguration: { issuer: props.authorizer.issuer, audience: [...props.authorizer.audiences] },
    });

    const lambdaAuthorizer = props.lambdaAuthorizer ? this.lambdaAuthorizer(api, props.lambdaAuthorizer) : undefined;

    const functions = distinctFunctions(props.routes.map((r) => r.function));
    const permissions = grantInvoke(
      this,
      props.name,
      api.executionArn,
      props.routes.flatMap((route) => {
        if (!route.function) return [];
        const segments = parsePath(route.path) as PathSegment[];
        return this.methodsOf(route).map((method) => ({ function: route.function!, id: `${method}:${pathId(segments)}`, source: routeSource("*", method, segments) }));
      }),
    );
    // One integration per function, shared by its routes. It depends on the function's permission
    // so that a renamed function's old permission goes only once the integration calls the new one.
    const integrations = new Map(
      [...functions.values()].map((fn) => {
        const integration = new Apigatewayv2Integration(this, `integration-${fn.key}`, {
          apiId: api.id,
          integrationType: "AWS_PROXY",
          integrationMethod: "POST",
          integrationUri: fn.invokeArn,
          payloadFormatVersion: "2.0",
          dependsOn: permissions.get(fn.key)!,
        });
        if (fn.formerKey) movedFrom(integration, `integration-${fn.formerKey}`);
        return [fn.key, integration];
      }),
    );
    for (const route of props.routes) {
      if (route.service && !integrations.has(`service:${route.service.name}`)) integrations.set(`service:${route.service.name}`, this.serviceIntegration(api, route.service));
      if (route.privateBackend && !integrations.has(`private:${route.privateBackend.name}`)) integrations.set(`private:${route.privateBackend.name}`, this.privateIntegration(api.id, route.privateBackend));
    }
    for (const route of props.routes) {
      const authorization = route.authorization ?? HttpRouteAuthorization.jwt();
      const integrationKey = route.function ? route.function.key : route.service ? `service:${route.service.name}` : `private:${route.privateBackend!.name}`;
      for (const method of this.methodsOf(route)) {
        new Apigatewayv2Route(this, `route:${method}:${pathId(parsePath(route.path) as PathSegment[])}`, {
          apiId: api.id,
          routeKey: `${method} ${route.path}`,
          target: `integrations/${integrations.get(integrationKey)!.id}`,
          ...(authorization.kind === "jwt"
            ? { authorizationType: "JWT", authorizerId: authorizer.id, ...(authorization.scopes ? { authorizationScopes: [...authorization.scopes] } : {}) }
            : authorization.kind === "lambda"
              ? { authorizationType: "CUSTOM", authorizerId: lambdaAuthorizer!.id }
              : { authorizationType: "NONE" }),
        });
      }
    }

    const accessLogs = accessLogGroup(this, props.name, "default", props.logRetentionDays, props.logKmsKeyArn);
    this.accessLogGroupName = accessLogs.name;
    const stage = new Apigatewayv2Stage(this, "stage", {
      apiId: api.id,
      name: "$default",
      autoDeploy: true,
      accessLogSettings: {
        destinationArn: accessLogs.arn,
        format: accessLogFormat("HTTP"),
      },
      defaultRouteSettings: {
        throttlingRateLimit: props.throttling.rateLimit,
        throttlingBurstLimit: props.throttling.burstLimit,
        detailedMetricsEnabled: true,
      },
    });

    this.apiId = api.id;
    this.executionArn = api.executionArn;
    this.apiEndpoint = api.apiEndpoint;
    this.authorizerId = authorizer.id;
    this.stageId = stage.id;
  }

  /**
   * The methods of a route's API Gateway routes. With CORS, API Gateway answers a preflight
   * itself only where no route matches OPTIONS: an ANY route would take it, without a token, to
   * its authorizer (401) or backend. So there an ANY is a route per method the path has no
   * route for, OPTIONS aside.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
   */
  private methodsOf(route: HttpRoute): HttpMethod[] {
    if (route.method !== "ANY" || !this.props.cors) return [route.method];
    const taken = new Set(this.props.routes.filter((r) => r.path === route.path).map((r) => r.method));
    return METHODS_OF_ANY.filter((m) => !taken.has(m));
  }

  /**
   * A REQUEST authorizer (payload 2.0, simple responses) and the permission for API Gateway to
   * call its function as that authorizer only: `<execution arn>/authorizers/<authorizer id>`.
   */
  private lambdaAuthorizer(api: Apigatewayv2Api, options: HttpLambdaAuthorizerOptions): Apigatewayv2Authorizer {
    const authorizer = new Apigatewayv2Authorizer(this, "lambda-authorizer", {
      apiId: api.id,
      name: `${this.name}-lambda`,
      authorizerType: "REQUEST",
      authorizerUri: options.function.invokeArn,
      authorizerPayloadFormatVersion: "2.0",
      enableSimpleResponses: true,
      identitySources: cachedPerRoute(options),
      authorizerResultTtlInSeconds: options.resultTtlSeconds,
    });
    grantAuthorizerInvoke(this, "invoke-lambda-authorizer", `apigateway-${this.name}-authorizer-`, options.function, api.executionArn, authorizer.id);
    return authorizer;
  }

  /**
   * A first-class AWS service integration: the subtype's parameters, payload format 1.0 (the only
   * one AWS service integrations take), and a credentials role for this call only.
   */
  private serviceIntegration(api: Apigatewayv2Api, call: HttpServiceCall): Apigatewayv2Integration {
    const target = call.target;
    const role = new IntegrationRole(this, `integration-role-${call.name}`, {
      roleName: `${this.props.name}-${call.name}`,
      apiExecutionArn: api.executionArn,
      action: call.iamAction,
      resourceArn: target.arn,
      ...(target.kmsKeyArn && call.kmsActions.length ? { kms: { keyArn: target.kmsKeyArn, actions: call.kmsActions } } : {}),
    });
    this.credentials.set(call.name, role.arn);
    return new Apigatewayv2Integration(this, `integration-${call.name}`, {
      apiId: api.id,
      integrationType: "AWS_PROXY",
      integrationSubtype: call.subtype,
      credentialsArn: role.arn,
      payloadFormatVersion: "1.0",
      requestParameters: { ...call.requestParameters },
    });
  }

  /** An HTTP proxy integration through a VPC link, verifying the backend's certificate. */
  private privateIntegration(apiId: string, backend: HttpPrivateBackend): Apigatewayv2Integration {
    return new Apigatewayv2Integration(this, `integration-${backend.name}`, {
      apiId,
      integrationType: "HTTP_PROXY",
      integrationMethod: "ANY",
      integrationUri: backend.listenerArn,
      connectionType: "VPC_LINK",
      connectionId: backend.vpcLinkId,
      payloadFormatVersion: "1.0",
      tlsConfig: { serverNameToVerify: backend.serverNameToVerify },
      ...(backend.path ? { requestParameters: { "overwrite:path": backend.path } } : {}),
    });
  }

  /** The API as its clients see it: an OpenAPI document whose JWT routes name the issuer's discovery URL. */
  public clientDocument(servers: readonly OpenApiServer[]): Record<string, unknown> {
    const { name, description, routes, authorizer } = this.props;
    return clientDocument({
      title: name,
      description,
      servers,
      securitySchemes: {
        jwt: { type: "openIdConnect", openIdConnectUrl: `${authorizer.issuer.replace(/\/$/, "")}/.well-known/openid-configuration` },
        ...(this.props.lambdaAuthorizer ? { lambda: { type: "apiKey", in: "header", name: "Authorization", description: "A token the API's Lambda authorizer verifies" } } : {}),
      },
      operations: routes.map((route): ClientOperation => {
        const segments = parsePath(route.path) as PathSegment[];
        const authorization = route.authorization ?? HttpRouteAuthorization.jwt();
        return {
          path: route.path,
          method: route.method,
          operationId: defaultOperationId(route.method, segments),
          parameters: parametersOf(segments),
          security: authorization.kind === "jwt" ? { jwt: authorization.scopes ?? [] } : authorization.kind === "lambda" ? { lambda: [] } : {},
        };
      }),
    });
  }

  private validate(props: HttpApiProps): void {
    const { issuer, audiences } = props.authorizer;
    checkFormat(this, "authorizer.issuer", issuer, formats.httpsUrl);
    const cognito = COGNITO_ISSUER.exec(issuer);
    if (cognito && !new RegExp(`^${cognito[1]}_[0-9A-Za-z]+$`).test(cognito[2])) {
      throw new PropsError(this, "authorizer.issuer", `is ${JSON.stringify(issuer)}; a Cognito issuer ends in the user pool id, https://cognito-idp.${cognito[1]}.amazonaws.com/${cognito[1]}_<id>`);
    }
    if (audiences.length === 0 || audiences.some((a) => a.trim() === "")) {
      throw new PropsError(this, "authorizer.audiences", "is empty or has an empty value; API Gateway accepts a JWT only if its aud (or client_id) is listed");
    }
    // A token in the query string is in every access log and proxy on the way (APIGW-JWT-AUTHORIZER).
    checkFormat(this, "authorizer.identitySource", props.authorizer.identitySource ?? "$request.header.Authorization", (source) => (/^\$request\.header\.[A-Za-z0-9._-]+$/.test(source) ? undefined : "a request header, $request.header.<name>"));
    checkThrottling(this, "throttling", props.throttling);
    if (props.routes.length === 0) throw new PropsError(this, "routes", "is empty");
    for (const { route, key } of checkRoutes((route, problem) => new PropsError(this, `route ${route}`, problem), props.routes)) {
      const backends = [route.function, route.service, route.privateBackend].filter((b) => b !== undefined).length;
      if (backends !== 1) throw new PropsError(this, `route ${key}`, `names ${backends} backends; give exactly one of function, service and privateBackend`);
      if (route.privateBackend) {
        checkFormat(this, `route ${key} privateBackend.listenerArn`, route.privateBackend.listenerArn, formats.privateIntegrationTargetArn);
        checkFormat(this, `route ${key} privateBackend.serverNameToVerify`, route.privateBackend.serverNameToVerify, formats.domainName);
      }
      const authorization = route.authorization;
      if (props.cors && route.method === "OPTIONS" && authorization?.kind !== "none") {
        throw new PropsError(this, `route ${key}`, "is authorized on an API with CORS; it would take the browsers' preflight, which carries no token, and refuse it (leave OPTIONS to API Gateway's CORS answer, or authorize the route with HttpRouteAuthorization.none)");
      }
      if (authorization?.kind === "none" && authorization.reason.trim().length < 10) {
        throw new PropsError(this, `route ${key}`, "opts out of the JWT authorizer without a reason; give one of at least 10 characters");
      }
      if (authorization?.kind === "lambda" && !props.lambdaAuthorizer) throw new PropsError(this, `route ${key}`, "uses the Lambda authorizer, but the API has no lambdaAuthorizer");
      const jwt = authorization ?? HttpRouteAuthorization.jwt();
      if (jwt.kind === "jwt") {
        (jwt.scopes ?? []).forEach((scope, i) => checkFormat(this, `route ${key} scopes[${i}]`, scope, formats.oauthScope));
        if (WRITE_METHODS.includes(route.method) && !jwt.scopes?.length) {
          throw new PropsError(this, `route ${key}`, "writes with any token of the issuer and audience; give it the OAuth scopes a token must carry (httpApi.routeScopes in the environment file)");
        }
      }
    }
    if (props.cors) this.validateCors(props.cors);
    if (props.lambdaAuthorizer) this.validateLambdaAuthorizer(props.lambdaAuthorizer);
  }

  private validateLambdaAuthorizer(options: HttpLambdaAuthorizerOptions): void {
    const ttl = options.resultTtlSeconds;
    if (!Token.isUnresolved(ttl) && (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600)) {
      throw new PropsError(this, "lambdaAuthorizer.resultTtlSeconds", `is ${ttl}; expected whole seconds from 0 (no caching) to 3600`);
    }
    const sources = options.identitySources ?? ["$request.header.Authorization"];
    if (sources.length === 0 && ttl > 0) throw new PropsError(this, "lambdaAuthorizer.identitySources", "is empty while results are cached; the cache is keyed on the identity sources");
    sources.forEach((source, i) => checkFormat(this, `lambdaAuthorizer.identitySources[${i}]`, source, formats.httpIdentitySource));
  }

  private validateCors(cors: CorsOptions): void {
    if (cors.allowOrigins.length === 0) throw new PropsError(this, "cors.allowOrigins", "is empty; list the origins of the browser apps that call the API");
    cors.allowOrigins.forEach((origin, i) => {
      if (origin === "*") {
        if (cors.allowCredentials) {
          throw new PropsError(this, `cors.allowOrigins[${i}]`, "is * while allowCredentials is true; browsers refuse that, and it would expose credentialed responses to every site: list the origins");
        }
        return;
      }
      checkFormat(this, `cors.allowOrigins[${i}]`, origin, formats.corsOrigin);
    });
  }
}

function corsConfiguration(cors: CorsOptions) {
  return {
    allowOrigins: [...cors.allowOrigins],
    allowMethods: [...(cors.allowMethods ?? ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])],
    allowHeaders: [...(cors.allowHeaders ?? ["authorization", "content-type"])],
    allowCredentials: cors.allowCredentials ?? false,
    maxAge: cors.maxAgeSeconds ?? 600,
  };
}

/** The identity sources of a Lambda authorizer, with the route key among them while results are cached (APIGW-AUTHORIZER-CACHE-ROUTE). */
function cachedPerRoute(options: HttpLambdaAuthorizerOptions): string[] {
  const sources = options.identitySources ?? ["$request.header.Authorization"];
  return options.resultTtlSeconds > 0 && !sources.includes("$context.routeKey") ? [...sources, "$context.routeKey"] : [...sources];
}
