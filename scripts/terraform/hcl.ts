/**
 * A small HCL writer for the files `terraform test` reads (*.tftest.hcl): those have no JSON form.
 * Values are plain JSON; strings are written literally (no interpolation), expressions are marked.
 */

/** An HCL expression written as is: a reference (`data.aws_iam_roles.x`), `plan`, a list of references. */
export interface HclExpression {
  readonly expression: string;
}

export type HclValue = string | number | boolean | null | HclExpression | readonly HclValue[] | { readonly [key: string]: HclValue };

export interface HclBlock {
  readonly type: string;
  readonly labels?: readonly string[];
  /** Arguments first, in this order, then the nested blocks. */
  readonly attributes?: Readonly<Record<string, HclValue>>;
  readonly blocks?: readonly HclBlock[];
}

export const expr = (expression: string): HclExpression => ({ expression });

const isExpression = (value: unknown): value is HclExpression =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as HclExpression).expression === "string";

/** A quoted HCL string: JSON escapes, and `${` / `%{` doubled so that Terraform reads them literally. */
export function hclString(value: string): string {
  return JSON.stringify(value).replace(/([$%])\{/g, (_, sign: string) => `${sign}${sign}{`);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** An object key: bare when it is an identifier, else quoted. */
export function hclKey(key: string): string {
  return IDENTIFIER.test(key) ? key : hclString(key);
}

export function hclValue(value: HclValue, indent = ""): string {
  if (value === null) return "null";
  if (typeof value === "string") return hclString(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`${value} has no HCL form`);
    return String(value);
  }
  if (typeof value === "boolean") return String(value);
  if (isExpression(value)) return value.expression;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => `${inner}${hclValue(v, inner)},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, HclValue>);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${hclKey(k)} = ${hclValue(v, inner)}`).join("\n")}\n${indent}}`;
}

export function hclBlock(block: HclBlock, indent = ""): string {
  const inner = `${indent}  `;
  const head = [block.type, ...(block.labels ?? []).map(hclString)].join(" ");
  const lines = [
    ...Object.entries(block.attributes ?? {}).map(([k, v]) => `${inner}${hclKey(k)} = ${hclValue(v, inner)}`),
    ...(block.blocks ?? []).map((b) => hclBlock(b, inner)),
  ];
  return lines.length === 0 ? `${indent}${head} {}` : `${indent}${head} {\n${lines.join("\n")}\n${indent}}`;
}

/** A whole file: top-level blocks separated by blank lines, an optional comment on top. */
export function hclFile(blocks: readonly HclBlock[], comment?: string): string {
  const header = comment ? `${comment.split("\n").map((l) => `# ${l}`.trimEnd()).join("\n")}\n\n` : "";
  return `${header}${blocks.map((b) => hclBlock(b)).join("\n\n")}\n`;
}
