/**
 * Route paths as API Gateway reads them: literal segments, `{param}` segments and one
 * trailing greedy `{param+}`. Shared by the REST and HTTP API modules.
 */

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface PathSegment {
  readonly text: string;
  /** The parameter's name for `{name}` and `{name+}` segments. */
  readonly parameter?: string;
  readonly greedy: boolean;
}

const LITERAL = /^[A-Za-z0-9._~-]+$/;
const PARAMETER = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+)?\}$/;

/** Splits a path into segments, or says why it is not a valid route path. */
export function parsePath(path: string): PathSegment[] | string {
  if (path === "/") return [];
  if (!path.startsWith("/") || path.endsWith("/")) return "must start with / and not end with one";
  const segments: PathSegment[] = [];
  const names = new Set<string>();
  for (const [i, text] of path.slice(1).split("/").entries()) {
    const parameter = PARAMETER.exec(text);
    if (parameter) {
      const [, name, greedy] = parameter;
      if (names.has(name)) return `uses the parameter {${name}} twice`;
      if (greedy && i !== path.slice(1).split("/").length - 1) return `has the greedy {${name}+} before the last segment`;
      names.add(name);
      segments.push({ text, parameter: name, greedy: Boolean(greedy) });
    } else if (LITERAL.test(text)) {
      segments.push({ text, greedy: false });
    } else {
      return `has the segment ${JSON.stringify(text)}; allowed: letters, digits and . _ ~ -, {param} or a final {param+}`;
    }
  }
  return segments;
}

/** The route key of a route, as API Gateway writes it: `GET /files/{key}`. */
export function routeKey(method: string, path: string): string {
  return `${method} ${path}`;
}
