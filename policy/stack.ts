/** Read access to one stack's Terraform JSON, as cdktf writes it (`cdk.tf.json`). */

export type Body = Record<string, any>;

export interface Block {
  readonly type: string;
  readonly name: string;
  /** `aws_x.name`, or `data.aws_x.name` for data sources. */
  readonly address: string;
  readonly body: Body;
}

/** A reference inside a `${...}` expression: `aws_x.name.attr` or `data.aws_x.name.attr`. */
export interface Reference {
  readonly address: string;
  readonly attribute?: string;
}

// Resource types always contain an underscore, which keeps out var.x, local.x and module.x.
const REFERENCE = /\b(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?/g;

/**
 * Where the quoted string that opens at `i` ends. HCL strings are templates: a `${...}` or `%{...}`
 * in one holds an expression with strings of its own, so a `"` inside it does not end the string.
 */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === '"') return j;
    else if ((text[j] === "$" || text[j] === "%") && text[j + 1] === "{") j = expressionEnd(text, j + 1);
  }
  return text.length;
}

/** Where the expression whose `{` is at `i` ends: its matching `}`, strings inside it skipped. */
function expressionEnd(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    if (text[j] === '"') j = stringEnd(text, j);
    else if (text[j] === "{") depth++;
    else if (text[j] === "}" && --depth === 0) return j;
  }
  return text.length;
}

/**
 * An expression as the rules match it: comments removed and whitespace around `.`, `[` and `(`
 * closed up, as HCL reads `aws_x.k .value`, `file ("x")` or `file/* c *\/("x")`. Quoted strings are
 * kept as they are (their templates are read on their own, by expressionsIn).
 */
export function compactExpression(expression: string): string {
  let out = "";
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === '"') {
      const end = stringEnd(expression, i);
      out += expression.slice(i, end + 1);
      i = end;
    } else if (c === "/" && expression[i + 1] === "*") {
      const end = expression.indexOf("*/", i + 2);
      i = end < 0 ? expression.length : end + 1;
    } else if (c === "#" || (c === "/" && expression[i + 1] === "/")) {
      const end = expression.indexOf("\n", i);
      i = end < 0 ? expression.length : end - 1;
    } else if (/\s/.test(c)) {
      let j = i;
      while (j + 1 < expression.length && /\s/.test(expression[j + 1])) j++;
      const next = expression[j + 1];
      if (next !== "." && next !== "[" && next !== "(" && !/[.[(]$/.test(out)) out += " ";
      i = j;
    } else out = (/[.[(]/.test(c) ? out.replace(/ +$/, "") : out) + c;
  }
  return out;
}

/**
 * The expressions of a value's strings, object keys included (Terraform's JSON syntax evaluates
 * both as templates), compacted: each `${...}` and each template directive `%{...}`, and those of
 * the templates in the quoted strings inside them, however deep.
 */
export function expressionsIn(value: unknown): string[] {
  const found: string[] = [];
  for (const text of stringsAndKeysIn(value)) templatesOf(text, found);
  return found;
}

function stringsAndKeysIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsAndKeysIn);
  if (value && typeof value === "object") return Object.entries(value).flatMap(([key, v]) => [key, ...stringsAndKeysIn(v)]);
  return [];
}

/** The expressions of a template (a JSON string value or key, or a quoted string inside an expression). */
function templatesOf(template: string, found: string[]): void {
  // A backslash escapes nothing here for Terraform (`$${` does, and counting that one too is only stricter).
  for (let i = 0; i < template.length; i++) {
    if ((template[i] !== "$" && template[i] !== "%") || template[i + 1] !== "{") continue;
    const end = expressionEnd(template, i + 1);
    const expression = template.slice(i + 2, end);
    found.push(compactExpression(expression));
    for (let j = 0; j < expression.length; j++) {
      if (expression[j] !== '"') continue;
      const close = stringEnd(expression, j);
      templatesOf(expression.slice(j + 1, close), found);
      j = close;
    }
    i = end;
  }
}

/** Every reference in a value, looked for in all its expressions (expressionsIn). */
export function referencesIn(value: unknown): Reference[] {
  return expressionsIn(value).flatMap((expression) =>
    [...expression.matchAll(REFERENCE)].map(([, data, type, name, attribute]) => ({ address: `${data ? "data." : ""}${type}.${name}`, ...(attribute ? { attribute } : {}) })),
  );
}

/** The reference a value consists of, when it is exactly `${address.attribute}`. */
export function soleReference(value: unknown): Reference | undefined {
  if (typeof value !== "string" || !/^\$\{[^{}]*\}$/.test(value)) return undefined;
  const [reference, ...others] = referencesIn(value);
  return reference && others.length === 0 && value === `\${${reference.address}${reference.attribute ? `.${reference.attribute}` : ""}}` ? reference : undefined;
}

