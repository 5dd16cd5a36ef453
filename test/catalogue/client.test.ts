import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Testing } from "cdktf";
import * as ts from "typescript";
import { openApiClientSnippet } from "../../catalogue/client-snippet";
import { loadEnvironments } from "../../config/loader";
import { writeOpenApiDocuments } from "../../stacks/openapi-export";
import { buildPlatform } from "../../stacks/platform";
import { OUTPUT_LAYOUT } from "../fixtures/layout";

const ROOT = path.resolve(__dirname, "..", "..");

/** openapi-typescript as a client developer runs it, every document in one process (it is an ES module and loads slowly). */
function generateTypes(documents: readonly { input: string; output: string }[]): void {
  const script = `import openapiTS, { astToString } from "openapi-typescript";
import { pathToFileURL } from "url";
import { writeFileSync } from "fs";
for (const { input, output } of JSON.parse(process.argv[1])) writeFileSync(output, astToString(await openapiTS(pathToFileURL(input))));`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script, JSON.stringify(documents)], { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`openapi-typescript failed: ${result.stderr}`);
}

/** tsc's diagnostics for the files by file name, strict, resolving openapi-fetch from the project. */
function typeErrors(files: readonly string[]): Record<string, string[]> {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: [],
    paths: { "openapi-fetch": [path.join(ROOT, "node_modules", "openapi-fetch")] },
  });
  const errors: Record<string, string[]> = {};
  for (const d of ts.getPreEmitDiagnostics(program)) (errors[d.file ? path.basename(d.file.fileName) : ""] ??= []).push(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  return errors;
}

describe("openApiClientSnippet", () => {
  const environments = loadEnvironments(path.join(ROOT, "config", "environments"));
  let dir: string;
  let catalogue: { name: string; documentFile: string; snippet: ReturnType<typeof openApiClientSnippet> }[];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-client-"));
    const stacks = buildPlatform(Testing.app(), environments, {}, OUTPUT_LAYOUT).environments;
    writeOpenApiDocuments(dir, stacks);
    catalogue = stacks.flatMap((stack) =>
      stack.catalogue.apis
        .filter((api) => api.document.format === "openapi")
        .map((api) => ({ name: api.name, documentFile: path.join(dir, api.document.file), snippet: openApiClientSnippet(api, stack.openApiDocuments[api.name]) })),
    );
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Every snippet, and one call that does not fit its API, type-checked in one program (tsc takes seconds to load the DOM's types). */
  let errors: Record<string, string[]>;
  beforeAll(() => {
    generateTypes(catalogue.map((c) => ({ input: c.documentFile, output: path.join(dir, `${c.name}.d.ts`) })));
    const files = catalogue.map((c) => {
      const file = path.join(dir, `${c.name}.example.ts`);
      fs.writeFileSync(file, `${c.snippet.usage}\nexport {};\n`);
      return file;
    });
    const http = catalogue.find((c) => c.name === "apigw-prod-http")!;
    const wrong = path.join(dir, "wrong.example.ts");
    fs.writeFileSync(wrong, `${http.snippet.usage.replace(/^const \{ data, error \}.*$/m, 'await client.GET("/orders/{id}", { params: { path: { key: "x" } } });')}\nexport {};\n`);
    errors = typeErrors([...files, wrong]);
  });

  test("the catalogue's snippet type-checks against the client openapi-typescript generates from each document", () => {
    expect(catalogue.map((c) => c.name)).toEqual(expect.arrayContaining(["apigw-prod-public", "apigw-prod-http", "apigw-prod-private"]));
    expect(Object.entries(errors).filter(([file]) => file !== "wrong.example.ts")).toEqual([]);
  });

  test("fails if a call does not match the generated types", () => {
    expect((errors["wrong.example.ts"] ?? []).join("\n")).toMatch(/'key' does not exist/);
  });

  test("sends the credentials the route needs", () => {
    const snippet = (name: string) => catalogue.find((c) => c.name === name)!.snippet;
    expect(snippet("apigw-prod-public").usage).toContain(`"x-api-key": "<API key>"`);
    expect(snippet("apigw-prod-public").usage).toContain('client.GET("/hello")');
    expect(snippet("apigw-prod-http").usage).toContain("Authorization: `Bearer ${accessToken}`");
    expect(snippet("apigw-prod-http").usage).toContain('baseUrl: "https://app.prod.example.com"');
    expect(snippet("apigw-prod-private").usage).toContain("fetch: signedFetch");
    expect(snippet("apigw-prod-private").usage).toContain('client.GET("/files/{key}", { params: { path: { key: "example" } } })');
  });
});
