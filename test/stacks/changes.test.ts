/**
 * Ordinary changes, each synthesized before and after: what makes the second apply safe is a
 * Terraform-level property of the JSON (a stable address, a lifecycle setting, a removed or
 * moved block), or a refusal at load.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Testing } from "cdktf";
import { ConfigError } from "../../config/errors";
import { Environment, loadEnvironments, parseEnvironment } from "../../config/loader";
import { bundleFunction } from "../../functions/bundle";
import { ExecuteApiVpcEndpoint } from "../../modules/execute-api-vpc-endpoint";
import { HttpApi } from "../../modules/http-api";
import { LambdaFunction } from "../../modules/lambda-function";
import { RestApi, RestIntegration } from "../../modules/rest-api";
import { checkOrphanedState } from "../../stacks/orphaned-state";
import { buildPlatform } from "../../stacks/platform";
import { BASE_ENVIRONMENT, environmentConfig, environmentYaml, resourcesOf, synthConstruct } from "../fixtures/environment";
import { OUTPUT_LAYOUT } from "../fixtures/layout";
import { synthEnvironment } from "../fixtures/environment-stack";

/** The only resource of a type under a construct (by construct id prefix), with its address. */
function sole(synthesized: Record<string, any>, type: string, under: string): { address: string; name: string; body: Record<string, any> } {
  const entries = Object.entries(resourcesOf(synthesized, type, under));
  if (entries.length !== 1) throw new Error(`expected one ${type} under ${under}, found ${entries.length}`);
  const [name, body] = entries[0];
  return { address: `${type}.${name}`, name, body };
}

const PUBLIC_ZONE = { id: "Z0DEVPUBLICZONE00001", name: "dev.example.com" };
const WEB_ACL = "arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/apigw-dev/3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8";

function publicDomain(domain: Record<string, unknown> = {}, publicApi: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dns: { publicZone: PUBLIC_ZONE },
    customDomains: { publicApi: { domainName: "api.dev.example.com", ...domain } },
    publicApi: { webAclArn: WEB_ACL, ...publicApi },
  };
}

