import { describeRoute, restDefinition } from "../rest-routes";
import type { Rule } from "../types";

const PLAIN = /^http:\/\//i;

export const httpIntegrationTls: Rule = {
  id: "APIGW-INTEGRATION-HTTPS",
  severity: "error",
  message: "An HTTP integration must use https://, unless it goes through a VPC link",
  explanation:
    "Outside a VPC link, API Gateway reaches an HTTP backend over the internet: with http:// the request (headers, tokens, body) and the answer cross it unencrypted and unauthenticated. Use https:// (API Gateway verifies the backend's certificate), or connection_type VPC_LINK for a backend in the VPC. Checked for REST integrations of type HTTP and HTTP_PROXY in either form, and for HTTP API integrations.",
  references: ["AWS docs: Set up HTTP integrations in API Gateway", "AWS docs: Private integrations (VPC links)"],
  check: (stack) => [
    ...stack.resources("aws_api_gateway_rest_api").flatMap((api) =>
      restDefinition(stack, api)
        .routes.filter((route) => ["http", "http_proxy"].includes(route.integration?.type ?? "") && PLAIN.test(String(route.integration?.uri ?? "")))
        .filter((route) => route.integration?.connectionType?.toUpperCase() !== "VPC_LINK")
        .map((route) => ({ address: route.address, detail: `${describeRoute(route)} calls ${String(route.integration?.uri)}` })),
    ),
    ...stack
      .resources("aws_apigatewayv2_integration")
      .filter((i) => PLAIN.test(String(i.body.integration_uri ?? "")) && String(i.body.connection_type ?? "INTERNET").toUpperCase() !== "VPC_LINK")
      .map((i) => ({ address: i.address, detail: `calls ${String(i.body.integration_uri)}` })),
  ],
};
