import type { CatalogueApi, CatalogueAuth, CatalogueLimits, EnvironmentCatalogue } from "../stacks/catalogue";
import type { ClientSnippet } from "./client-snippet";

/** One route as the environment page lists it. */
export interface CatalogueRoute {
  readonly method: string;
  readonly path: string;
  readonly summary: string;
  readonly auth: string;
  readonly request?: unknown;
  readonly responses: readonly { readonly status: string; readonly description: string; readonly schema?: unknown }[];
}

export interface ApiPage {
  readonly api: CatalogueApi;
  readonly routes: readonly CatalogueRoute[];
  readonly snippet: ClientSnippet;
  /** The reference page, relative to the environment page. */
  readonly reference: string;
  /** The document, relative to the environment page. */
  readonly download: string;
}

const routeCount = (n: number) => `${n} route${n === 1 ? "" : "s"}`;
export const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside a script element: `</script>` in a value must not end it. */
export const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

function page(title: string, body: string, head = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<link rel="stylesheet" href="assets/catalogue.css">
${head}</head>
<body>
${body}
</body>
</html>
`;
}

const schemaBlock = (label: string, schema: unknown) =>
  schema === undefined ? "" : `<details><summary>${escape(label)}</summary><pre>${escape(JSON.stringify(schema, null, 2))}</pre></details>`;

function authItem(auth: CatalogueAuth): string {
  const list = (values: readonly string[]) => values.map((v) => `<code>${escape(v)}</code>`).join(", ");
  switch (auth.kind) {
    case "api-key":
      return `<li><strong>API key</strong> in the header <code>${auth.header}</code>: keys ${list(auth.keyNames)}. Where to get one: ${escape(auth.howToGet)}.</li>`;
    case "cognito":
      return `<li><strong>Cognito access token</strong> in <code>${auth.header}</code>, from the user pool ${list(auth.userPoolArns)}; scopes ${list(auth.scopes)} (each route names its own).</li>`;
    case "jwt":
      return `<li><strong>JWT</strong> (bearer token) in <code>${auth.header}</code>, checked by ${escape(auth.checkedBy)}: issuer <code>${escape(auth.issuer)}</code>, audience ${list(auth.audiences)}${auth.scopes.length ? `; scopes ${list(auth.scopes)}` : ""}.</li>`;
    case "sigv4":
      return `<li><strong>AWS SigV4</strong>: sign for the service <code>${auth.service}</code> in <code>${escape(auth.region)}</code>; allowed: ${escape(auth.who)}.</li>`;
    case "query-token":
      return `<li><strong>Token in the query string</strong>: <code>?${auth.parameter}=&lt;JWT&gt;</code> on the upgrade request (browsers cannot set its headers); issuer <code>${escape(auth.issuer)}</code>, audience ${list(auth.audiences)}; scopes ${escape(auth.scopes)}.</li>`;
  }
}

function limitsText(limits: CatalogueLimits): string {
  const rate = (r: { rateLimit: number; burstLimit: number }) => `${r.rateLimit}/s, burst ${r.burstLimit}`;
  return [
    `<li>Stage throttling (every route, all clients): ${rate(limits.stage)}; over it API Gateway answers 429.</li>`,
    limits.perKey ? `<li>Per API key: ${rate(limits.perKey)}.</li>` : "",
    limits.quotaPerKey ? `<li>Quota per API key: ${limits.quotaPerKey.limit.toLocaleString("en")} requests per ${limits.quotaPerKey.period.toLowerCase()}.</li>` : "",
  ].join("");
}

function apiSection({ api, routes, snippet, reference, download }: ApiPage): string {
  const rows = routes
    .map((r) => {
      const search = `${r.method} ${r.path} ${r.summary} ${api.name}`.toLowerCase();
      const responses = r.responses.map((x) => `<div><code>${escape(x.status)}</code> ${escape(x.description)}${schemaBlock("schema", x.schema)}</div>`).join("");
      return `<tr class="route" data-search="${escape(search)}"><td><span class="method">${escape(r.method)}</span></td><td><code class="path">${escape(r.path)}</code></td><td>${escape(r.summary)}</td><td>${escape(r.auth)}</td><td>${schemaBlock("request", r.request)}</td><td>${responses}</td></tr>`;
    })
    .join("\n");
  const urls = api.baseUrls.map((s) => `<li><code>${escape(s.url)}</code>${s.description ? ` — ${escape(s.description)}` : ""}${s.variables ? Object.entries(s.variables).map(([k, v]) => ` (<code>{${escape(k)}}</code>: ${escape(v.description ?? v.default)})`).join("") : ""}</li>`).join("");
  return `<section class="api" id="${escape(api.name)}" data-api="${escape(api.name)}">
<h2>${escape(api.name)} <span class="kind">${escape(api.kind)}</span>${api.private ? ` <span class="private">private: inside the VPC only</span>` : ""}</h2>
<p>${escape(api.description)}</p>
<div class="facts">
<div><h3>Base URLs</h3><ul>${urls}</ul><p>Stage: <code>${escape(api.stage)}</code></p></div>
<div><h3>Authentication</h3><ul>${api.auth.map(authItem).join("")}</ul></div>
<div><h3>Rate limits and quotas</h3><ul>${limitsText(api.limits)}</ul></div>
</div>
<p><a href="${escape(reference)}">Reference${api.document.format === "openapi" ? " (Swagger UI" + (api.private ? ", try-it off" : "") + ")" : " (AsyncAPI)"}</a> · <a href="${escape(download)}" download>${api.document.format === "openapi" ? "OpenAPI" : "AsyncAPI"} document</a></p>
<table class="routes"><thead><tr><th>Method</th><th>Route</th><th>Summary</th><th>Authentication</th><th>Request</th><th>Responses</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h3>Generate a client</h3>
<pre class="snippet"><code>${escape(snippet.generate)}</code></pre>
<pre class="snippet"><code>${escape(snippet.usage)}</code></pre>
</section>`;
}

/** The environment's page: every API, its routes, and a search box that filters them. */
export function environmentPage(catalogue: EnvironmentCatalogue, apis: readonly ApiPage[], publicOnly: boolean): string {
  const toc = apis.map(({ api, routes }) => `<li><a href="#${escape(api.name)}">${escape(api.name)}</a> <span class="kind">${escape(api.kind)}</span> ${routeCount(routes.length)}</li>`).join("");
  return page(
    `${catalogue.environment}: API catalogue`,
    `<header><a href="../index.html">All environments</a><h1>${escape(catalogue.environment)} <small>${escape(catalogue.region)}</small></h1>
<p>${publicOnly ? "The public APIs of this environment." : "Every API of this environment."} Built from the synthesized stacks.</p>
<ul class="toc">${toc}</ul>
<label class="search">Filter routes <input id="search" type="search" placeholder="method, path or words of the summary" autocomplete="off"></label> <span id="count"></span>
</header>
<main>
${apis.map(apiSection).join("\n")}
<p id="nothing" hidden>No route matches.</p>
</main>
<script src="assets/catalogue.js"></script>`,
  );
}

/** The rendered OpenAPI document: Swagger UI, offline, with try-it only where a browser can call the API. */
export function openApiReferencePage(api: CatalogueApi, document: unknown): string {
  return page(
    `${api.name}: reference`,
    `<header><a href="index.html">Back to the environment</a></header>
<div id="reference" data-try-it="${api.private ? "off" : "on"}"></div>
<script id="document" type="application/json">${scriptJson(document)}</script>
<script src="assets/swagger-ui-bundle.js"></script>
<script src="assets/reference.js"></script>`,
    `<link rel="stylesheet" href="assets/swagger-ui.css">\n`,
  );
}

type AsyncApiDocument = {
  servers: Record<string, { host: string; protocol: string; pathname?: string; description?: string }>;
  operations: Record<string, { action: string; title?: string; summary?: string; messages: { $ref: string }[]; reply?: { messages: { $ref: string }[] } }>;
  components: { messages: Record<string, { name: string; summary: string; payload: unknown }> };
};

/** The WebSocket API's routes as the environment page lists them, from its AsyncAPI document. */
export function asyncApiRoutes(document: AsyncApiDocument): CatalogueRoute[] {
  const message = (ref: { $ref: string }) => document.components.messages[ref.$ref.split("/").pop()!];
  const connection: CatalogueRoute[] = [
    { method: "CONNECT", path: "$connect", summary: "Open the connection (the upgrade request carries the credentials)", auth: "as above", responses: [{ status: "101", description: "Connected" }, { status: "401", description: "No token, or a token the authorizer refuses" }] },
    { method: "CLOSE", path: "$disconnect", summary: "Close the connection: its subscriptions end", auth: "the connection's", responses: [] },
  ];
  return [...connection, ...Object.entries(document.operations).map(([id, op]) => {
    const [sent] = op.messages.map(message);
    return {
      method: op.action === "send" ? "SEND" : "RECEIVE",
      path: op.title ?? id,
      summary: op.summary ?? sent.summary,
      auth: "the connection's",
      ...(op.action === "send" ? { request: sent.payload } : {}),
      responses: (op.action === "send" ? (op.reply?.messages ?? []) : op.messages).map(message).map((m) => ({ status: m.name, description: m.summary, schema: m.payload })),
    };
  })];
}

/** The AsyncAPI document as a page: servers, operations and message schemas. */
export function asyncApiReferencePage(api: CatalogueApi, document: AsyncApiDocument): string {
  const servers = Object.entries(document.servers).map(([name, s]) => `<li><strong>${escape(name)}</strong>: <code>${escape(`${s.protocol}://${s.host}${s.pathname ?? "/"}`)}</code>${s.description ? ` — ${escape(s.description)}` : ""}</li>`).join("");
  const messages = Object.values(document.components.messages).map((m) => `<h3 id="message-${escape(m.name)}">${escape(m.name)}</h3><p>${escape(m.summary)}</p><pre>${escape(JSON.stringify(m.payload, null, 2))}</pre>`).join("\n");
  const operations = asyncApiRoutes(document).map((r) => `<li><span class="method">${r.method}</span> <code>${escape(r.path)}</code>: ${escape(r.summary)}; ${r.responses.length ? `answers ${r.responses.map((x) => (document.components.messages[x.status] ? `<a href="#message-${escape(x.status)}">${escape(x.status)}</a>` : escape(x.status))).join(", ")}` : "no answer"}</li>`).join("");
  return page(
    `${api.name}: AsyncAPI`,
    `<header><a href="index.html">Back to the environment</a><h1>${escape(api.name)} <span class="kind">AsyncAPI 3</span></h1></header>
<main class="asyncapi"><h2>Servers</h2><ul>${servers}</ul><h2>Operations</h2><ul>${operations}</ul><h2>Messages</h2>${messages}</main>`,
  );
}

/** The landing page: every environment and its APIs. */
export function landingPage(catalogues: readonly { readonly catalogue: EnvironmentCatalogue; readonly apis: readonly ApiPage[] }[], publicOnly: boolean): string {
  const items = catalogues
    .map(
      ({ catalogue, apis }) => `<li class="environment"><h2><a href="${escape(catalogue.environment)}/index.html">${escape(catalogue.environment)}</a> <small>${escape(catalogue.region)}</small></h2><ul>${apis
        .map(({ api, routes }) => `<li><a href="${escape(catalogue.environment)}/index.html#${escape(api.name)}">${escape(api.name)}</a> <span class="kind">${escape(api.kind)}</span> ${routeCount(routes.length)}, <code>${escape(api.baseUrls[0]?.url ?? "")}</code></li>`)
        .join("")}</ul></li>`,
    )
    .join("\n");
  return page(
    "API catalogue",
    `<header><h1>API catalogue</h1><p>${publicOnly ? "The public APIs of every environment." : "Every API of every environment."}</p></header>
<main><ul class="environments">
${items}
</ul></main>`,
  );
}
