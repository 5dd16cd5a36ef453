import * as fs from "fs";
import * as path from "path";
import { actionOf, PlanJson, plannedChanges } from "../../scripts/day2/plan-runner";
import { judge, markdownReport, parseAcknowledgements, safetyReport } from "../../scripts/day2/verdict";
import { renderTable, TABLE_BEGIN, TABLE_END, withTable } from "../../scripts/day2/table";

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "plans", `${name}.json`), "utf8")) as PlanJson;
const judged = (name: string, acknowledged?: Set<string>) => plannedChanges(fixture(name)).map((c) => judge("dev", c, acknowledged));
const verdicts = (name: string, acknowledged?: Set<string>) => Object.fromEntries(judged(name, acknowledged).map((c) => [c.address, [c.action, c.verdict]]));

describe("plannedChanges", () => {
  test("lists changed managed resources with their replacement order, leaving out no-ops and data reads", () => {
    const changes = plannedChanges(fixture("function-rename"));
    expect(changes.map((c) => c.address)).toEqual([
      "aws_api_gateway_deployment.public-api_deployment_1",
      "aws_api_gateway_stage.public-api_stage_585AE32E",
      "aws_cloudwatch_log_group.object-reader_logs_1",
      "aws_lambda_function.object-reader_function_FDA49911",
      "aws_lambda_permission.private-api_invoke_4BDC95DF",
    ]);
    expect(changes.find((c) => c.type === "aws_lambda_function")).toMatchObject({
      action: "replace (create before destroy)",
      replacePaths: ["function_name"],
      nameBefore: "apigw-dev-object-reader",
      nameAfter: "apigw-dev-file-reader",
    });
  });

  test.each([
    [["create", "delete"], "replace (create before destroy)"],
    [["delete", "create"], "replace (destroy first)"],
    [["update"], "update"],
    [["no-op"], undefined],
    [["read"], undefined],
  ])("reads actions %j as %s", (actions, expected) => {
    expect(actionOf(actions)).toBe(expected);
  });
});

describe("judge", () => {
  test("a renamed function is safe: new name first, old log group kept", () => {
    expect(verdicts("function-rename")).toEqual({
      "aws_api_gateway_deployment.public-api_deployment_1": ["create", "safe"],
      "aws_api_gateway_stage.public-api_stage_585AE32E": ["update", "safe"],
      "aws_cloudwatch_log_group.object-reader_logs_1": ["replace (create before destroy)", "safe"],
      "aws_lambda_function.object-reader_function_FDA49911": ["replace (create before destroy)", "safe"],
      "aws_lambda_permission.private-api_invoke_4BDC95DF": ["replace (create before destroy)", "safe"],
    });
  });

  test("a replaced stream and a destroyed queue are data loss, a kept-name create-before-destroy role a collision, a replaced domain downtime", () => {
    expect(verdicts("stream-replaced")).toEqual({
      "aws_api_gateway_base_path_mapping.public-api-domain_mapping_1": ["update", "safe"],
      "aws_api_gateway_domain_name.public-api-domain_68BF4E02": ["replace (destroy first)", "downtime"],
      "aws_cloudwatch_log_group.archive_logs_1": ["delete", "data loss"],
      "aws_iam_role.stream-role_1": ["replace (create before destroy)", "collision"],
      "aws_kinesis_stream.events-stream_B4BAB0E7": ["replace (destroy first)", "data loss"],
      "aws_sqs_queue.orders-queue_1AA5FDC7": ["delete", "data loss"],
    });
  });

  test("fails if data loss is not acknowledged, and passes it once the acknowledgement file names it", () => {
    const unacknowledged = safetyReport(judged("stream-replaced").filter((c) => c.verdict !== "collision"));
    expect(unacknowledged.failures).toEqual([
      "unacknowledged data loss: dev aws_cloudwatch_log_group.archive_logs_1",
      "unacknowledged data loss: dev aws_kinesis_stream.events-stream_B4BAB0E7",
      "unacknowledged data loss: dev aws_sqs_queue.orders-queue_1AA5FDC7",
    ]);
    const acknowledged = parseAcknowledgements(
      "# accepted with the stream rename\ndev aws_kinesis_stream.events-stream_B4BAB0E7  # re-created empty\ndev aws_sqs_queue.orders-queue_1AA5FDC7\ndev aws_cloudwatch_log_group.archive_logs_1\nstaging aws_kinesis_stream.events-stream_B4BAB0E7\n",
    );
    const report = safetyReport(judged("stream-replaced", acknowledged).filter((c) => c.verdict !== "collision"));
    expect(report.failures).toEqual([]);
    expect(report.changes.find((c) => c.type === "aws_kinesis_stream")?.verdict).toBe("data loss (acknowledged)");
  });

  test("fails if a collision is acknowledged: it cannot be", () => {
    const acknowledged = new Set(["dev aws_iam_role.stream-role_1"]);
    expect(safetyReport(judged("stream-replaced", acknowledged)).failures).toContain("collision: dev aws_iam_role.stream-role_1");
  });

  test("fails if a plan was refused", () => {
    expect(safetyReport([], [{ stack: "dev", error: "Error: Instance cannot be destroyed" }]).failures).toEqual(["plan refused: dev: Error: Instance cannot be destroyed"]);
  });
});

describe("markdownReport", () => {
  test("shows each change with its verdict, bold when not safe, and says whether it passes", () => {
    const markdown = markdownReport(safetyReport(judged("stream-replaced")));
    expect(markdown).toContain("| dev | `aws_kinesis_stream.events-stream_B4BAB0E7` | replace (destroy first) | **data loss** |");
    expect(markdown).toContain("| dev | `aws_api_gateway_base_path_mapping.public-api-domain_mapping_1` | update | safe | in place |");
    expect(markdown).toMatch(/\*\*Fails:\*\* 4 problem\(s\)/);
    expect(markdownReport(safetyReport([]))).toContain("No resource changes.");
  });
});

describe("renderTable", () => {
  const change = (id: string, title: string) => ({ id, title, base: "dev" as const });
  test("lists each stack's changes by action, a new stack by count, a refused plan by its first error", () => {
    const table = renderTable(
      [
        { change: change("a", "a stage renamed"), stacks: [{ stack: "dev", existed: true, changes: [{ address: "aws_api_gateway_stage.public-api_stage_585AE32E", type: "aws_api_gateway_stage", action: "replace (create before destroy)" as const }] }] },
        { change: change("b", "a new environment"), stacks: [{ stack: "qa", existed: false, changes: [{ address: "aws_sqs_queue.q_1AA5FDC7", type: "aws_sqs_queue", action: "create" as const }] }] },
        { change: change("c", "a domain renamed"), stacks: [{ stack: "dev", existed: true, error: "Error: Instance cannot be destroyed x Error: Instance cannot be destroyed x" }] },
      ],
      "5.100.0",
    );
    expect(table.split("\n")).toEqual([
      "| change | stack | what provider 5.100.0 plans |",
      "| --- | --- | --- |",
      "| a stage renamed | dev | **replace (create before destroy)**: `aws_api_gateway_stage.public-api_stage` |",
      "| a new environment | qa | **create**: 1 resources (a new stack) |",
      "| a domain renamed | dev | **plan refused**: Error: Instance cannot be destroyed x |",
    ]);
  });

  test("fails if the README lost its table markers", () => {
    expect(withTable("no markers", "| t |")).toBeUndefined();
    expect(withTable(`a\n${TABLE_BEGIN}\nold\n${TABLE_END}\nb`, "| t |")).toBe(`a\n${TABLE_BEGIN}\n| t |\n${TABLE_END}\nb`);
  });
});
