import { describeRoute, restDefinition } from "../rest-routes";
import type { Rule } from "../types";

export const awsIntegrationPassthrough: Rule = {
  id: "APIGW-INTEGRATION-PASSTHROUGH",
  severity: "warning",
  message: "An AWS service integration should refuse content types it has no mapping template for (passthrough_behavior NEVER)",
  explanation:
    "With WHEN_NO_MATCH (the default), a request whose Content-Type has no template goes to the service unmapped: the client's body becomes the service request, choosing its parameters (another stream name, another table, another message attribute) within what the credentials role allows. NEVER answers 415 instead; WHEN_NO_TEMPLATES does the same once one template exists. Checked for type AWS integrations of REST APIs, in either form.",
  references: ["AWS docs: Integration passthrough behaviors", "AWS docs: x-amazon-apigateway-integration object (passthroughBehavior)"],
  check: (stack) =>
    stack.resources("aws_api_gateway_rest_api").flatMap((api) =>
      restDefinition(stack, api)
        .routes.filter((route) => route.integration?.type === "aws")
        .flatMap((route) => {
          const behavior = (route.integration?.passthroughBehavior ?? "WHEN_NO_MATCH").toUpperCase();
          const given = route.integration?.passthroughBehavior === undefined ? "WHEN_NO_MATCH (the default)" : behavior;
          return behavior === "WHEN_NO_MATCH" ? [{ address: route.address, detail: `${describeRoute(route)} passes unmapped bodies through: ${given}` }] : [];
        }),
    ),
};
