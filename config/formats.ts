/**
 * Value formats shared by the config schema, the modules' constructor checks and the
 * policy rules, so a value the loader accepts is never refused later by a module, and a
 * value a module builds is never rejected by a rule.
 * Each check returns undefined when the value is fine, or what is allowed.
 */

export type FormatCheck = (value: string) => string | undefined;

function pattern(re: RegExp, allowed: string): FormatCheck {
  return (value) => (re.test(value) ? undefined : allowed);
}

export const vpcId = pattern(/^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, "a VPC id: vpc- and 8 or 17 hex digits");
export const subnetId = pattern(/^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, "a subnet id: subnet- and 8 or 17 hex digits");
export const vpcEndpointId = pattern(/^vpce-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, "a VPC endpoint id: vpce- and 8 or 17 hex digits");
export const accountId = pattern(/^\d{12}$/, "a 12-digit AWS account id");
export const organizationId = pattern(/^o-[a-z0-9]{10,32}$/, "an AWS Organizations id: o- and 10-32 lower-case letters or digits");
export const iamRoleName = pattern(/^[\w+=,.@-]{1,64}$/, "an IAM role name: 1-64 letters, digits or +=,.@_-");
export const iamRoleArn = pattern(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/, "an IAM role ARN: arn:aws:iam::<account>:role/<name>");
export const iamPolicyArn = pattern(/^arn:aws[a-z-]*:iam::(?:aws|\d{12}):policy\/[\w+=,.@\/-]{1,512}$/, "an IAM policy ARN: arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<name>");
/** The account of an ARN that has one (fifth field). */
export function accountOfArn(arn: string): string {
  return arn.split(":")[4] ?? "";
}
export const hostedZoneId = pattern(/^Z[0-9A-Z]{1,31}$/, "a Route 53 hosted zone id: Z followed by up to 31 upper-case letters or digits");

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A fully-qualified lower-case DNS name of at least two labels, without the trailing dot. */
export const domainName: FormatCheck = (value) => {
  const allowed = "a lower-case DNS name such as api.example.com (labels of 1-63 letters, digits or inner hyphens, 253 characters at most)";
  if (value.length > 253) return allowed;
  const labels = value.split(".");
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1])) return allowed;
  return undefined;
};

export const ipv4Cidr: FormatCheck = (value) => {
  const allowed = "an IPv4 CIDR block a.b.c.d/n (each octet 0-255, n 0-32, no host bits set)";
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!m) return allowed;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return allowed;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 2 ** (32 - bits);
  if (address % hostBits !== 0) return `${allowed}; did you mean ${networkOf(address, hostBits)}/${bits}?`;
  return undefined;
};

function networkOf(address: number, hostBits: number): string {
  const net = address - (address % hostBits);
  return [24, 16, 8, 0].map((shift) => Math.floor(net / 2 ** shift) % 256).join(".");
}

/**
 * How much of the address space a CIDR block covers: `open` for a sizeable part of the internet
 * (IPv4 shorter than /8, such as 0.0.0.0/0 or 0.0.0.0/1; IPv6 shorter than /16), `broad` for a
 * whole private range or more (IPv4 /8 to /15, such as 10.0.0.0/8; IPv6 /16 to /31).
 */
export function cidrBreadth(cidr: string): "open" | "broad" | "narrow" {
  const match = /\/(\d{1,3})$/.exec(cidr);
  if (!match) return "narrow";
  const bits = Number(match[1]);
  const [open, broad] = cidr.includes(":") ? [16, 32] : [8, 16];
  return bits < open ? "open" : bits < broad ? "broad" : "narrow";
}

export const httpsUrl: FormatCheck = (value) => {
  const allowed = "an https:// URL with a host, without query or fragment";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return allowed;
  }
  if (url.protocol !== "https:" || !url.hostname || url.search || url.hash) return allowed;
  return undefined;
};

