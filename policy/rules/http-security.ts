import { restDefinition } from "../rest-routes";
import { blocks, referencesIn, StackView } from "../stack";
import type { Rule, Violation } from "../types";

const WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE", "ANY"];

export const httpWriteRouteScopes: Rule = {
  id: "APIGW-HTTP-WRITE-SCOPES",
  severity: "error",
  message: "A JWT-authorized HTTP API route that writes (POST, PUT, PATCH, DELETE, ANY, $default) must require OAuth scopes",
  explanation:
    "A JWT authorizer without authorization_scopes accepts any unexpired token of the issuer for the audience: a token minted for reading, or for another app of the same client, may then write. Set authorization_scopes on every write route.",
  references: ["AWS docs: Controlling access to HTTP APIs with JWT authorizers (authorization scopes)"],
  check: (stack) =>
    stack
      .resources("aws_apigatewayv2_route")
      .filter((route) => route.body.authorization_type === "JWT")
      .filter((route) => {
        const key = String(route.body.route_key ?? "");
        return key === "$default" || WRITE_METHODS.includes(key.split(" ")[0]);
      })
      .filter((route) => [].concat(route.body.authorization_scopes ?? []).length === 0)
      .map((route) => ({ address: route.address, detail: `${route.body.route_key} has no authorization_scopes` })),
};

/** What is wrong with a CORS allowed origin: `*`, or plain http to anything but the local machine. */
function originProblem(origin: string): string | undefined {
  // A REST mapping value is a quoted literal ('https://app.example.com') or a request or integration value it copies.
  if (/^(method\.request|integration\.response|context|stageVariables)\./i.test(origin.trim())) return `reflects ${origin} (any origin, with its credentials)`;
  const value = origin.replace(/^'|'$/g, "");
  if (value === "*") return "allows every origin (*)";
  if (value.includes("*")) return `allows ${value}: every host the pattern matches, subdomains someone else can take over among them`;
  if (value.toLowerCase() === "null") return "allows the null origin (sandboxed frames, file: pages and redirects send it)";
  const http = /^http:\/\/([^/:]+)(:\d+)?$/.exec(value);
  if (http && !["localhost", "127.0.0.1", "[::1]"].includes(http[1])) return `allows ${value} over plain http`;
  return undefined;
}

const ALLOW_ORIGIN = /^(method\.response|gatewayresponse)\.header\.Access-Control-Allow-Origin$/i;

/** The Access-Control-Allow-Origin values a REST API answers with: integration responses in either form, and gateway responses. */
function restAllowedOrigins(stack: StackView): { address: string; origin: string }[] {
  const resourceForm = [...stack.resources("aws_api_gateway_integration_response"), ...stack.resources("aws_api_gateway_gateway_response")].flatMap((r) =>
    Object.entries<unknown>(r.body.response_parameters ?? {})
      .filter(([name]) => ALLOW_ORIGIN.test(name))
      .map(([, origin]) => ({ address: r.address, origin: String(origin) })),
  );
  const documents = stack.resources("aws_api_gateway_rest_api").flatMap((api) =>
    restDefinition(stack, api).documents.flatMap((document) => {
      const content = document.content ?? {};
      const integrations = Object.values<any>(content.paths ?? {}).flatMap((item) =>
        Object.values<any>(item ?? {}).map((operation) => operation?.["x-amazon-apigateway-integration"]?.responses ?? {}),
      );
      const gateway = Object.values<any>(content["x-amazon-apigateway-gateway-responses"] ?? {});
      return [...integrations.flatMap((responses) => Object.values<any>(responses)), ...gateway]
        // Header names are case-insensitive: API Gateway maps access-control-allow-origin as well.
        .flatMap((response) => Object.entries<unknown>(response?.responseParameters ?? {}).filter(([name]) => ALLOW_ORIGIN.test(name)).map(([, origin]) => origin))
        .filter((origin): origin is string => typeof origin === "string")
        .map((origin) => ({ address: document.address, origin }));
    }),
  );
  return [...resourceForm, ...documents];
}

