/**
 * The day-2 changes the suite plans with the real provider (test-terraform/day2.test.ts), each an
 * edit of a copy of an environment file or, where the routes or names live in code, of a copy of
 * the project. The README's "Day-2 plans" table is rendered from their plans.
 */
import type { Document } from "yaml";

export interface FileEdit {
  /** A file of the project, from its root. */
  readonly file: string;
  readonly from: string;
  readonly to: string;
}

export interface Day2Change {
  readonly id: string;
  /** What changes, as the README table says it. */
  readonly title: string;
  /** The environment files the before has: a name of BASES. */
  readonly base: keyof typeof BASES;
  /** Edits of the before's environment files (by name) that make the after. */
  readonly yaml?: Readonly<Record<string, (doc: Document) => void>>;
  /** Environment files the after adds: name -> edit of a copy of another file. */
  readonly addEnvironments?: Readonly<Record<string, { readonly from: string; readonly edit: (doc: Document) => void }>>;
  /** Edits of a copy of the project that make the after. */
  readonly code?: readonly FileEdit[];
  /** The stacks whose plans the change is judged by; default ["dev"]. */
  readonly stacks?: readonly string[];
}

/** The environment files of a before: a shipped file, optionally edited. */
export const BASES = {
  dev: { dev: undefined },
  "dev-cached": { dev: (doc: Document) => doc.setIn(["privateApi", "cacheClusterSize"], "0.5") },
} satisfies Record<string, Record<string, ((doc: Document) => void) | undefined>>;

const OTHER_KEY = "arn:aws:kms:eu-west-1:111111111111:key/7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f";

