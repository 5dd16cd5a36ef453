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

const OPERATIONS = ["get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method"];

/** Each operation of a document: its path, method and operation object. */
function operations(document: Record<string, any>): [string, string, Record<string, any>][] {
  return Object.entries<any>(document.paths).flatMap(([path, item]) => Object.entries<any>(item).filter(([method]) => OPERATIONS.includes(method)).map(([method, operation]): [string, string, Record<string, any>] => [path, method, operation]));
}

describe("REST API definitions of the shipped environments", () => {
  const documents = definitions();
  const withCors = documents.filter(([, , document]) => document["x-amazon-apigateway-gateway-responses"].DEFAULT_4XX.responseParameters?.["gatewayresponse.header.Access-Control-Allow-Origin"]);

  // The importer warns of a mapping to an undeclared header, and fail_on_warnings fails the apply.
  test.each(documents)("%s %s maps only response headers its method responses declare", (_stack, _name, document) => {
    for (const [path, method, operation] of operations(document)) {
      for (const response of Object.values<any>(operation["x-amazon-apigateway-integration"].responses ?? {})) {
        for (const parameter of Object.keys(response.responseParameters ?? {})) {
          const header = parameter.replace(/^method\.response\.header\./, "");
          expect({ path, method, status: response.statusCode, header, declared: Object.keys(operation.responses[response.statusCode]?.headers ?? {}).includes(header) }).toEqual({ path, method, status: response.statusCode, header, declared: true });
        }
      }
    }
  });

  test("the public APIs have CORS", () => {
    expect(withCors.map(([stack, name]) => `${stack} ${name}`)).toEqual(documents.filter(([, name]) => name.startsWith("public-api")).map(([stack, name]) => `${stack} ${name}`));
  });

  test.each(withCors)("%s %s lets browsers read every answer of its AWS service and mock integrations, and preflight every route's headers", (_stack, _name, document) => {
    const origin = document["x-amazon-apigateway-gateway-responses"].DEFAULT_4XX.responseParameters["gatewayresponse.header.Access-Control-Allow-Origin"];
    for (const [path, method, operation] of operations(document)) {
      const integration = operation["x-amazon-apigateway-integration"];
      if (integration.type === "aws" || integration.type === "mock") {
        for (const response of Object.values<any>(integration.responses)) {
          expect({ path, method, status: response.statusCode, origin: response.responseParameters?.["method.response.header.Access-Control-Allow-Origin"] }).toEqual({ path, method, status: response.statusCode, origin });
        }
      }
      const preflight = document.paths[path].options["x-amazon-apigateway-integration"].responses.default.responseParameters;
      const allowed = preflight["method.response.header.Access-Control-Allow-Headers"].replace(/'/g, "").split(",");
      for (const parameter of (operation.parameters ?? []).filter((p: any) => p.in === "header")) {
        expect({ path, method, header: parameter.name, allowed: allowed.includes(parameter.name.toLowerCase()) }).toEqual({ path, method, header: parameter.name, allowed: true });
      }
    }
  });

  test.each(documents)("%s %s is valid OpenAPI 3.0", async (_stack, _name, document) => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  test.each(documents.filter(([, name]) => name.startsWith("public-api")))("%s %s validates the bodies of POST /users, PUT /users/{id}, POST /hello and POST /events", (_stack, _name, document) => {
    for (const [path, method, model] of [["/users", "post", "NewUser"], ["/users/{id}", "put", "NewUser"], ["/hello", "post", "Greeting"], ["/events", "post", "Event"]]) {
      expect(document.paths[path][method]).toMatchObject({
        requestBody: { content: { "application/json": { schema: { $ref: `#/components/schemas/${model}` } } } },
        "x-amazon-apigateway-request-validator": "body",
      });
    }
    expect(Object.keys(document.components.schemas).sort()).toEqual(["Event", "Greeting", "NewUser"]);
  });
});
