import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { Testing } from "cdktf";
import { loadEnvironments } from "../../config/loader";
import { writeOpenApiDocuments } from "../../stacks/openapi-export";
import { buildPlatform } from "../../stacks/platform";
import { environmentConfig } from "../fixtures/environment";
import { OUTPUT_LAYOUT } from "../fixtures/layout";

describe("writeOpenApiDocuments", () => {
  const environments = loadEnvironments(path.join("config", "environments"));
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-openapi-"));
    writeOpenApiDocuments(outdir, buildPlatform(Testing.app(), environments, {}, OUTPUT_LAYOUT).environments);
  });

  test("writes one document per API of every shipped environment", () => {
    for (const { name } of environments) {
      expect(fs.readdirSync(path.join(outdir, "openapi", name)).sort()).toEqual([`apigw-${name}-http.json`, `apigw-${name}-private.json`, `apigw-${name}-public.json`]);
    }
  });

  test.each(environments.flatMap((e) => ["http", "private", "public"].map((api) => [e.name, `apigw-${e.name}-${api}.json`])))("%s %s is a valid OpenAPI document without AWS extensions", async (stack, file) => {
    const text = fs.readFileSync(path.join(outdir, "openapi", stack, file), "utf8");
    expect(text).not.toContain("x-amazon-apigateway");
    expect(text).not.toContain("x-apigw-backend");
    await expect(SwaggerParser.validate(JSON.parse(text))).resolves.toBeDefined();
  });

  test("serves prod's clients from the custom domains only: their default endpoints are off", () => {
    const read = (file: string) => JSON.parse(fs.readFileSync(path.join(outdir, "openapi", "prod", file), "utf8"));
    expect(read("apigw-prod-public.json").servers.map((s: { url: string }) => s.url)).toEqual(["https://api.prod.example.com/v1"]);
    expect(read("apigw-prod-http.json").servers).toEqual([{ url: "https://app.prod.example.com", description: "The custom domain" }]);
    expect(read("apigw-prod-private.json").servers[0].url).toBe("https://files.prod.internal.example.com");
  });

  test("carries the imported operations' schemas and the HTTP API's scopes", () => {
    const read = (file: string) => JSON.parse(fs.readFileSync(path.join(outdir, "openapi", "prod", file), "utf8"));
    const users = read("apigw-prod-public.json").paths["/users"].post;
    expect(users).toMatchObject({ operationId: "createUser", security: [{ api_key: [] }] });
    expect(users.requestBody.content["application/json"].schema).toMatchObject({ type: "object", required: ["name", "email"] });
    const http = read("apigw-prod-http.json");
    expect(http.paths["/orders"].post.security).toEqual([{ jwt: ["orders/write"] }]);
    expect(http.components.securitySchemes.jwt).toEqual({ type: "openIdConnect", openIdConnectUrl: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_PrdPool01/.well-known/openid-configuration" });
  });

  test("carries the authorizers' security schemes and the request schemas", () => {
    const read = (file: string) => JSON.parse(fs.readFileSync(path.join(outdir, "openapi", "prod", file), "utf8"));
    const publicApi = read("apigw-prod-public.json");
    expect(publicApi.components.securitySchemes.users).toEqual({ type: "openIdConnect", openIdConnectUrl: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_PrdPool01/.well-known/openid-configuration" });
    expect(publicApi.paths["/users/{id}"].put.security).toEqual([{ users: ["users/write"], api_key: [] }]);
    expect(publicApi.paths["/hello"].post).toMatchObject({ security: [{ tokens: [], api_key: [] }], requestBody: { content: { "application/json": { schema: { required: ["name"] } } } } });
    expect(read("apigw-prod-private.json").paths["/files/{key}"].get.security).toEqual([{ sigv4: [] }]);
    expect(read("apigw-prod-http.json").paths["/products"].get.security).toEqual([{ lambda: [] }]);
  });

  test("fails if a document would hold a value known only at apply", () => {
    const [stack] = buildPlatform(Testing.app(), [{ name: "dev", file: "dev.yaml", config: environmentConfig() }], {}, OUTPUT_LAYOUT).environments;
    Object.assign(stack, { openApiDocuments: { api: { servers: [{ url: stack.publicApi.invokeUrl }] } } });
    expect(() => writeOpenApiDocuments(fs.mkdtempSync(path.join(os.tmpdir(), "apigw-openapi-")), [stack])).toThrow(
      "openapi/dev/api.json: the client document holds a value known only at apply; give it as a server variable",
    );
  });

  test("gives every operation a summary, a tag the document lists, a success answer and API Gateway's 429", () => {
    for (const { name } of environments) {
      for (const file of fs.readdirSync(path.join(outdir, "openapi", name))) {
        const document = JSON.parse(fs.readFileSync(path.join(outdir, "openapi", name, file), "utf8"));
        const tags = document.tags.map((t: { name: string }) => t.name);
        for (const item of Object.values(document.paths) as Record<string, { summary: string; tags: string[]; responses: Record<string, unknown> }>[]) {
          for (const operation of Object.values(item)) {
            expect(operation.summary).toBeTruthy();
            expect(tags).toEqual(expect.arrayContaining(operation.tags));
            expect(Object.keys(operation.responses).some((code) => /^[23]/.test(code))).toBe(true);
            expect(operation.responses["429"]).toBeDefined();
          }
        }
      }
    }
  });
});
