import { terraformSettingsKnown } from "../../policy/rules/terraform-settings";
import { StackView } from "../../policy/stack";

const view = (json: Record<string, unknown>) => new StackView("fixture", json);
const AWS = { region: "eu-west-1", allowed_account_ids: ["111111111111"], default_tags: [{ tags: { project: "apigw-platform" } }] };

describe("APIGW-TERRAFORM-SETTINGS", () => {
  test.each<[string, Record<string, unknown>, string[]]>([
    ["compliant: what the platform writes (local state, aws and tfe providers)", { terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" } }, backend: { local: { path: "../../../terraform.dev.tfstate" } } }, provider: { aws: [AWS, { ...AWS, alias: "us_east_1", region: "us-east-1" }], tfe: [{}] } }, []],
    ["compliant: Terraform Cloud on its own host", { terraform: { cloud: { organization: "acme", hostname: "tfe.example.com", workspaces: { name: "apigw-prod" } } } }, []],
    ["compliant: an encrypted, locked s3 backend that assumes a role", { terraform: { backend: { s3: { bucket: "acme-tfstate", key: "apigw/prod.tfstate", region: "eu-west-1", encrypt: true, kms_key_id: "arn:aws:kms:eu-west-1:111111111111:key/k", use_lockfile: true, assume_role: { role_arn: "arn:aws:iam::111111111111:role/state" } } } } }, []],
    ["compliant: a bootstrap role assumed by the tfc stack's provider", { provider: { aws: [{ ...AWS, alias: "account_1", assume_role: [{ role_arn: "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole", session_name: "apigw-tfc-bootstrap" }] }] } }, []],
    ["not applicable: no terraform block, no provider", {}, []],
    ["insecure: an http backend (the state, key values included, to its host)", { terraform: { backend: { http: { address: "https://state.example.net/prod" } } } }, ["terraform.backend.http"]],
    [
      "insecure: an s3 backend whose STS is another host, with the job's environment as its token",
      { terraform: { backend: { s3: { bucket: "b", key: "k", region: "eu-west-1", endpoints: { sts: "https://collector.example.net" }, assume_role_with_web_identity: { role_arn: "arn:aws:iam::111111111111:role/x", web_identity_token_file: "/proc/self/environ" } } } } },
      ["terraform.backend.s3"],
    ],
    ["insecure: a provider's region that is a host", { provider: { aws: [{ ...AWS, sts_region: "x@collector.example.net#", skip_region_validation: true }] } }, ["provider.aws"]],
    ["insecure: a region that is not a region", { provider: { aws: [{ ...AWS, region: "eu-west-1@collector.example.net#" }] } }, ["provider.aws"]],
    ["insecure: the AWS provider's endpoints overridden, on an alias", { provider: { aws: [AWS, { ...AWS, alias: "east", endpoints: [{ sts: "https://collector.example.net" }] }] } }, ["provider.aws.east"]],
    ["insecure: the AWS provider through a proxy, without TLS verification", { provider: { aws: [{ ...AWS, https_proxy: "http://proxy.example.net:3128", insecure: true }] } }, ["provider.aws"]],
    ["insecure: a custom CA bundle", { provider: { aws: [{ ...AWS, custom_ca_bundle: "assets/ca.pem" }] } }, ["provider.aws"]],
    ["insecure: a role with a web identity token file", { provider: { aws: [{ ...AWS, assume_role_with_web_identity: [{ role_arn: "arn:aws:iam::111111111111:role/x", web_identity_token_file: "/proc/self/environ" }] }] } }, ["provider.aws"]],
    ["insecure: tfe without TLS verification", { provider: { tfe: [{ hostname: "tfe.example.com", ssl_skip_verify: true }] } }, ["provider.tfe"]],
    ["insecure: a provider the platform does not configure, configured", { provider: { random: [{ something: "x" }] } }, ["provider.random"]],
    ["insecure: a terraform block with provider_meta", { terraform: { provider_meta: { aws: { x: 1 } } } }, ["terraform"]],
  ])("%s", (_name, json, expected) => {
    expect(terraformSettingsKnown.severity).toBe("error");
    expect(terraformSettingsKnown.check(view(json)).map((v) => v.address)).toEqual(expected);
  });
});

describe("APIGW-TERRAFORM-SETTINGS, checked with the other stacks", () => {
  const cloud = (name: string, hostname?: string) => view({ terraform: { cloud: { organization: "acme", ...(hostname ? { hostname } : {}), workspaces: { name } } } });
  const tfc = (hostname?: string) => view({ provider: { tfe: [hostname ? { hostname } : {}] } });
  test.each<[string, StackView, StackView[], string[]]>([
    ["compliant: every stack on app.terraform.io", cloud("apigw-prod"), [cloud("apigw-dev"), cloud("apigw-prod"), tfc()], []],
    ["compliant: every stack on one Terraform Enterprise host", cloud("apigw-prod", "tfe.example.com"), [cloud("apigw-dev", "tfe.example.com"), cloud("apigw-prod", "tfe.example.com"), tfc("tfe.example.com")], []],
    ["insecure: prod alone on another host", cloud("apigw-prod", "tfe.example.net"), [cloud("apigw-dev"), cloud("apigw-staging"), cloud("apigw-prod", "tfe.example.net"), tfc()], ["terraform.cloud"]],
    ["insecure: the tfc stack's provider on another host", tfc("tfe.example.net"), [cloud("apigw-dev"), cloud("apigw-prod"), tfc("tfe.example.net")], ["provider.tfe"]],
  ])("%s", (_name, stack, all, expected) => {
    expect(terraformSettingsKnown.check(stack, all).map((v) => v.address)).toEqual(expected);
  });
});
