import * as path from "path";
import { version } from "../package.json";
import type { Report } from "./check";
import type { StackView } from "./stack";
import { citationsOf, Rule } from "./types";

export const FORMATS = ["table", "json", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

/** What the report was made from: the synth output directory (--dir) and its stacks as read. */
export interface Source {
  readonly dir: string;
  readonly stacks: readonly StackView[];
}

export function render(report: Report, format: Format, rules: readonly Rule[], source: Source): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "sarif":
      return `${JSON.stringify(sarif(report, rules, source), null, 2)}\n`;
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

/** The base id artifact URIs are relative to: the synth output directory (--dir). */
const SYNTH_OUT = "SYNTH_OUT";

/**
 * SYNTH_OUT as the report may describe it without a machine path: under the working directory
 * (`%SRCROOT%`, the repository in CI) when --dir is below it, else by description only (SARIF
 * base URIs may not climb with `..`).
 */
function originalUriBaseIds(dir: string) {
  const description = { text: "The synth output directory the policy check read (--dir)" };
  const segments = dir.split(/[\\/]+/).filter((s) => s !== "" && s !== ".");
  if (path.isAbsolute(dir) || segments.includes("..")) return { [SYNTH_OUT]: { description } };
  return {
    [SYNTH_OUT]: { ...(segments.length > 0 ? { uri: `${segments.map(encodeURIComponent).join("/")}/` } : {}), uriBaseId: "%SRCROOT%", description },
    "%SRCROOT%": { description: { text: "The directory the policy check ran in" } },
  };
}

function help(explanation: string, references: readonly string[]) {
  if (references.length === 0) return { text: explanation, markdown: explanation };
  return {
    text: `${explanation} References: ${references.join("; ")}.`,
    markdown: `${explanation}\n\nReferences:\n\n${references.map((r) => `- ${r}`).join("\n")}`,
  };
}

/**
 * SARIF 2.1.0 as GitHub code scanning takes it: one run, every rule described with its help,
 * one result per finding located in its stack's file, relative to SYNTH_OUT.
 */
function sarif(report: Report, rules: readonly Rule[], source: Source) {
  const ruleIds = [...rules.map((r) => r.id), ...new Set(report.findings.map((f) => f.rule).filter((id) => !rules.some((r) => r.id === id)))];
  const stacks = new Map(source.stacks.map((s) => [s.name, s]));
  return {
    $schema: "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "apigw-policy",
            version,
            rules: ruleIds.map((id) => {
              const rule = rules.find((r) => r.id === id);
              const explanation = rule?.explanation ?? "Suppressions must match a finding; remove stale ones.";
              return {
                id,
                shortDescription: { text: rule?.message ?? "A suppression that matches no finding" },
                fullDescription: { text: explanation },
                help: help(explanation, rule ? citationsOf(rule) : []),
                defaultConfiguration: { level: rule?.severity ?? "warning" },
                properties: { references: rule ? citationsOf(rule) : [] },
              };
            }),
          },
        },
        originalUriBaseIds: originalUriBaseIds(source.dir),
        results: report.findings.map((f) => {
          const region = stacks.get(f.stack)?.locationOf(f.address);
          return {
            ruleId: f.rule,
            ruleIndex: ruleIds.indexOf(f.rule),
            level: f.severity,
            message: { text: f.message },
            locations: [
              {
                physicalLocation: { artifactLocation: { uri: `stacks/${encodeURIComponent(f.stack)}/cdk.tf.json`, uriBaseId: SYNTH_OUT }, ...(region ? { region } : {}) },
                logicalLocations: [{ name: f.address, fullyQualifiedName: `${f.stack}/${f.address}`, kind: "resource" }],
              },
            ],
          };
        }),
      },
    ],
  };
}
