/**
 * Run by `npm run check:terrain` inside its CDK Terrain copy, where the imports of
 * @cdktf/provider-aws point at @cdktn/provider-aws 25.7.0 (AWS provider 6.66.0). Under a newer
 * `providerVersion`, the platform writes what the 6.25 bindings do not know (enhanced TLS policies on
 * domains and on the REST API, routing modes, routing rules) with escape hatches that no type checks. Here dev is built with
 * those settings, and each raw resource is built again through the 6.66 bindings' own classes,
 * from the same values: the two must synthesize the same attributes. Exit 1 on a difference.
 */
import * as fs from "fs";
import * as path from "path";
import { TerraformResource, TerraformStack, Testing } from "cdktf";
import type { Construct } from "constructs";
import { ApiGatewayDomainName, type ApiGatewayDomainNameConfig } from "@cdktf/provider-aws/lib/api-gateway-domain-name";
import { ApiGatewayRestApi, type ApiGatewayRestApiConfig } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { parse, stringify } from "yaml";
import { parseEnvironment } from "../config/loader";
import { EnvironmentStack } from "../stacks/environment-stack";

/** A class the 6.25 bindings lack, loaded untyped; in the copy, the import points at @cdktn/provider-aws. */
const { Apigatewayv2RoutingRule } = require("@cdktf/provider-aws/lib/apigatewayv2-routing-rule") as {
  Apigatewayv2RoutingRule: new (scope: Construct, id: string, config: Record<string, unknown>) => TerraformResource;
};

const ROOT = process.cwd();
const dev = parse(fs.readFileSync(path.join(ROOT, "config", "environments", "dev.yaml"), "utf8"));
dev.providerVersion = "6.66.0";
// The API's own policy needs its default endpoint on.
dev.publicApi = { ...dev.publicApi, endpointType: "REGIONAL", disableExecuteApiEndpoint: false, securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09", endpointAccessMode: "STRICT" };
dev.customDomains.publicApi = {
  domainName: "api.dev.example.com",
  basePath: "v1",
  securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09",
  endpointAccessMode: "STRICT",
  routingMode: "ROUTING_RULE_THEN_BASE_PATH_MAPPING",
  routingRules: { beta: { priority: 10, headers: [{ name: "x-api-version", valueGlob: "2*" }, { name: "x-channel", valueGlob: "*beta*" }], basePaths: ["orders", "users"], stripBasePath: true } },
};
const parsed = parseEnvironment(stringify(dev));
if (!("config" in parsed)) throw new Error(`the fixture environment does not load: ${parsed.problems.join("; ")}`);
const stack = new EnvironmentStack(Testing.app(), "dev", { config: parsed.config, backend: { kind: "local" }, layout: { outdir: path.join(ROOT, "cdktf.out"), projectDir: ROOT } });
const raw = JSON.parse(Testing.synth(stack));
const [domain] = Object.values<Record<string, unknown>>(raw.resource.aws_api_gateway_domain_name);
const [rule] = Object.values<Record<string, any>>(raw.resource.aws_apigatewayv2_routing_rule);
const api = Object.values<Record<string, unknown>>(raw.resource.aws_api_gateway_rest_api).find((a) => a.name === "apigw-dev-public")!;

const typed = new TerraformStack(Testing.app(), "typed");
new AwsProvider(typed, "aws", { region: "eu-west-1" });
// 6.66's configuration types have these; the 6.25 ones this file is type-checked against do not.
new ApiGatewayRestApi(typed, "api", { name: api.name, securityPolicy: api.security_policy, endpointAccessMode: api.endpoint_access_mode } as unknown as ApiGatewayRestApiConfig);
new ApiGatewayDomainName(typed, "domain", {
  domainName: domain.domain_name,
  securityPolicy: domain.security_policy,
  endpointAccessMode: domain.endpoint_access_mode,
  routingMode: domain.routing_mode,
} as unknown as ApiGatewayDomainNameConfig);
new Apigatewayv2RoutingRule(typed, "rule", {
  domainName: rule.domain_name,
  priority: rule.priority,
  condition: rule.condition.map((c: any) =>
    c.match_headers
      ? { matchHeaders: c.match_headers.map((m: any) => ({ anyOf: m.any_of.map((a: any) => ({ header: a.header, valueGlob: a.value_glob })) })) }
      : { matchBasePaths: c.match_base_paths.map((m: any) => ({ anyOf: m.any_of })) },
  ),
  action: rule.action.map((a: any) => ({ invokeApi: a.invoke_api.map((i: any) => ({ apiId: i.api_id, stage: i.stage, stripBasePath: i.strip_base_path })) })),
});
const synthesized = JSON.parse(Testing.synth(typed)).resource;

const raws = {
  "aws_api_gateway_domain_name (raw attributes)": pick(domain, ["security_policy", "endpoint_access_mode", "routing_mode"]),
  "aws_api_gateway_rest_api (raw attributes)": pick(api, ["security_policy", "endpoint_access_mode"]),
  aws_apigatewayv2_routing_rule: rule,
};
const viaBindings = {
  "aws_api_gateway_domain_name (raw attributes)": pick(synthesized.aws_api_gateway_domain_name.domain, ["security_policy", "endpoint_access_mode", "routing_mode"]),
  "aws_api_gateway_rest_api (raw attributes)": pick(synthesized.aws_api_gateway_rest_api.api, ["security_policy", "endpoint_access_mode"]),
  aws_apigatewayv2_routing_rule: synthesized.aws_apigatewayv2_routing_rule.rule,
};
let failed = 0;
for (const [what, value] of Object.entries(raws)) {
  const expected = canonical(viaBindings[what as keyof typeof viaBindings]);
  const same = canonical(value) === expected;
  if (!same) failed++;
  console.log(`${same ? "same as the 6.66 bindings" : "DIFFERS from the 6.66 bindings"}: ${what}${same ? "" : `\n  raw:      ${canonical(value)}\n  bindings: ${expected}`}`);
}
process.exitCode = failed ? 1 : 0;

/** JSON with sorted keys and without cdktf's "//" metadata, which names each resource's construct path. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== "//").sort(([a], [b]) => a.localeCompare(b))) : v));
}

function pick(resource: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, resource[k]]));
}
