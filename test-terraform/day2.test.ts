/**
 * Day-2 changes planned by the real AWS provider against a faithful prior state of the before
 * (scripts/day2, README "Day-2 plans and change safety"). Needs terraform and the provider (the
 * mirror here): `npm run test:day2`, not part of `npm test`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DAY2_CHANGES } from "../scripts/day2/changes";
import { Day2Planner, PlannedAction, plannedChanges } from "../scripts/day2/plan-runner";
import { planSafety } from "../scripts/day2/safety";
import { ChangeOutcome, planChanges } from "../scripts/day2/suite";
import { renderTable, shortAddress, withTable } from "../scripts/day2/table";
import { parseAcknowledgements } from "../scripts/day2/verdict";
import { EXPECTED } from "./day2-expected";

const REPO = path.resolve(__dirname, "..");
let root: string;
let planner: Day2Planner;
let outcomes: Map<string, ChangeOutcome>;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-day2-"));
  planner = new Day2Planner({ root: path.join(root, "terraform") });
  outcomes = new Map((await planChanges(DAY2_CHANGES, { repoDir: REPO, root, planner })).map((o) => [o.change.id, o]));
});

afterAll(async () => {
  await planner?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const actionsOf = (id: string, stack: string): Record<string, PlannedAction> | string => {
  const outcome = outcomes.get(id)!;
  if (outcome.error) return outcome.error;
  const planned = outcome.stacks.find((s) => s.stack === stack)!;
  return planned.error ?? Object.fromEntries((planned.changes ?? []).map((c) => [shortAddress(c.address), c.action]));
};

describe("Day2Planner", () => {
  test("the prior state is faithful: the before planned against it changes nothing", async () => {
    const stackDir = path.join(root, "bases", "dev", "out", "stacks", "dev");
    const outcome = await planner.plan(stackDir, await planner.priorState(stackDir));
    expect(outcome.error).toBeUndefined();
    expect(plannedChanges(outcome.plan!)).toEqual([]);
  });

  test("every change of the catalog has its expected actions", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(DAY2_CHANGES.map((c) => c.id).sort());
  });

  test.each(DAY2_CHANGES.map((c) => [c.id, c.title]))("%s (%s): the real provider plans the expected actions", (id) => {
    for (const [stack, expected] of Object.entries(EXPECTED[id])) {
      const actual = actionsOf(id, stack);
      if (expected instanceof RegExp) expect(actual).toMatch(expected);
      else if (expected === "new stack: creates only") {
        expect(typeof actual).toBe("object");
        expect(new Set(Object.values(actual))).toEqual(new Set(["create"]));
        expect(Object.keys(actual).length).toBeGreaterThan(50);
      } else expect(actual).toEqual(expected);
    }
  });

  test("the README's day-2 table is the one these plans give", () => {
    const readmeFile = path.join(REPO, "README.md");
    const readme = fs.readFileSync(readmeFile, "utf8");
    const table = renderTable(
      DAY2_CHANGES.map((c) => outcomes.get(c.id)!),
      planner.awsVersionFor(JSON.parse(fs.readFileSync(path.join(root, "bases", "dev", "out", "stacks", "dev", "cdk.tf.json"), "utf8"))) ?? "",
    );
    const updated = withTable(readme, table);
    expect(updated).toBeDefined();
    if (process.env.APIGW_DAY2_WRITE_README === "1") fs.writeFileSync(readmeFile, updated!);
    expect(fs.readFileSync(readmeFile, "utf8")).toBe(updated);
  });
});

describe("planSafety", () => {
  const base = () => path.join(root, "bases", "dev", "out");
  const head = (id: string) => path.join(root, "changes", id, "out");

  test("a renamed function passes: every change safe, the function and its permissions replaced new first", async () => {
    const report = await planSafety({ base: base(), head: head("function-rename"), planner, stacks: ["dev"] });
    expect(report.failures).toEqual([]);
    expect(new Set(report.changes.map((c) => c.verdict))).toEqual(new Set(["safe"]));
    expect(report.changes.find((c) => c.type === "aws_lambda_function")).toMatchObject({ action: "replace (create before destroy)", nameBefore: "apigw-dev-object-reader", nameAfter: "apigw-dev-file-reader" });
  });

  test("fails if the events stream is replaced without an acknowledgement, and passes with one", async () => {
    const report = await planSafety({ base: base(), head: head("events-stream-replaced"), planner, stacks: ["dev"] });
    const stream = report.changes.find((c) => c.type === "aws_kinesis_stream")!;
    expect(stream).toMatchObject({ action: "replace (destroy first)", verdict: "data loss" });
    expect(report.failures).toEqual([`unacknowledged data loss: dev ${stream.address}`]);
    const acknowledged = parseAcknowledgements(`dev ${stream.address}  # the old stream's records are archived in S3\n`);
    const accepted = await planSafety({ base: base(), head: head("events-stream-replaced"), planner, stacks: ["dev"], acknowledged });
    expect(accepted.failures).toEqual([]);
    expect(accepted.changes.find((c) => c.type === "aws_kinesis_stream")?.verdict).toBe("data loss (acknowledged)");
  });
});
