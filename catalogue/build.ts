import * as fs from "fs";
import * as path from "path";
import { projectDir } from "../functions/bundle";
import type { CatalogueApi, EnvironmentCatalogue } from "../stacks/catalogue";
import { openApiClientSnippet, webSocketClientSnippet } from "./client-snippet";
import { ApiPage, asyncApiReferencePage, asyncApiRoutes, CatalogueRoute, environmentPage, landingPage, openApiReferencePage } from "./pages";

export interface CatalogueOptions {
  /** The synth output: `apis/`, `openapi/` and `asyncapi/` as `npm run synth` writes them. */
  readonly dir: string;
  /** @default `<dir>/catalogue` */
  readonly out?: string;
  /** Leaves the private APIs out, for a site anyone may read (Pages). @default false */
  readonly publicOnly?: boolean;
}

/** A synth output the catalogue cannot be built from. */
export class CatalogueInputError extends Error {}

/** The catalogue's own styles and scripts; it runs from the project, as every script of it does. */
const assetsDir = () => path.join(projectDir(), "catalogue", "assets");
/** Swagger UI's prebuilt bundle and styles: all a reference page loads, from its own directory. */
const SWAGGER_UI = ["swagger-ui-bundle.js", "swagger-ui.css"];
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

type OpenApiOperation = {
  summary?: string;
  security?: Record<string, string[]>[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
};

/** Every operation of an OpenAPI document, with who may call it and its schemas. */
export function openApiRoutes(document: { paths?: Record<string, Record<string, OpenApiOperation>> }): CatalogueRoute[] {
  const firstSchema = (content?: Record<string, { schema?: unknown }>) => (content ? Object.values(content)[0]?.schema : undefined);
  return Object.entries(document.paths ?? {}).flatMap(([route, operations]) =>
    Object.entries(operations)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => {
        const request = firstSchema(op.requestBody?.content);
        return {
          method: method.toUpperCase(),
          path: route,
          summary: op.summary ?? "",
          auth: (op.security ?? []).map((requirement) => Object.entries(requirement).map(([scheme, scopes]) => (scopes.length ? `${scheme} (${scopes.join(", ")})` : scheme)).join(" + ")).join(" or ") || "none",
          ...(request === undefined ? {} : { request }),
          responses: Object.entries(op.responses ?? {}).map(([status, r]) => {
            const schema = firstSchema(r.content);
            return { status, description: r.description ?? "", ...(schema === undefined ? {} : { schema }) };
          }),
        };
      }),
  );
}

const readJson = (file: string): any => JSON.parse(fs.readFileSync(file, "utf8"));

/**
 * Writes the catalogue: `<out>/index.html` lists the environments, `<out>/<stack>/index.html`
 * each environment's APIs and routes, beside a reference page and the document of every API and
 * the assets they load; nothing is fetched from the network, to build or to view it.
 * Returns the environments written.
 */
export function buildCatalogue(options: CatalogueOptions): string[] {
  const listings = path.join(options.dir, "apis");
  if (!fs.existsSync(listings)) throw new CatalogueInputError(`${listings}: no such directory; run npm run synth first (it writes the listings the catalogue reads)`);
  const out = options.out ?? path.join(options.dir, "catalogue");
  const swaggerUi = path.join(projectDir(), "node_modules", "swagger-ui-dist");
  const assets = assetsDir();
  fs.rmSync(out, { recursive: true, force: true });
  const environments = fs
    .readdirSync(listings)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => {
      const listing = readJson(path.join(listings, file)) as EnvironmentCatalogue;
      const catalogue = { ...listing, apis: listing.apis.filter((api) => !(options.publicOnly && api.private)) };
      const site = path.join(out, catalogue.environment);
      fs.mkdirSync(path.join(site, "assets"), { recursive: true });
      for (const asset of fs.readdirSync(assets)) fs.copyFileSync(path.join(assets, asset), path.join(site, "assets", asset));
      for (const asset of SWAGGER_UI) fs.copyFileSync(path.join(swaggerUi, asset), path.join(site, "assets", asset));
      const apis = catalogue.apis.map((api) => apiPage(options.dir, site, api));
      fs.writeFileSync(path.join(site, "index.html"), environmentPage(catalogue, apis, options.publicOnly ?? false));
      return { catalogue, apis };
    });
  if (environments.length === 0) throw new CatalogueInputError(`${listings}: no environment listings; run npm run synth first`);
  fs.mkdirSync(path.join(out, "assets"), { recursive: true });
  fs.copyFileSync(path.join(assets, "catalogue.css"), path.join(out, "assets", "catalogue.css"));
  fs.writeFileSync(path.join(out, "index.html"), landingPage(environments, options.publicOnly ?? false));
  return environments.map((e) => e.catalogue.environment);
}

/** Copies the API's document beside the environment page and writes its reference page. */
function apiPage(dir: string, site: string, api: CatalogueApi): ApiPage {
  const source = path.join(dir, api.document.file);
  if (!fs.existsSync(source)) throw new CatalogueInputError(`${source}: no such document, though apis/ lists ${api.name}; synthesize again`);
  const document = readJson(source);
  const download = `${api.document.format}/${path.basename(source)}`;
  fs.mkdirSync(path.join(site, api.document.format), { recursive: true });
  fs.copyFileSync(source, path.join(site, download));
  const reference = `${api.name}.html`;
  const isOpenApi = api.document.format === "openapi";
  fs.writeFileSync(path.join(site, reference), isOpenApi ? openApiReferencePage(api, document) : asyncApiReferencePage(api, document));
  return {
    api,
    routes: isOpenApi ? openApiRoutes(document) : asyncApiRoutes(document),
    snippet: isOpenApi ? openApiClientSnippet(api, document) : webSocketClientSnippet(api),
    reference,
    download,
  };
}
