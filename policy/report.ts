import type { Report } from "./check";
import type { Rule } from "./types";

export const FORMATS = ["table", "json", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

export function render(report: Report, format: Format, rules: readonly Rule[], dir: string): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "sarif":
      return `${JSON.stringify(sarif(report, rules, dir), null, 2)}\n`;
    case "table":
      return table(report);
  }
}

export function summaryLine(report: Report): string {
  const { stacks, resources, errors, warnings, suppressed } = report.summary;
  return `${stacks} stack${stacks === 1 ? "" : "s"}, ${resources} resources: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}, ${suppressed} suppressed`;
}

function table(report: Report): string {
  const lines: string[] = [];
  const stacks = [...new Set(report.findings.map((f) => f.stack))];
  for (const stack of stacks) {
    const findings = report.findings.filter((f) => f.stack === stack);
    const width = (pick: (f: (typeof findings)[number]) => string) => Math.max(...findings.map((f) => pick(f).length));
    const [ruleWidth, addressWidth] = [width((f) => f.rule), width((f) => f.address)];
    lines.push(stack);
    for (const f of findings) {
      lines.push(`  ${f.severity.padEnd(7)}  ${f.rule.padEnd(ruleWidth)}  ${f.address.padEnd(addressWidth)}  ${f.message}`);
    }
    lines.push("");
  }
  lines.push(summaryLine(report));
  return `${lines.join("\n")}\n`;
}

/** SARIF 2.1.0: one run, every rule described, one result per finding located in its stack's file. */
function sarif(report: Report, rules: readonly Rule[], dir: string) {
  const ruleIds = [...rules.map((r) => r.id), ...new Set(report.findings.map((f) => f.rule).filter((id) => !rules.some((r) => r.id === id)))];
  return {
    $schema: "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "apigw-policy",
            rules: ruleIds.map((id) => {
              const rule = rules.find((r) => r.id === id);
              return {
                id,
                shortDescription: { text: rule?.message ?? "A suppression that matches no finding" },
                fullDescription: { text: rule?.explanation ?? "Suppressions must match a finding; remove stale ones." },
                defaultConfiguration: { level: rule?.severity ?? "warning" },
                properties: { references: rule?.references ?? [] },
              };
            }),
          },
        },
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIds.indexOf(f.rule),
          level: f.severity,
          message: { text: f.message },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: `${dir.replace(/\\/g, "/").replace(/\/$/, "")}/stacks/${f.stack}/cdk.tf.json` } },
              logicalLocations: [{ name: f.address, fullyQualifiedName: `${f.stack}/${f.address}`, kind: "resource" }],
            },
          ],
        })),
      },
    ],
  };
}
