/**
 * The one schema of an environment file. The config types are inferred from it and
 * `npm run schema` exports it as JSON Schema for editors; strict objects make an
 * unknown or misspelt key an error instead of a silently ignored setting.
 */
import { z } from "zod";
import * as formats from "./formats";
import { REGIONS } from "./regions";

function formatted(check: formats.FormatCheck) {
  return z.string().superRefine((value, ctx) => {
    const allowed = check(value);
    if (allowed) ctx.addIssue({ code: "custom", message: `expected ${allowed}` });
  });
}

/** Retention periods CloudWatch Logs accepts; 0 (never expire) is left out on purpose. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const region = z.string().superRefine((value, ctx) => {
  if (!REGIONS.includes(value)) {
    ctx.addIssue({ code: "custom", message: `expected an AWS region such as eu-west-1 or us-east-1 (known: ${REGIONS.join(", ")})` });
  }
});

const positiveNumber = z.number().positive().finite();
const positiveInteger = z.number().int().positive();

const ipAddressType = z
  .enum(["ipv4", "dualstack"])
  .optional()
  .describe("ipv4 (the default) or dualstack: IPv4 and IPv6 clients (AWS provider 5.96 and later).");

/** The AWS provider release @cdktf/provider-aws 21.22.1 is generated from. */
export const BINDINGS_PROVIDER_VERSION = "6.25.0";

/** The AWS provider release that adds a setting the pinned 6.25 bindings do not know. */
export const PROVIDER_FEATURES = {
  enhancedTlsPolicy: { version: "6.28.0", what: "enhanced TLS security policies (SecurityPolicy_*) on custom domains" },
  endpointAccessMode: { version: "6.28.0", what: "endpointAccessMode on custom domains" },
  routingRules: { version: "6.29.0", what: "routing rules (aws_apigatewayv2_routing_rule) and routingMode on custom domains" },
  // terraform-provider-aws PR #47973 (merged 2026-06-25) adds both; the first release with it is
  // not on record here, but 6.64 has them (and the 6.66 bindings check:terrain uses), so 6.64 it is.
  restApiTls: { version: "6.64.0", what: "securityPolicy and endpointAccessMode on REST APIs (aws_api_gateway_rest_api, PR #47973)" },
} as const;

/** The header characters a routing rule's condition accepts (AWS: "Match headers conditions"). */
const ROUTING_HEADER_CHARACTERS = "A-Za-z0-9*?!#$%&'.^_`|~-";

const routingRule = z.strictObject({
  priority: z.number().int().min(1).max(1000000).describe("Evaluation order, lowest first (1 to 1,000,000); unique on the domain."),
  headers: z
    .array(
      z.strictObject({
        name: z.string().regex(new RegExp(`^[${ROUTING_HEADER_CHARACTERS}]{1,39}$`), "expected a header name of fewer than 40 letters, digits and *?-!#$%&'.^_`|~"),
        valueGlob: z
          .string()
          .regex(new RegExp(`^[${ROUTING_HEADER_CHARACTERS}]{1,127}$`), "expected a value glob of fewer than 128 letters, digits and *?-!#$%&'.^_`|~")
          .refine((glob) => /^\*?[^*]*\*?$/.test(glob), "expected at most a leading and a trailing * (prefix, suffix or infix match)"),
      }),
    )
    .max(2, "API Gateway takes at most 2 header conditions per rule")
    .optional()
    .describe("Header conditions, all of which must match (at most 2)."),
  basePaths: z
    .array(formatted(formats.basePath))
    .min(1)
    .optional()
    .describe("One base path condition: the request's first path segment is any of these (case sensitive)."),
  stripBasePath: z.boolean().default(false).describe("Remove the matched base path before the API sees the path."),
});

const routingRules = z
  .record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "expected a rule name of lower-case letters, digits and hyphens (it names the Terraform resource)"), routingRule)
  .optional()
  .describe("publicApi on a REGIONAL domain only: routing rules to the public REST API's stage, by name (AWS provider 6.29 and later: set providerVersion).");

/** Whether a provider version (x.y.z) is at least another one. */
export function providerAtLeast(version: string, required: string): boolean {
  const a = version.split(".").map(Number);
  const b = required.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}
const uniqueList = <T extends z.ZodType<string>>(item: T) =>
  z.array(item).superRefine((values, ctx) => {
    const seen = new Set<string>();
    values.forEach((value, index) => {
      if (seen.has(value)) ctx.addIssue({ code: "custom", path: [index], message: `"${value}" is listed twice` });
      seen.add(value);
    });
  });

const cidr = formatted(formats.ipv4Cidr).superRefine((value, ctx) => {
  if (formats.cidrBreadth(value) === "open") {
    ctx.addIssue({ code: "custom", message: "the endpoint must not be reachable from the whole internet: list the VPC or on-premises ranges that call the API" });
  }
});

const network = z
  .strictObject({
    vpcId: formatted(formats.vpcId).optional().describe("VPC of the execute-api interface endpoint."),
    subnetIds: uniqueList(formatted(formats.subnetId)).min(1).optional().describe("Subnets of the endpoint, one per availability zone."),
    allowedCidrs: uniqueList(cidr).min(1).optional().describe("IPv4 ranges allowed to reach the endpoint on TCP 443."),
    existingVpcEndpointId: formatted(formats.vpcEndpointId)
      .optional()
      .describe("Use this execute-api endpoint instead of creating one (then vpcId, subnetIds and allowedCidrs are not used)."),
    allowedApiAccountIds: uniqueList(formatted(formats.accountId))
      .min(1)
      .optional()
      .describe("Accounts whose APIs hosts in the VPC may call through the created endpoint (its endpoint policy); default the environment's own account."),
    allowedApiOrganizationIds: uniqueList(formatted(formats.organizationId))
      .min(1)
      .optional()
      .describe("AWS Organizations whose accounts' APIs hosts may call through the created endpoint (aws:ResourceOrgID)."),
  })
  .superRefine((value, ctx) => {
    if (value.existingVpcEndpointId) {
      for (const key of ["vpcId", "subnetIds", "allowedCidrs", "allowedApiAccountIds", "allowedApiOrganizationIds"] as const) {
        if (value[key] !== undefined) {
          ctx.addIssue({ code: "custom", path: [key], message: "not used together with existingVpcEndpointId: remove one of them" });
        }
      }
      return;
    }
    for (const key of ["vpcId", "subnetIds", "allowedCidrs"] as const) {
      if (value[key] === undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: "required to create the execute-api VPC endpoint (or set existingVpcEndpointId)" });
      }
    }
  })
  // The refinement above guarantees one of the two shapes; the union lets the stack branch on it.
  .transform((value): NetworkConfig =>
    value.existingVpcEndpointId
      ? { existingVpcEndpointId: value.existingVpcEndpointId }
      : {
          vpcId: value.vpcId!,
          subnetIds: value.subnetIds!,
          allowedCidrs: value.allowedCidrs!,
          ...(value.allowedApiAccountIds ? { allowedApiAccountIds: value.allowedApiAccountIds } : {}),
          ...(value.allowedApiOrganizationIds ? { allowedApiOrganizationIds: value.allowedApiOrganizationIds } : {}),
        },
  );

export type NetworkConfig =
  | { readonly existingVpcEndpointId: string }
  | {
      readonly vpcId: string;
      readonly subnetIds: readonly string[];
      readonly allowedCidrs: readonly string[];
      readonly allowedApiAccountIds?: readonly string[];
      readonly allowedApiOrganizationIds?: readonly string[];
    };

const jwt = z.strictObject({
  issuer: formatted(formats.httpsUrl).describe("OIDC issuer, e.g. https://cognito-idp.<region>.amazonaws.com/<user-pool-id>."),
  audiences: uniqueList(z.string().min(1)).min(1).describe("Accepted `aud` (or Cognito `client_id`) values."),
});

