import { describeRoute, RestAuthorizer, restDefinition } from "../rest-routes";
import { Block, referencesIn, StackView } from "../stack";
import type { Rule, Violation } from "../types";
import { isPrivate } from "./rest-api";

/** What identifies a Lambda function in a value: the resources it references, or the name in a literal ARN. */
function functionIdentities(value: unknown): string[] {
  const references = referencesIn(value)
    .filter((r) => r.address.startsWith("aws_lambda_function.") || r.address.startsWith("data.aws_lambda_function."))
    .map((r) => r.address);
  const literal = typeof value === "string" ? [...value.matchAll(/:function:([A-Za-z0-9_-]+)/g)].map(([, name]) => name) : [];
  return [...references, ...literal, ...(typeof value === "string" && /^[A-Za-z0-9_-]+$/.test(value) ? [value] : [])];
}

/** Whether a source ARN names the authorizers of the API whose execution ARN is `api.execution_arn`, or its literal id. */
function scopedToAuthorizers(sourceArn: unknown, api: Block): boolean {
  if (typeof sourceArn !== "string") return false;
  if (sourceArn.startsWith(`\${${api.address}.execution_arn}/authorizers/`)) return true;
  const arn = /^arn:[^:]+:execute-api:[^:]+:[^:]+:([^/]+)\/authorizers\/[^/]+$/.exec(sourceArn);
  return arn !== null && (referencesIn(arn[1]).some((r) => r.address === api.address && r.attribute === "id") || arn[1] === api.body.id);
}

/** Each Lambda authorizer that API Gateway invokes through the function's resource policy (no credentials), with its API. */
function lambdaAuthorizers(stack: StackView): { address: string; detail: string; uri: unknown; api: Block }[] {
  const rest = stack.resources("aws_api_gateway_rest_api").flatMap((api) =>
    restDefinition(stack, api)
      .authorizers.filter((a: RestAuthorizer) => (a.type === "TOKEN" || a.type === "REQUEST") && !a.credentials)
      .map((a) => ({ address: a.address, detail: `the authorizer ${a.name}${a.pointer ? ` (${a.pointer})` : ""}`, uri: a.uri, api })),
  );
  const http = stack
    .resources("aws_apigatewayv2_authorizer")
    .filter((a) => a.body.authorizer_type === "REQUEST" && !a.body.authorizer_credentials_arn)
    .flatMap((a) => {
      const api = stack.referenced(a.body.api_id, "aws_apigatewayv2_api");
      return api ? [{ address: a.address, detail: `the authorizer ${a.body.name ?? a.name}`, uri: a.body.authorizer_uri, api }] : [];
    });
  return [...rest, ...http];
}

export const authorizerPermissionScoped: Rule = {
  id: "APIGW-AUTHORIZER-PERMISSION",
  severity: "error",
  message: "A Lambda authorizer's function must have an invoke permission scoped to the API's authorizers (<execution arn>/authorizers/<authorizer id>), and none broader",
  explanation:
    "API Gateway calls an authorizer's function as `<execution arn>/authorizers/<authorizer id>`. Without a permission for it every protected method answers 500; a permission on `<execution arn>/*` (or none at all) also lets the API's methods, or any API, invoke the function as a backend. Scope an aws_lambda_permission for apigateway.amazonaws.com to the authorizer, or give the authorizer credentials (an invocation role) instead.",
  equivalents: { checkov: ["CKV_AWS_301"] },
  references: ["AWS docs: Configure an API Gateway Lambda authorizer (lambda add-permission --source-arn .../authorizers/<id>)"],
  check: (stack) => {
    const permissions = stack.resources("aws_lambda_permission").filter((p) => p.body.principal === "apigateway.amazonaws.com");
    const authorizers = lambdaAuthorizers(stack).map((a) => ({ ...a, functions: functionIdentities(a.uri) })).filter((a) => a.functions.length > 0);
    const permissionsOf = (functions: string[]) => permissions.filter((p) => functionIdentities(p.body.function_name).some((f) => functions.includes(f)));
    const violations: Violation[] = authorizers
      .filter((a) => !permissionsOf(a.functions).some((p) => scopedToAuthorizers(p.body.source_arn, a.api)))
      .map((a) => ({ address: a.address, detail: `${a.detail} has no invoke permission scoped to ${a.api.address}'s authorizers` }));
    // A function may serve authorizers of several APIs; each of its permissions must name one of their authorizers.
    const flagged = new Set<string>();
    for (const authorizer of authorizers) {
      const apis = authorizers.filter((a) => a.functions.some((f) => authorizer.functions.includes(f))).map((a) => a.api);
      for (const permission of permissionsOf(authorizer.functions)) {
        if (flagged.has(permission.address) || apis.some((api) => scopedToAuthorizers(permission.body.source_arn, api))) continue;
        flagged.add(permission.address);
        violations.push({ address: permission.address, detail: `source_arn ${JSON.stringify(permission.body.source_arn ?? null)} is broader than the authorizers of ${apis.map((a) => a.address).join(", ")} (${authorizer.detail})` });
      }
    }
    return violations;
  },
};

