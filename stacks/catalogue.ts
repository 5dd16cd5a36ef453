import * as path from "path";
import type { EnvironmentConfig } from "../config/schema";
import type { OpenApiServer } from "../modules/shared/openapi";
import type { EnvironmentStack } from "./environment-stack";
import { writeJson } from "./openapi-export";

/** How a client proves who it is to one API: what the catalogue tells client developers. */
export type CatalogueAuth =
  | { readonly kind: "api-key"; readonly header: "x-api-key"; readonly keyNames: readonly string[]; readonly howToGet: string }
  | { readonly kind: "cognito"; readonly header: "Authorization"; readonly userPoolArns: readonly string[]; readonly scopes: readonly string[] }
  | { readonly kind: "jwt"; readonly header: "Authorization"; readonly issuer: string; readonly audiences: readonly string[]; readonly scopes: readonly string[]; readonly checkedBy: "API Gateway" | "the platform's authorizer function" }
  | { readonly kind: "sigv4"; readonly service: "execute-api"; readonly region: string; readonly who: string }
  | { readonly kind: "query-token"; readonly parameter: "token"; readonly issuer: string; readonly audiences: readonly string[]; readonly scopes: string };

export interface CatalogueLimits {
  /** The stage's default throttling: every route, all clients together (a WebSocket API counts messages and connection attempts). */
  readonly stage: { readonly rateLimit: number; readonly burstLimit: number };
  /** Each API key's own share, from the usage plan. */
  readonly perKey?: { readonly rateLimit: number; readonly burstLimit: number };
  readonly quotaPerKey?: { readonly limit: number; readonly period: "DAY" | "WEEK" | "MONTH" };
}

/** One API of an environment, as `npm run catalogue` shows it. */
export interface CatalogueApi {
  readonly name: string;
  readonly kind: "private REST" | "public REST" | "HTTP" | "WebSocket";
  /** Reachable only from inside the environment's VPC: never published beyond the build artifact. */
  readonly private: boolean;
  readonly description: string;
  readonly stage: string;
  /** Custom domain first. */
  readonly baseUrls: readonly OpenApiServer[];
  /** The client document, relative to the synth output directory. */
  readonly document: { readonly format: "openapi" | "asyncapi"; readonly file: string };
  readonly auth: readonly CatalogueAuth[];
  readonly limits: CatalogueLimits;
}

export interface EnvironmentCatalogue {
  readonly environment: string;
  readonly region: string;
  readonly apis: readonly CatalogueApi[];
}

export interface CatalogueInputs {
  readonly id: string;
  readonly config: EnvironmentConfig;
  /** The private REST, public REST and HTTP APIs' names, which key `openApiDocuments`. */
  readonly names: { readonly private: string; readonly public: string; readonly http: string };
  readonly privateStage: string;
  readonly publicStage: string;
  /** The usage plan's throttling of each API key. */
  readonly perKeyThrottling: CatalogueLimits["stage"];
  readonly openApiDocuments: Readonly<Record<string, Record<string, unknown>>>;
  readonly websocket?: { readonly name: string; readonly description: string; readonly stage: string; readonly servers: readonly OpenApiServer[] };
}