/** Whether a value refers to `address` (with `attribute`, that attribute only). */
export function refersTo(value: unknown, address: string, attribute?: string): boolean {
  return referencesIn(value).some((r) => r.address === address && (attribute === undefined || r.attribute === attribute));
}

/** A boolean as Terraform reads it: true, or the string "true" (any case). */
export const isTrue = (value: unknown) => value === true || (typeof value === "string" && value.toLowerCase() === "true");

/** Terraform JSON nested blocks come as an object or a list of objects. */
export function blocks(value: unknown): Body[] {
  if (Array.isArray(value)) return value.filter((v) => v && typeof v === "object");
  return value && typeof value === "object" ? [value as Body] : [];
}

/** Where a block's `"<name>": {...}` stands in a JSON text; lines and columns from 1, end column exclusive. */
export interface TextRegion {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/**
 * The region of every resource and data block in a Terraform JSON text, by address, in one pass
 * over its characters (JSON strings hold no raw line breaks, so lines are counted outside them).
 */
export function blockRegions(text: string): Map<string, TextRegion> {
  const regions = new Map<string, TextRegion>();
  // The key of each open object or array, from the root down, and where it was opened.
  const open: { key?: string; line: number; column: number }[] = [];
  let line = 1;
  let lineStart = 0;
  let lastString: { value: string; line: number; column: number } | undefined;
  let key: typeof lastString;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") {
      line++;
      lineStart = i + 1;
    } else if (c === '"') {
      const start = i;
      while (text[++i] !== '"') if (text[i] === "\\") i++;
      lastString = { value: JSON.parse(text.slice(start, i + 1)), line, column: start - lineStart + 1 };
    } else if (c === ":") key = lastString;
    else if (c === ",") key = undefined;
    else if (c === "{" || c === "[") {
      open.push({ key: key?.value, line: key?.line ?? line, column: key?.column ?? i - lineStart + 1 });
      key = undefined;
    } else if (c === "}" || c === "]") {
      const block = open.pop();
      const [, section, type] = open.map((o) => o.key);
      if (open.length === 3 && (section === "resource" || section === "data") && block?.key !== undefined) {
        const address = `${section === "data" ? "data." : ""}${type}.${block.key}`;
        regions.set(address, { startLine: block.line, startColumn: block.column, endLine: line, endColumn: i - lineStart + 2 });
      }
    }
  }
  return regions;
}

export class StackView {
  private regions?: Map<string, TextRegion>;

  /** `text`: the JSON text `json` was parsed from, when there is a file. */
  constructor(
    readonly name: string,
    readonly json: Body,
    private readonly text?: string,
  ) {}

  /** Where a block stands in the file the stack was read from (computed on first use). */
  locationOf(address: string): TextRegion | undefined {
    if (this.text === undefined) return undefined;
    this.regions ??= blockRegions(this.text);
    return this.regions.get(address);
  }

  resources(type: string): Block[] {
    return Object.entries<Body>(this.json.resource?.[type] ?? {}).map(([name, body]) => ({ type, name, address: `${type}.${name}`, body }));
  }

  dataSources(type: string): Block[] {
    return Object.entries<Body>(this.json.data?.[type] ?? {}).map(([name, body]) => ({ type, name, address: `data.${type}.${name}`, body }));
  }

  /** The block at an address of this stack. */
  block(address: string): Block | undefined {
    const data = address.startsWith("data.");
    const [type, name] = (data ? address.slice(5) : address).split(".");
    const body = (data ? this.json.data : this.json.resource)?.[type]?.[name];
    return body ? { type, name, address, body } : undefined;
  }

  /** The block a value refers to when it is exactly one reference, and of the given type. */
  referenced(value: unknown, type?: string): Block | undefined {
    const reference = soleReference(value);
    const block = reference && this.block(reference.address);
    return block && (type === undefined || block.type === type) ? block : undefined;
  }

  /** Whether a value identifies `block`: a reference to it, or its literal value of that attribute. */
  identifies(value: unknown, block: Block, attribute: string): boolean {
    return refersTo(value, block.address, attribute) || (value !== undefined && value === block.body[attribute]);
  }

  /** The region a resource is managed in: its own `region` (AWS provider 6), else its provider's. */
  regionOf(block: Block): string | undefined {
    if (typeof block.body.region === "string") return block.body.region;
    const providers = blocks(this.json.provider?.aws);
    const alias = typeof block.body.provider === "string" ? block.body.provider.replace(/^aws\./, "") : undefined;
    const provider = providers.find((p) => (alias ? p.alias === alias : p.alias === undefined));
    return typeof provider?.region === "string" ? provider.region : undefined;
  }
}
