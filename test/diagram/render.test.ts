import type { Diagram } from "../../diagram/graph";
import { sourceDigest, toDot, toMermaid } from "../../diagram/render";
import { svgSourceDigest } from "../../diagram/svg";

const diagram: Diagram = {
  stack: "dev",
  clusters: [{ id: "aws_apigatewayv2_api.api", title: 'HTTP API "orders"' }],
  nodes: [
    { id: "caller:internet", kind: "caller", title: "Internet", details: ["clients anywhere"], addresses: [], findings: [] },
    { id: "aws_apigatewayv2_api.api", kind: "api", title: "HTTP API", cluster: "aws_apigatewayv2_api.api", details: ["stage $default: 50 req/s, burst 100"], addresses: [], findings: [{ rule: "APIGW-X", severity: "warning" }] },
    { id: "aws_apigatewayv2_api.api#routes:/orders", kind: "routes", title: "/orders", cluster: "aws_apigatewayv2_api.api", details: ["GET /orders/{id} · JWT (a<b)"], addresses: [], findings: [] },
    { id: "aws_lambda_function.f", kind: "function", title: "Lambda orders", details: [], addresses: [], findings: [{ rule: "APIGW-Y", severity: "error" }, { rule: "APIGW-X", severity: "warning" }] },
  ],
  edges: [
    { from: "caller:internet", to: "aws_apigatewayv2_api.api", label: "default endpoint" },
    { from: "aws_apigatewayv2_api.api", to: "aws_apigatewayv2_api.api#routes:/orders" },
    { from: "aws_apigatewayv2_api.api#routes:/orders", to: "aws_lambda_function.f", label: "invokes", dashed: true },
  ],
};

describe("toDot", () => {
  const dot = toDot(diagram);

  test("draws each API's nodes in its own box and escapes the labels", () => {
    expect(dot).toContain('  subgraph cluster_0 {\n    label=<<B>HTTP API &quot;orders&quot;</B>>;');
    expect(dot).toContain(
      '    "aws_apigatewayv2_api.api#routes:/orders" [label=<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1"><TR><TD><B>/orders</B></TD></TR><TR><TD><FONT POINT-SIZE="9">GET /orders/{id} · JWT (a&lt;b)</FONT></TD></TR></TABLE>>',
    );
    expect(dot).toContain('  "caller:internet" -> "aws_apigatewayv2_api.api" [label="default endpoint"];');
    expect(dot).toContain('  "aws_apigatewayv2_api.api#routes:/orders" -> "aws_lambda_function.f" [label="invokes", style=dashed];');
  });

  test("marks nodes with findings, errors over warnings", () => {
    expect(dot).toMatch(/"aws_lambda_function\.f" \[label=<.*<B>Lambda orders<\/B>.*"9">error: APIGW-Y<.*"9">warning: APIGW-X<.*>, fillcolor="#fff0e0", color="#d93025", penwidth=2.5\];/);
    expect(dot).toMatch(/"aws_apigatewayv2_api\.api" \[.*color="#e37400", penwidth=2.5\];/);
  });
});

describe("toMermaid", () => {
  test("a flowchart with one subgraph per API and classes for findings", () => {
    expect(toMermaid(diagram)).toBe(
      [
        "flowchart LR",
        '  n0["<b>Internet</b><br/>clients anywhere"]',
        '  n3["<b>Lambda orders</b><br/>error: APIGW-Y<br/>warning: APIGW-X"]',
        '  subgraph c0["HTTP API #quot;orders#quot;"]',
        '    n1["<b>HTTP API</b><br/>stage $default: 50 req/s, burst 100<br/>warning: APIGW-X"]',
        '    n2["<b>/orders</b><br/>GET /orders/{id} · JWT (a#lt;b)"]',
        "  end",
        '  n0 -->|"default endpoint"| n1',
        "  n1 --> n2",
        '  n2 -.->|"invokes"| n3',
        "  classDef error stroke:#d93025,stroke-width:3px",
        "  class n3 error",
        "  classDef warning stroke:#e37400,stroke-width:3px",
        "  class n1 warning",
        "",
      ].join("\n"),
    );
  });
});

describe("sourceDigest", () => {
  test("changes with the source and is found again in an SVG that names it", () => {
    expect(sourceDigest("digraph { a }")).not.toBe(sourceDigest("digraph { b }"));
    expect(svgSourceDigest(`<?xml?>\n<!-- apigw-diagram-source ${sourceDigest("x")} -->\n<svg/>`)).toBe(sourceDigest("x"));
    expect(svgSourceDigest("<svg/>")).toBeUndefined();
  });
});