const objectReader = z
  .strictObject({
    bucketName: formatted(formats.s3BucketName).optional().describe("Bucket the object reader serves GET /files/{key} from."),
    kmsKeyArn: formatted(formats.kmsKeyArn).optional().describe("Key the bucket's objects are encrypted with; the reader may decrypt with it only."),
    keyPrefix: formatted(formats.s3KeyPrefix)
      .optional()
      .describe("The reader may read only keys under this prefix; GET /files/{key} serves <keyPrefix><key>. Default: the whole bucket."),
    existingFunctionArn: formatted(formats.lambdaFunctionArn)
      .optional()
      .describe("Route GET /files/{key} to this function instead of creating the reader."),
  })
  .superRefine((value, ctx) => {
    if (value.existingFunctionArn) {
      for (const key of ["bucketName", "kmsKeyArn", "keyPrefix"] as const) {
        if (value[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: "not used together with existingFunctionArn: remove one of them" });
      }
    } else if (value.bucketName === undefined) {
      ctx.addIssue({ code: "custom", path: ["bucketName"], message: "required to create the object reader (or set existingFunctionArn)" });
    }
  })
  .transform((value): ObjectReaderConfig =>
    value.existingFunctionArn
      ? { existingFunctionArn: value.existingFunctionArn }
      : { bucketName: value.bucketName!, ...(value.kmsKeyArn ? { kmsKeyArn: value.kmsKeyArn } : {}), ...(value.keyPrefix ? { keyPrefix: value.keyPrefix } : {}) },
  );

export type ObjectReaderConfig =
  | { readonly existingFunctionArn: string }
  | { readonly bucketName: string; readonly kmsKeyArn?: string; readonly keyPrefix?: string };

const principals = uniqueList(formatted(formats.iamPrincipalArn))
  .optional()
  .describe("IAM roles or users (also of other accounts) the resource policy allows by name, for AWS_IAM routes; the VPC endpoint condition still applies.");


const canary = z
  .strictObject({
    percent: z.number().gt(0).lt(100).describe("Share of the stage's requests, in percent (0 < percent < 100), that the canary serves."),
    stageVariableOverrides: z
      .record(z.string(), formatted(formats.stageVariableValue))
      .superRefine((variables, ctx) => {
        for (const name of Object.keys(variables)) {
          const allowed = formats.stageVariableName(name);
          if (allowed) ctx.addIssue({ code: "custom", path: [name], message: `is a name API Gateway refuses; expected ${allowed}` });
        }
      })
      .default({})
      .describe("Stage variables the canary's requests see instead of (or besides) the stage's: the new backend under test."),
    useStageCache: z.boolean().default(false).describe("Whether canary requests may be answered from the stage cache."),
  })
  .describe("A canary release on the REST stage (canary_settings): percent of the requests run with the overrides; promote or roll back with npm run canary (README, Operating it).");

const privateApi = z.strictObject({
  stageName: formatted(formats.stageName).optional().describe("Stage of the private REST API; default the environment's name."),
  allowedSourceVpcIds: uniqueList(formatted(formats.vpcId))
    .optional()
    .describe("VPCs whose calls the API also accepts through any endpoint in them (aws:SourceVpc)."),
  cacheClusterSize: z.enum(formats.CACHE_CLUSTER_SIZES).optional().describe("Stage cache size in GB; cache data is encrypted."),
  allowedPrincipalArns: principals,
  objectReader,
  canary: canary.optional(),
});

const throttling = z
  .strictObject({
    rateLimit: positiveNumber.describe("Steady-state requests per second."),
    burstLimit: positiveInteger.describe("Bucket size in requests; at least rateLimit."),
  })
  .superRefine((value, ctx) => {
    if (value.burstLimit < value.rateLimit) {
      ctx.addIssue({ code: "custom", path: ["burstLimit"], message: `must be at least rateLimit (${value.rateLimit}), or every second's allowance is cut short` });
    }
  });

const resultTtlSeconds = z
  .number()
  .int()
  .min(0)
  .max(3600)
  .describe("Seconds API Gateway caches an authorizer's decision, keyed on the identity sources; 0 calls the authorizer on every request. Required: there is no silent default.");

const lambdaAuthorizer = z.strictObject({
  type: z.enum(["TOKEN", "REQUEST"]).describe("TOKEN: a bearer token in one header; REQUEST: headers, query string, stage variables and context."),
  identitySources: uniqueList(z.string())
    .optional()
    .describe("Default [method.request.header.Authorization]. TOKEN: one method.request.header.<name>; REQUEST: method.request.header|querystring.<name>, stageVariables.<name>, context.<name>."),
  identityValidationExpression: z.string().min(1).optional().describe("TOKEN only: a regular expression a token must match before the function is called."),
  resultTtlSeconds,
  invocationRole: z.boolean().default(false).describe("Call the function through a dedicated IAM role instead of its resource policy."),
});

const cognitoAuthorizer = z.strictObject({
  type: z.literal("COGNITO_USER_POOLS"),
  userPoolArns: uniqueList(formatted(formats.cognitoUserPoolArn)).min(1).describe("The user pools whose tokens are accepted."),
  identitySource: formatted(formats.restTokenIdentitySource).optional().describe("Default method.request.header.Authorization."),
});

const restAuthorizer = z.discriminatedUnion("type", [lambdaAuthorizer, cognitoAuthorizer]).superRefine((value, ctx) => {
  if (value.type === "COGNITO_USER_POOLS") return;
  const sources = value.identitySources ?? ["method.request.header.Authorization"];
  const check = value.type === "TOKEN" ? formats.restTokenIdentitySource : formats.restRequestIdentitySource;
  sources.forEach((source, i) => {
    const allowed = check(source);
    if (allowed) ctx.addIssue({ code: "custom", path: ["identitySources", i], message: `expected ${allowed}` });
  });
  const expression = value.identityValidationExpression;
  if (expression !== undefined) {
    try {
      new RegExp(expression);
    } catch {
      ctx.addIssue({ code: "custom", path: ["identityValidationExpression"], message: "is not a regular expression" });
    }
  }
  if (value.type === "TOKEN" && sources.length !== 1) ctx.addIssue({ code: "custom", path: ["identitySources"], message: "a TOKEN authorizer reads exactly one header" });
  if (value.type === "REQUEST" && value.identityValidationExpression !== undefined) ctx.addIssue({ code: "custom", path: ["identityValidationExpression"], message: "applies to TOKEN authorizers only" });
  if (value.type === "REQUEST" && sources.length === 0 && value.resultTtlSeconds > 0) ctx.addIssue({ code: "custom", path: ["identitySources"], message: "is empty while results are cached; the cache is keyed on the identity sources" });
});

const routeKey = z.string().regex(/^[A-Z]+ \/\S*$/, 'expected a route key such as "GET /orders"');

const restCors = z
  .strictObject({
    allowOrigins: z.array(z.string()).length(1).describe("The one origin browsers may call from (https://app.example.com), or * without credentials: API Gateway's error answers carry one fixed value."),
    allowCredentials: z.boolean().default(false),
    allowHeaders: z.array(z.string().min(1)).optional().describe("Default authorization, content-type, x-api-key."),
    maxAgeSeconds: z.number().int().min(0).max(86400).optional(),
  })
  .superRefine((value, ctx) => {
    const [origin] = value.allowOrigins;
    if (origin === "*") {
      if (value.allowCredentials) ctx.addIssue({ code: "custom", path: ["allowOrigins", 0], message: "is * while allowCredentials is true; name the origin instead" });
      return;
    }
    const allowed = origin === undefined ? undefined : formats.corsOrigin(origin);
    if (allowed) ctx.addIssue({ code: "custom", path: ["allowOrigins", 0], message: `expected ${allowed}` });
  });

