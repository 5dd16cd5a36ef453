import type { CatalogueApi } from "../stacks/catalogue";

type Operation = { security?: Record<string, string[]>[]; parameters?: { in: string; name: string; required?: boolean }[] };
type OpenApiDocument = { paths?: Record<string, Record<string, Operation>>; components?: { securitySchemes?: Record<string, { type: string; name?: string; in?: string; description?: string }> } };

/** The commands that generate a typed client, and a first call through it. */
export interface ClientSnippet {
  readonly generate: string;
  readonly usage: string;
}

/**
 * A typed client of an OpenAPI document: `openapi-typescript` writes `<api>.d.ts`, `openapi-fetch`
 * calls the API's first GET route through it with the credentials that route needs. The tests
 * type-check this very text against the generated types.
 */
export function openApiClientSnippet(api: CatalogueApi, document: OpenApiDocument): ClientSnippet {
  const file = api.document.file.split("/").pop()!;
  const generate = [`npx openapi-typescript openapi/${file} -o ${api.name}.d.ts`, "npm install openapi-fetch"].join("\n");
  const [route, operation] = Object.entries(document.paths ?? {}).flatMap(([p, ops]) => (ops.get ? [[p, ops.get] as const] : []))[0] ?? [];
  const schemes = document.components?.securitySchemes ?? {};
  const used = new Set((operation?.security ?? []).flatMap((requirement) => Object.keys(requirement)));
  const headers: string[] = [];
  let signed = false;
  for (const name of used) {
    const scheme = schemes[name];
    if (!scheme) continue;
    if (scheme.type === "apiKey" && scheme.name === "x-api-key") headers.push(`"x-api-key": "<API key>"`);
    else if (scheme.description?.startsWith("AWS Signature Version 4")) signed = true;
    else if (!headers.some((h) => h.startsWith("Authorization"))) headers.push("Authorization: `Bearer ${accessToken}`");
  }
  const baseUrl = api.baseUrls[0]?.url ?? "<base URL>";
  const options = [
    `baseUrl: ${JSON.stringify(baseUrl)}`,
    ...(headers.length ? [`headers: { ${headers.join(", ")} }`] : []),
    ...(signed ? ["fetch: signedFetch"] : []),
  ];
  const pathParameters = (route?.match(/\{([^}+]+)\+?\}/g) ?? []).map((p) => p.replace(/[{}+]/g, ""));
  const call = route
    ? `const { data, error } = await client.GET(${JSON.stringify(route)}${pathParameters.length ? `, { params: { path: { ${pathParameters.map((p) => `${p}: "example"`).join(", ")} } } }` : ""});`
    : "// the API has no GET route: call client.POST(...) and the others the same way";
  const usage = [
    `import createClient from "openapi-fetch";`,
    `import type { paths } from "./${api.name}";`,
    "",
    ...(headers.some((h) => h.startsWith("Authorization")) ? ["const accessToken = \"<access token>\";"] : []),
    ...(signed
      ? [
          `// SigV4 for execute-api in ${api.auth.find((a) => a.kind === "sigv4")?.region ?? "the API's region"}: sign each request, for example with aws4fetch's AwsClient.fetch.`,
          "declare function signedFetch(request: Request): Promise<Response>;",
        ]
      : []),
    `const client = createClient<paths>({ ${options.join(", ")} });`,
    call,
    ...(route ? ["console.log(error ?? data);"] : []),
  ].join("\n");
  return { generate, usage };
}

/** A WebSocket client: the connect URL with its token, and the frames of the AsyncAPI document. */
export function webSocketClientSnippet(api: CatalogueApi): ClientSnippet {
  const file = api.document.file.split("/").pop()!;
  const url = api.baseUrls[0]?.url ?? "<wss URL>";
  const token = api.auth.some((a) => a.kind === "query-token");
  return {
    generate: [`# The frames and their JSON schemas: asyncapi/${file} (AsyncAPI 3)`, `npx wscat -c "${url}${token ? "?token=$TOKEN" : ""}"`].join("\n"),
    usage: [
      `const socket = new WebSocket(${JSON.stringify(url)}${token ? " + \"?token=\" + encodeURIComponent(accessToken)" : ""});`,
      `socket.onopen = () => socket.send(JSON.stringify({ action: "subscribe", room: "general" }));`,
      "socket.onmessage = (event) => console.log(JSON.parse(event.data));",
    ].join("\n"),
  };
}
