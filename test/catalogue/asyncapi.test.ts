import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Parser } from "@asyncapi/parser";
import { Testing } from "cdktf";
import { loadEnvironments } from "../../config/loader";
import { writeCatalogueData } from "../../stacks/catalogue";
import { buildPlatform } from "../../stacks/platform";
import { websocketAsyncApi } from "../../stacks/websocket-asyncapi";
import { OUTPUT_LAYOUT } from "../fixtures/layout";

// npm run test:catalogue runs this suite: the parser takes one to two seconds per document.
const environments = loadEnvironments(path.join("config", "environments"));
let synth: string;
beforeAll(() => {
  synth = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-asyncapi-"));
  writeCatalogueData(synth, buildPlatform(Testing.app(), environments, {}, OUTPUT_LAYOUT).environments);
});
afterAll(() => fs.rmSync(synth, { recursive: true, force: true }));

describe("websocketAsyncApi", () => {
  const parser = new Parser();
  const problems = async (document: unknown) => (await parser.parse(JSON.stringify(document))).diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message} at ${d.path.join(".")}`);

  test.each(environments.map((e) => e.name))("%s's document is valid AsyncAPI 3, without a single finding of the parser", async (name) => {
    const text = fs.readFileSync(path.join(synth, "asyncapi", name, `apigw-${name}-ws.json`), "utf8");
    expect(JSON.parse(text).asyncapi).toMatch(/^3\./);
    expect(await problems(JSON.parse(text))).toEqual([]);
  });

  test("is valid with IAM authorization too, which takes no token", async () => {
    const document = websocketAsyncApi({ name: "ws", description: "d", servers: { default: { url: "wss://{apiId}.execute-api.eu-west-1.amazonaws.com/dev", variables: { apiId: { default: "api-id" } } } }, authorization: "iam", issuer: "https://issuer.example.com" });
    expect(JSON.stringify(document)).not.toContain("?token");
    expect(await problems(document)).toEqual([]);
  });

  test("fails if an operation names a message its channel does not have (the parser's check is live)", async () => {
    const document = websocketAsyncApi({ name: "ws", description: "d", servers: { default: { url: "wss://ws.example.com" } }, authorization: "token", issuer: "https://issuer.example.com" }) as any;
    delete document.channels.connection.messages.sent;
    expect((await problems(document)).join("\n")).toMatch(/^0 /m);
  });
});
