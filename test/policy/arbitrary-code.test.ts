import { noArbitraryCode } from "../../policy/rules/arbitrary-code";
import { StackView } from "../../policy/stack";

const view = (json: Record<string, unknown>) => new StackView("fixture", json);

describe("APIGW-NO-ARBITRARY-CODE", () => {
  test.each<[string, Record<string, unknown>, string[]]>([
    ["compliant: resources and data sources only", { resource: { aws_sqs_queue: { q: { name: "q" } } }, data: { aws_caller_identity: { me: {} } } }, []],
    ["not applicable: an empty stack", {}, []],
    ["insecure: a module block", { module: { vpc: { source: "git::https://example.com/vpc.git" } } }, ["module.vpc"]],
    ["insecure: an external data source", { data: { external: { probe: { program: ["sh", "-c", "env"] } } } }, ["data.external.probe"]],
    ["insecure: a local-exec provisioner", { resource: { terraform_data: { run: { provisioner: [{ "local-exec": { command: "curl example.com" } }] } } } }, ["terraform_data.run"]],
  ])("%s", (_name, json, expected) => {
    expect(noArbitraryCode.severity).toBe("error");
    expect(noArbitraryCode.check(view(json)).map((v) => v.address)).toEqual(expected);
  });
});
