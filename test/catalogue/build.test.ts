import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Testing } from "cdktf";
import { buildCatalogue, CatalogueInputError } from "../../catalogue/build";
import { loadEnvironments } from "../../config/loader";
import { EnvironmentCatalogue, writeCatalogueData } from "../../stacks/catalogue";
import type { EnvironmentStack } from "../../stacks/environment-stack";
import { writeOpenApiDocuments } from "../../stacks/openapi-export";
import { buildPlatform } from "../../stacks/platform";
import { environmentConfig } from "../fixtures/environment";
import { OUTPUT_LAYOUT } from "../fixtures/layout";

const environments = loadEnvironments(path.join("config", "environments"));
let stacks: readonly EnvironmentStack[];
let synth: string;
const temporary: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-catalogue-"));
  temporary.push(dir);
  return dir;
};

beforeAll(() => {
  stacks = buildPlatform(Testing.app(), environments, {}, OUTPUT_LAYOUT).environments;
  synth = tempDir();
  writeOpenApiDocuments(synth, stacks);
  writeCatalogueData(synth, stacks);
});
afterAll(() => temporary.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const listing = (name: string): EnvironmentCatalogue => JSON.parse(fs.readFileSync(path.join(synth, "apis", `${name}.json`), "utf8"));
const filesUnder = (dir: string): string[] => fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => fs.statSync(path.join(dir, f)).isFile());