const publicApi = z.strictObject({
  endpointType: z.enum(["EDGE", "REGIONAL"]).default("EDGE").describe("EDGE serves through CloudFront; REGIONAL from the region only."),
  stageName: formatted(formats.stageName).optional().describe("Stage of the public REST API; default the environment's name."),
  ipAddressType: ipAddressType.describe("Who may call the public REST API's default endpoint: ipv4 or dualstack (IPv6 too). EDGE and REGIONAL only."),
  minimumCompressionSize: z
    .number()
    .int()
    .min(0)
    .max(10485760)
    .optional()
    .describe("Compress answers of at least this many bytes for clients that send Accept-Encoding (gzip, deflate, identity); 0 compresses every answer. Default: no compression."),
  streaming: z
    .strictObject({
      timeoutSeconds: z
        .number()
        .int()
        .min(1)
        .max(900)
        .default(300)
        .describe("How long API Gateway waits for the stream to end (a streamed answer may take up to 15 minutes; buffered ones 29 seconds)."),
    })
    .optional()
    .describe("Add GET /stream, whose answer the stream function sends in parts as it writes them (REST response streaming, responseTransferMode STREAM)."),
  webAclArn: formatted(formats.regionalWebAclArn).optional().describe("Regional WAFv2 web ACL in front of the stage."),
  apiKeyNames: uniqueList(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "expected a key name of letters, digits, - and _"))
    .min(1)
    .default(["default"])
    .describe("One API key per consumer; AWS generates the values."),
  disableExecuteApiEndpoint: z
    .boolean()
    .optional()
    .describe("Serve the public REST API only on its custom domain, whose TLS policy applies (the default endpoint accepts TLS 1.0); default true when customDomains.publicApi is set."),
  securityPolicy: z
    .enum(formats.DOMAIN_TLS_POLICIES.rest)
    .optional()
    .describe("TLS policy of the public REST API's default (execute-api) endpoint, which otherwise accepts TLS 1.0: TLS_1_2 or an enhanced SecurityPolicy_* (AWS provider 6.64 and later: set providerVersion)."),
  endpointAccessMode: z
    .enum(["BASIC", "STRICT"])
    .optional()
    .describe("With an enhanced publicApi.securityPolicy: STRICT refuses requests whose SNI or Host is not the API's own execute-api host (AWS provider 6.64 and later)."),
  usagePlanThrottling: throttling
    .optional()
    .describe("Per-key throttling of the usage plan, below the environment's throttling; default half of it."),
  authorizers: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "expected an authorizer name: a letter, then letters, digits, - or _"), restAuthorizer)
    .default({})
    .describe("Authorizers by name. Lambda authorizers run the platform's JWT authorizer function (functions/authorizer) against jwt.issuer."),
  routeAuthorizers: z
    .record(routeKey, z.strictObject({ authorizer: z.string().describe("A name of publicApi.authorizers."), scopes: uniqueList(formatted(formats.oauthScope)).min(1).optional().describe("OAuth scopes the token must hold one of: checked by API Gateway for a Cognito authorizer, by the platform's authorizer function (ROUTE_SCOPES) for a Lambda one.") }))
    .default({})
    .describe("Which routes go through which authorizer (\"GET /users\": { authorizer: users, scopes: [users/read] }), besides their API key."),
  cors: restCors.optional().describe("Browser access: preflight OPTIONS per resource and CORS headers on API Gateway's error answers."),
  stageVariables: z
    .record(z.string(), formatted(formats.stageVariableValue))
    .superRefine((variables, ctx) => {
      for (const name of Object.keys(variables)) {
        const allowed = formats.stageVariableName(name);
        if (allowed) ctx.addIssue({ code: "custom", path: [name], message: `is a name API Gateway refuses; expected ${allowed}` });
      }
    })
    .default({})
    .describe("Variables of the stage, which integration URLs read as ${stageVariables.<name>} (legacyHost: the legacy backend's host name)."),
  canary: canary.optional(),
}).superRefine((value, ctx) => {
  for (const [key, use] of Object.entries(value.routeAuthorizers)) {
    const authorizer = value.authorizers[use.authorizer];
    if (!authorizer) {
      ctx.addIssue({ code: "custom", path: ["routeAuthorizers", key, "authorizer"], message: `is "${use.authorizer}", which is not in publicApi.authorizers (${Object.keys(value.authorizers).join(", ") || "none"})` });
    }
  }
});

const cors = z
  .strictObject({
    allowOrigins: uniqueList(z.string()).min(1).describe("Exact origins (https://app.example.com); * only without credentials."),
    allowCredentials: z.boolean().default(false),
    allowHeaders: z.array(z.string().min(1)).optional(),
    maxAgeSeconds: z.number().int().min(0).max(86400).optional(),
  })
  .superRefine((value, ctx) => {
    value.allowOrigins.forEach((origin, i) => {
      if (origin === "*") {
        if (value.allowCredentials) {
          ctx.addIssue({ code: "custom", path: ["allowOrigins", i], message: "is * while allowCredentials is true; list the origins instead" });
        }
        return;
      }
      const allowed = formats.corsOrigin(origin);
      if (allowed) ctx.addIssue({ code: "custom", path: ["allowOrigins", i], message: `expected ${allowed}` });
    });
  });

const httpApi = z.strictObject({
  cors: cors.optional(),
  ipAddressType: ipAddressType.describe("ipv4 or dualstack (IPv6 clients too) for the HTTP API's default endpoint."),
  streaming: z
    .unknown()
    .optional()
    .superRefine((value, ctx) => {
      if (value !== undefined) ctx.addIssue({ code: "custom", message: "API Gateway streams answers of REST APIs only; use publicApi.streaming" });
    })
    .describe("Not supported: response streaming is for REST APIs (publicApi.streaming)."),
  disableExecuteApiEndpoint: z
    .boolean()
    .optional()
    .describe("Serve the HTTP API only on its custom domain (requires customDomains.httpApi); default true when customDomains.httpApi is set."),
  routeScopes: z
    .record(z.string().regex(/^[A-Z]+ \/\S*$/, "expected a route key such as \"GET /orders\""), uniqueList(formatted(formats.oauthScope)).min(1))
    .default({})
    .describe("OAuth scopes a token needs, by route key (\"GET /orders\": [orders/read])."),
  lambdaAuthorizer: z
    .strictObject({
      routes: uniqueList(routeKey).min(1).describe("Route keys that go through the Lambda authorizer instead of the JWT authorizer."),
      resultTtlSeconds,
      identitySources: uniqueList(formatted(formats.httpIdentitySource)).min(1).optional().describe("Default [$request.header.Authorization]."),
    })
    .optional()
    .describe("The platform's JWT authorizer function (functions/authorizer) as a Lambda authorizer, payload 2.0 with simple responses."),
});

const websocketAuthorizer = z
  .strictObject({
    type: z
      .enum(["lambda", "iam"])
      .default("lambda")
      .describe("lambda: a Lambda REQUEST authorizer reads the token the client passes as ?token=; iam: SigV4-signed upgrade requests."),
    functionArn: formatted(formats.lambdaFunctionArn)
      .optional()
      .describe("Your own REQUEST authorizer function; default the bundled one, which verifies a JWT of jwt.issuer for jwt.audiences."),
    rooms: z
      .record(z.string(), z.array(formatted(formats.websocketRoom)).min(1))
      .superRefine((rooms, ctx) => {
        for (const arn of Object.keys(rooms)) {
          const allowed = formats.iamPrincipalArn(arn);
          if (allowed) ctx.addIssue({ code: "custom", path: [arn], message: `the key is not ${allowed}` });
        }
      })
      .optional()
      .describe("type iam: the rooms each SigV4 signer (an IAM role or user ARN) may subscribe to; a signer not listed joins none. Tokens carry their rooms as rooms/<room> scopes."),
  })
  .superRefine((value, ctx) => {
    if (value.type === "iam" && value.functionArn !== undefined) {
      ctx.addIssue({ code: "custom", path: ["functionArn"], message: "is only for type: lambda; AWS_IAM needs no function" });
    }
    if (value.type === "lambda" && value.rooms !== undefined) {
      ctx.addIssue({ code: "custom", path: ["rooms"], message: "is only for type: iam; a token's rooms are its rooms/<room> scopes" });
    }
  })
  .transform((value): WebsocketAuthorizerConfig =>
    value.type === "iam" ? { type: "iam", rooms: value.rooms ?? {} } : { type: "lambda", ...(value.functionArn ? { functionArn: value.functionArn } : {}) },
  );

