/**
 * A local stand-in for the few AWS APIs a plan reads: the data sources of the stacks (STS caller
 * identity (also the account check of `allowed_account_ids`), IAM roles, the VPC endpoint, the REST API's authorizers). With `-refresh=false` nothing
 * else is called, so the real provider can plan against a written state without an AWS account.
 * The account is the one the provider's access key names (see `providerOverrides`); the region is
 * the request's signing region.
 */
import { createHash } from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";
import type { StackJson } from "../terraform";

export interface StubAws {
  readonly url: string;
  /** Requests the stub had no answer for ("POST sts Action=Foo"): a plan that made one needs a new handler. */
  readonly unanswered: string[];
  /** Adds the roles and authorizers of more stacks to what the stub answers. */
  learn(world: StubWorld): void;
  close(): Promise<void>;
}

/** What the stub answers: IAM role names that exist, and the REST authorizers by API (any API when keyed "*"). */
export interface StubWorld {
  readonly roleNames: readonly string[];
  readonly authorizers: readonly { name: string; type: string }[];
}

/** An access key that carries the account (the stub answers GetCallerIdentity with it). */
export const stubAccessKey = (accountId: string) => `AKIASTUB${accountId}`;

/** A stable id for a name: the same name gets the same id in every plan of a run. */
export function stableId(seed: string, length = 10, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"): string {
  const digest = createHash("sha256").update(seed).digest();
  return Array.from(digest.subarray(0, length), (b) => alphabet[b % alphabet.length]).join("");
}

const xml = (name: string, ns: string, result: string) =>
  `<${name}Response xmlns="${ns}"><${name}Result>${result}</${name}Result><ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></${name}Response>`;

function signing(req: http.IncomingMessage): { accountId: string; region: string; service: string } {
  const credential = /Credential=([^/]+)\/\d+\/([^/]+)\/([^/]+)\//.exec(String(req.headers.authorization ?? ""));
  const key = credential?.[1] ?? "";
  return { accountId: key.startsWith("AKIASTUB") ? key.slice(8) : "111111111111", region: credential?.[2] ?? "us-east-1", service: credential?.[3] ?? "" };
}

/** The role names and authorizers a set of synthesized stacks expects to find. */
export function stubWorldOf(stacks: readonly StackJson[]): StubWorld {
  const roleNames = new Set<string>();
  const authorizers = new Map<string, string>();
  for (const stack of stacks) {
    for (const block of Object.values(stack.data?.aws_iam_roles ?? {})) {
      const regex = String((block as { name_regex?: string }).name_regex ?? "");
      if (/^\^[\w+=,.@-]+\$$/.test(regex)) roleNames.add(regex.slice(1, -1));
    }
    for (const block of Object.values(stack.resource?.aws_api_gateway_rest_api_put ?? {})) {
      const body = (block as { body?: string }).body;
      if (typeof body !== "string" || !body.trim().startsWith("{")) continue;
      const schemes = (JSON.parse(body).components?.securitySchemes ?? {}) as Record<string, Record<string, { type?: string }>>;
      for (const [name, scheme] of Object.entries(schemes)) {
        const authorizer = scheme["x-amazon-apigateway-authorizer"];
        if (authorizer) authorizers.set(name, String(authorizer.type ?? "token").toUpperCase());
      }
    }
  }
  return { roleNames: [...roleNames].sort(), authorizers: [...authorizers].map(([name, type]) => ({ name, type })) };
}