/** The environment's APIs with what their documents cannot say: stages, authentication and limits. */
export function environmentCatalogue({ id, config, names, privateStage, publicStage, perKeyThrottling, openApiDocuments, websocket }: CatalogueInputs): EnvironmentCatalogue {
  const servers = (name: string) => (openApiDocuments[name].servers ?? []) as OpenApiServer[];
  const descriptionOf = (name: string) => (openApiDocuments[name].info as { description: string }).description;
  const openapi = (name: string) => ({ format: "openapi" as const, file: `openapi/${id}/${name}.json` });
  const stage = config.throttling;
  const { publicApi, jwt } = config;
  const routeScopes = (uses: readonly { readonly scopes?: readonly string[] }[]) => [...new Set(uses.flatMap((u) => u.scopes ?? []))].sort();
  const usesOf = (isCognito: boolean) => Object.values(publicApi.routeAuthorizers).filter((u) => (publicApi.authorizers[u.authorizer]?.type === "COGNITO_USER_POOLS") === isCognito);
  const cognitoPools = Object.values(publicApi.authorizers).flatMap((a) => (a.type === "COGNITO_USER_POOLS" ? a.userPoolArns : []));
  const lambdaAuthorized = Object.values(publicApi.authorizers).some((a) => a.type !== "COGNITO_USER_POOLS");
  const jwtAuth = (scopes: readonly string[], checkedBy: "API Gateway" | "the platform's authorizer function"): CatalogueAuth => ({ kind: "jwt", header: "Authorization", issuer: jwt.issuer, audiences: jwt.audiences, scopes, checkedBy });
  const sigv4 = (who: string): CatalogueAuth => ({ kind: "sigv4", service: "execute-api", region: config.region, who });

  const { private: privateName, public: publicName, http: httpName } = names;
  const apis: CatalogueApi[] = [
    {
      name: privateName,
      kind: "private REST",
      private: true,
      description: descriptionOf(privateName),
      stage: privateStage,
      baseUrls: servers(privateName),
      document: openapi(privateName),
      auth: [sigv4(config.privateApi.allowedPrincipalArns?.length ? `the principals ${config.privateApi.allowedPrincipalArns.join(", ")}, from inside the VPC` : "principals of the account whose IAM policy allows execute-api:Invoke, from inside the VPC")],
      limits: { stage },
    },
    {
      name: publicName,
      kind: "public REST",
      private: false,
      description: descriptionOf(publicName),
      stage: publicStage,
      baseUrls: servers(publicName),
      document: openapi(publicName),
      auth: [
        {
          kind: "api-key",
          header: "x-api-key",
          keyNames: publicApi.apiKeyNames.map((key) => `${publicName}-${key}`),
          howToGet: "ask the platform team for a key; it reads the value with aws apigateway get-api-key --include-value --api-key <id> (ids: terraform output -json public_api_key_ids)",
        },
        ...(cognitoPools.length ? [{ kind: "cognito" as const, header: "Authorization" as const, userPoolArns: cognitoPools, scopes: routeScopes(usesOf(true)) }] : []),
        ...(lambdaAuthorized ? [jwtAuth(routeScopes(usesOf(false)), "the platform's authorizer function")] : []),
        // Write routes the environment gives no authorizer require SigV4 (stacks/routes.ts).
        ...(hasSecurity(openApiDocuments[publicName], "sigv4") ? [sigv4("callers whose IAM policy allows execute-api:Invoke on the write routes no authorizer guards")] : []),
      ],
      limits: { stage, perKey: perKeyThrottling, quotaPerKey: config.quota },
    },
    {
      name: httpName,
      kind: "HTTP",
      private: false,
      description: descriptionOf(httpName),
      stage: "$default",
      baseUrls: servers(httpName),
      document: openapi(httpName),
      auth: [
        jwtAuth([...new Set(Object.values(config.httpApi.routeScopes).flat())].sort(), "API Gateway"),
        ...(config.httpApi.lambdaAuthorizer ? [jwtAuth([], "the platform's authorizer function")] : []),
      ],
      limits: { stage },
    },
  ];
  if (websocket) {
    const authorizer = config.websocketApi!.authorizer;
    apis.push({
      name: websocket.name,
      kind: "WebSocket",
      private: false,
      description: websocket.description,
      stage: websocket.stage,
      baseUrls: websocket.servers,
      document: { format: "asyncapi", file: `asyncapi/${id}/${websocket.name}.json` },
      auth: [
        authorizer.type === "iam"
          ? sigv4("callers whose IAM policy allows execute-api:Invoke on $connect; the upgrade request is signed")
          : { kind: "query-token", parameter: "token", issuer: jwt.issuer, audiences: jwt.audiences, scopes: "rooms/<room> for each room the connection may subscribe to" },
      ],
      limits: { stage: config.websocketApi!.throttling ?? stage },
    });
  }
  return { environment: id, region: config.region, apis };
}

function hasSecurity(document: Record<string, unknown>, scheme: string): boolean {
  const paths = Object.values((document.paths ?? {}) as Record<string, Record<string, { security?: Record<string, unknown>[] }>>);
  return paths.some((operations) => Object.values(operations).some((o) => o.security?.some((s) => scheme in s)));
}

/**
 * Writes what `npm run catalogue` reads beside the OpenAPI documents: each environment's listing
 * to `<outdir>/apis/<stack>.json` and its AsyncAPI documents to `<outdir>/asyncapi/<stack>/<api>.json`.
 */
export function writeCatalogueData(outdir: string, stacks: readonly EnvironmentStack[]): void {
  for (const stack of stacks) {
    const id = stack.node.id;
    writeJson(outdir, `apis/${id}.json`, stack.catalogue);
    for (const [api, document] of Object.entries(stack.asyncApiDocuments)) writeJson(outdir, path.posix.join("asyncapi", id, `${api}.json`), document);
  }
}