export const DAY2_CHANGES: readonly Day2Change[] = [
  { id: "stage-rename", title: "`publicApi.stageName` renamed", base: "dev", yaml: { dev: (d) => d.setIn(["publicApi", "stageName"], "live") } },
  { id: "edge-to-regional", title: "`publicApi.endpointType` EDGE → REGIONAL (with a custom domain)", base: "dev", yaml: { dev: (d) => d.setIn(["publicApi", "endpointType"], "REGIONAL") } },
  { id: "base-path-added", title: "`customDomains.httpApi.basePath` added (root → `v1`)", base: "dev", yaml: { dev: (d) => d.setIn(["customDomains", "httpApi", "basePath"], "v1") } },
  { id: "domain-rename", title: "`customDomains.httpApi.domainName` renamed", base: "dev", yaml: { dev: (d) => d.setIn(["customDomains", "httpApi", "domainName"], "shop.dev.example.com") } },
  { id: "caching-on", title: "`privateApi.cacheClusterSize` set (caching on)", base: "dev", yaml: { dev: (d) => d.setIn(["privateApi", "cacheClusterSize"], "0.5") } },
  { id: "caching-off", title: "`privateApi.cacheClusterSize` removed (caching off)", base: "dev-cached", yaml: { dev: (d) => d.deleteIn(["privateApi", "cacheClusterSize"]) } },
  { id: "log-kms-key", title: "`logging.kmsKeyArn` changed", base: "dev", yaml: { dev: (d) => d.setIn(["logging", "kmsKeyArn"], OTHER_KEY) } },
  { id: "version-removed", title: "a version removed from `customDomains.publicApi.versions`", base: "dev", yaml: { dev: (d) => d.setIn(["customDomains", "publicApi", "versions"], [{ basePath: "v1" }]) } },
  { id: "ip-dualstack", title: "`publicApi.ipAddressType` ipv4 → dualstack", base: "dev", yaml: { dev: (d) => d.setIn(["publicApi", "ipAddressType"], "dualstack") } },
  { id: "compression", title: "`publicApi.minimumCompressionSize` set", base: "dev", yaml: { dev: (d) => d.setIn(["publicApi", "minimumCompressionSize"], 1024) } },
  {
    id: "queue-removed",
    title: "`integrations.ordersQueue` removed (HTTP route `POST /orders/queue` and its queues go)",
    base: "dev",
    yaml: {
      dev: (d) => {
        d.deleteIn(["integrations", "ordersQueue"]);
        d.deleteIn(["httpApi", "routeScopes", "POST /orders/queue"]);
      },
    },
  },
  {
    id: "shared-vpc-environment",
    title: "a new environment in a VPC another one uses (`network.vpcId` shared)",
    base: "dev",
    addEnvironments: {
      qa: {
        from: "dev",
        edit: (d) => {
          d.setIn(["network", "allowedCidrs"], ["10.20.0.0/16"]);
          d.deleteIn(["customDomains"]);
          d.deleteIn(["dns"]);
          d.setIn(["integrations", "events", "archiveBucketName"], "acme-qa-events");
          d.setIn(["privateApi", "objectReader", "bucketName"], "acme-qa-files");
        },
      },
    },
    stacks: ["dev", "endpoint-vpc-0a1b2c3d4e5f60718", "qa"],
  },
  {
    id: "function-rename",
    title: "a function renamed (`functionName` of the object reader)",
    base: "dev",
    code: [{ file: "stacks/environment-stack.ts", from: "functionName: `apigw-${id}-object-reader`", to: "functionName: `apigw-${id}-file-reader`" }],
  },
  {
    id: "runtime-bump",
    title: "the functions' runtime nodejs22.x → nodejs24.x",
    base: "dev",
    code: [{ file: "modules/lambda-function.ts", from: 'const runtime = props.runtime ?? "nodejs22.x";', to: 'const runtime = props.runtime ?? "nodejs24.x";' }],
  },
  {
    id: "rest-route-added",
    title: "a REST route added (`GET /hello/{name}`)",
    base: "dev",
    code: [{ file: "stacks/routes.ts", from: '    keyed("/hello", "GET", backends.helloGet),\n', to: '    keyed("/hello", "GET", backends.helloGet),\n    keyed("/hello/{name}", "GET", backends.helloGet),\n' }],
  },
  {
    id: "rest-route-removed",
    title: "a REST route removed (`GET /hello`)",
    base: "dev",
    yaml: { dev: (d) => d.deleteIn(["publicApi", "routeAuthorizers", "GET /hello"]) },
    code: [{ file: "stacks/routes.ts", from: '    keyed("/hello", "GET", backends.helloGet),\n', to: "" }],
  },
  {
    id: "http-route-added",
    title: "an HTTP route added (`DELETE /orders/{id}`)",
    base: "dev",
    yaml: { dev: (d) => d.setIn(["httpApi", "routeScopes", "DELETE /orders/{id}"], ["orders/write"]) },
    code: [{ file: "stacks/routes.ts", from: '    { method: "GET", path: "/orders/{id}", function: backends.orders },\n', to: '    { method: "GET", path: "/orders/{id}", function: backends.orders },\n    { method: "DELETE", path: "/orders/{id}", function: backends.orders },\n' }],
  },
  {
    id: "http-route-removed",
    title: "an HTTP route removed (`GET /orders/{id}`)",
    base: "dev",
    code: [{ file: "stacks/routes.ts", from: '    { method: "GET", path: "/orders/{id}", function: backends.orders },\n', to: "" }],
  },
  {
    id: "ws-route-added",
    title: "a WebSocket route added (`unsubscribe`)",
    base: "dev",
    code: [{ file: "stacks/websocket.ts", from: '      { routeKey: "subscribe", function: messages, twoWay: true },\n', to: '      { routeKey: "subscribe", function: messages, twoWay: true },\n      { routeKey: "unsubscribe", function: messages, twoWay: true },\n' }],
  },
  {
    id: "ws-route-removed",
    title: "a WebSocket route removed (`subscribe`)",
    base: "dev",
    code: [{ file: "stacks/websocket.ts", from: '      { routeKey: "subscribe", function: messages, twoWay: true },\n', to: "" }],
  },
  {
    id: "events-stream-replaced",
    title: "the events stream replaced (a new stream name)",
    base: "dev",
    code: [{ file: "stacks/environment-stack.ts", from: "streamName: `apigw-${id}-events`", to: "streamName: `apigw-${id}-events-v2`" }],
  },
];
