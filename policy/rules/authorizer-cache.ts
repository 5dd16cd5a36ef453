import { isTrue } from "../stack";
import type { Rule } from "../types";

/**
 * An HTTP API Lambda authorizer's simple response is a yes or no for the identity sources' values:
 * API Gateway caches it under them and answers every route behind the authorizer from the cache.
 */
export const authorizerCachePerRoute: Rule = {
  id: "APIGW-AUTHORIZER-CACHE-ROUTE",
  severity: "error",
  message: "An HTTP API Lambda authorizer with simple responses that caches, and serves more than one route, must have $context.routeKey among its identity sources",
  explanation:
    "With enable_simple_responses, the function answers isAuthorized true or false, not a policy naming the route: API Gateway caches that answer under the identity sources' values for authorizer_result_ttl_in_seconds (300 unless set; 0 turns caching off) and gives it to every route that uses the authorizer. A token the function allowed on `GET /products` then passes `POST /orders` for five minutes, whatever scopes the function demands there. Add `$context.routeKey` to identity_sources so that each route's answer is cached on its own, or set the TTL to 0. Not applicable: REST authorizers and HTTP authorizers with IAM policy responses (API Gateway evaluates the cached policy against each route), and authorizers that serve one route.",
  references: ["AWS docs: Working with AWS Lambda authorizers for HTTP APIs (caching, identity sources, simple responses)", "Terraform AWS provider docs: aws_apigatewayv2_authorizer (authorizer_result_ttl_in_seconds)"],
  check: (stack) =>
    stack
      .resources("aws_apigatewayv2_authorizer")
      .filter((a) => String(a.body.authorizer_type).toUpperCase() === "REQUEST" && (isTrue(a.body.enable_simple_responses)))
      // A TTL that is not a number (a variable) may be anything: cached.
      .filter((a) => !(Number(a.body.authorizer_result_ttl_in_seconds ?? 300) <= 0))
      .flatMap((a) => {
        const routes = stack.resources("aws_apigatewayv2_route").filter((r) => stack.identifies(r.body.authorizer_id, a, "id"));
        const sources = ([] as unknown[]).concat(a.body.identity_sources ?? []);
        return routes.length > 1 && !sources.includes("$context.routeKey")
          ? [{ address: a.address, detail: `caches one answer for ${routes.map((r) => String(r.body.route_key)).join(", ")}: identity sources ${sources.map(String).join(", ") || "none"}` }]
          : [];
      }),
};
