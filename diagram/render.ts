/** A diagram as Graphviz DOT (laid out left to right, one box per API) and as Mermaid flowchart text. */
import { createHash } from "crypto";
import type { Diagram, DiagramNode, NodeKind } from "./graph";

const FILL: Readonly<Record<NodeKind, string>> = {
  caller: "#f1f3f4",
  endpoint: "#e6f4ea",
  domain: "#e8f0fe",
  api: "#fef7e0",
  authorizer: "#fce8e6",
  routes: "#ffffff",
  function: "#fff0e0",
  service: "#f3e8fd",
  backend: "#f3e8fd",
  "vpc-link": "#e6f4ea",
  mock: "#ffffff",
  account: "#f1f3f4",
  role: "#f1f3f4",
  workspace: "#e8f0fe",
  other: "#ffffff",
};

const ERROR_COLOR = "#d93025";
const WARNING_COLOR = "#e37400";

/** The lines a node shows under its title: its details, then its findings. */
function lines(node: DiagramNode): string[] {
  const findings = [...new Set(node.findings.map((f) => `${f.severity}: ${f.rule}`))];
  return [...node.details, ...findings];
}

function severity(node: DiagramNode): "error" | "warning" | undefined {
  return node.findings.some((f) => f.severity === "error") ? "error" : node.findings.length ? "warning" : undefined;
}

const html = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const quoted = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

// One table row per line: <BR/> lines get no leading, and underscores touched the line below.
const row = (cell: string) => `<TR><TD>${cell}</TD></TR>`;

function dotNode(node: DiagramNode, indent: string): string {
  const rows = [row(`<B>${html(node.title)}</B>`), ...lines(node).map((l) => row(`<FONT POINT-SIZE="9">${html(l)}</FONT>`))];
  const marked = severity(node);
  const attributes = [
    `label=<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">${rows.join("")}</TABLE>>`,
    `fillcolor="${FILL[node.kind]}"`,
    ...(node.kind === "other" || node.kind === "mock" ? ['style="rounded,filled,dashed"'] : []),
    ...(marked ? [`color="${marked === "error" ? ERROR_COLOR : WARNING_COLOR}"`, "penwidth=2.5"] : []),
  ];
  return `${indent}${quoted(node.id)} [${attributes.join(", ")}];`;
}

export function toDot(diagram: Diagram): string {
  const out = [
    `digraph ${quoted(diagram.stack)} {`,
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=14, label=<<B>${html(diagram.stack)}</B>>, labelloc=t, labeljust=l, nodesep=0.3, ranksep=0.7, pad=0.3];`,
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, color="#5f6368", margin="0.15,0.07"];',
    '  edge [fontname="Helvetica", fontsize=9, color="#5f6368", fontcolor="#3c4043", arrowsize=0.7];',
  ];
  for (const node of diagram.nodes.filter((n) => !n.cluster)) out.push(dotNode(node, "  "));
  diagram.clusters.forEach((cluster, i) => {
    out.push(`  subgraph cluster_${i} {`);
    out.push(`    label=<<B>${html(cluster.title)}</B>>; style="rounded,dashed"; color="#9aa0a6"; fontsize=12;`);
    for (const node of diagram.nodes.filter((n) => n.cluster === cluster.id)) out.push(dotNode(node, "    "));
    out.push("  }");
  });
  for (const edge of diagram.edges) {
    const attributes = [...(edge.label ? [`label=${quoted(edge.label)}`] : []), ...(edge.dashed ? ["style=dashed"] : [])];
    out.push(`  ${quoted(edge.from)} -> ${quoted(edge.to)}${attributes.length ? ` [${attributes.join(", ")}]` : ""};`);
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}

// Mermaid's entity codes keep quotes and angle brackets of the text from being read as syntax.
const mermaidText = (s: string) => s.replace(/&/g, "#amp;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");

export function toMermaid(diagram: Diagram): string {
  const ids = new Map(diagram.nodes.map((n, i) => [n.id, `n${i}`]));
  const label = (node: DiagramNode) => `"<b>${mermaidText(node.title)}</b>${lines(node).map((l) => `<br/>${mermaidText(l)}`).join("")}"`;
  const out = ["flowchart LR"];
  for (const node of diagram.nodes.filter((n) => !n.cluster)) out.push(`  ${ids.get(node.id)}[${label(node)}]`);
  diagram.clusters.forEach((cluster, i) => {
    out.push(`  subgraph c${i}["${mermaidText(cluster.title)}"]`);
    for (const node of diagram.nodes.filter((n) => n.cluster === cluster.id)) out.push(`    ${ids.get(node.id)}[${label(node)}]`);
    out.push("  end");
  });
  for (const edge of diagram.edges) {
    const arrow = edge.dashed ? "-.->" : "-->";
    out.push(`  ${ids.get(edge.from)} ${arrow}${edge.label ? `|"${mermaidText(edge.label)}"|` : ""} ${ids.get(edge.to)}`);
  }
  const marked = (s: string) => diagram.nodes.filter((n) => severity(n) === s).map((n) => ids.get(n.id));
  for (const [name, color] of [["error", ERROR_COLOR], ["warning", WARNING_COLOR]] as const) {
    if (!marked(name).length) continue;
    out.push(`  classDef ${name} stroke:${color},stroke-width:3px`);
    out.push(`  class ${marked(name).join(",")} ${name}`);
  }
  return `${out.join("\n")}\n`;
}

/** Names the DOT source an SVG was drawn from, so that a stale picture can be told without drawing it again. */
export function sourceDigest(dot: string): string {
  return createHash("sha256").update(dot).digest("hex").slice(0, 16);
}