describe("environmentCatalogue", () => {
  test("lists the four APIs of prod with their stages and base URLs, custom domain first", () => {
    const prod = listing("prod");
    expect(prod.apis.map((a) => [a.name, a.kind, a.private, a.stage])).toEqual([
      ["apigw-prod-private", "private REST", true, "prod"],
      ["apigw-prod-public", "public REST", false, "prod"],
      ["apigw-prod-http", "HTTP", false, "$default"],
      ["apigw-prod-ws", "WebSocket", false, "prod"],
    ]);
    expect(prod.apis[0].baseUrls.map((s) => s.url)).toEqual(["https://files.prod.internal.example.com", "https://{apiId}.execute-api.eu-west-1.amazonaws.com/prod"]);
    expect(prod.apis[3].baseUrls.map((s) => s.url)).toEqual(["wss://ws.prod.example.com", "wss://{apiId}.execute-api.eu-west-1.amazonaws.com/prod"]);
  });

  test("says how each API authenticates: key and header, Cognito scopes, JWT issuer and audience, SigV4, the WebSocket token", () => {
    const [privateApi, publicApi, httpApi, ws] = listing("prod").apis;
    expect(privateApi.auth).toEqual([expect.objectContaining({ kind: "sigv4", service: "execute-api", region: "eu-west-1" })]);
    expect(publicApi.auth).toEqual([
      expect.objectContaining({ kind: "api-key", header: "x-api-key", keyNames: ["apigw-prod-public-partner-a", "apigw-prod-public-partner-b"], howToGet: expect.stringContaining("public_api_key_ids") }),
      expect.objectContaining({ kind: "cognito", userPoolArns: ["arn:aws:cognito-idp:eu-west-1:222222222222:userpool/eu-west-1_PrdPool01"], scopes: ["legacy/access", "users/read", "users/write"] }),
      expect.objectContaining({ kind: "jwt", checkedBy: "the platform's authorizer function" }),
    ]);
    expect(httpApi.auth[0]).toEqual(expect.objectContaining({ kind: "jwt", issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_PrdPool01", audiences: ["4vprodclientid00000000000"], checkedBy: "API Gateway" }));
    expect(ws.auth).toEqual([expect.objectContaining({ kind: "query-token", parameter: "token" })]);
  });

  test("gives the stage's throttling, and each key's share and quota on the public API", () => {
    const [, publicApi, , ws] = listing("prod").apis;
    expect(publicApi.limits).toEqual({ stage: { rateLimit: 1000, burstLimit: 2000 }, perKey: { rateLimit: 250, burstLimit: 500 }, quotaPerKey: { limit: 1000000, period: "MONTH" } });
    expect(ws.limits).toEqual({ stage: { rateLimit: 500, burstLimit: 1000 } });
  });

  test("lists no WebSocket API where the environment has none", () => {
    const config = environmentConfig();
    const [stack] = buildPlatform(Testing.app(), [{ name: "dev", file: "dev.yaml", config: { ...config, websocketApi: undefined } }], {}, OUTPUT_LAYOUT).environments;
    expect(stack.catalogue.apis.map((a) => a.kind)).toEqual(["private REST", "public REST", "HTTP"]);
    expect(stack.asyncApiDocuments).toEqual({});
  });
});

describe("buildCatalogue", () => {
  test("writes a landing page and one site per environment, with Swagger UI's assets and each document", () => {
    const out = tempDir();
    expect(buildCatalogue({ dir: synth, out })).toEqual(["dev", "prod", "staging"]);
    const landing = fs.readFileSync(path.join(out, "index.html"), "utf8");
    for (const { name } of environments) expect(landing).toContain(`href="${name}/index.html"`);
    expect(filesUnder(path.join(out, "prod")).sort()).toEqual(
      [
        "apigw-prod-http.html", "apigw-prod-private.html", "apigw-prod-public.html", "apigw-prod-ws.html", "index.html",
        "asyncapi/apigw-prod-ws.json", "openapi/apigw-prod-http.json", "openapi/apigw-prod-private.json", "openapi/apigw-prod-public.json",
        "assets/catalogue.css", "assets/catalogue.js", "assets/reference.js", "assets/swagger-ui-bundle.js", "assets/swagger-ui.css",
      ].sort(),
    );
  });

  test("loads nothing from another host, and turns try-it off for the private API only", () => {
    const out = tempDir();
    buildCatalogue({ dir: synth, out });
    for (const file of filesUnder(out).filter((f) => f.endsWith(".html"))) {
      const html = fs.readFileSync(path.join(out, file), "utf8");
      expect([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((url) => /^(https?:)?\/\//.test(url))).toEqual([]);
    }
    expect(fs.readFileSync(path.join(out, "prod", "apigw-prod-private.html"), "utf8")).toContain('data-try-it="off"');
    expect(fs.readFileSync(path.join(out, "prod", "apigw-prod-public.html"), "utf8")).toContain('data-try-it="on"');
  });

  test("leaves every trace of the private APIs out of a public-only catalogue", () => {
    const out = tempDir();
    buildCatalogue({ dir: synth, out, publicOnly: true });
    const files = filesUnder(out);
    expect(files.filter((f) => f.includes("private"))).toEqual([]);
    for (const file of files.filter((f) => /\.(html|json)$/.test(f))) expect(fs.readFileSync(path.join(out, file), "utf8")).not.toMatch(/apigw-\w+-private|internal\.example\.com/);
    expect(fs.readFileSync(path.join(out, "prod", "index.html"), "utf8")).toContain("apigw-prod-public");
  });

  test("fails if the directory holds no synth output", () => {
    const empty = tempDir();
    expect(() => buildCatalogue({ dir: empty })).toThrow(CatalogueInputError);
    expect(() => buildCatalogue({ dir: empty })).toThrow(`${path.join(empty, "apis")}: no such directory; run npm run synth first`);
  });

  test("keeps a document's </script> from ending the reference page's script", () => {
    const dir = tempDir();
    fs.cpSync(synth, dir, { recursive: true });
    const file = path.join(dir, "openapi", "dev", "apigw-dev-public.json");
    const document = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, JSON.stringify({ ...document, info: { ...document.info, description: "</script><script>alert(1)</script>" } }));
    buildCatalogue({ dir });
    const html = fs.readFileSync(path.join(dir, "catalogue", "dev", "apigw-dev-public.html"), "utf8");
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("\\u003c/script>\\u003cscript>alert(1)");
  });
});
