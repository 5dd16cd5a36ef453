import { describeRoute, RestRoute, restDefinition } from "../rest-routes";
import { blocks, isTrue } from "../stack";
import type { Rule } from "../types";

/** Whether a URI is shown to be https: literally `https://`, whatever references follow. */
const HTTPS = /^https:\/\//i;

function restProblem(route: RestRoute): string | undefined {
  const uri = String(route.integration?.uri ?? "");
  if (route.integration?.insecureSkipVerification) return `${describeRoute(route)} skips verification of the backend's certificate (insecure_skip_verification)`;
  // Through a VPC link too: the request carries the caller's token to the load balancer and past it.
  return HTTPS.test(uri) ? undefined : `${describeRoute(route)} calls ${uri || "an unset uri"}, not a literal https:// URI`;
}

export const httpIntegrationTls: Rule = {
  id: "APIGW-INTEGRATION-HTTPS",
  severity: "error",
  message: "An HTTP integration must use TLS and verify the backend's certificate: a literal https:// URI (REST, and HTTP APIs over the internet), a tls_config with server_name_to_verify (HTTP API private integrations)",
  explanation:
    "Outside a VPC link, API Gateway reaches an HTTP backend over the internet: with http:// the request (headers, tokens, body) and the answer cross it unencrypted and unauthenticated, and with insecure_skip_verification (tlsConfig.insecureSkipVerification) anyone on the path can present a certificate of their own. Use a URI that starts with https:// in the configuration itself (a variable or an expression for the whole URI cannot be shown to be https; `https://${aws_lb.x.dns_name}/` can), and keep certificate verification on. A REST integration through a VPC link needs https:// as well: the request, the caller's token in it, crosses the VPC to the load balancer and its targets, and a confidential environment's data should not travel in plain text there either. An HTTP API integration through a VPC link names a load balancer listener, not a URL: it speaks HTTPS only with a tls_config, whose server_name_to_verify must be set. Checked for REST integrations of type HTTP and HTTP_PROXY in either form, and for HTTP API HTTP_PROXY integrations.",
  references: ["AWS docs: Set up HTTP integrations in API Gateway", "AWS docs: Private integrations (VPC links)", "Terraform AWS provider docs: aws_api_gateway_integration tls_config"],
  check: (stack) => [
    ...stack.resources("aws_api_gateway_rest_api").flatMap((api) =>
      restDefinition(stack, api)
        .routes.filter((route) => ["http", "http_proxy"].includes(route.integration?.type ?? ""))
        .flatMap((route) => {
          const problem = restProblem(route);
          return problem ? [{ address: route.address, detail: problem }] : [];
        }),
    ),
    // A private integration speaks HTTPS only with a tls_config (AWS: "If you specify a TLS
    // configuration, private integration traffic uses the HTTPS protocol").
    ...stack
      .resources("aws_apigatewayv2_integration")
      .filter((i) => String(i.body.integration_type ?? "").toUpperCase() === "HTTP_PROXY" && String(i.body.connection_type ?? "").toUpperCase() === "VPC_LINK")
      .filter((i) => !blocks(i.body.tls_config).some((t) => typeof t.server_name_to_verify === "string" && t.server_name_to_verify !== ""))
      .map((i) => ({ address: i.address, detail: "a private integration without tls_config.server_name_to_verify: plain HTTP to the load balancer" })),
    ...stack
      .resources("aws_apigatewayv2_integration")
      .filter((i) => String(i.body.integration_type ?? "").toUpperCase() === "HTTP_PROXY" && String(i.body.connection_type ?? "INTERNET").toUpperCase() !== "VPC_LINK")
      .filter((i) => !HTTPS.test(String(i.body.integration_uri ?? "")) || blocks(i.body.tls_config).some((t) => isTrue(t.insecure_skip_verification)))
      .map((i) => ({ address: i.address, detail: `calls ${String(i.body.integration_uri)}` })),
  ],
};