export type WebsocketAuthorizerConfig = { readonly type: "iam"; readonly rooms: Readonly<Record<string, readonly string[]>> } | { readonly type: "lambda"; readonly functionArn?: string };

const websocketApi = z.strictObject({
  enabled: z.boolean().default(true).describe("Create the WebSocket API (chat and notifications) with its handlers and connections table."),
  stageName: formatted(formats.stageName).optional().describe("Stage of the WebSocket API; default the environment's name."),
  authorizer: websocketAuthorizer.default({ type: "lambda" }).describe("How $connect is authorized."),
  throttling: throttling.optional().describe("Default route throttling (messages per second) of the stage; default the environment's throttling."),
  streaming: z
    .unknown()
    .optional()
    .superRefine((value, ctx) => {
      if (value !== undefined) ctx.addIssue({ code: "custom", message: "API Gateway streams answers of REST APIs only; use publicApi.streaming" });
    })
    .describe("Not supported: response streaming is for REST APIs (publicApi.streaming)."),
});

const customerKey = (what: string) => formatted(formats.kmsKeyArn).optional().describe(`Customer managed KMS key ${what}; the integration's role may use it for this resource only.`);

/** `existingX` and the options of creating X exclude each other. */
function createdOrExisting(existing: string, creationOptions: readonly string[]) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    if (value[existing] === undefined) return;
    for (const key of creationOptions) {
      if (value[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: `not used together with ${existing} (it configures a created one): remove one of them` });
    }
  };
}

const eventsIntegration = z
  .strictObject({
    existingStreamArn: formatted(formats.kinesisStreamArn).optional().describe("Write to this Kinesis stream instead of creating one."),
    kmsKeyArn: customerKey("the stream is encrypted with (default for a created stream: the AWS managed key alias/aws/kinesis)"),
    retentionHours: z.number().int().min(24).max(8760).optional().describe("Hours a created stream keeps records; default 24."),
    archiveBucketName: formatted(formats.s3BucketName).optional().describe("Create this bucket and a Firehose delivery stream that stores every record in it, as JSON lines."),
  })
  .superRefine(createdOrExisting("existingStreamArn", ["retentionHours"]));

const queueIntegration = z
  .strictObject({
    existingQueueArn: formatted(formats.sqsQueueArn).optional().describe("Send to this SQS queue instead of creating one with a dead-letter queue."),
    kmsKeyArn: customerKey("the queue is encrypted with (default for a created queue: SSE-SQS)"),
    maxReceiveCount: z.number().int().min(1).max(1000).optional().describe("Receives after which a created queue moves a message to its dead-letter queue; default 5."),
    redriveRoleArns: uniqueList(formatted(formats.iamRoleArn))
      .optional()
      .describe("Roles of the operators who move dead letters back (SQS redrive, StartMessageMoveTask): the move sends with the caller's identity, which the queue's policy otherwise refuses as it admits only the integration's role."),
  })
  .superRefine(createdOrExisting("existingQueueArn", ["maxReceiveCount", "redriveRoleArns"]));

const tableIntegration = z.strictObject({
  existingTableArn: formatted(formats.dynamodbTableArn).optional().describe("Read this DynamoDB table (partition key id, a string) instead of creating one."),
  kmsKeyArn: customerKey("the table is encrypted with (default for a created table: the AWS managed key alias/aws/dynamodb)"),
});

const legacyBackend = z.strictObject({
  nlbArn: formatted(formats.networkLoadBalancerArn).describe("Internal Network Load Balancer in front of the legacy backend; the public REST API reaches it through a VPC link."),
  httpApi: z
    .strictObject({
      listenerArn: formatted(formats.privateIntegrationTargetArn).describe("TLS (NLB) or HTTPS (ALB) listener, or Cloud Map service, of the backend."),
      vpcId: formatted(formats.vpcId),
      subnetIds: uniqueList(formatted(formats.subnetId)).min(1).describe("Private subnets of the VPC link's network interfaces."),
      backendCidrs: uniqueList(formatted(formats.ipv4Cidr)).min(1).describe("Ranges of the backend's load balancer: the VPC link's security group allows HTTPS to these only."),
    })
    .optional()
    .describe("Also route ANY /legacy/{proxy+} of the HTTP API through a VPC link (v2) to this listener."),
});

const integrations = z.strictObject({
  events: eventsIntegration.optional().describe("POST /events on the public REST API writes the body to a Kinesis stream."),
  ordersQueue: queueIntegration.optional().describe("POST /orders/queue on the HTTP API sends the body to an SQS queue."),
  usersTable: tableIntegration.optional().describe("GET /users/{id} on the public REST API reads this DynamoDB table instead of calling the users function."),
  legacy: legacyBackend
    .optional()
    .describe("ANY /legacy/{proxy+} on the public REST API goes to https://<publicApi.stageVariables.legacyHost>/{proxy} through a VPC link."),
});

const hostedZone = z.strictObject({
  id: formatted(formats.hostedZoneId),
  name: formatted(formats.domainName).describe("The zone's domain name, such as dev.example.com."),
});

const dns = z.strictObject({
  publicZone: hostedZone.optional().describe("Public hosted zone of the edge and regional custom domains."),
  privateZone: hostedZone.optional().describe("Private hosted zone (associated with the VPC) of the private API's custom domain."),
});

const customDomain = z.strictObject({
  domainName: formatted(formats.customDomainName),
  basePath: formatted(formats.basePath).optional().describe("Path the API answers on under the domain, such as v1; default the root."),
  certificateArn: formatted(formats.acmCertificateArn)
    .optional()
    .describe("Use this issued certificate (us-east-1 for the edge domain) instead of creating one."),
  ipAddressType: ipAddressType.describe("ipv4 (an A alias) or dualstack (A and AAAA aliases). Not for the private domain."),
  mutualTls: z
    .strictObject({
      truststore: z
        .string()
        .regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._\/-]+\.pem$/, "expected a .pem file of the repository, by its path from the repository's root (config/truststores/partners.pem)")
        .describe("PEM bundle of the CAs whose client certificates the domain accepts; uploaded to the platform's truststore bucket and pinned by object version."),
      expiryWarningDays: z.number().int().min(1).max(365).default(30).describe("Warn at synth when a certificate of the bundle expires within this many days."),
    })
    .optional()
    .describe("Mutual TLS: clients must present a certificate issued by a CA of the truststore (REGIONAL REST and HTTP API domains)."),
  securityPolicy: z
    .enum(formats.DOMAIN_TLS_POLICIES.rest)
    .optional()
    .describe("TLS_1_2 (the default), or an enhanced policy (AWS provider 6.28 and later: set providerVersion)."),
  versions: z
    .array(
      z.strictObject({
        basePath: formatted(formats.basePath).describe("The version's base path, such as v1."),
        deprecated: z.boolean().default(false).describe("Announced for removal: listed as deprecated in the stack's versions output; may not be the domain's basePath."),
      }),
    )
    .min(1)
    .optional()
    .describe("publicApi only: versions of the public REST API on this domain, each a base path mapping keyed by its path (README: Versions behind one domain). basePath names the current version and must be one of them."),
  endpointAccessMode: z
    .enum(["BASIC", "STRICT"])
    .optional()
    .describe("With an enhanced securityPolicy: STRICT refuses requests whose SNI or Host does not match the domain (AWS provider 6.28 and later)."),
  routingMode: z
    .enum(["BASE_PATH_MAPPING_ONLY", "ROUTING_RULE_THEN_BASE_PATH_MAPPING", "ROUTING_RULE_ONLY"])
    .optional()
    .describe("How the domain routes: base path mappings only (the default), routing rules then mappings, or rules only (then no mapping is created). AWS provider 6.29 and later."),
  routingRules,
});

