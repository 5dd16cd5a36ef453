import { describeRoute, RestRoute, restDefinition } from "../rest-routes";
import { blocks } from "../stack";
import type { Rule } from "../types";

/** Whether a URI is shown to be https: literally `https://`, whatever references follow. */
const HTTPS = /^https:\/\//i;

function restProblem(route: RestRoute): string | undefined {
  const uri = String(route.integration?.uri ?? "");
  if (route.integration?.insecureSkipVerification) return `${describeRoute(route)} skips verification of the backend's certificate (insecure_skip_verification)`;
  if (route.integration?.connectionType?.toUpperCase() === "VPC_LINK") return undefined;
  return HTTPS.test(uri) ? undefined : `${describeRoute(route)} calls ${uri || "an unset uri"}, not a literal https:// URI`;
}

export const httpIntegrationTls: Rule = {
  id: "APIGW-INTEGRATION-HTTPS",
  severity: "error",
  message: "An HTTP integration must use a literal https:// URI and verify the backend's certificate, unless it goes through a VPC link",
  explanation:
    "Outside a VPC link, API Gateway reaches an HTTP backend over the internet: with http:// the request (headers, tokens, body) and the answer cross it unencrypted and unauthenticated, and with insecure_skip_verification (tlsConfig.insecureSkipVerification) anyone on the path can present a certificate of their own. Use a URI that starts with https:// in the configuration itself (a variable or an expression for the whole URI cannot be shown to be https; `https://${aws_lb.x.dns_name}/` can), keep certificate verification on, or use connection_type VPC_LINK for a backend in the VPC. Checked for REST integrations of type HTTP and HTTP_PROXY in either form, and for HTTP API HTTP_PROXY integrations.",
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
    ...stack
      .resources("aws_apigatewayv2_integration")
      .filter((i) => String(i.body.integration_type ?? "").toUpperCase() === "HTTP_PROXY" && String(i.body.connection_type ?? "INTERNET").toUpperCase() !== "VPC_LINK")
      .filter((i) => !HTTPS.test(String(i.body.integration_uri ?? "")) || blocks(i.body.tls_config).some((t) => t.insecure_skip_verification === true))
      .map((i) => ({ address: i.address, detail: `calls ${String(i.body.integration_uri)}` })),
  ],
};