function answer(req: http.IncomingMessage, body: string, world: StubWorld): { status: number; type: string; body: string } | undefined {
  const { accountId, region, service } = signing(req);
  const form = new URLSearchParams(body);
  const action = form.get("Action");
  if (service === "sts" && action === "GetCallerIdentity") {
    return {
      status: 200,
      type: "text/xml",
      body: xml("GetCallerIdentity", "https://sts.amazonaws.com/doc/2011-06-15/", `<Arn>arn:aws:iam::${accountId}:user/plan</Arn><UserId>AIDASTUB${accountId}</UserId><Account>${accountId}</Account>`),
    };
  }
  if (service === "iam" && action === "GetUser") {
    // The provider's first way to its account id.
    return {
      status: 200,
      type: "text/xml",
      body: xml("GetUser", "https://iam.amazonaws.com/doc/2010-05-08/", `<User><Path>/</Path><UserName>plan</UserName><UserId>AIDASTUB${accountId}</UserId><Arn>arn:aws:iam::${accountId}:user/plan</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></User>`),
    };
  }
  if (service === "iam" && action === "ListRoles") {
    const members = world.roleNames
      .map(
        (name) =>
          `<member><Path>/</Path><RoleName>${name}</RoleName><RoleId>AROA${stableId(name, 17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}</RoleId><Arn>arn:aws:iam::${accountId}:role/${name}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></member>`,
      )
      .join("");
    return { status: 200, type: "text/xml", body: xml("ListRoles", "https://iam.amazonaws.com/doc/2010-05-08/", `<IsTruncated>false</IsTruncated><Roles>${members}</Roles>`) };
  }
  if (service === "ec2" && action === "DescribeVpcEndpoints") {
    const filters = new Map<string, string>();
    for (let i = 1; form.has(`Filter.${i}.Name`); i++) filters.set(form.get(`Filter.${i}.Name`)!, form.get(`Filter.${i}.Value.1`) ?? "");
    const vpcId = filters.get("vpc-id") ?? "vpc-0000000000000000";
    const serviceName = filters.get("service-name") ?? `com.amazonaws.${region}.execute-api`;
    const id = `vpce-${stableId(`${vpcId}/${serviceName}`, 17, "0123456789abcdef")}`;
    return {
      status: 200,
      type: "text/xml",
      body:
        `<DescribeVpcEndpointsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>stub</requestId><vpcEndpointSet><item>` +
        `<vpcEndpointId>${id}</vpcEndpointId><vpcEndpointType>Interface</vpcEndpointType><vpcId>${vpcId}</vpcId><serviceName>${serviceName}</serviceName>` +
        `<state>available</state><ownerId>${accountId}</ownerId><privateDnsEnabled>true</privateDnsEnabled><requesterManaged>false</requesterManaged>` +
        `<ipAddressType>ipv4</ipAddressType><creationTimestamp>2026-01-01T00:00:00.000Z</creationTimestamp></item></vpcEndpointSet></DescribeVpcEndpointsResponse>`,
    };
  }
  if (service === "ec2" && action === "DescribePrefixLists") {
    // None: the data source then leaves cidr_blocks empty, as for an interface endpoint's service.
    return { status: 200, type: "text/xml", body: `<DescribePrefixListsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>stub</requestId><prefixListSet/></DescribePrefixListsResponse>` };
  }
  if (service === "kinesis" && req.headers["x-amz-target"] === "Kinesis_20131202.DescribeLimits") {
    return { status: 200, type: "application/x-amz-json-1.1", body: JSON.stringify({ ShardLimit: 500, OpenShardCount: 0, OnDemandStreamCount: 0, OnDemandStreamCountLimit: 50 }) };
  }
  const authorizers = /^\/restapis\/([^/]+)\/authorizers(?:\/([^/?]+))?/.exec(req.url ?? "");
  if (service === "apigateway" && req.method === "GET" && authorizers) {
    const items = world.authorizers.map((a) => ({ id: stableId(`${authorizers[1]}/${a.name}`, 6), name: a.name, type: a.type }));
    if (!authorizers[2]) return { status: 200, type: "application/json", body: JSON.stringify({ item: items }) };
    const item = items.find((i) => i.id === authorizers[2]);
    return item
      ? { status: 200, type: "application/json", body: JSON.stringify(item) }
      : { status: 404, type: "application/json", body: JSON.stringify({ message: "Invalid authorizer identifier specified" }) };
  }
  return undefined;
}

export async function startStubAws(initial: StubWorld): Promise<StubAws> {
  const unanswered: string[] = [];
  const world = { roleNames: [...initial.roleNames], authorizers: [...initial.authorizers] };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const reply = answer(req, body, world);
      if (!reply) {
        unanswered.push(`${req.method} ${signing(req).service} ${req.url} ${new URLSearchParams(body).get("Action") ?? req.headers["x-amz-target"] ?? ""} ${body.slice(0, 200)}`.trim());
        res.writeHead(400, { "content-type": "application/json", "x-amzn-errortype": "UnknownOperationException" });
        res.end(JSON.stringify({ message: "not answered by the plan stub (scripts/day2/stub-aws.ts)" }));
        return;
      }
      res.writeHead(reply.status, { "content-type": reply.type, "x-amzn-requestid": "stub" });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    unanswered,
    learn: (more) => {
      for (const name of more.roleNames) if (!world.roleNames.includes(name)) world.roleNames.push(name);
      for (const a of more.authorizers) if (!world.authorizers.some((b) => b.name === a.name)) world.authorizers.push(a);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The services the stacks' plans call; every endpoint of the provider points at the stub. */
const STUB_SERVICES = ["sts", "iam", "ec2", "apigateway", "apigatewayv2", "lambda", "logs", "kms", "s3", "sqs", "kinesis", "firehose", "dynamodb", "sns", "acm", "route53", "wafv2", "cloudwatch"];

/**
 * Provider overrides (merged by name and alias over the stack's own): fake credentials that name the
 * account, no credential or account lookup, every endpoint at the stub.
 */
export function providerOverrides(stack: StackJson, stubUrl: string): Record<string, unknown[]> {
  const result: Record<string, unknown[]> = {};
  for (const [name, configs] of Object.entries(stack.provider ?? {})) {
    if (name !== "aws") continue;
    result[name] = (configs as Record<string, unknown>[]).map((config) => {
      const account = ((config.allowed_account_ids as string[] | undefined) ?? ["111111111111"])[0];
      return {
        ...(config.alias ? { alias: config.alias } : {}),
        access_key: stubAccessKey(account),
        secret_key: "stub",
        skip_credentials_validation: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
        endpoints: [Object.fromEntries(STUB_SERVICES.map((s) => [s, stubUrl]))],
      };
    });
  }
  return result;
}