const privateCustomDomain = customDomain.extend({
  validationZone: hostedZone
    .optional()
    .describe(
      "Public hosted zone, named after the domain or a parent of it, that holds the certificate's validation record: ACM validates over public DNS, which never sees the private zone. Required unless certificateArn is set.",
    ),
});

const customDomains = z.strictObject({
  publicApi: customDomain.optional().describe("Edge (or regional) domain of the public REST API, in dns.publicZone."),
  httpApi: customDomain.optional().describe("Regional domain of the HTTP API, in dns.publicZone."),
  privateApi: privateCustomDomain.optional().describe("Private custom domain of the private REST API, in dns.privateZone."),
  websocketApi: customDomain.optional().describe("Regional domain of the WebSocket API (wss://), in dns.publicZone."),
});

const quota = z.strictObject({
  limit: positiveInteger.describe("Requests per period for each API key."),
  period: z.enum(["DAY", "WEEK", "MONTH"]),
});

const logging = z.strictObject({
  retentionDays: z
    .number()
    .refine((value) => (LOG_RETENTION_DAYS as readonly number[]).includes(value), {
      message: `expected one of the retention periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}`,
    })
    .describe("Retention of every log group of the environment."),
  executionLogLevel: z.enum(["INFO", "ERROR"]).default("INFO").describe("REST API execution logging level."),
  applicationLogLevel: z
    .enum(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"])
    .default("INFO")
    .describe("Lowest level of the functions' own log lines Lambda keeps (JSON log format); lower levels are dropped before they are billed."),
  systemLogLevel: z.enum(["DEBUG", "INFO", "WARN"]).default("INFO").describe("Lowest level of Lambda's platform lines kept in the functions' logs; START, END and REPORT (duration, memory) are INFO, and WARN drops them."),
  kmsKeyArn: formatted(formats.kmsKeyArn)
    .optional()
    .describe("Customer managed KMS key, in the environment's region, for every log group and the functions' environment variables; its key policy must let logs.<region>.amazonaws.com use it (README, Security)."),
});

const teamId = z.string().regex(/^team-\w+$/, "expected a Terraform Cloud team id team-...");

const terraformCloud = z.strictObject({
  organization: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, "expected a Terraform Cloud organization name")
    .optional()
    .describe("Overrides TFC_ORGANIZATION for this environment."),
  workspace: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,90}$/, "expected a workspace name of letters, digits, - and _ (90 at most)")
    .optional()
    .describe("Workspace of this environment's stack; default apigw-<environment>."),
  project: z.string().min(1).optional().describe("Terraform Cloud project that holds the workspace."),
  hostname: z.string().min(1).optional().describe("Terraform Enterprise host; default app.terraform.io."),
  autoApply: z
    .boolean()
    .default(false)
    .describe("Apply a successful plan without a person confirming it (also for runs queued by the account workspace). Leave it off for production."),
  speculativePlans: z
    .boolean()
    .default(true)
    .describe("Let the workspace run speculative plans (pull requests' plans, CLI plans): they run code nobody has reviewed, with the plan role. Turn it off for production: its plans then run only as part of a run of the reviewed configuration."),
  executionMode: z
    .enum(["remote", "local"])
    .default("remote")
    .describe("remote: runs execute in Terraform Cloud with dynamic AWS credentials; local: the workspace keeps state only and runs execute where cdktf is called."),
  terraformVersion: z
    .string()
    .regex(/^[0-9~>=<!., ]+$/, "expected a Terraform version or constraint such as 1.12.2 or ~> 1.12")
    .default("~> 1.12")
    .describe("Terraform version (or constraint) of the workspace's runs."),
  bootstrapRoleArn: formatted(formats.iamRoleArn)
    .optional()
    .describe("Role the tfc stack assumes in this environment's account to create the workspace's AWS role; default: the credentials it runs with."),
  vcsRepo: z
    .strictObject({
      identifier: z.string().regex(/^[^/\s]+\/\S+$/, "expected <VCS organization>/<repository>").describe("The repository whose pushes start runs."),
      branch: z.string().min(1).optional().describe("Branch the workspace runs from (the one the synthesized output is published to); default the repository's default branch."),
      oauthTokenId: z.string().regex(/^ot-\w+$/, "expected an OAuth token id ot-...").optional().describe("The organization's VCS connection."),
      githubAppInstallationId: z.string().regex(/^ghain-\w+$/, "expected a GitHub App installation id ghain-...").optional().describe("Or the Terraform Cloud GitHub App's installation."),
    })
    .superRefine((value, ctx) => {
      if ((value.oauthTokenId === undefined) === (value.githubAppInstallationId === undefined)) {
        ctx.addIssue({ code: "custom", path: ["oauthTokenId"], message: "set exactly one of oauthTokenId and githubAppInstallationId" });
      }
    })
    .optional()
    .describe("VCS-driven runs: the workspace runs when a push changes its stack's directory (docs/ci.md); without it, runs are started by the CLI or the pipeline."),
  teams: z
    .strictObject({
      plan: teamId.optional().describe("The team of TF_PLAN_TOKEN (pull-request plans): plan access where speculative plans are on, no access where they are off."),
      pipeline: teamId.optional().describe("The team of TF_APPLY_TOKEN (the pipeline's runs): plan access, which queues runs and confirms none."),
      approvers: teamId.optional().describe("The team whose members confirm runs: write access."),
    })
    .optional()
    .describe("Teams given access to the stack's workspace (tfe_team_access). Access they have from the organization or the project adds to it: give these teams none there."),
  runRolePolicyArns: uniqueList(formatted(formats.iamPolicyArn))
    .min(1)
    .optional()
    .describe("Managed policies of the AWS role the workspace's runs assume; default AdministratorAccess (the stacks create IAM roles, so a narrower set must still allow that)."),
});

/** The Terraform Cloud settings of an environment file without a terraformCloud block. */
export const TERRAFORM_CLOUD_DEFAULTS = terraformCloud.parse({});


const subscription = z.union([
  z.strictObject({ email: z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "expected an email address") }).describe("Email; the address must confirm the subscription."),
  z.strictObject({ https: formatted(formats.httpsUrl) }).describe("HTTPS endpoint (an incident tool's webhook); it must confirm the subscription."),
  z.strictObject({ topicArn: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, "expected an SNS topic ARN") }).describe("An existing topic: alarms notify it directly, besides the environment's topic."),
]);

const ratio = z.number().gt(0).lt(1);

