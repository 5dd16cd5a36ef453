import { describeRoute, restDefinition } from "../rest-routes";
import type { Rule } from "../types";
import { restApiOf } from "./rest-api";

const HTTP_TYPES = ["http", "http_proxy"];

export const stageClientCertificate: Rule = {
  id: "APIGW-STAGE-CLIENT-CERT",
  severity: "error",
  message: "A REST stage whose API has HTTP integrations over the internet must present a client certificate to them (client_certificate_id)",
  explanation:
    "An HTTP or HTTP_PROXY integration without a VPC link calls a public endpoint: without a client certificate that backend cannot tell API Gateway's requests from anyone else's, so every caller can go around the API's authorization, throttling and WAF by calling the backend directly. Create an aws_api_gateway_client_certificate, set the stage's client_certificate_id and have the backend verify it. Stages whose integrations are Lambda, AWS services, mocks or VPC links (the backend is not public) are not applicable, and so are HTTP and WebSocket stages (HTTP APIs do not present client certificates; use a VPC link or a backend authorizer).",
  equivalents: { checkov: ["CKV2_AWS_51"] },
  references: ["AWS docs: Generate and configure an SSL certificate for backend authentication"],
  check: (stack) =>
    stack
      .resources("aws_api_gateway_stage")
      .filter((stage) => stage.body.client_certificate_id === undefined || stage.body.client_certificate_id === "")
      .flatMap((stage) => {
        const api = restApiOf(stack, stage);
        const route = api && restDefinition(stack, api).routes.find((r) => HTTP_TYPES.includes(r.integration?.type ?? "") && r.integration?.connectionType?.toUpperCase() !== "VPC_LINK");
        return route ? [{ address: stage.address, detail: `${describeRoute(route)} integrates over HTTP without a client certificate` }] : [];
      }),
};