describe("EnvironmentStack", () => {
  test("a renamed stage is created before the old one goes, and mappings, usage plan and settings move to it", () => {
    const before = synthEnvironment(publicDomain({}, { stageName: "dev" }));
    const after = synthEnvironment(publicDomain({}, { stageName: "live" }));
    const stage = sole(after, "aws_api_gateway_stage", "public-api");
    expect(sole(before, "aws_api_gateway_stage", "public-api").address).toBe(stage.address);
    expect([sole(before, "aws_api_gateway_stage", "public-api").body.stage_name, stage.body.stage_name]).toEqual(["dev", "live"]);
    // Replaced stage: new one first, the old one after its dependents are updated (DeleteStage refuses while a mapping points at it).
    expect(stage.body.lifecycle).toEqual({ create_before_destroy: true });

    // The mapping and the usage plan keep their addresses and name the stage by reference: updated in place, between the two.
    const stageName = `\${${stage.address}.stage_name}`;
    for (const [type, under] of [["aws_api_gateway_base_path_mapping", "public-api-domain"], ["aws_api_gateway_usage_plan", "public-api-usage-plan"]]) {
      expect(sole(before, type, under).address).toBe(sole(after, type, under).address);
    }
    expect(sole(after, "aws_api_gateway_base_path_mapping", "public-api-domain").body.stage_name).toBe(stageName);
    expect(sole(after, "aws_api_gateway_usage_plan", "public-api-usage-plan").body.api_stages).toEqual([expect.objectContaining({ stage: stageName })]);

    // The new stage gets its settings before the old stage loses its own.
    const settings = sole(after, "aws_api_gateway_method_settings", "public-api");
    expect(settings.body).toMatchObject({ stage_name: stageName, lifecycle: { create_before_destroy: true } });
    // The web ACL follows the stage by ARN; deleting an association disassociates by stage ARN, so it is not create-before-destroy.
    expect(sole(after, "aws_wafv2_web_acl_association", "public-api").body).toMatchObject({ resource_arn: `\${${stage.address}.arn}`, web_acl_arn: WEB_ACL });
    expect(sole(after, "aws_wafv2_web_acl_association", "public-api").body).not.toHaveProperty("lifecycle");

    // Both log groups are named after the stage; the old ones are left with their history.
    const logGroups = (synthesized: Record<string, any>) => Object.values(resourcesOf(synthesized, "aws_cloudwatch_log_group", "public-api"));
    const names = (synthesized: Record<string, any>) => logGroups(synthesized).map((g) => g.name).sort();
    expect(names(before)).toEqual(["/aws/apigateway/apigw-dev-public/dev/access", expect.stringMatching(/^API-Gateway-Execution-Logs_.*\/dev$/), expect.stringMatching(/^API-Gateway-Execution-Logs_.*\/dev\/Canary$/)]);
    expect(names(after)).toEqual(["/aws/apigateway/apigw-dev-public/live/access", expect.stringMatching(/^API-Gateway-Execution-Logs_.*\/live$/), expect.stringMatching(/^API-Gateway-Execution-Logs_.*\/live\/Canary$/)]);
    expect(logGroups(after).every((g) => g.skip_destroy === true)).toBe(true);
  });

  test("switching the public domain between EDGE and REGIONAL replaces the domain and its mapping on purpose, and the aliases follow", () => {
    const before = synthEnvironment({ ...publicDomain({ basePath: "v1" }), publicApi: { endpointType: "EDGE" } });
    const after = synthEnvironment({ ...publicDomain({ basePath: "v1" }), publicApi: { endpointType: "REGIONAL" } });
    const trigger = sole(after, "terraform_data", "public-api-domain_endpoint-type");
    expect([sole(before, "terraform_data", "public-api-domain_endpoint-type").body.triggers_replace, trigger.body.triggers_replace]).toEqual([{ endpointType: "EDGE" }, { endpointType: "REGIONAL" }]);

    // A changed trigger replaces the domain (delete, then create: same name) and the mapping with it.
    const domain = sole(after, "aws_api_gateway_domain_name", "public-api-domain");
    const mapping = sole(after, "aws_api_gateway_base_path_mapping", "public-api-domain");
    expect(domain.body.lifecycle).toEqual({ replace_triggered_by: [trigger.address] });
    expect(mapping.body.lifecycle).toEqual({ replace_triggered_by: [trigger.address] });
    expect(mapping.body.domain_name).toBe(`\${${domain.address}.domain_name}`);

    // The alias records stay where they are and are updated to the new domain's target in the same apply.
    const aliases = (synthesized: Record<string, any>) =>
      Object.entries(resourcesOf(synthesized, "aws_route53_record", "public-api-domain"))
        .filter(([name]) => name.includes("_alias-"))
        .map(([name, r]) => [name, r.alias.name, r.alias.zone_id]);
    const [beforeAliases, afterAliases] = [aliases(before), aliases(after)];
    expect(afterAliases.map((a) => a[0])).toEqual(beforeAliases.map((a) => a[0]));
    expect(afterAliases).toHaveLength(1);
    expect(beforeAliases[0].slice(1)).toEqual([`\${${domain.address}.cloudfront_domain_name}`, `\${${domain.address}.cloudfront_zone_id}`]);
    expect(afterAliases[0].slice(1)).toEqual([`\${${domain.address}.regional_domain_name}`, `\${${domain.address}.regional_zone_id}`]);
  });

  test("switching a base path between the root and v1 updates the mapping in place", () => {
    const root = sole(synthEnvironment(publicDomain()), "aws_api_gateway_base_path_mapping", "public-api-domain");
    const v1 = sole(synthEnvironment(publicDomain({ basePath: "v1" })), "aws_api_gateway_base_path_mapping", "public-api-domain");
    expect(v1.address).toBe(root.address);
    expect([root.body.base_path, v1.body.base_path]).toEqual([undefined, "v1"]);
  });

  test("moves a mapping from the address it had while keyed by base path", () => {
    const synthesized = synthEnvironment(publicDomain({ basePath: "v1" }));
    const mapping = sole(synthesized, "aws_api_gateway_base_path_mapping", "public-api-domain");
    const moved = synthesized.moved.filter((m: { to: string }) => m.to === mapping.address);
    expect(moved).toEqual([{ from: expect.stringMatching(/^aws_api_gateway_base_path_mapping\.public-api-domain_mapping-v1_[0-9A-F]{8}$/), to: mapping.address }]);
  });

  test("never destroys a certificate validation record: not on destroy, not when its certificate is replaced, not when the certificate goes", () => {
    const created = synthEnvironment(publicDomain({}, { endpointType: "EDGE" }));
    const record = sole(created, "aws_route53_record", "public-api-domain_validation-record");
    const name = sole(created, "terraform_data", "public-api-domain_validation-record-name");
    expect(name.body.triggers_replace).toEqual({ domainName: "api.dev.example.com", zoneId: PUBLIC_ZONE.id });
    // destroy and replacement stop at plan; a certificate replaced for the same name (here: EDGE to
    // REGIONAL) leaves the record alone although its name and value are unknown until then.
    expect(record.body.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ["name", "type", "records"], replace_triggered_by: [name.address] });
    const regional = synthEnvironment(publicDomain({}, { endpointType: "REGIONAL" }));
    expect(sole(regional, "aws_route53_record", "public-api-domain_validation-record").address).toBe(record.address);
    expect(sole(regional, "terraform_data", "public-api-domain_validation-record-name").body.triggers_replace).toEqual(name.body.triggers_replace);

    // Switching to an issued certificate, or dropping the domain, forgets the record instead of deleting it.
    const issued = synthEnvironment(publicDomain({ certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b" }));
    const withoutDomain = synthEnvironment();
    for (const synthesized of [issued, withoutDomain]) {
      expect(resourcesOf(synthesized, "aws_route53_record", "public-api-domain_validation-record")).toEqual({});
      expect(synthesized.removed).toContainEqual({ from: record.address, lifecycle: { destroy: false } });
    }
  });

  test("fails if a domain that gets a certificate here is longer than ACM's 64 characters", () => {
    const long = `${"a".repeat(64 - ".dev.example.com".length + 1)}.dev.example.com`;
    expect(long).toHaveLength(65);
    const result = parseEnvironment(environmentYaml(publicDomain({ domainName: long })));
    expect(result).toEqual({ problems: [expect.stringMatching(/^customDomains\.publicApi\.domainName: got "a+\.dev\.example\.com"; expected a name of 64 characters at most .*this one has 65/)] });
    expect(parseEnvironment(environmentYaml(publicDomain({ domainName: long.slice(1) })))).toHaveProperty("config");
    expect(parseEnvironment(environmentYaml(publicDomain({ domainName: long, certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b" })))).toHaveProperty("config");
  });
});

function fixtureBundle() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-fn-"));
  fs.mkdirSync(path.join(dir, "hello"));
  fs.writeFileSync(path.join(dir, "hello", "index.js"), "exports.handler = async () => ({ statusCode: 200 });\n");
  return bundleFunction("hello", dir);
}

describe("LambdaFunction", () => {
  const bundle = fixtureBundle();
  /** One function, called by a REST API and an HTTP API, under the name given. */
  const synthRenamed = (functionName: string) =>
    synthConstruct((scope) => {
      const fn = new LambdaFunction(scope, "orders", { functionName, bundle, logRetentionDays: 30 });
      new RestApi(scope, "rest", {
        name: "rest",
        endpointType: "REGIONAL",
        routes: [{ path: "/orders", method: "GET", integration: RestIntegration.lambda(fn) }],
        stage: { stageName: "dev", logRetentionDays: 30, throttling: { rateLimit: 10, burstLimit: 20 } },
      });
      new HttpApi(scope, "http", {
        name: "http",
        authorizer: { issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example01", audiences: ["client"] },
        routes: [{ method: "GET", path: "/orders", function: fn }],
        logRetentionDays: 30,
        throttling: { rateLimit: 10, burstLimit: 20 },
      });
    });

  test("a renamed function is created before the old one goes, whose permissions outlive the APIs' move to the new one", () => {
    const [before, after] = [synthRenamed("shop-orders"), synthRenamed("shop-orders-v2")];
    const fn = sole(after, "aws_lambda_function", "orders");
    expect(sole(before, "aws_lambda_function", "orders").address).toBe(fn.address);
    expect(fn.body).toMatchObject({ function_name: "shop-orders-v2", lifecycle: { create_before_destroy: true } });

    for (const api of ["rest", "http"]) {
      // Same address: the permission is replaced (create before destroy), not deleted at the start of the apply.
      const permission = sole(after, "aws_lambda_permission", api);
      expect(sole(before, "aws_lambda_permission", api).address).toBe(permission.address);
      expect(permission.body).toMatchObject({ function_name: `\${${fn.address}.function_name}`, lifecycle: { create_before_destroy: true } });
      // What calls the function depends on the permission, so the old one is deleted after it is updated.
      const caller = api === "rest" ? sole(after, "aws_api_gateway_stage", api) : sole(after, "aws_apigatewayv2_integration", api);
      expect(caller.body.depends_on).toContain(permission.address);
    }
    expect(sole(after, "aws_apigatewayv2_integration", "http").address).toBe(sole(before, "aws_apigatewayv2_integration", "http").address);

    // The log group is named after the function; the old one is left with its history.
    expect(sole(after, "aws_cloudwatch_log_group", "orders").body).toMatchObject({ name: "/aws/lambda/shop-orders-v2", skip_destroy: true });
  });

  test("moves integrations from the addresses they had while keyed by the function's name, and no permission: no route was a per-function permission's", () => {
    const synthesized = synthRenamed("shop-orders");
    const movedTo = (address: string) => synthesized.moved.filter((m: { to: string }) => m.to === address).map((m: { from: string }) => m.from);
    expect(movedTo(sole(synthesized, "aws_lambda_permission", "rest").address)).toEqual([]);
    expect(movedTo(sole(synthesized, "aws_apigatewayv2_integration", "http").address)).toEqual([expect.stringMatching(/^aws_apigatewayv2_integration\.http_integration-shop-orders_[0-9A-F]{8}$/)]);
  });
});

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-changes-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const NETWORK = BASE_ENVIRONMENT.network as { vpcId: string; subnetIds: string[]; allowedCidrs: string[] };

describe("buildPlatform", () => {
  const env = (name: string, overrides: Record<string, unknown> = {}): Environment => ({ name, file: `${name}.yaml`, config: environmentConfig(overrides) });

  test("environments in one VPC share its endpoint, in a stack of its own that keeps the addresses it had in environment stacks", () => {
    // Before: each environment stack created the endpoint under this construct id.
    const former = synthConstruct((scope) => new ExecuteApiVpcEndpoint(scope, "execute-api-endpoint", { ...NETWORK, region: "eu-west-1", name: "apigw-dev" }));
    const addresses = (synthesized: Record<string, any>) =>
      ["aws_vpc_endpoint", "aws_security_group", "aws_vpc_security_group_ingress_rule"].flatMap((type) => Object.keys(resourcesOf(synthesized, type)).map((name) => `${type}.${name}`));

    const platform = buildPlatform(Testing.app(), [env("dev"), env("qa", { network: { ...NETWORK, allowedCidrs: ["10.1.0.0/16"] } })], {}, OUTPUT_LAYOUT);
    expect(platform.endpoints.map((s) => s.node.id)).toEqual(["endpoint-vpc-0123456789abcdef0"]);
    const endpointStack = JSON.parse(Testing.synth(platform.endpoints[0], true));
    // Same addresses, same names: moving the state over changes nothing but tags.
    expect(addresses(endpointStack)).toEqual([...addresses(former), expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.execute-api-endpoint_https-from-10-1-0-0-16_/)]);
    expect(Object.values(resourcesOf(endpointStack, "aws_security_group"))[0].name_prefix).toBe(Object.values(resourcesOf(former, "aws_security_group"))[0].name_prefix);
    // Nothing that is created before it is destroyed depends on the endpoint: a replacement within the VPC deletes the old one first.
    expect(Object.values(resourcesOf(endpointStack, "aws_vpc_endpoint"))[0]).not.toHaveProperty("lifecycle");

    for (const stack of platform.environments) {
      expect(stack.dependencies).toContain(platform.endpoints[0]);
      const synthesized = JSON.parse(Testing.synth(stack, true));
      expect(synthesized.resource.aws_vpc_endpoint).toBeUndefined();
      expect(Object.values(synthesized.data.aws_vpc_endpoint)).toEqual([{ vpc_id: NETWORK.vpcId, service_name: "com.amazonaws.eu-west-1.execute-api" }]);
    }
    // An environment stack applied before the endpoint's state has moved forgets it rather than destroying it.
    const dev = JSON.parse(Testing.synth(platform.environments[0], true));
    expect(dev.removed).toEqual(expect.arrayContaining(addresses(former).map((from) => ({ from, lifecycle: { destroy: false } }))));
  });

  test.each<[string, Record<string, unknown>, unknown[]]>([
    ["the environments' account by default", {}, [{ Sid: "InvokeApisOfAllowedAccounts", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: ["arn:aws:execute-api:eu-west-1:111111111111:*"] }]],
    [
      "the organizations the environments list",
      { allowedApiOrganizationIds: ["o-a1b2c3d4e5"] },
      [{ Sid: "InvokeApisOfAllowedOrganizations", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "*", Condition: { StringEquals: { "aws:ResourceOrgID": ["o-a1b2c3d4e5"] } } }],
    ],
  ])("the shared endpoint's policy admits the APIs of %s", (_what, policy, statements) => {
    const network = { ...NETWORK, ...policy };
    const platform = buildPlatform(Testing.app(), [env("dev", { network }), env("qa", { network: { ...network, allowedCidrs: ["10.1.0.0/16"] } })], {}, OUTPUT_LAYOUT);
    const endpoint = Object.values(resourcesOf(JSON.parse(Testing.synth(platform.endpoints[0], true)), "aws_vpc_endpoint"))[0];
    expect(JSON.parse(endpoint.policy).Statement).toEqual(statements);
  });
});

describe("loadEnvironments", () => {
  const domain = (domainName: string) => ({ dns: { publicZone: { id: "Z0DEVPUBLICZONE00001", name: "example.com" } }, customDomains: { httpApi: { domainName } } });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ["the same custom domain name", domain("api.example.com"), /qa\.yaml: customDomains\.httpApi\.domainName is api\.example\.com, which .*dev\.yaml \(customDomains\.httpApi\) uses already/],
    ["one VPC but other subnets", { network: { ...NETWORK, subnetIds: ["subnet-0123456789abcdef1"] } }, /qa\.yaml: network\.subnetIds is subnet-0123456789abcdef1 but .*dev\.yaml has subnet-0123456789abcdef1, subnet-0123456789abcdef2; both share VPC vpc-0123456789abcdef0/],
    ["one VPC in another account", { accountId: "222222222222" }, /qa\.yaml: region and accountId \(222222222222-eu-west-1\) differ from .*dev\.yaml's \(111111111111-eu-west-1\)/],
    ["one VPC but another endpoint policy", { network: { ...NETWORK, allowedApiAccountIds: ["333333333333"] } }, /qa\.yaml: network\.allowedApiAccountIds is 333333333333 but .*dev\.yaml has not set; both share VPC vpc-0123456789abcdef0 .*one endpoint policy for every host of the VPC/],
  ])("fails if two environments have %s", (_name, qa, expected) => {
    const dev = qa.customDomains ? domain("api.example.com") : {};
    const dir = tempDir({ "dev.yaml": environmentYaml(dev), "qa.yaml": environmentYaml(qa) });
    expect(errorOf(() => loadEnvironments(dir))).toMatch(expected);
  });

  test("lets environments share a VPC with the same subnets and their own ranges", () => {
    const dir = tempDir({ "dev.yaml": environmentYaml(), "qa.yaml": environmentYaml({ network: { ...NETWORK, subnetIds: [...NETWORK.subnetIds].reverse(), allowedCidrs: ["10.1.0.0/16"] } }) });
    expect(loadEnvironments(dir).map((e) => e.name)).toEqual(["dev", "qa"]);
  });
});

describe("checkOrphanedState", () => {
  const state = (resources: object[]) => JSON.stringify({ version: 4, resources });

  test("fails if local state holds resources of a stack the synth no longer makes", () => {
    const dir = tempDir({ "terraform.qa.tfstate": state([{ mode: "managed", type: "aws_api_gateway_rest_api" }, { mode: "data", type: "aws_iam_roles" }]) });
    expect(errorOf(() => checkOrphanedState(dir, ["dev"]))).toMatch(
      /^terraform\.qa\.tfstate: stack qa still manages 1 resource, but no environment file makes that stack any more .*npx cdktf destroy qa.*mv terraform\.qa\.tfstate terraform\.<new name>\.tfstate/,
    );
  });

  test("accepts the state of stacks it makes, destroyed stacks' empty state and other files", () => {
    const dir = tempDir({
      "terraform.dev.tfstate": state([{ mode: "managed" }]),
      "terraform.old.tfstate": state([]),
      "terraform.dev.tfstate.backup": "not json",
    });
    expect(() => checkOrphanedState(dir, ["dev"])).not.toThrow();
  });
});