const alarms = z
  .strictObject({
    enabled: z.boolean().default(true).describe("false opts the environment out of every alarm, the topic and the dashboard; then reason is required."),
    reason: z.string().min(10).optional().describe("Why the environment has no alarms (with enabled: false)."),
    subscriptions: z.array(subscription).default([]).describe("Who hears the environment's alarms: email, https or an existing topic ARN."),
    apis: z
      .strictObject({
        serverErrorRate: ratio.default(0.05).describe("5XX share of requests (5XXError Average) per stage; AWS recommends 0.05."),
        clientErrorRate: ratio.default(0.05).describe("4XX share of requests (4XXError Average) per stage; AWS recommends 0.05."),
        latencyP99Ms: positiveInteger.default(2500).describe("p99 Latency per stage, in ms."),
        integrationLatencyP99Ms: positiveInteger.default(2000).describe("p99 IntegrationLatency per stage, in ms."),
        throttledRequests: positiveInteger.default(10).describe("429 answers per 5 minutes per stage (from the access log)."),
        websocketConnectErrors: positiveInteger.default(10).describe("Refused WebSocket $connect attempts per 5 minutes (from the access log)."),
      })
      .default({ serverErrorRate: 0.05, clientErrorRate: 0.05, latencyP99Ms: 2500, integrationLatencyP99Ms: 2000, throttledRequests: 10, websocketConnectErrors: 10 }),
    functions: z
      .strictObject({
        errors: positiveInteger.default(1).describe("Invocation errors per 5 minutes per function."),
        throttles: positiveInteger.default(1).describe("Throttled invocations per 5 minutes per function."),
        durationPercentOfTimeout: z.number().int().min(1).max(100).default(80).describe("p99 Duration, as a percentage of the function's timeout."),
      })
      .default({ errors: 1, throttles: 1, durationPercentOfTimeout: 80 }),
    queues: z
      .strictObject({ oldestMessageAgeSeconds: positiveInteger.default(300).describe("ApproximateAgeOfOldestMessage of the queue; every dead letter alarms.") })
      .default({ oldestMessageAgeSeconds: 300 }),
    streams: z
      .strictObject({
        iteratorAgeMs: positiveInteger.default(60000).describe("GetRecords.IteratorAgeMilliseconds of the stream: how far its readers are behind."),
        writeThrottles: positiveInteger.default(1).describe("WriteProvisionedThroughputExceeded per 5 minutes."),
      })
      .default({ iteratorAgeMs: 60000, writeThrottles: 1 }),
    tables: z
      .strictObject({
        throttles: positiveInteger.default(1).describe("Read and write throttle events per 5 minutes."),
        systemErrors: positiveInteger.default(1).describe("DynamoDB system errors (5XX) per 5 minutes."),
      })
      .default({ throttles: 1, systemErrors: 1 }),
    certificateDaysToExpiry: positiveInteger.max(365).default(45).describe("Alarm when an imported certificate expires in fewer days (ACM DaysToExpiry)."),
  })
  .superRefine((value, ctx) => {
    if (!value.enabled && value.reason === undefined) ctx.addIssue({ code: "custom", path: ["reason"], message: "is required with enabled: false: say why this environment has no alarms" });
    if (value.enabled && value.reason !== undefined) ctx.addIssue({ code: "custom", path: ["reason"], message: "is only for enabled: false; remove it" });
  });

export type AlarmsConfig = z.output<typeof alarms>;

const tracing = z.strictObject({
  restStages: z.boolean().default(true).describe("X-Ray tracing of the REST stages (HTTP and WebSocket APIs have none)."),
  functions: z.boolean().default(true).describe("X-Ray active tracing of the functions."),
});

const s3Backend = z.strictObject({
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "expected an S3 bucket name"),
  region: region.optional().describe("Region of the state bucket; default the environment's region."),
  keyPrefix: z.string().default("apigw/").describe("State key is <keyPrefix><stack>.tfstate."),
  kmsKeyId: formatted(formats.kmsKeyArn).optional().describe("KMS key that encrypts the state objects (API key values are in the state); default the bucket's encryption."),
});

const tags = z.record(
  z.string().min(1).max(128).regex(/^(?!aws:)/, "tag keys must not start with aws:"),
  z.string().max(256),
);

export const EnvironmentSchema = z
  .strictObject({
    region: region.describe("Region of every regional resource of the environment."),
    accountId: formatted(formats.accountId)
      .optional()
      .describe("When set, the AWS provider refuses to run against any other account."),
    manageApiGatewayAccount: z
      .boolean()
      .default(true)
      .describe("Create the region's API Gateway CloudWatch role setting; false where the account already manages it."),
    apiGatewayCloudWatchRoleName: formatted(formats.iamRoleName)
      .optional()
      .describe("With manageApiGatewayAccount: false, the role the account's API Gateway setting points at; plans fail while it is missing."),
    tags: tags.default({}).describe("Tags on every resource, next to environment, project and managed-by."),
    network,
    privateApi,
    publicApi: publicApi.default({ endpointType: "EDGE", apiKeyNames: ["default"], authorizers: {}, routeAuthorizers: {}, stageVariables: {} }),
    httpApi: httpApi.default({ routeScopes: {} }),
    websocketApi: websocketApi.optional(),
    jwt,
    throttling,
    quota: quota.describe("Requests per API key and period in the public REST API's usage plan. Required: a key without a quota can spend the stage's whole volume (APIGW-USAGE-PLAN-LIMITS)."),
    logging,
    alarms: alarms.default(() => alarms.parse({})).describe("CloudWatch alarms by default, an SNS topic and a dashboard per environment (README, Operating it)."),
    tracing: tracing.default({ restStages: true, functions: true }),
    reservedConcurrency: z
      .record(z.string().regex(/^[a-z0-9-]+$/, "expected a function name such as object-reader, or default"), positiveInteger)
      .optional()
      .describe("Concurrent executions reserved for (and capping) each function, by name; `default` for the functions not named. Lambda keeps 100 of the account's concurrency unreserved."),
    terraformCloud: terraformCloud.optional(),
    s3Backend: s3Backend.optional(),
    requireEncryptedState: z
      .boolean()
      .default(false)
      .describe("Refuse a local state file: the state must be in S3 with kmsKeyId, or in Terraform Cloud (it holds API key values in plain text)."),
    providerVersion: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, "expected an exact AWS provider version such as 6.25.0")
      .default(BINDINGS_PROVIDER_VERSION)
      .describe("The AWS provider release the stacks are applied with (the bindings' 6.25.0 by default); settings a newer release adds are refused below it and written raw above it."),
    tls: z
      .strictObject({
        minimumVersion: z
          .enum(["1.2", "1.3"])
          .default("1.2")
          .describe("The lowest TLS version a custom domain of the environment may accept: 1.2 (the default; every domain policy the platform offers meets it) or 1.3 (enhanced TLS 1.3 policies only; AWS provider 6.28 and later)."),
      })
      .default({ minimumVersion: "1.2" })
      .describe("What the environment requires of its custom domains' TLS; APIGW-DOMAIN-TLS-MINIMUM checks the synthesized domains against it."),
    dns: dns.default({}),
    customDomains: customDomains.default({}),
    integrations: integrations.default({}),
  })
  .superRefine((value, ctx) => {
    const zones = { publicApi: "publicZone", httpApi: "publicZone", privateApi: "privateZone", websocketApi: "publicZone" } as const;
    for (const [api, zoneKey] of Object.entries(zones) as [keyof typeof zones, (typeof zones)[keyof typeof zones]][]) {
      const domain = value.customDomains[api];
      const zone = value.dns[zoneKey];
      if (!domain) continue;
      if (!zone) {
        ctx.addIssue({ code: "custom", path: ["customDomains", api], message: `needs dns.${zoneKey}, the hosted zone its records go in` });
      } else if (!formats.isUnderZone(domain.domainName.replace(/^\*\./, ""), zone.name)) {
        ctx.addIssue({ code: "custom", path: ["customDomains", api, "domainName"], message: `must be under dns.${zoneKey}.name (${zone.name})` });
      }
      const certificateName = domain.certificateArn === undefined ? formats.certificateDomainName(domain.domainName) : undefined;
      if (certificateName) ctx.addIssue({ code: "custom", path: ["customDomains", api, "domainName"], message: `expected ${certificateName}` });
    }
    checkDomainFeatures(value, ctx);
    checkPublicApiTls(value, ctx);
    const privateDomain = value.customDomains.privateApi;
    if (privateDomain) {
      const { validationZone, certificateArn, domainName } = privateDomain;
      const path = ["customDomains", "privateApi", "validationZone"];
      if (!validationZone && !certificateArn) {
        ctx.addIssue({ code: "custom", path, message: "is required unless certificateArn is set: ACM validates the certificate over public DNS, so its validation record needs a public zone (dns.privateZone is not resolvable from the internet)" });
      } else if (validationZone && certificateArn) {
        ctx.addIssue({ code: "custom", path, message: "not used together with certificateArn (that certificate is already issued): remove one of them" });
      } else if (validationZone && validationZone.id === value.dns.privateZone?.id) {
        ctx.addIssue({ code: "custom", path: [...path, "id"], message: "is dns.privateZone; the validation record must go in a public zone" });
      } else if (validationZone && !formats.isUnderZone(domainName, validationZone.name)) {
        ctx.addIssue({ code: "custom", path: [...path, "name"], message: `must be ${domainName} or a parent of it, or its validation record would not be under the zone` });
      }
    }
    if (value.customDomains.privateApi && "existingVpcEndpointId" in value.network) {
      ctx.addIssue({ code: "custom", path: ["customDomains", "privateApi"], message: "needs the endpoint this stack creates (network.vpcId, subnetIds, allowedCidrs): its alias points at the endpoint's DNS name" });
    }
    if (value.customDomains.websocketApi && !value.websocketApi?.enabled) {
      ctx.addIssue({ code: "custom", path: ["customDomains", "websocketApi"], message: "needs websocketApi (enabled), the API it serves" });
    }
    if (value.httpApi.disableExecuteApiEndpoint && !value.customDomains.httpApi) {
      ctx.addIssue({ code: "custom", path: ["httpApi", "disableExecuteApiEndpoint"], message: "is true without customDomains.httpApi, which would leave the HTTP API unreachable" });
    }
    if (value.publicApi.disableExecuteApiEndpoint && !value.customDomains.publicApi) {
      ctx.addIssue({ code: "custom", path: ["publicApi", "disableExecuteApiEndpoint"], message: "is true without customDomains.publicApi, which would leave the public API unreachable" });
    }
    if (value.manageApiGatewayAccount && value.apiGatewayCloudWatchRoleName !== undefined) {
      ctx.addIssue({ code: "custom", path: ["apiGatewayCloudWatchRoleName"], message: "is only for manageApiGatewayAccount: false; the account stack names its role apigw-cloudwatch-logs-<region>" });
    }
    if (!value.manageApiGatewayAccount && value.apiGatewayCloudWatchRoleName === undefined) {
      ctx.addIssue({ code: "custom", path: ["apiGatewayCloudWatchRoleName"], message: "is required with manageApiGatewayAccount: false: the name of the role the account's API Gateway setting points at (aws apigateway get-account --query cloudwatchRoleArn), which plans check for" });
    }
    const keyRegion = value.logging.kmsKeyArn?.split(":")[3];
    if (keyRegion !== undefined && keyRegion !== value.region) {
      ctx.addIssue({ code: "custom", path: ["logging", "kmsKeyArn"], message: `is in ${keyRegion}; CloudWatch Logs and Lambda use keys of their own region only (${value.region})` });
    }
    const perKey = value.publicApi.usagePlanThrottling;
    if (perKey && (perKey.rateLimit >= value.throttling.rateLimit || perKey.burstLimit >= value.throttling.burstLimit)) {
      ctx.addIssue({
        code: "custom",
        path: ["publicApi", "usagePlanThrottling"],
        message: `is ${perKey.rateLimit}/s, burst ${perKey.burstLimit}: each key's limits must be below the stage's throttling (${value.throttling.rateLimit}/s, burst ${value.throttling.burstLimit}), or one key can take the whole stage`,
      });
    }
    const bootstrapRoleArn = value.terraformCloud?.bootstrapRoleArn;
    if (bootstrapRoleArn && value.accountId && formats.accountOfArn(bootstrapRoleArn) !== value.accountId) {
      ctx.addIssue({ code: "custom", path: ["terraformCloud", "bootstrapRoleArn"], message: `must be a role of account ${value.accountId} (accountId), where the workspace's role is created` });
    }
    // A canary serves the stage's own deployment, so only an override of a variable the stage has
    // (and integrations read) makes its requests different; any other runs what the stage runs.
    for (const [api, stageVariables] of [["publicApi", value.publicApi.stageVariables], ["privateApi", {}]] as const) {
      for (const name of Object.keys(value[api].canary?.stageVariableOverrides ?? {})) {
        if (!(name in stageVariables)) {
          const known = Object.keys(stageVariables);
          ctx.addIssue({ code: "custom", path: [api, "canary", "stageVariableOverrides", name], message: `overrides a variable the stage does not have (${known.length ? `it has ${known.join(", ")}` : "it has none"}), so the canary would run what the stage runs` });
        }
      }
    }
    const legacyHost = value.publicApi.stageVariables.legacyHost;
    if (value.integrations.legacy && legacyHost === undefined) {
      ctx.addIssue({ code: "custom", path: ["publicApi", "stageVariables", "legacyHost"], message: "needed for integrations.legacy: the legacy backend's host name, as on its certificate" });
    } else if (value.integrations.legacy && formats.domainName(legacyHost as string)) {
      ctx.addIssue({ code: "custom", path: ["publicApi", "stageVariables", "legacyHost"], message: `expected ${formats.domainName("")}: the legacy backend's URL and certificate name` });
    }
    if (value.terraformCloud && value.s3Backend) {
      ctx.addIssue({ code: "custom", path: ["s3Backend"], message: "choose one backend: terraformCloud or s3Backend" });
    }
  });