export const corsOrigins: Rule = {
  id: "APIGW-CORS",
  severity: "error",
  message: "CORS must allow named https origins only: no *, no wildcard subdomain, no null, no reflected Origin, and http:// only for localhost",
  explanation:
    "Access-Control-Allow-Origin * lets every web page read the API's answers from its visitors' browsers; an http:// origin can be impersonated by anyone on the network path. A REST response that copies the request's Origin header (method.request.header.Origin) into Access-Control-Allow-Origin allows every origin, and with Access-Control-Allow-Credentials its visitors' cookies and credentials too; the `null` origin is sent by sandboxed iframes and file: pages, which any attacker can create. A pattern such as `https://*.example.com` admits every subdomain, a forgotten one pointing at a deleted bucket or app among them. List the https origins of the browser apps (http://localhost for development). Header names are matched case-insensitively. Checked: HTTP APIs' cors_configuration and integration response mappings (overwrite:header.Access-Control-Allow-Origin), and REST APIs' Access-Control-Allow-Origin in integration and gateway responses, as resources or in the OpenAPI document.",
  references: ["AWS docs: Configuring CORS for an HTTP API", "AWS docs: Enabling CORS for a REST API resource", "OWASP: CORS origin header scrutiny"],
  check: (stack) => {
    const violations: Violation[] = [];
    for (const api of stack.resources("aws_apigatewayv2_api")) {
      for (const origin of blocks(api.body.cors_configuration).flatMap((c) => [].concat(c.allow_origins ?? []))) {
        const problem = originProblem(String(origin));
        if (problem) violations.push({ address: api.address, detail: problem });
      }
    }
    // An HTTP API integration's response mappings can set the header as well, and copy the Origin.
    for (const integration of stack.resources("aws_apigatewayv2_integration")) {
      for (const [key, value] of blocks(integration.body.response_parameters).flatMap((r) => Object.entries<unknown>((r.mappings as Record<string, unknown>) ?? {}))) {
        if (!/header\.Access-Control-Allow-Origin$/i.test(key)) continue;
        const problem = String(value).startsWith("$") ? `reflects ${String(value)} (any origin, with its credentials)` : originProblem(String(value));
        if (problem) violations.push({ address: integration.address, detail: problem });
      }
    }
    for (const { address, origin } of restAllowedOrigins(stack)) {
      const problem = originProblem(origin);
      if (problem) violations.push({ address, detail: problem });
    }
    return violations;
  },
};

/** The domain names of an HTTP API: those of the aws_apigatewayv2_api_mapping resources that map it. */
function mappedDomains(stack: StackView, apiAddress: string): string[] {
  return stack
    .resources("aws_apigatewayv2_api_mapping")
    .filter((m) => referencesIn(m.body.api_id).some((r) => r.address === apiAddress))
    .flatMap((m) => referencesIn(m.body.domain_name).map((r) => r.address));
}

export const httpApiWaf: Rule = {
  id: "APIGW-HTTP-WAF",
  severity: "warning",
  message: "An HTTP API should be behind a CloudFront distribution with a WAF web ACL",
  explanation:
    "HTTP APIs cannot take a WAF web ACL themselves. Put a CloudFront distribution with web_acl_id in front of the API's custom domain (or its endpoint), with the API's default endpoint disabled so that the distribution is the only way in.",
  references: ["AWS docs: Protecting HTTP APIs (AWS WAF through Amazon CloudFront)", "AWS WAF Developer Guide: resources you can protect"],
  check: (stack) => {
    const protectedOrigins = stack
      .resources("aws_cloudfront_distribution")
      .filter((d) => typeof d.body.web_acl_id === "string" && d.body.web_acl_id !== "")
      .flatMap((d) => referencesIn(blocks(d.body.origin).map((o) => o.domain_name)).map((r) => r.address));
    return stack
      .resources("aws_apigatewayv2_api")
      .filter((api) => api.body.protocol_type === "HTTP")
      .filter((api) => ![api.address, ...mappedDomains(stack, api.address)].some((address) => protectedOrigins.includes(address)))
      .map((api) => ({ address: api.address }));
  },
};
