import { sourceDigest } from "./render";

/**
 * Draws DOT as SVG with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz): no system
 * binary. The SVG carries the digest of its source in a comment (`apigw-diagram-source <digest>`).
 */
export async function renderSvg(dot: string): Promise<string> {
  // An ES module: import() keeps it loadable from the CommonJS bundle.
  const { Graphviz } = await import("@hpcc-js/wasm-graphviz");
  const graphviz = await Graphviz.load();
  const svg = graphviz.dot(dot, "svg");
  return svg.replace(/<svg\b/, `<!-- apigw-diagram-source ${sourceDigest(dot)} -->\n<svg`);
}

/** The digest an SVG written by renderSvg names, if any. */
export function svgSourceDigest(svg: string): string | undefined {
  return /<!-- apigw-diagram-source ([0-9a-f]+) -->/.exec(svg)?.[1];
}
