import * as path from "path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { Testing } from "cdktf";
import { loadEnvironments } from "../../config/loader";
import { buildPlatform } from "../../stacks/platform";
import { OUTPUT_LAYOUT } from "../fixtures/layout";

/** The OpenAPI documents the shipped environments write with aws_api_gateway_rest_api_put, by stack and resource. */
function definitions(): [string, string, Record<string, any>][] {
  const environments = loadEnvironments(path.join("config", "environments"));
  const stacks = buildPlatform(Testing.app(), environments, {}, OUTPUT_LAYOUT).environments;
  return stacks.flatMap((stack) => {
    const synthesized = JSON.parse(Testing.synth(stack));
    return Object.entries<any>(synthesized.resource.aws_api_gateway_rest_api_put).map(([name, put]): [string, string, Record<string, any>] => [stack.node.id, name, JSON.parse(put.body)]);
  });
}

describe("REST API definitions of the shipped environments", () => {
  const documents = definitions();

  test.each(documents)("%s %s is valid OpenAPI 3.0", async (_stack, _name, document) => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  test.each(documents.filter(([, name]) => name.startsWith("public-api")))("%s %s validates the bodies of POST /users, PUT /users/{id} and POST /hello", (_stack, _name, document) => {
    for (const [path, method, model] of [["/users", "post", "NewUser"], ["/users/{id}", "put", "NewUser"], ["/hello", "post", "Greeting"]]) {
      expect(document.paths[path][method]).toMatchObject({
        requestBody: { content: { "application/json": { schema: { $ref: `#/components/schemas/${model}` } } } },
        "x-amazon-apigateway-request-validator": "body",
      });
    }
    expect(Object.keys(document.components.schemas).sort()).toEqual(["Greeting", "NewUser"]);
  });
});