type DomainSettings = z.output<typeof customDomain>;

/** What AWS and the pinned provider refuse of mTLS, dualstack and TLS policies, per domain. */
function checkDomainFeatures(
  value: { providerVersion: string; tls: { minimumVersion: string }; publicApi: { endpointType: string }; customDomains: Partial<Record<"publicApi" | "httpApi" | "privateApi" | "websocketApi", DomainSettings>> },
  ctx: z.RefinementCtx,
): void {
  for (const [api, domain] of Object.entries(value.customDomains)) {
    if (!domain) continue;
    const path = ["customDomains", api];
    const enhanced = domain.securityPolicy !== undefined && domain.securityPolicy !== "TLS_1_2";
    for (const [key, feature] of [
      ["securityPolicy", enhanced ? PROVIDER_FEATURES.enhancedTlsPolicy : undefined],
      ["endpointAccessMode", domain.endpointAccessMode ? PROVIDER_FEATURES.endpointAccessMode : undefined],
      ["routingMode", domain.routingMode ? PROVIDER_FEATURES.routingRules : undefined],
      ["routingRules", domain.routingRules ? PROVIDER_FEATURES.routingRules : undefined],
    ] as const) {
      if (feature && !providerAtLeast(value.providerVersion, feature.version)) {
        ctx.addIssue({ code: "custom", path: [...path, key], message: `needs AWS provider ${feature.version} or newer, which adds ${feature.what}; providerVersion is ${value.providerVersion}` });
      }
    }
    const accepted = formats.minimumTlsVersionOf(domain.securityPolicy ?? "TLS_1_2");
    if (Number(accepted) < Number(value.tls.minimumVersion)) {
      const fix = api === "httpApi" || api === "websocketApi" ? "API Gateway v2 domains take TLS_1_2 only" : "choose a policy such as SecurityPolicy_TLS13_1_3_2025_09 (regional) or SecurityPolicy_TLS13_2025_EDGE (edge)";
      ctx.addIssue({ code: "custom", path: [...path, "securityPolicy"], message: `accepts TLS ${accepted}, below tls.minimumVersion ${value.tls.minimumVersion}: ${fix}` });
    }
    const endpointType = api === "publicApi" ? value.publicApi.endpointType : api === "privateApi" ? "PRIVATE" : "REGIONAL";
    if (domain.securityPolicy && !formats.tlsPolicyFitsEndpoint(domain.securityPolicy, endpointType)) {
      ctx.addIssue({ code: "custom", path: [...path, "securityPolicy"], message: `is for ${domain.securityPolicy.endsWith("_EDGE") ? "EDGE" : "REGIONAL and PRIVATE"} endpoints, and this domain is ${endpointType}: *_EDGE policies are for EDGE endpoints only, the others for REGIONAL and PRIVATE ones` });
    }
    if (domain.endpointAccessMode && !enhanced) {
      ctx.addIssue({ code: "custom", path: [...path, "endpointAccessMode"], message: "applies to domains with an enhanced securityPolicy (SecurityPolicy_*) only" });
    } else if (enhanced && !domain.endpointAccessMode && api === "publicApi") {
      ctx.addIssue({ code: "custom", path: [...path, "endpointAccessMode"], message: `is required with the enhanced securityPolicy ${domain.securityPolicy}: STRICT (recommended) or BASIC` });
    }
    if (enhanced && (api === "httpApi" || api === "websocketApi")) {
      ctx.addIssue({ code: "custom", path: [...path, "securityPolicy"], message: `is ${domain.securityPolicy}; API Gateway maps no ${api === "httpApi" ? "HTTP" : "WebSocket"} API to a domain with an enhanced security policy: use TLS_1_2` });
    }
    if (domain.mutualTls) {
      const refusal =
        api === "publicApi" && value.publicApi.endpointType === "EDGE"
          ? "is set on an EDGE domain (publicApi.endpointType); API Gateway offers mutual TLS on REGIONAL domains only"
          : api === "privateApi"
            ? "is set on the private domain; API Gateway offers mutual TLS on public REGIONAL domains only"
            : api === "websocketApi"
              ? "is set on the WebSocket domain; API Gateway offers mutual TLS for REST and HTTP APIs only"
              : enhanced
                ? `is set together with the enhanced securityPolicy ${domain.securityPolicy}, which API Gateway refuses with mutual TLS: use TLS_1_2`
                : undefined;
      if (refusal) ctx.addIssue({ code: "custom", path: [...path, "mutualTls"], message: refusal });
    }
    if (domain.versions) checkVersions(api, domain.basePath, domain.versions, ctx);
    checkRouting(api, domain, value.publicApi.endpointType, ctx);
    if (domain.ipAddressType && api === "privateApi") {
      ctx.addIssue({ code: "custom", path: [...path, "ipAddressType"], message: "is not set on the private domain, which answers through the execute-api VPC endpoint" });
    }
  }
}

