import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError } from "../../config/errors";
import { loadEnvironments, parseEnvironment } from "../../config/loader";
import { BASE_ENVIRONMENT, environmentYaml } from "../fixtures/environment";

function problemsOf(text: string): string[] {
  const result = parseEnvironment(text);
  if (!("problems" in result)) throw new Error("expected the file to be refused");
  return result.problems;
}

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-config-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function loadError(dir: string): ConfigError {
  try {
    loadEnvironments(dir);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const network = BASE_ENVIRONMENT.network as Record<string, unknown>;

describe("parseEnvironment", () => {
  test("default", () => {
    const result = parseEnvironment(environmentYaml());
    expect(result).toEqual({
      config: expect.objectContaining({
        region: "eu-west-1",
        manageApiGatewayAccount: true,
        tags: {},
        logging: { retentionDays: 30, executionLogLevel: "INFO", applicationLogLevel: "INFO", systemLogLevel: "INFO" },
        tracing: { restStages: true, functions: true },
        alarms: expect.objectContaining({ enabled: true, subscriptions: [], apis: expect.objectContaining({ serverErrorRate: 0.05 }) }),
      }),
    });
  });

  test("accepts an existing endpoint instead of the network to create one", () => {
    const result = parseEnvironment(environmentYaml({ network: { existingVpcEndpointId: "vpce-0123456789abcdef0" } }));
    expect(result).toEqual({ config: expect.objectContaining({ network: { existingVpcEndpointId: "vpce-0123456789abcdef0" } }) });
  });

  // Each bad input names the key path, shows what was received and says what is allowed.
  test.each<[string, Record<string, unknown>, RegExp]>([
    ["a CIDR prefix over 32", { network: { ...network, allowedCidrs: ["10.0.0.0/33"] } }, /^network\.allowedCidrs\[0\]: got "10\.0\.0\.0\/33"; expected an IPv4 CIDR block/],
    ["a CIDR with host bits", { network: { ...network, allowedCidrs: ["10.0.0.1/16"] } }, /network\.allowedCidrs\[0\]: .*did you mean 10\.0\.0\.0\/16\?/],
    ["a CIDR covering half the internet", { network: { ...network, allowedCidrs: ["0.0.0.0/1"] } }, /network\.allowedCidrs\[0\]: got "0\.0\.0\.0\/1"; the endpoint must not be reachable from the whole internet/],
    ["a CIDR open to the world", { network: { ...network, allowedCidrs: ["0.0.0.0/0"] } }, /network\.allowedCidrs\[0\]: got "0\.0\.0\.0\/0"; the endpoint must not be reachable from the whole internet/],
    ["a region that does not exist", { region: "eu-west-9" }, /^region: got "eu-west-9"; expected an AWS region/],
    ["a malformed VPC id", { network: { ...network, vpcId: "vpc-xyz" } }, /^network\.vpcId: got "vpc-xyz"; expected a VPC id/],
    ["a malformed subnet id", { network: { ...network, subnetIds: ["subnet-1"] } }, /^network\.subnetIds\[0\]: got "subnet-1"; expected a subnet id/],
    ["a subnet listed twice", { network: { ...network, subnetIds: ["subnet-0123456789abcdef1", "subnet-0123456789abcdef1"] } }, /^network\.subnetIds\[1\]: got "subnet-0123456789abcdef1"; "subnet-0123456789abcdef1" is listed twice/],
    ["no subnets", { network: { ...network, subnetIds: [] } }, /^network\.subnetIds: got \[\]; Too small/],
    ["an existing endpoint together with a VPC", { network: { ...network, existingVpcEndpointId: "vpce-0123456789abcdef0" } }, /^network\.vpcId: got "vpc-0123456789abcdef0"; not used together with existingVpcEndpointId/],
    ["neither an endpoint nor a VPC", { network: {} }, /^network\.vpcId: missing; required to create the execute-api VPC endpoint/],
    ["a malformed account id", { accountId: "1234" }, /^accountId: got "1234"; expected a 12-digit AWS account id/],
    ["an account id as a number", { accountId: 111111111111 }, /^accountId: got 111111111111; Invalid input: expected string, received number/],
    ["an http:// JWT issuer", { jwt: { issuer: "http://issuer.example.com", audiences: ["a"] } }, /^jwt\.issuer: got "http:\/\/issuer\.example\.com"; expected an https:\/\/ URL/],
    ["no JWT audience", { jwt: { issuer: "https://issuer.example.com", audiences: [] } }, /^jwt\.audiences: got \[\]; Too small/],
    ["a negative rate", { throttling: { rateLimit: -5, burstLimit: 10 } }, /^throttling\.rateLimit: got -5; Too small: expected number to be >0/],
    ["a non-numeric burst", { throttling: { rateLimit: 5, burstLimit: "ten" } }, /^throttling\.burstLimit: got "ten"; Invalid input: expected number, received string/],
    ["a burst below the rate", { throttling: { rateLimit: 100, burstLimit: 10 } }, /^throttling\.burstLimit: got 10; must be at least rateLimit \(100\)/],
    ["a fractional burst", { throttling: { rateLimit: 1, burstLimit: 2.5 } }, /^throttling\.burstLimit: got 2\.5; Invalid input: expected int, received number/],
    ["a retention CloudWatch refuses", { logging: { retentionDays: 10 } }, /^logging\.retentionDays: got 10; expected one of the retention periods CloudWatch Logs accepts: 1, 3, 5/],
    ["no quota", { quota: undefined }, /^quota: missing/],
    ["a quota of 0", { quota: { limit: 0, period: "DAY" } }, /^quota\.limit: got 0;/],
    ["an unknown quota period", { quota: { limit: 10, period: "YEAR" } }, /^quota\.period: got "YEAR"; Invalid option: expected one of "DAY"\|"WEEK"\|"MONTH"/],
    ["a misspelt top-level key", { regoin: "eu-west-1" }, /^regoin: unknown key; did you mean "region"\? allowed here: region, accountId/],
    ["a misspelt nested key", { network: { ...network, subnetId: [] } }, /^network\.subnetId: unknown key; did you mean "subnetIds"\? allowed here: vpcId, subnetIds, allowedCidrs, existingVpcEndpointId, allowedApiAccountIds, allowedApiOrganizationIds$/],
    ["an unknown key with no near match", { logging: { retentionDays: 30, colour: "blue" } }, /^logging\.colour: unknown key; allowed here: retentionDays, executionLogLevel, applicationLogLevel, systemLogLevel, kmsKeyArn$/],
    ["two backends", { terraformCloud: { organization: "acme" }, s3Backend: { bucket: "acme-state" } }, /^s3Backend: got \{"bucket":"acme-state"\}; choose one backend/],
    ["an object reader without a bucket", { privateApi: { objectReader: {} } }, /^privateApi\.objectReader\.bucketName: missing; required to create the object reader \(or set existingFunctionArn\)/],
    ["an existing reader together with a bucket", { privateApi: { objectReader: { bucketName: "files-bucket", existingFunctionArn: "arn:aws:lambda:eu-west-1:111111111111:function:reader" } } }, /^privateApi\.objectReader\.bucketName: got "files-bucket"; not used together with existingFunctionArn/],
    ["a malformed function ARN", { privateApi: { objectReader: { existingFunctionArn: "arn:aws:lambda:eu-west-1:111111111111:reader" } } }, /^privateApi\.objectReader\.existingFunctionArn: got .*; expected a Lambda function ARN/],
    ["a malformed KMS key", { privateApi: { objectReader: { bucketName: "files-bucket", kmsKeyArn: "alias/files" } } }, /^privateApi\.objectReader\.kmsKeyArn: got "alias\/files"; expected a KMS key ARN/],
    ["a key prefix without a trailing slash", { privateApi: { objectReader: { bucketName: "files-bucket", keyPrefix: "served" } } }, /^privateApi\.objectReader\.keyPrefix: got "served"; expected a key prefix such as served\//],
    ["an existing reader together with a key prefix", { privateApi: { objectReader: { existingFunctionArn: "arn:aws:lambda:eu-west-1:111111111111:function:reader", keyPrefix: "served/" } } }, /^privateApi\.objectReader\.keyPrefix: got "served\/"; not used together with existingFunctionArn/],
    ["a log key in another region", { logging: { retentionDays: 30, kmsKeyArn: "arn:aws:kms:us-east-1:111111111111:key/5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d" } }, /^logging\.kmsKeyArn: got ".*"; is in us-east-1; CloudWatch Logs and Lambda use keys of their own region only \(eu-west-1\)/],
    ["a key's throttling at the stage's", { publicApi: { usagePlanThrottling: { rateLimit: 100, burstLimit: 150 } } }, /^publicApi\.usagePlanThrottling: .*each key's limits must be below the stage's throttling \(100\/s, burst 200\)/],
    ["a bucket name with capitals", { privateApi: { objectReader: { bucketName: "Files" } } }, /^privateApi\.objectReader\.bucketName: got "Files"; expected an S3 bucket name/],
    ["an unknown cache size", { privateApi: { cacheClusterSize: "2", objectReader: { bucketName: "files-bucket" } } }, /^privateApi\.cacheClusterSize: got "2"; Invalid option: expected one of .*"0\.5"/],
    ["a custom domain without its zone", { customDomains: { publicApi: { domainName: "api.dev.example.com" } } }, /^customDomains\.publicApi: got \{"domainName":"api\.dev\.example\.com"\}; needs dns\.publicZone, the hosted zone its records go in/],
    ["a custom domain outside its zone", { dns: { publicZone: { id: "Z0TESTZONE0000000001", name: "dev.example.com" } }, customDomains: { httpApi: { domainName: "app.example.org" } } }, /^customDomains\.httpApi\.domainName: got "app\.example\.org"; must be under dns\.publicZone\.name \(dev\.example\.com\)/],
    ["a private domain with neither a validation zone nor a certificate", { dns: { privateZone: { id: "Z0TESTZONE0000000002", name: "prod.internal.example.com" } }, customDomains: { privateApi: { domainName: "files.prod.internal.example.com" } } }, /^customDomains\.privateApi\.validationZone: .*is required unless certificateArn is set: ACM validates the certificate over public DNS/],
    ["a private domain validated in the private zone", { dns: { privateZone: { id: "Z0TESTZONE0000000002", name: "prod.internal.example.com" } }, customDomains: { privateApi: { domainName: "files.prod.internal.example.com", validationZone: { id: "Z0TESTZONE0000000002", name: "prod.internal.example.com" } } } }, /^customDomains\.privateApi\.validationZone\.id: got "Z0TESTZONE0000000002"; is dns\.privateZone/],
    ["a validation zone that is not a parent of the domain", { dns: { privateZone: { id: "Z0TESTZONE0000000002", name: "prod.internal.example.com" } }, customDomains: { privateApi: { domainName: "files.prod.internal.example.com", validationZone: { id: "Z0TESTZONE0000000003", name: "example.org" } } } }, /^customDomains\.privateApi\.validationZone\.name: got "example\.org"; must be files\.prod\.internal\.example\.com or a parent of it/],
    ["a validation zone with an issued certificate", { dns: { privateZone: { id: "Z0TESTZONE0000000002", name: "prod.internal.example.com" } }, customDomains: { privateApi: { domainName: "files.prod.internal.example.com", certificateArn: "arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", validationZone: { id: "Z0TESTZONE0000000003", name: "internal.example.com" } } } }, /^customDomains\.privateApi\.validationZone: .*not used together with certificateArn/],
    ["a validation zone on a public domain", { dns: { publicZone: { id: "Z0TESTZONE0000000001", name: "dev.example.com" } }, customDomains: { httpApi: { domainName: "app.dev.example.com", validationZone: { id: "Z0TESTZONE0000000003", name: "example.com" } } } }, /^customDomains\.httpApi\.validationZone: unknown key; allowed here: domainName, basePath, certificateArn/],
    ["a private domain on an existing endpoint", { network: { existingVpcEndpointId: "vpce-0123456789abcdef0" }, dns: { privateZone: { id: "Z0TESTZONE0000000002", name: "internal.example.com" } }, customDomains: { privateApi: { domainName: "files.internal.example.com" } } }, /^customDomains\.privateApi: .*needs the endpoint this stack creates/],
    ["an execute-api endpoint switched off without a domain", { httpApi: { disableExecuteApiEndpoint: true } }, /^httpApi\.disableExecuteApiEndpoint: got true; is true without customDomains\.httpApi/],
    ["a malformed hosted zone id", { dns: { publicZone: { id: "zone-1", name: "dev.example.com" } } }, /^dns\.publicZone\.id: got "zone-1"; expected a Route 53 hosted zone id/],
    ["a base path with a slash in front", { dns: { publicZone: { id: "Z0TESTZONE0000000001", name: "dev.example.com" } }, customDomains: { publicApi: { domainName: "api.dev.example.com", basePath: "/v1" } } }, /^customDomains\.publicApi\.basePath: got "\/v1"; expected a base path/],
    ["an unmanaged account setting without its role", { manageApiGatewayAccount: false }, /^apiGatewayCloudWatchRoleName: missing; is required with manageApiGatewayAccount: false/],
    ["a role name for a setting the platform manages", { apiGatewayCloudWatchRoleName: "shared-apigw-logs" }, /^apiGatewayCloudWatchRoleName: got "shared-apigw-logs"; is only for manageApiGatewayAccount: false/],
    ["a malformed role name", { manageApiGatewayAccount: false, apiGatewayCloudWatchRoleName: "has spaces" }, /^apiGatewayCloudWatchRoleName: got "has spaces"; expected an IAM role name/],
    ["a bootstrap role of another account", { terraformCloud: { bootstrapRoleArn: "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole" } }, /^terraformCloud\.bootstrapRoleArn: got "arn:aws:iam::222222222222:role\/OrganizationAccountAccessRole"; must be a role of account 111111111111 \(accountId\)/],
    ["a run role policy that is not an ARN", { terraformCloud: { runRolePolicyArns: ["PowerUserAccess"] } }, /^terraformCloud\.runRolePolicyArns\[0\]: got "PowerUserAccess"; expected an IAM policy ARN/],
    ["a Terraform version that is not one", { terraformCloud: { terraformVersion: "latest" } }, /^terraformCloud\.terraformVersion: got "latest"; expected a Terraform version or constraint/],
    ["an execution mode Terraform Cloud runs elsewhere", { terraformCloud: { executionMode: "agent" } }, /^terraformCloud\.executionMode: got "agent"; Invalid option: expected one of "remote"\|"local"/],
    ["a VCS repository with no connection", { terraformCloud: { vcsRepo: { identifier: "acme/apigw-platform" } } }, /^terraformCloud\.vcsRepo\.oauthTokenId: .*set exactly one of oauthTokenId and githubAppInstallationId/],
    ["a team named rather than given by id", { terraformCloud: { teams: { plan: "pull-request-plans" } } }, /^terraformCloud\.teams\.plan: got "pull-request-plans"; expected a Terraform Cloud team id team-\.\.\./],
    ["an unknown team role", { terraformCloud: { teams: { admins: "team-abc" } } }, /^terraformCloud\.teams\.admins: unknown key/],
    ["a missing section", { logging: undefined }, /^logging: missing; Invalid input: expected object, received undefined/],
    ["a WebSocket authorizer type that does not exist", { websocketApi: { authorizer: { type: "jwt" } } }, /^websocketApi\.authorizer\.type: got "jwt"; Invalid option: expected one of "lambda"\|"iam"/],
    ["a WebSocket IAM authorizer with a function", { websocketApi: { authorizer: { type: "iam", functionArn: "arn:aws:lambda:eu-west-1:111111111111:function:auth" } } }, /^websocketApi\.authorizer\.functionArn: got .*; is only for type: lambda/],
    ["WebSocket signer rooms on a Lambda authorizer", { websocketApi: { authorizer: { rooms: { "arn:aws:iam::111111111111:role/notifier": ["general"] } } } }, /^websocketApi\.authorizer\.rooms: got .*; is only for type: iam/],
    ["WebSocket signer rooms keyed by something else than an IAM ARN", { websocketApi: { authorizer: { type: "iam", rooms: { notifier: ["general"] } } } }, /^websocketApi\.authorizer\.rooms\.notifier: .*the key is not an IAM role or user ARN/],
    ["a WebSocket signer room that is not a room name", { websocketApi: { authorizer: { type: "iam", rooms: { "arn:aws:iam::111111111111:role/notifier": ["a b"] } } } }, /^websocketApi\.authorizer\.rooms\.arn:aws:iam::111111111111:role\/notifier\[0\]: got "a b"; expected a room name/],
    ["a WebSocket signer with no rooms", { websocketApi: { authorizer: { type: "iam", rooms: { "arn:aws:iam::111111111111:role/notifier": [] } } } }, /^websocketApi\.authorizer\.rooms\.arn:aws:iam::111111111111:role\/notifier: /],
    ["a malformed WebSocket authorizer function", { websocketApi: { authorizer: { functionArn: "auth" } } }, /^websocketApi\.authorizer\.functionArn: got "auth"; expected a Lambda function ARN/],
    ["a WebSocket stage named $default", { websocketApi: { stageName: "$default" } }, /^websocketApi\.stageName: got "\$default"; expected a stage name/],
    ["WebSocket throttling with a burst below the rate", { websocketApi: { throttling: { rateLimit: 10, burstLimit: 5 } } }, /^websocketApi\.throttling\.burstLimit: got 5; must be at least rateLimit \(10\)/],
    ["a misspelt WebSocket key", { websocketApi: { authoriser: { type: "iam" } } }, /^websocketApi\.authoriser: unknown key; did you mean "authorizer"\? allowed here: enabled, stageName, authorizer, throttling, streaming$/],
    ["a WebSocket domain without the API", { dns: { publicZone: { id: "Z0TESTZONE0000000001", name: "dev.example.com" } }, customDomains: { websocketApi: { domainName: "ws.dev.example.com" } } }, /^customDomains\.websocketApi: got .*; needs websocketApi \(enabled\), the API it serves/],
    ["a WebSocket domain of a disabled API", { websocketApi: { enabled: false }, dns: { publicZone: { id: "Z0TESTZONE0000000001", name: "dev.example.com" } }, customDomains: { websocketApi: { domainName: "ws.dev.example.com" } } }, /^customDomains\.websocketApi: got .*; needs websocketApi \(enabled\)/],
    ["a WebSocket domain outside the public zone", { websocketApi: {}, dns: { publicZone: { id: "Z0TESTZONE0000000001", name: "dev.example.com" } }, customDomains: { websocketApi: { domainName: "ws.example.org" } } }, /^customDomains\.websocketApi\.domainName: got "ws\.example\.org"; must be under dns\.publicZone\.name/],
    ["an existing stream with creation options", { integrations: { events: { existingStreamArn: "arn:aws:kinesis:eu-west-1:111111111111:stream/e", retentionHours: 48 } } }, /^integrations\.events\.retentionHours: .*not used together with existingStreamArn/],
    ["a queue ARN for the stream", { integrations: { events: { existingStreamArn: "arn:aws:sqs:eu-west-1:111111111111:e" } } }, /^integrations\.events\.existingStreamArn: got "arn:aws:sqs:eu-west-1:111111111111:e"; expected a Kinesis stream ARN/],
    ["an ALB for the legacy VPC link", { integrations: { legacy: { nlbArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/x/50dc6c495c0c9188" } }, publicApi: { stageVariables: { legacyHost: "legacy.example.com" } } }, /^integrations\.legacy\.nlbArn: .*expected a Network Load Balancer ARN/],
    ["the legacy backend without its host", { integrations: { legacy: { nlbArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/x/50dc6c495c0c9188" } } }, /^publicApi\.stageVariables\.legacyHost: missing; needed for integrations\.legacy/],
    ["a stage variable value with a space", { publicApi: { stageVariables: { legacyHost: "a b" } } }, /^publicApi\.stageVariables\.legacyHost: got "a b"; expected a stage variable value/],
    ["a stage variable name with a dash", { publicApi: { stageVariables: { "legacy-host": "x" } } }, /^publicApi\.stageVariables\.legacy-host: .*is a name API Gateway refuses; expected a stage variable name/],
  ])("fails if the file has %s", (_name, overrides, expected) => {
    expect(problemsOf(environmentYaml(overrides))).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  test("fails if the file is empty", () => {
    expect(problemsOf("# nothing yet\n")).toEqual([expect.stringMatching(/^the file is empty/)]);
  });

  test("fails if the YAML is malformed, with its position", () => {
    expect(problemsOf("region: eu-west-1\nnetwork: [unclosed\n")).toEqual([expect.stringMatching(/^line \d+, column \d+: malformed YAML: /)]);
  });

  test("fails if a key is given twice", () => {
    expect(problemsOf("region: eu-west-1\nregion: us-east-1\n")).toEqual([expect.stringMatching(/malformed YAML: Map keys must be unique/)]);
  });
});

describe("loadEnvironments", () => {
  test("default", () => {
    const dir = tempDir({ "qa.yaml": environmentYaml(), "dev.yml": environmentYaml(), "notes.txt": "ignored" });
    expect(loadEnvironments(dir).map((e) => [e.name, path.basename(e.file)])).toEqual([
      ["dev", "dev.yml"],
      ["qa", "qa.yaml"],
    ]);
  });

  test("fails if the directory does not exist, naming it", () => {
    expect(loadError("/nonexistent/environments").message).toBe(
      "/nonexistent/environments: no such directory of environment files (set APIGW_CONFIG_DIR to another one)",
    );
  });

  test("fails if the directory holds no environment file", () => {
    expect(loadError(tempDir({ "README.md": "" })).message).toMatch(/no environment files \(<name>\.yaml\) found$/);
  });

  test("fails with every problem of every file at once, each under its file name", () => {
    const dir = tempDir({ "a.yaml": environmentYaml({ region: "nowhere-1" }), "b.yaml": "", "c.yaml": environmentYaml() });
    expect(loadError(dir).lines).toEqual([
      `${path.join(dir, "a.yaml")}:`,
      expect.stringMatching(/^  region: got "nowhere-1"/),
      `${path.join(dir, "b.yaml")}:`,
      expect.stringMatching(/^  the file is empty/),
    ]);
  });

  test.each([
    ["Prod.yaml", /the file name "Prod" is not a valid environment name/],
    ["my_env.yaml", /the file name "my_env" is not a valid environment name/],
  ])("fails if the file name %s cannot be a stack name", (file, expected) => {
    expect(loadError(tempDir({ [file]: environmentYaml() })).message).toMatch(expected);
  });

  test("fails if an environment is defined by both .yaml and .yml", () => {
    const dir = tempDir({ "dev.yaml": environmentYaml(), "dev.yml": environmentYaml() });
    expect(loadError(dir).message).toBe(`${path.join(dir, "dev.yml")}: environment "dev" is already defined by ${path.join(dir, "dev.yaml")}`);
  });

  test("fails if environments of one account and region disagree on the CloudWatch role setting", () => {
    const dir = tempDir({ "dev.yaml": environmentYaml(), "qa.yaml": environmentYaml({ manageApiGatewayAccount: false, apiGatewayCloudWatchRoleName: "shared-apigw-logs" }) });
    expect(loadError(dir).message).toMatch(/qa\.yaml: manageApiGatewayAccount is false but .*dev\.yaml sets it to true for the same account and region \(111111111111-eu-west-1\)/);
  });

  test("loads the shipped environments", () => {
    expect(loadEnvironments(path.join("config", "environments")).map((e) => e.name)).toEqual(["dev", "prod", "staging"]);
  });
});
