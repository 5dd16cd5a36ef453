/**
 * Every API Gateway check of checkov and Trivy, for docs/rules.md: each is either claimed by a
 * rule's `equivalents` (the map is built from them) or given a reason here why no rule is needed.
 */
export interface ScannerCheck {
  readonly scanner: "checkov" | "trivy";
  readonly id: string;
  readonly title: string;
  /** Why no rule corresponds; only for checks no rule claims. */
  readonly noRuleBecause?: string;
}

const CACHING_IS_A_CHOICE =
  "caching is a performance choice, not a control: a cache on authenticated or per-user responses serves one caller's data to another unless every identity source is a cache key. The platform caches the routes an environment names (cache.enabled, cache.keys) and checks what matters when a route is cached: APIGW-STAGE-CACHE-ENCRYPTED, APIGW-STAGE-CACHE-KEYS, APIGW-CACHE-INVALIDATION-AUTH.";

export const SCANNER_CHECKS: readonly ScannerCheck[] = [
  { scanner: "checkov", id: "CKV_AWS_59", title: "No open access to back-end resources through the API (method authorization)" },
  { scanner: "checkov", id: "CKV_AWS_73", title: "API Gateway has X-Ray tracing enabled" },
  { scanner: "checkov", id: "CKV_AWS_76", title: "API Gateway has access logging enabled" },
  { scanner: "checkov", id: "CKV_AWS_95", title: "API Gateway V2 stage has access logging enabled" },
  { scanner: "checkov", id: "CKV_AWS_120", title: "API Gateway caching is enabled (stage cache cluster)", noRuleBecause: CACHING_IS_A_CHOICE },
  { scanner: "checkov", id: "CKV_AWS_206", title: "API Gateway domain uses a modern security policy (TLS 1.2)" },
  { scanner: "checkov", id: "CKV_AWS_217", title: "Create before destroy for API deployments" },
  { scanner: "checkov", id: "CKV_AWS_225", title: "API Gateway method setting caching is enabled", noRuleBecause: CACHING_IS_A_CHOICE },
  {
    scanner: "checkov",
    id: "CKV_AWS_237",
    title: "Create before destroy for aws_api_gateway_rest_api",
    noRuleBecause:
      "create_before_destroy on the API avoids no outage: a replacement REST API has a new id and a new execute-api hostname whatever the order, so clients of its default endpoint break either way (custom domains follow through their base path mappings, which are recreated). The resource whose replacement order matters is the deployment a stage points at, which APIGW-DEPLOYMENT-CBD checks (checkov CKV_AWS_217).",
  },
  { scanner: "checkov", id: "CKV_AWS_308", title: "API Gateway method setting caching is encrypted" },
  { scanner: "checkov", id: "CKV_AWS_309", title: "API Gateway V2 routes specify an authorization type" },
  { scanner: "checkov", id: "CKV2_AWS_4", title: "API Gateway stage has a logging level defined" },
  { scanner: "checkov", id: "CKV2_AWS_29", title: "Public API Gateway is protected by WAF" },
  { scanner: "checkov", id: "CKV2_AWS_51", title: "API Gateway endpoints use client certificate authentication" },
  { scanner: "checkov", id: "CKV2_AWS_53", title: "API Gateway request is validated" },
  { scanner: "checkov", id: "CKV2_AWS_70", title: "API Gateway method has authorization or an API key, or a resource policy that restricts it" },
  { scanner: "checkov", id: "CKV2_AWS_77", title: "The WAFv2 web ACL of an API Gateway REST API has the managed rule group for Log4j" },
  { scanner: "trivy", id: "AVD-AWS-0001", title: "API Gateway stages have access logging" },
  { scanner: "trivy", id: "AVD-AWS-0002", title: "API Gateway cache is encrypted" },
  { scanner: "trivy", id: "AVD-AWS-0003", title: "API Gateway stages have X-Ray tracing" },
  { scanner: "trivy", id: "AVD-AWS-0004", title: "No public access to API Gateway methods" },
  { scanner: "trivy", id: "AVD-AWS-0005", title: "API Gateway domains use TLS 1.2" },
  { scanner: "trivy", id: "AVD-AWS-0190", title: "API Gateway response caching is enabled", noRuleBecause: CACHING_IS_A_CHOICE },
];
