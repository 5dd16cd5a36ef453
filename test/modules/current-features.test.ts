import { Construct } from "constructs";
import { ApiCustomDomain, ApiCustomDomainProps } from "../../modules/api-custom-domain";
import { HttpApi } from "../../modules/http-api";
import { RestApi, RestApiProps, RestIntegration, streamingInvokeUri } from "../../modules/rest-api";
import { TruststoreBucket } from "../../modules/truststore-bucket";
import { nameOf, resourcesOf, synthConstruct, testStack } from "../fixtures/environment";
import { PUBLIC_ZONE } from "../fixtures/domains";
import { fixtureFunction } from "../fixtures/lambda";

const fn = fixtureFunction("handler");
const STAGE = { stageName: "dev", logRetentionDays: 7, throttling: { rateLimit: 1, burstLimit: 1 } };
const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

const restProps = (props: Partial<RestApiProps> = {}): RestApiProps => ({
  name: "public",
  endpointType: "REGIONAL",
  routes: [{ path: "/hello", method: "GET", integration: RestIntegration.lambda(fn), apiKeyRequired: true }],
  stage: STAGE,
  ...props,
});

function only(synthesized: Record<string, any>, type: string): Record<string, any> {
  return resourcesOf(synthesized, type)[nameOf(synthesized, type)];
}

const documentOf = (synthesized: Record<string, any>) => JSON.parse(only(synthesized, "aws_api_gateway_rest_api_put").body);

function domain(scope: Construct, kind: "rest" | "http", props: Partial<ApiCustomDomainProps> = {}): ApiCustomDomain {
  const api =
    kind === "rest"
      ? new RestApi(scope, "api", restProps())
      : new HttpApi(scope, "api", { name: "http", authorizer: { issuer: "https://issuer.example.com", audiences: ["a"] }, routes: [{ method: "GET", path: "/orders", function: fn }], logRetentionDays: 7, throttling: { rateLimit: 1, burstLimit: 1 } });
  return new ApiCustomDomain(scope, "domain", { domainName: "api.dev.example.com", endpointType: "REGIONAL", hostedZone: PUBLIC_ZONE, region: "eu-west-1", mappings: [{ api }], ...props });
}

