import { restDefinition } from "../rest-routes";
import type { Rule } from "../types";

export const restSingleDefinition: Rule = {
  id: "APIGW-REST-ONE-DEFINITION",
  severity: "error",
  message: "A REST API must be defined once: by one OpenAPI document (its body or one aws_api_gateway_rest_api_put) or by method resources",
  explanation:
    "aws_api_gateway_rest_api_put imports its document in overwrite mode, and so does the API's body unless put_rest_api_mode is merge: each import replaces the API's resources, methods and policy with the document's. With two documents the API is whichever Terraform imported last, an order it does not define; method resources next to an overwriting document are deleted by each import while Terraform still holds them in state, and return only with a later apply. Keep one document per API, or merge mode; a deliberate sequence of puts (the provider's multi-stage example, ordered with depends_on) needs a suppression with its reason.",
  references: ["Terraform AWS provider docs: aws_api_gateway_rest_api_put, aws_api_gateway_rest_api (put_rest_api_mode)", "AWS API Gateway API reference: PutRestApi (mode merge | overwrite)"],
  check: (stack) =>
    stack.resources("aws_api_gateway_rest_api").flatMap((api) => {
      const { documents, elements } = restDefinition(stack, api);
      if (documents.length > 1) return [{ address: api.address, detail: `more than one definition: ${documents.map((d) => d.address + (d.source === "body" ? ".body" : "")).join(", ")}` }];
      const methods = elements.filter((b) => b.type === "aws_api_gateway_method").map((b) => b.address);
      const overwriting = documents.find((d) => d.overwrites);
      return overwriting && methods.length > 0 ? [{ address: api.address, detail: `${overwriting.address} overwrites the API, deleting ${methods.join(", ")}` }] : [];
    }),
};