export const s3BucketName = pattern(/^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name: 3-63 lower-case letters, digits, dots or hyphens");
/** A key prefix the object reader is confined to: ends with / so that `files/` never also admits `files-private/`. */
export const s3KeyPrefix = pattern(/^(?!\/)[A-Za-z0-9!_.*'()\/-]{1,512}\/$/, "a key prefix such as served/ (letters, digits, !_.*'()-/, not starting with /, ending with /)");
export const kmsKeyArn = pattern(
  /^arn:aws[a-z-]*:kms:[a-z]{2}(?:-gov)?-[a-z]+-\d:\d{12}:key\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/,
  "a KMS key ARN: arn:aws:kms:<region>:<account>:key/<key id>",
);
export const LAMBDA_FUNCTION_ARN = /^arn:(aws[a-z-]*):lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):function:([A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9$_-]+)?$/;
export const lambdaFunctionArn = pattern(LAMBDA_FUNCTION_ARN, "a Lambda function ARN: arn:aws:lambda:<region>:<account>:function:<name>");
/** The WebSocket handlers' room names (functions/websocket). */
export const websocketRoom = pattern(/^[A-Za-z0-9_-]{1,64}$/, "a room name: 1-64 letters, digits, - or _");
export const stageName = pattern(/^[A-Za-z0-9_-]{1,128}$/, "a stage name: 1-128 letters, digits, hyphens or underscores");

/** Sizes (GB) of a REST API stage cache cluster. */
export const CACHE_CLUSTER_SIZES = ["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"] as const;
export const regionalWebAclArn = pattern(
  /^arn:aws[a-z-]*:wafv2:[a-z]{2}(?:-gov)?-[a-z]+-\d:\d{12}:regional\/webacl\/[A-Za-z0-9_-]{1,128}\/[0-9a-f-]{36}$/,
  "a regional WAFv2 web ACL ARN: arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id> (API Gateway stages take REGIONAL web ACLs, also for edge-optimized APIs)",
);
/** An OAuth 2.0 scope token (RFC 6749 section 3.3). */
export const oauthScope = pattern(/^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/, "an OAuth scope: printable ASCII without spaces, quotes or backslashes");
/** A CORS origin: scheme, host and optional port, nothing else. */
export const corsOrigin = pattern(/^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?$/, "an origin such as https://app.example.com (scheme, host and optional port; no path)");

/** Whether `name` is `zone` or a name under it. */
export function isUnderZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/**
 * The domain name of a certificate ACM issues: ACM puts it in the Common Name, which RFC 5280
 * caps at 64 characters, and refuses a longer one when the certificate is requested.
 */
export const certificateDomainName: FormatCheck = (value) =>
  value.length > 64
    ? `a name of 64 characters at most for ACM to issue a certificate for (it puts the name in the certificate's Common Name, capped at 64 by RFC 5280); this one has ${value.length}: use a shorter name, or certificateArn with a certificate that covers it`
    : undefined;

/** A domain name that may start with a `*.` wildcard label. */
export const customDomainName: FormatCheck = (value) => domainName(value.startsWith("*.") ? value.slice(2) : value);

/** An API mapping's base path: one or more segments of letters, digits and . _ -. */
export const basePath = pattern(/^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/, "a base path such as v1 or orders/v2, without leading or trailing /");
export const acmCertificateArn = pattern(/^arn:aws[a-z-]*:acm:[a-z]{2}(?:-gov)?-[a-z]+-\d:\d{12}:certificate\/[0-9a-f-]{36}$/, "an ACM certificate ARN: arn:aws:acm:<region>:<account>:certificate/<id>");

/**
 * Custom domain security policies that require TLS 1.2 or newer, by domain kind; the domain
 * module offers these and APIGW-DOMAIN-TLS accepts them. API Gateway v2 (HTTP API) domains
 * take TLS_1_2 only: AWS answers "TLS_1_0 is not supported for APIGatewayV2 domainName" and
 * the AWS provider validates against TLS_1_2 alone.
 */
export const DOMAIN_TLS_POLICIES = {
  rest: ["TLS_1_2", "SecurityPolicy_TLS13_1_3_2025_09", "SecurityPolicy_TLS13_1_2_2021_06", "SecurityPolicy_TLS13_2025_EDGE", "SecurityPolicy_TLS12_PFS_2025_EDGE"],
  http: ["TLS_1_2"],
} as const;
/**
 * Enhanced policies are per endpoint type: `*_EDGE` ones for edge-optimized endpoints (CloudFront),
 * the others for regional and private ones; TLS_1_2 fits both (AWS: "Security policies for REST APIs").
 */
export function tlsPolicyFitsEndpoint(policy: string, endpointType: string): boolean {
  return policy === "TLS_1_2" || policy.endsWith("_EDGE") === (endpointType === "EDGE");
}

/**
 * The lowest TLS version a domain security policy accepts, by AWS's naming: TLS_1_0 and
 * TLS_1_2 (legacy), SecurityPolicy_TLS13_1_3_* (1.3 only), SecurityPolicy_TLS13_1_2_* (1.2
 * and 1.3), SecurityPolicy_TLS13_<date>_EDGE (1.3), SecurityPolicy_TLS12_* (1.2).
 */
export function minimumTlsVersionOf(policy: unknown): string | undefined {
  if (typeof policy !== "string") return undefined;
  const legacy = /^TLS_1_(\d)$/.exec(policy);
  if (legacy) return `1.${legacy[1]}`;
  const enhanced = /^SecurityPolicy_TLS1(\d)(?:_1_(\d))?_/.exec(policy);
  return enhanced ? `1.${enhanced[2] ?? enhanced[1]}` : undefined;
}

/** A Cognito user pool ARN, as a COGNITO_USER_POOLS authorizer's providerARNs lists it. */
export const cognitoUserPoolArn = pattern(
  /^arn:aws[a-z-]*:cognito-idp:([a-z]{2}(?:-gov)?-[a-z]+-\d):\d{12}:userpool\/\1_[0-9A-Za-z]+$/,
  "a Cognito user pool ARN: arn:aws:cognito-idp:<region>:<account>:userpool/<region>_<id>",
);
/** An IAM role or user ARN, a principal a resource policy can name. */
export const iamPrincipalArn = pattern(/^arn:aws[a-z-]*:iam::\d{12}:(?:role|user)\/[\w+=,.@/-]{1,512}$/, "an IAM role or user ARN: arn:aws:iam::<account>:role/<name>");
/** Identity sources of REST Lambda authorizers: a TOKEN authorizer reads one header, a REQUEST authorizer any of these. */
export const restTokenIdentitySource = pattern(/^method\.request\.header\.[A-Za-z0-9._-]+$/, "method.request.header.<name>");
export const restRequestIdentitySource = pattern(
  /^(?:method\.request\.(?:header|querystring)\.[A-Za-z0-9._-]+|stageVariables\.[A-Za-z0-9_]+|context\.[A-Za-z0-9._]+)$/,
  "method.request.header.<name>, method.request.querystring.<name>, stageVariables.<name> or context.<name>",
);
/** Identity sources of HTTP API Lambda authorizers. */
export const httpIdentitySource = pattern(
  /^\$(?:request\.(?:header|querystring)\.[A-Za-z0-9._-]+|context\.[A-Za-z0-9._]+|stageVariables\.[A-Za-z0-9_]+)$/,
  "$request.header.<name>, $request.querystring.<name>, $context.<name> or $stageVariables.<name>",
);

const REGION_ACCOUNT = "[a-z]{2}(?:-gov)?-[a-z]+-\\d:\\d{12}";
export const KINESIS_STREAM_ARN = new RegExp(`^arn:aws[a-z-]*:kinesis:${REGION_ACCOUNT}:stream/([A-Za-z0-9_.-]{1,128})$`);
export const kinesisStreamArn = pattern(KINESIS_STREAM_ARN, "a Kinesis stream ARN: arn:aws:kinesis:<region>:<account>:stream/<name>");
export const SQS_QUEUE_ARN = new RegExp(`^arn:aws[a-z-]*:sqs:${REGION_ACCOUNT}:([A-Za-z0-9_-]{1,80}(?:\\.fifo)?)$`);
export const sqsQueueArn = pattern(SQS_QUEUE_ARN, "an SQS queue ARN: arn:aws:sqs:<region>:<account>:<name>");
export const DYNAMODB_TABLE_ARN = new RegExp(`^arn:aws[a-z-]*:dynamodb:${REGION_ACCOUNT}:table/([A-Za-z0-9_.-]{3,255})$`);
export const dynamodbTableArn = pattern(DYNAMODB_TABLE_ARN, "a DynamoDB table ARN: arn:aws:dynamodb:<region>:<account>:table/<name>");
export const STATE_MACHINE_ARN = new RegExp(`^arn:aws[a-z-]*:states:${REGION_ACCOUNT}:stateMachine:([A-Za-z0-9_-]{1,80})$`);
export const stateMachineArn = pattern(STATE_MACHINE_ARN, "a Step Functions state machine ARN: arn:aws:states:<region>:<account>:stateMachine:<name>");
export const networkLoadBalancerArn = pattern(
  new RegExp(`^arn:aws[a-z-]*:elasticloadbalancing:${REGION_ACCOUNT}:loadbalancer/net/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`),
  "a Network Load Balancer ARN: arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/net/<name>/<id> (REST API VPC links take NLBs only)",
);
/** What an HTTP API private integration sends to: a load balancer listener or a Cloud Map service. */
export const privateIntegrationTargetArn = pattern(
  new RegExp(`^arn:aws[a-z-]*:(?:elasticloadbalancing:${REGION_ACCOUNT}:listener/(?:app|net)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}|servicediscovery:${REGION_ACCOUNT}:service/srv-[0-9a-z]{16})$`),
  "an ALB or NLB listener ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/(app|net)/<name>/<lb id>/<listener id>) or a Cloud Map service ARN (arn:aws:servicediscovery:<region>:<account>:service/srv-<id>)",
);
/** Stage variable names and values as API Gateway accepts them. */
export const stageVariableName = pattern(/^[A-Za-z0-9_]{1,64}$/, "a stage variable name: letters, digits and _");
export const stageVariableValue = pattern(/^[A-Za-z0-9\-._~:/?#&=,]{1,2048}$/, "a stage variable value: 1-2048 letters, digits and - . _ ~ : / ? # & = ,");
