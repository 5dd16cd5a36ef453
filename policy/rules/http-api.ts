import { blocks } from "../stack";
import type { Rule } from "../types";
import { isWebSocketRoute } from "./websocket";

const AUTHORIZED = ["JWT", "AWS_IAM", "CUSTOM"];

export const httpRouteAuthorizer: Rule = {
  id: "APIGW-HTTP-ROUTE-AUTH",
  severity: "error",
  message: "An HTTP API route must be authorized (JWT, AWS_IAM or CUSTOM), with an authorizer id where one is needed",
  explanation:
    "A route with authorization_type NONE (the default) is open to anyone on the internet. Set authorization_type to JWT or CUSTOM with authorizer_id, or AWS_IAM. A route that must stay open needs a suppression with its reason. WebSocket routes are checked by APIGW-WS-CONNECT-AUTH: they authorize on $connect only.",
  equivalents: { checkov: ["CKV_AWS_309"], securityHub: ["APIGateway.8"] },
  references: ["AWS Config api-gwv2-authorization-type-configured"],
  check: (stack) =>
    stack.resources("aws_apigatewayv2_route").filter((route) => !isWebSocketRoute(stack, route)).flatMap((route) => {
      const type = route.body.authorization_type ?? "NONE";
      if (!AUTHORIZED.includes(type)) return [{ address: route.address, detail: `${route.body.route_key} has authorization_type ${type}` }];
      if (type !== "AWS_IAM" && !route.body.authorizer_id) return [{ address: route.address, detail: `${route.body.route_key} has no authorizer_id` }];
      return [];
    }),
};

export const jwtAuthorizerConfiguration: Rule = {
  id: "APIGW-JWT-AUTHORIZER",
  severity: "error",
  message: "A JWT authorizer must have an https issuer and at least one audience, and read the token from a header",
  explanation:
    "API Gateway fetches the issuer's signing keys from <issuer>/.well-known/openid-configuration; over http they can be swapped in transit. Without audiences any token of the issuer, minted for any application, would be accepted. A token taken from the query string ($request.querystring.token) is in the URL, and so in access logs, proxies and browser histories: read it from a header ($request.header.Authorization). (WebSocket APIs, whose browsers cannot set headers on the upgrade request, use a Lambda authorizer: not applicable.)",
  references: ["AWS docs: Controlling access to HTTP APIs with JWT authorizers"],
  check: (stack) =>
    stack
      .resources("aws_apigatewayv2_authorizer")
      .filter((a) => a.body.authorizer_type === "JWT")
      .flatMap((authorizer) => {
        const jwt = blocks(authorizer.body.jwt_configuration)[0] ?? {};
        const problems = [
          ...(typeof jwt.issuer === "string" && jwt.issuer.startsWith("https://") ? [] : [`issuer ${JSON.stringify(jwt.issuer ?? null)} is not https`]),
          ...([].concat(jwt.audience ?? []).filter((a: string) => a.trim() !== "").length > 0 ? [] : ["no audience"]),
          // A bearer token in the URL lands in access logs, proxies and browser histories.
          ...([] as unknown[]).concat(authorizer.body.identity_sources ?? []).filter((source) => !/^\$request\.header\./i.test(String(source))).map((source) => `identity source ${String(source)} is not a header`),
        ];
        return problems.length ? [{ address: authorizer.address, detail: problems.join(", ") }] : [];
      }),
};
