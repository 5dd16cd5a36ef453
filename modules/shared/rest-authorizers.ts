/**
 * Authorizers of a REST API defined by an OpenAPI document: Lambda (TOKEN, REQUEST) and Cognito
 * user pools, as security schemes with `x-amazon-apigateway-authorizer`, and what lets API
 * Gateway call a Lambda authorizer: an invoke permission scoped to that one authorizer, or a
 * dedicated invocation role.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
 */
import { Fn, ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { DataAwsApiGatewayAuthorizer } from "@cdktf/provider-aws/lib/data-aws-api-gateway-authorizer";
import { DataAwsApiGatewayAuthorizers } from "@cdktf/provider-aws/lib/data-aws-api-gateway-authorizers";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import * as formats from "../../config/formats";
import type { ILambdaFunction } from "../lambda-function";
import { grantAuthorizerInvoke } from "./api-support";
import { policyDocument, serviceTrustPolicy } from "./iam";
import { checkFormat, PropsError } from "./validation";

/** A Lambda function that decides, from a token (TOKEN) or request parameters (REQUEST). */
export interface RestLambdaAuthorizer {
  readonly type: "TOKEN" | "REQUEST";
  readonly function: ILambdaFunction;
  /**
   * Where the identity is: for TOKEN one `method.request.header.<name>`; for REQUEST any of
   * `method.request.header.<name>`, `method.request.querystring.<name>`, `stageVariables.<name>`
   * and `context.<name>`. They key the result cache, and a request missing one is refused (401)
   * without calling the function.
   * @default ["method.request.header.Authorization"]
   */
  readonly identitySources?: readonly string[];
  /**
   * TOKEN only: a regular expression a token must match before the function is called.
   * @default none
   */
  readonly identityValidationExpression?: string;
  /** Seconds API Gateway caches a decision (0 to 3600); 0 calls the function on every request. */
  readonly resultTtlSeconds: number;
  /**
   * Invoke the function through a role API Gateway assumes (created here, allowed to invoke this
   * function only) instead of through the function's resource policy.
   * @default false
   */
  readonly invocationRole?: boolean;
}

/** Access tokens (or ID tokens) of Cognito user pools; methods may demand OAuth scopes. */
export interface RestCognitoAuthorizer {
  readonly type: "COGNITO_USER_POOLS";
  readonly userPoolArns: readonly string[];
  /** @default "method.request.header.Authorization" */
  readonly identitySource?: string;
}

export type RestAuthorizer = RestLambdaAuthorizer | RestCognitoAuthorizer;

/** Which authorizer a route goes through, with the OAuth scopes a Cognito authorizer demands. */
export interface RestRouteAuthorizer {
  readonly name: string;
  /** @default none: any valid token of the pools */
  readonly scopes?: readonly string[];
}

const AUTHORIZER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** Scheme names the API module writes itself. */
const RESERVED = ["api_key", "sigv4"];
const HEADER_SOURCE = /^method\.request\.header\.([A-Za-z0-9._-]+)$/;
const DEFAULT_SOURCE = "method.request.header.Authorization";

export function isLambdaAuthorizer(authorizer: RestAuthorizer): authorizer is RestLambdaAuthorizer {
  return authorizer.type !== "COGNITO_USER_POOLS";
}

/** Refuses what PutRestApi would refuse or warn about (and so fail the put), naming the authorizer. */
export function checkAuthorizers(scope: Construct, authorizers: Readonly<Record<string, RestAuthorizer>>): void {
  for (const [name, authorizer] of Object.entries(authorizers)) {
    const fail = (prop: string, problem: string) => new PropsError(scope, `authorizers.${name}${prop}`, problem);
    if (!AUTHORIZER_NAME.test(name) || RESERVED.includes(name)) throw fail("", `has a name that is not allowed; expected a letter, then up to 63 letters, digits, - or _, other than ${RESERVED.join(" and ")}`);
    if (!isLambdaAuthorizer(authorizer)) {
      if (authorizer.userPoolArns.length === 0) throw fail(".userPoolArns", "is empty; name the user pool(s) whose tokens are accepted");
      authorizer.userPoolArns.forEach((arn, i) => checkFormat(scope, `authorizers.${name}.userPoolArns[${i}]`, arn, formats.cognitoUserPoolArn));
      checkFormat(scope, `authorizers.${name}.identitySource`, authorizer.identitySource ?? DEFAULT_SOURCE, formats.restTokenIdentitySource);
      continue;
    }
    const ttl = authorizer.resultTtlSeconds;
    if (!Token.isUnresolved(ttl) && (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600)) throw fail(".resultTtlSeconds", `is ${ttl}; expected whole seconds from 0 (no caching) to 3600`);
    const sources = authorizer.identitySources ?? [DEFAULT_SOURCE];
    if (authorizer.type === "TOKEN") {
      if (sources.length !== 1) throw fail(".identitySources", `has ${sources.length} sources; a TOKEN authorizer reads exactly one header`);
      checkFormat(scope, `authorizers.${name}.identitySources[0]`, sources[0], formats.restTokenIdentitySource);
      const expression = authorizer.identityValidationExpression;
      if (expression !== undefined && !Token.isUnresolved(expression)) {
        try {
          new RegExp(expression);
        } catch {
          throw fail(".identityValidationExpression", `is ${JSON.stringify(expression)}, which is not a regular expression`);
        }
      }
    } else {
      if (authorizer.identityValidationExpression !== undefined) throw fail(".identityValidationExpression", "is set on a REQUEST authorizer; API Gateway applies it to TOKEN authorizers only");
      if (sources.length === 0 && ttl > 0) throw fail(".identitySources", "is empty while results are cached; the cache is keyed on the identity sources (set resultTtlSeconds: 0, or name them)");
      sources.forEach((source, i) => checkFormat(scope, `authorizers.${name}.identitySources[${i}]`, source, formats.restRequestIdentitySource));
    }
  }
}

/**
 * The security scheme of each authorizer, in the form the importer reads: an `apiKey` scheme in
 * the identity header with `x-amazon-apigateway-authorizer` (`Unused` for a REQUEST authorizer,
 * as AWS's examples write it). `roles` gives the invocation role of those that have one.
 */
export function authorizerSchemes(authorizers: Readonly<Record<string, RestAuthorizer>>, roles: ReadonlyMap<string, string>): Record<string, object> {
  return Object.fromEntries(
    Object.entries(authorizers).map(([name, authorizer]) => {
      if (!isLambdaAuthorizer(authorizer)) {
        const source = authorizer.identitySource ?? DEFAULT_SOURCE;
        return [
          name,
          {
            type: "apiKey",
            name: headerOf(source),
            in: "header",
            "x-amazon-apigateway-authtype": "cognito_user_pools",
            "x-amazon-apigateway-authorizer": { type: "cognito_user_pools", providerARNs: [...authorizer.userPoolArns], identitySource: source },
          },
        ];
      }
      const sources = authorizer.identitySources ?? [DEFAULT_SOURCE];
      const role = roles.get(name);
      return [
        name,
        {
          type: "apiKey",
          name: authorizer.type === "TOKEN" ? headerOf(sources[0]) : "Unused",
          in: "header",
          "x-amazon-apigateway-authtype": "custom",
          "x-amazon-apigateway-authorizer": {
            type: authorizer.type.toLowerCase(),
            authorizerUri: authorizer.function.invokeArn,
            ...(role ? { authorizerCredentials: role } : {}),
            ...(sources.length ? { identitySource: sources.join(", ") } : {}),
            ...(authorizer.identityValidationExpression !== undefined ? { identityValidationExpression: authorizer.identityValidationExpression } : {}),
            // Always written: left out, API Gateway caches for 300 seconds.
            authorizerResultTtlInSeconds: authorizer.resultTtlSeconds,
          },
        },
      ];
    }),
  );
}

/** The schemes as clients read them: a Cognito pool's OpenID Connect discovery, a header for a Lambda authorizer. */
export function clientAuthorizerSchemes(authorizers: Readonly<Record<string, RestAuthorizer>>): Record<string, object> {
  return Object.fromEntries(
    Object.entries(authorizers).map(([name, authorizer]) => {
      if (isLambdaAuthorizer(authorizer)) {
        const header = authorizer.type === "TOKEN" ? headerOf((authorizer.identitySources ?? [DEFAULT_SOURCE])[0]) : undefined;
        return [name, header ? { type: "apiKey", in: "header", name: header, description: "A token the API's Lambda authorizer verifies" } : { type: "apiKey", in: "header", name: "Authorization", description: "Request parameters the API's Lambda authorizer checks" }];
      }
      const [, region, pool] = /^arn:[^:]+:cognito-idp:([^:]+):\d+:userpool\/(.+)$/.exec(authorizer.userPoolArns[0]) ?? [];
      return [name, { type: "openIdConnect", openIdConnectUrl: `https://cognito-idp.${region}.amazonaws.com/${pool}/.well-known/openid-configuration` }];
    }),
  );
}

/** The request headers an authorizer reads its identity from. */
export function authorizerHeaders(authorizer: RestAuthorizer): string[] {
  const sources = isLambdaAuthorizer(authorizer) ? (authorizer.identitySources ?? [DEFAULT_SOURCE]) : [authorizer.identitySource ?? DEFAULT_SOURCE];
  return sources.flatMap((source) => HEADER_SOURCE.exec(source)?.[1] ?? []);
}

function headerOf(source: string): string {
  return HEADER_SOURCE.exec(source)?.[1] ?? "Authorization";
}

export interface AuthorizerAccessProps {
  readonly apiName: string;
  readonly restApiId: string;
  readonly executionArn: string;
  /** The resource that writes the document, after which API Gateway has assigned the authorizer ids. */
  readonly definition: ITerraformDependable;
  readonly authorizers: Readonly<Record<string, RestAuthorizer>>;
}

/** The invocation role of each Lambda authorizer that asks for one, by authorizer name: ARN and the resources that grant it. */
export function invocationRoles(scope: Construct, apiName: string, authorizers: Readonly<Record<string, RestAuthorizer>>): Map<string, { arn: string; grants: ITerraformDependable[] }> {
  const roles = new Map<string, { arn: string; grants: ITerraformDependable[] }>();
  for (const [name, authorizer] of Object.entries(authorizers)) {
    if (!isLambdaAuthorizer(authorizer) || !authorizer.invocationRole) continue;
    const roleName = `${apiName}-${name}-authorizer`;
    if (!Token.isUnresolved(roleName) && roleName.length > 64) throw new PropsError(scope, `authorizers.${name}`, `gives the invocation role name ${roleName}, longer than IAM's 64 characters; shorten the API's or the authorizer's name`);
    const role = new IamRole(scope, `authorizer-role-${name}`, {
      name: roleName,
      description: `API Gateway assumes it to call the ${name} authorizer of ${apiName}`,
      assumeRolePolicy: serviceTrustPolicy("apigateway.amazonaws.com"),
    });
    const policy = new IamRolePolicy(scope, `authorizer-role-policy-${name}`, {
      role: role.id,
      name: "invoke-authorizer",
      policy: policyDocument([{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: authorizer.function.functionArn }]),
    });
    roles.set(name, { arn: role.arn, grants: [role, policy] });
  }
  return roles;
}

/**
 * An invoke permission per Lambda authorizer without an invocation role, whose source ARN is
 * `<execution arn>/authorizers/<authorizer id>`: that authorizer only, not the API's methods.
 *
 * The document's import assigns the ids, and no attribute of the put returns them; the provider
 * has no data source that finds an authorizer by name (terraform-provider-aws#28145). So the ids
 * are listed after the put (`aws_api_gateway_authorizers`), each read (`aws_api_gateway_authorizer`:
 * one per authorizer of the document, which an overwrite leaves exactly) and matched by name.
 * Whenever the document changes, the reads wait for the apply and the permissions are replaced,
 * new before old (`create_before_destroy`, generated statement ids), so the function stays callable.
 * Returns the permissions, for the deployment to wait for.
 */
export function authorizerPermissions(scope: Construct, props: AuthorizerAccessProps, withRole: ReadonlySet<string>): LambdaPermission[] {
  const names = Object.keys(props.authorizers);
  const granted = Object.entries(props.authorizers).filter((entry): entry is [string, RestLambdaAuthorizer] => isLambdaAuthorizer(entry[1]) && !withRole.has(entry[0]));
  if (granted.length === 0) return [];
  const listed = new DataAwsApiGatewayAuthorizers(scope, "authorizer-ids", { restApiId: props.restApiId, dependsOn: [props.definition] });
  const read = names.map((_, i) => new DataAwsApiGatewayAuthorizer(scope, `authorizer-${i}`, { restApiId: props.restApiId, authorizerId: Fn.element(listed.ids, i) }));
  const idByName = Fn.zipmap(
    read.map((a) => a.name),
    read.map((a) => a.authorizerId),
  );
  return granted.map(
    ([name, authorizer]) =>
      // Read without a default: the apply fails if the document's authorizer is missing.
      grantAuthorizerInvoke(scope, `authorizer-invoke-${name}`, `apigateway-${props.apiName}-${name}-`, authorizer.function, props.executionArn, Fn.lookup(idByName, name)),
  );
}
