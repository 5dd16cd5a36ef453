import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { BrowserContext, chromium, Page } from "playwright-core";
import { openApiRoutes } from "../../catalogue/build";
import { asyncApiRoutes } from "../../catalogue/pages";
import type { EnvironmentCatalogue } from "../../stacks/catalogue";

// The catalogue `npm run catalogue` built (npm run test:catalogue builds it first), opened in
// Debian's headless Chromium from a local server. Screenshots go to dist/catalogue-test/.
const SITE = process.env.CATALOGUE_DIR;
const SYNTH = SITE && path.dirname(SITE);
const SHOTS = path.resolve("dist", "catalogue-test");
const CHROMIUM = "/usr/bin/chromium";
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json" };

function serve(root: string): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const file = path.join(root, decodeURIComponent(url.pathname).replace(/\/$/, "/index.html"));
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("API catalogue in Chromium", () => {
  let server: http.Server;
  let browser: BrowserContext;
  let profile: string;
  let base: string;
  /** Every request a page made that did not go to the local server (refused before it leaves). */
  const outside: { url: string; type: string; from: string }[] = [];

  beforeAll(async () => {
    if (!SITE || !fs.existsSync(path.join(SITE, "index.html"))) throw new Error("CATALOGUE_DIR names no built catalogue: run npm run test:catalogue, which builds it");
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium chromium-driver (.ci/run does)`);
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await serve(path.resolve(SITE));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    profile = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-chromium-"));
    // A new profile (--user-data-dir, which Playwright passes for a persistent context) per run.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    await browser.route((url) => !url.href.startsWith(base), (route) => {
      const request = route.request();
      outside.push({ url: request.url(), type: request.resourceType(), from: request.frame().url() });
      return route.abort();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${base}/${url}`);
    return page;
  }

  const listings = (): EnvironmentCatalogue[] => fs.readdirSync(path.join(SYNTH!, "apis")).sort().map((f) => JSON.parse(fs.readFileSync(path.join(SYNTH!, "apis", f), "utf8")));

  test("the landing page lists every environment and its APIs", async () => {
    const page = await open("index.html");
    const text = await page.locator("main").innerText();
    for (const { environment, apis } of listings()) {
      expect(text).toContain(environment);
      for (const api of apis) expect(text).toContain(api.name);
    }
    await page.screenshot({ path: path.join(SHOTS, "landing.png"), fullPage: true });
    await page.close();
  });

  test.each(["dev", "staging", "prod"])("%s lists each API and route, and the search filters them", async (environment) => {
    const listing = listings().find((l) => l.environment === environment)!;
    const page = await open(`${environment}/index.html`);
    for (const api of listing.apis) {
      const document = JSON.parse(fs.readFileSync(path.join(SYNTH!, api.document.file), "utf8"));
      const routes = api.document.format === "openapi" ? openApiRoutes(document) : asyncApiRoutes(document);
      const shown = await page.locator(`section[data-api="${api.name}"] tr.route`).evaluateAll((rows) => rows.map((r) => `${r.querySelector(".method")!.textContent} ${r.querySelector(".path")!.textContent}`));
      expect(shown).toEqual(routes.map((r) => `${r.method} ${r.path}`));
      await expect(page.locator(`section[data-api="${api.name}"] h2`).innerText()).resolves.toContain(api.kind);
    }
    const all = await page.locator("tr.route").count();
    await page.fill("#search", "orders");
    const visible = await page.locator("tr.route:visible .path").allInnerTexts();
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.length).toBeLessThan(all);
    expect(visible.every((p) => p.includes("orders"))).toBe(true);
    // Only the HTTP API has /orders routes: the other APIs' sections are hidden.
    await expect(page.locator("section.api:visible").evaluateAll((s) => s.map((e) => e.getAttribute("data-api")))).resolves.toEqual([`apigw-${environment}-http`]);
    if (environment === "prod") await page.screenshot({ path: path.join(SHOTS, "prod-search.png") });
    await page.fill("#search", "no-such-route-anywhere");
    await expect(page.locator("tr.route:visible").count()).resolves.toBe(0);
    await expect(page.locator("#nothing").isVisible()).resolves.toBe(true);
    await page.fill("#search", "");
    await expect(page.locator("tr.route:visible").count()).resolves.toBe(all);
    await page.screenshot({ path: path.join(SHOTS, `${environment}.png`) });
    await page.close();
  });

  test("renders each OpenAPI document with Swagger UI, try-it off for the private API only", async () => {
    for (const [api, tryIt] of [["apigw-prod-private", false], ["apigw-prod-public", true]] as const) {
      const page = await open(`prod/${api}.html`);
      await page.locator(".opblock").first().waitFor();
      const operations = await page.locator(".opblock-summary-path").allInnerTexts();
      expect(operations.length).toBeGreaterThan(0);
      await page.locator(".opblock-summary").first().click();
      await page.locator(".opblock-body").first().waitFor();
      await expect(page.locator(".try-out__btn").count()).resolves.toBe(tryIt ? 1 : 0);
      await page.screenshot({ path: path.join(SHOTS, `${api}.png`) });
      await page.close();
    }
  });

  test("shows the WebSocket API's AsyncAPI document", async () => {
    const page = await open("prod/apigw-prod-ws.html");
    const text = await page.locator("main").innerText();
    for (const message of ["subscribe", "sendMessage", "subscribed", "sent", "message", "error"]) expect(text).toContain(message);
    expect(text).toContain("wss://ws.prod.example.com/");
    await page.close();
  });

  // Swagger UI reads an openIdConnect scheme's discovery document for its Authorize dialog: the
  // identity provider's, asked by a public API's try-it, never an asset.
  test("loads every asset from the catalogue itself; only try-it asks the identity provider", () => {
    const discovery = listings().flatMap((l) => l.apis.filter((a) => !a.private && a.document.format === "openapi").flatMap((a) => {
      const schemes = JSON.parse(fs.readFileSync(path.join(SYNTH!, a.document.file), "utf8")).components?.securitySchemes ?? {};
      return Object.values(schemes).flatMap((s: any) => (s.type === "openIdConnect" ? [s.openIdConnectUrl] : []));
    }));
    expect(outside.filter((r) => r.type !== "fetch" || !discovery.includes(r.url) || r.from.includes("private"))).toEqual([]);
  });
});