export const cognitoMethodScopes: Rule = {
  id: "APIGW-COGNITO-SCOPES",
  severity: "error",
  message: "A method behind a Cognito user pool authorizer must demand OAuth scopes",
  explanation:
    "Without authorization scopes, a COGNITO_USER_POOLS method accepts any ID token of the pool, for any app client: every signed-in user can call it. Demand the scopes of the resource server (authorization_scopes, or the scopes of the security requirement in an OpenAPI document); the caller then needs an access token granted them. (A Lambda authorizer checks scopes in its function: the platform's, ROUTE_SCOPES.)",
  references: ["AWS docs: Integrate a REST API with an Amazon Cognito user pool (authorizationScopes)"],
  check: (stack) =>
    stack.resources("aws_api_gateway_rest_api").flatMap((api) =>
      restDefinition(stack, api)
        .routes.filter((r) => r.authorization === "COGNITO_USER_POOLS" && r.scopes.length === 0)
        .map((r) => ({ address: r.address, detail: `${describeRoute(r)} has no scopes` })),
    ),
};

const WRITES = ["POST", "PUT", "PATCH"];

export const publicWriteValidated: Rule = {
  id: "APIGW-REQUEST-VALIDATOR",
  severity: "warning",
  message: "A write method (POST, PUT, PATCH) of a public REST API should have a request validator",
  explanation:
    "API Gateway can refuse a malformed request (400) before it reaches, and is billed to, the backend: give write methods a request validator (request_validator_id, or x-amazon-apigateway-request-validator in an OpenAPI document) and a model of their body.",
  equivalents: { checkov: ["CKV2_AWS_53"] },
  references: ["AWS docs: Request validation for REST APIs in API Gateway"],
  check: (stack) =>
    stack
      .resources("aws_api_gateway_rest_api")
      .filter((api) => !isPrivate(api))
      .flatMap((api) =>
        restDefinition(stack, api)
          .routes.filter((r) => WRITES.includes(r.httpMethod) && !r.requestValidator)
          .map((r) => ({ address: r.address, detail: `${describeRoute(r)} has no request validator` })),
      ),
};

/** Context variables a gateway response may show callers: the message and ids to quote to support. */
const SHOWN = ["$context.error.message", "$context.error.messageString", "$context.error.responseType", "$context.requestId", "$context.extendedRequestId"];

export const gatewayResponsesSafe: Rule = {
  id: "APIGW-GATEWAY-RESPONSES",
  severity: "warning",
  message: "DEFAULT_4XX and DEFAULT_5XX gateway responses should show the message only, and carry CORS headers on an API with CORS",
  explanation:
    "Gateway responses are what API Gateway answers itself. A template that shows more than the error message and request id (the validation error string, authorizer or integration variables) tells callers about the API's internals. On an API that answers CORS preflights, an error without Access-Control-Allow-Origin (gatewayresponse.header.Access-Control-Allow-Origin) is unreadable to the browser app, which sees a network error instead of the 4XX/5XX.",
  references: ["AWS docs: Gateway responses for REST APIs in API Gateway", "AWS docs: CORS for REST APIs (gateway responses)"],
  check: (stack) =>
    stack.resources("aws_api_gateway_rest_api").flatMap((api) => {
      const definition = restDefinition(stack, api);
      const defaults = definition.gatewayResponses.filter((r) => r.type === "DEFAULT_4XX" || r.type === "DEFAULT_5XX");
      const violations: Violation[] = defaults.flatMap((response) => {
        const shown = Object.values(response.templates).flatMap((t) => (typeof t === "string" ? [...t.matchAll(/\$(?:context|util|input)\.[A-Za-z0-9_.]+/g)].map(([v]) => v.replace(/\.$/, "")) : []));
        const extra = [...new Set(shown.filter((v) => !SHOWN.includes(v)))];
        const where = `${response.type}${response.pointer ? ` (${response.pointer})` : ""}`;
        return [
          ...(extra.length ? [{ address: response.address, detail: `${where} shows ${extra.join(", ")}` }] : []),
          ...(definition.cors && !Object.keys(response.parameters).some((k) => /^gatewayresponse\.header\.access-control-allow-origin$/i.test(k))
            ? [{ address: response.address, detail: `${where} has no Access-Control-Allow-Origin on an API with CORS` }]
            : []),
        ];
      });
      if (definition.cors) {
        for (const type of ["DEFAULT_4XX", "DEFAULT_5XX"].filter((t) => !defaults.some((r) => r.type === t))) {
          violations.push({ address: api.address, detail: `no ${type} gateway response with Access-Control-Allow-Origin on an API with CORS` });
        }
      }
      return violations;
    }),
};