export type EnvironmentConfig = z.output<typeof EnvironmentSchema>;
export type EnvironmentFile = z.input<typeof EnvironmentSchema>;

/** The public REST API's own TLS policy: gated, paired with an access mode, fitting its endpoint, on an endpoint that is on. */
function checkPublicApiTls(
  value: { providerVersion: string; publicApi: { endpointType: string; securityPolicy?: string; endpointAccessMode?: string; disableExecuteApiEndpoint?: boolean }; customDomains: { publicApi?: unknown } },
  ctx: z.RefinementCtx,
): void {
  const { securityPolicy, endpointAccessMode, endpointType } = value.publicApi;
  const feature = PROVIDER_FEATURES.restApiTls;
  for (const [key, set] of [["securityPolicy", securityPolicy], ["endpointAccessMode", endpointAccessMode]] as const) {
    if (set !== undefined && !providerAtLeast(value.providerVersion, feature.version)) {
      ctx.addIssue({ code: "custom", path: ["publicApi", key], message: `needs AWS provider ${feature.version} or newer, which adds ${feature.what}; providerVersion is ${value.providerVersion}` });
    }
  }
  const enhanced = securityPolicy !== undefined && securityPolicy !== "TLS_1_2";
  if (endpointAccessMode && !enhanced) ctx.addIssue({ code: "custom", path: ["publicApi", "endpointAccessMode"], message: "applies with an enhanced publicApi.securityPolicy (SecurityPolicy_*) only" });
  if (enhanced && !endpointAccessMode) ctx.addIssue({ code: "custom", path: ["publicApi", "endpointAccessMode"], message: `is required with the enhanced securityPolicy ${securityPolicy}: STRICT (recommended) or BASIC` });
  if (securityPolicy && !formats.tlsPolicyFitsEndpoint(securityPolicy, endpointType)) {
    ctx.addIssue({ code: "custom", path: ["publicApi", "securityPolicy"], message: `is for ${securityPolicy.endsWith("_EDGE") ? "EDGE" : "REGIONAL"} endpoints, and the API is ${endpointType}: *_EDGE policies are for EDGE endpoints only, the others for REGIONAL ones` });
  }
  const endpointOff = value.publicApi.disableExecuteApiEndpoint ?? value.customDomains.publicApi !== undefined;
  if (securityPolicy && endpointOff) {
    ctx.addIssue({ code: "custom", path: ["publicApi", "securityPolicy"], message: "is set while the default endpoint is off (publicApi.disableExecuteApiEndpoint, the default with customDomains.publicApi): set customDomains.publicApi.securityPolicy, which applies there" });
  }
}

/**
 * Routing rules are for public REST API domains that are REGIONAL (AWS: "Routing rules to connect API
 * stages to a custom domain name for REST APIs"; not private domains, terraform-provider-aws#46919),
 * and only take effect in a routing mode that reads them.
 */
function checkRouting(api: string, domain: DomainSettings, endpointType: string, ctx: z.RefinementCtx): void {
  const path = ["customDomains", api];
  const rules = Object.entries(domain.routingRules ?? {});
  const setting = domain.routingRules ? "routingRules" : domain.routingMode ? "routingMode" : undefined;
  if (!setting) return;
  if (api !== "publicApi") {
    const why = api === "privateApi" ? "the provider has no routing rules for private domains (terraform-provider-aws#46919)" : "routing rules route to REST APIs only";
    ctx.addIssue({ code: "custom", path: [...path, setting], message: `is set on customDomains.${api}; ${why}: use customDomains.publicApi` });
    return;
  }
  if (endpointType !== "REGIONAL") {
    ctx.addIssue({ code: "custom", path: [...path, setting], message: `is set while publicApi.endpointType is ${endpointType}; API Gateway offers routing rules on REGIONAL domains only` });
  }
  const mode = domain.routingMode ?? "BASE_PATH_MAPPING_ONLY";
  if (rules.length > 0 && mode === "BASE_PATH_MAPPING_ONLY") {
    ctx.addIssue({ code: "custom", path: [...path, "routingMode"], message: "is BASE_PATH_MAPPING_ONLY (the default), which ignores routingRules: set ROUTING_RULE_THEN_BASE_PATH_MAPPING or ROUTING_RULE_ONLY" });
  }
  if (rules.length === 0 && mode !== "BASE_PATH_MAPPING_ONLY") {
    ctx.addIssue({ code: "custom", path: [...path, "routingRules"], message: `is empty while routingMode is ${mode}: add a rule, or leave routingMode out` });
  }
  if (mode === "ROUTING_RULE_ONLY" && domain.versions) {
    ctx.addIssue({ code: "custom", path: [...path, "versions"], message: "are base path mappings, which routingMode ROUTING_RULE_ONLY never reads: route versions with rules, or use ROUTING_RULE_THEN_BASE_PATH_MAPPING" });
  }
  const priorities = new Map<number, string>();
  for (const [name, rule] of rules) {
    const other = priorities.get(rule.priority);
    if (other) ctx.addIssue({ code: "custom", path: [...path, "routingRules", name, "priority"], message: `is ${rule.priority}, as is rule ${other}'s; priorities are unique on a domain` });
    priorities.set(rule.priority, name);
    if (rule.stripBasePath && !rule.basePaths) {
      ctx.addIssue({ code: "custom", path: [...path, "routingRules", name, "stripBasePath"], message: "is true on a rule without basePaths: there is no matched base path to strip" });
    }
  }
}

/** Versions are base paths of the public REST API; the current one (basePath) is listed and supported. */
function checkVersions(api: string, basePath: string | undefined, versions: readonly { basePath: string; deprecated: boolean }[], ctx: z.RefinementCtx): void {
  const path = ["customDomains", api];
  if (api !== "publicApi") {
    ctx.addIssue({ code: "custom", path: [...path, "versions"], message: "is set on a domain other than customDomains.publicApi; versions are base paths of the public REST API" });
    return;
  }
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (seen.has(v.basePath)) ctx.addIssue({ code: "custom", path: [...path, "versions", i, "basePath"], message: "is listed twice; each version is one base path" });
    seen.add(v.basePath);
  });
  const current = versions.find((v) => v.basePath === basePath);
  if (!current) {
    ctx.addIssue({ code: "custom", path: [...path, "basePath"], message: `${basePath === undefined ? "the root " : ""}is none of the versions (${[...seen].join(", ")}); with versions, basePath names the current one` });
  } else if (current.deprecated) {
    ctx.addIssue({ code: "custom", path: [...path, "basePath"], message: "is a deprecated version; point basePath at a supported version before deprecating it" });
  }
}