describe("ApiCustomDomain", () => {
  test.each([["rest" as const], ["http" as const]])("a dualstack %s domain gets A and AAAA aliases to one target", (kind) => {
    const synthesized = synthConstruct((scope) => domain(scope, kind, { ipAddressType: "dualstack" }));
    const records = Object.values(resourcesOf(synthesized, "aws_route53_record")).filter((r: any) => r.alias);
    expect(records.map((r: any) => r.type).sort()).toEqual(["A", "AAAA"]);
    expect(new Set(records.map((r: any) => r.alias.name)).size).toBe(1);
  });

  test("an IPv4 domain never gets an AAAA alias", () => {
    const synthesized = synthConstruct((scope) => domain(scope, "rest"));
    expect(Object.values(resourcesOf(synthesized, "aws_route53_record")).map((r: any) => r.type)).not.toContain("AAAA");
  });

  test.each([["rest" as const, "aws_api_gateway_domain_name"], ["http" as const, "aws_apigatewayv2_domain_name"]])("a %s domain pins the truststore's object version", (kind, type) => {
    const synthesized = synthConstruct((scope) => {
      const truststore = new TruststoreBucket(scope, "truststores", { bucketPrefix: "apigw-dev-truststores-" }).add("partners", "partners.pem", PEM);
      domain(scope, kind, { mutualTls: truststore });
    });
    const object = nameOf(synthesized, "aws_s3_object");
    expect(only(synthesized, type).mutual_tls_authentication).toEqual({
      truststore_uri: expect.stringMatching(/^s3:\/\/\$\{aws_s3_bucket\.\S+\.bucket\}\/partners\.pem$/),
      truststore_version: `\${aws_s3_object.${object}.version_id}`,
    });
  });

  test("an enhanced policy and its access mode are written raw, for providers that know them", () => {
    const synthesized = synthConstruct((scope) => domain(scope, "rest", { enhancedSecurity: { securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09", endpointAccessMode: "STRICT" } }));
    expect(only(synthesized, "aws_api_gateway_domain_name")).toMatchObject({ security_policy: "SecurityPolicy_TLS13_1_3_2025_09", endpoint_access_mode: "STRICT" });
  });

  test.each<[string, "rest" | "http", Partial<ApiCustomDomainProps>, RegExp]>([
    ["mTLS on an EDGE domain", "rest", { endpointType: "EDGE", mutualTls: { truststoreUri: "s3://b/k", truststoreVersion: "v" } }, /mutualTls is set on an EDGE domain/],
    ["mTLS with an enhanced policy", "rest", { mutualTls: { truststoreUri: "s3://b/k", truststoreVersion: "v" }, enhancedSecurity: { securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09", endpointAccessMode: "STRICT" } }, /enhancedSecurity is set together with mutualTls/],
    ["an enhanced policy on an HTTP API domain", "http", { enhancedSecurity: { securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09", endpointAccessMode: "STRICT" } }, /enhancedSecurity is set on an HTTP or WebSocket API's domain/],
  ])("fails if %s", (_, kind, props, message) => {
    expect(() => domain(testStack(), kind, props)).toThrow(message);
  });
});

describe("TruststoreBucket", () => {
  test("versioned, encrypted and private; the object waits for versioning", () => {
    const synthesized = synthConstruct((scope) => new TruststoreBucket(scope, "truststores", { bucketPrefix: "apigw-dev-truststores-" }).add("partners", "partners.pem", PEM));
    expect(only(synthesized, "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    expect(only(synthesized, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
    expect(only(synthesized, "aws_s3_bucket_public_access_block")).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(only(synthesized, "aws_s3_object").depends_on).toEqual([`aws_s3_bucket_versioning.${nameOf(synthesized, "aws_s3_bucket_versioning")}`]);
  });

  test("replaced bundles expire after a year", () => {
    const synthesized = synthConstruct((scope) => new TruststoreBucket(scope, "truststores", { bucketPrefix: "apigw-dev-truststores-" }).add("partners", "partners.pem", PEM));
    expect(only(synthesized, "aws_s3_bucket_lifecycle_configuration").rule).toEqual([
      { id: "expire-replaced-truststores", status: "Enabled", filter: [{}], noncurrent_version_expiration: [{ noncurrent_days: 365 }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] },
    ]);
  });

  test("fails if the bundle holds no certificate", () => {
    expect(() => new TruststoreBucket(testStack(), "t", { bucketPrefix: "apigw-dev-truststores-" }).add("partners", "partners.pem", "not pem")).toThrow(/holds no PEM certificate/);
  });
});

describe("RestApi streaming and compression", () => {
  test("the streaming URI is the one AWS documents for InvokeWithResponseStream", () => {
    expect(streamingInvokeUri("arn:aws:lambda:us-west-1:111122223333:function:my-function-name", { partition: "aws", region: "us-west-1" })).toBe(
      "arn:aws:apigateway:us-west-1:lambda:path/2021-11-15/functions/arn:aws:lambda:us-west-1:111122223333:function:my-function-name/response-streaming-invocations",
    );
  });

  test("a streaming route streams through the 2021-11-15 path with its timeout and no cache", () => {
    const synthesized = synthConstruct((scope) => new RestApi(scope, "api", restProps({ routes: [{ path: "/stream", method: "GET", integration: RestIntegration.lambda(fn), apiKeyRequired: true, streaming: { timeoutMillis: 900_000 } }], stage: { ...STAGE, cacheClusterSize: "0.5" } })));
    const integration = documentOf(synthesized).paths["/stream"].get["x-amazon-apigateway-integration"];
    expect(integration).toEqual({
      type: "aws_proxy",
      httpMethod: "POST",
      uri: expect.stringMatching(/^arn:\$\{data\.aws_partition\.\S+\.partition\}:apigateway:\$\{data\.aws_region\.\S+\.id\}:lambda:path\/2021-11-15\/functions\/\S+\/response-streaming-invocations$/),
      passthroughBehavior: "when_no_match",
      responseTransferMode: "STREAM",
      timeoutInMillis: 900000,
    });
    expect(Object.keys(resourcesOf(synthesized, "aws_api_gateway_method_settings"))).toHaveLength(1);
  });

  test("buffered routes keep the 2015-03-31 invoke ARN", () => {
    const integration = documentOf(synthConstruct((scope) => new RestApi(scope, "api", restProps()))).paths["/hello"].get["x-amazon-apigateway-integration"];
    expect(integration.uri).toBe(fn.invokeArn);
    expect(integration).not.toHaveProperty("responseTransferMode");
  });

  test("compression is in the definition and in the client document", () => {
    let api: RestApi | undefined;
    const synthesized = synthConstruct((scope) => (api = new RestApi(scope, "api", restProps({ minimumCompressionSize: 1024, ipAddressType: "dualstack" }))));
    expect(documentOf(synthesized)["x-amazon-apigateway-minimum-compression-size"]).toBe(1024);
    expect(api!.clientDocument([])["x-response-compression"]).toEqual({ encodings: ["gzip", "deflate"], minimumSizeBytes: 1024 });
    expect(only(synthesized, "aws_api_gateway_rest_api").endpoint_configuration).toEqual({ types: ["REGIONAL"], ip_address_type: "dualstack" });
  });

  test.each<[string, Partial<RestApiProps>, RegExp]>([
    ["a streamed route is cached", { routes: [{ path: "/s", method: "GET", integration: RestIntegration.lambda(fn), cache: { enabled: true }, streaming: { timeoutMillis: 1000 } }] }, /streams its answer and is cached/],
    ["a streaming timeout is over 15 minutes", { routes: [{ path: "/s", method: "GET", integration: RestIntegration.lambda(fn), streaming: { timeoutMillis: 900_001 } }] }, /streams with timeoutMillis 900001; expected 50 to 900000/],
    ["a mock integration streams", { routes: [{ path: "/s", method: "GET", integration: RestIntegration.mock(), streaming: { timeoutMillis: 1000 } }] }, /streams its answer through a mock integration/],
    ["the compression size is negative", { minimumCompressionSize: -1 }, /minimumCompressionSize is -1/],
  ])("fails if %s", (_, props, message) => {
    expect(() => new RestApi(testStack(), "api", restProps(props))).toThrow(message);
  });
});

describe("RestApi canary", () => {
  const logGroups = (synthesized: Record<string, any>) => Object.values<any>(resourcesOf(synthesized, "aws_cloudwatch_log_group")).map((g) => g.name);

  test("runs the stage's own deployment with the overrides, logging to the canary's group", () => {
    const synthesized = synthConstruct((scope) => new RestApi(scope, "api", restProps({ stage: { ...STAGE, canary: { percent: 10, stageVariableOverrides: { legacyHost: "next.example.com" } } } })));
    const stage = only(synthesized, "aws_api_gateway_stage");
    expect(stage.canary_settings).toEqual({ deployment_id: stage.deployment_id, percent_traffic: 10, use_stage_cache: false, stage_variable_overrides: { legacyHost: "next.example.com" } });
    expect(logGroups(synthesized)).toContain(`API-Gateway-Execution-Logs_\${aws_api_gateway_rest_api.${nameOf(synthesized, "aws_api_gateway_rest_api")}.id}/dev/Canary`);
  });

  // Kept when a canary goes (skip_destroy), the group must exist before one comes, or a canary
  // added again would find its name taken.
  test("a stage without a canary has the canary's log group already", () => {
    const synthesized = synthConstruct((scope) => new RestApi(scope, "api", restProps()));
    expect(only(synthesized, "aws_api_gateway_stage").canary_settings).toBeUndefined();
    expect(logGroups(synthesized).filter((name) => name.endsWith("/dev/Canary"))).toHaveLength(1);
  });
});
