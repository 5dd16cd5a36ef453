/**
 * Route paths as API Gateway reads them: literal segments, `{param}` segments and one
 * trailing greedy `{param+}`. Shared by the REST and HTTP API modules.
 */

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The methods an `ANY` route takes where a route of its own (or API Gateway) answers OPTIONS. */
export const METHODS_OF_ANY = HTTP_METHODS.filter((m): m is Exclude<HttpMethod, "ANY" | "OPTIONS"> => m !== "ANY" && m !== "OPTIONS");

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

/** A route whose method and path were checked: its key and its path's segments. */
export interface CheckedRoute<R> {
  readonly route: R;
  readonly key: string;
  readonly segments: readonly PathSegment[];
}

/** Refuses unknown methods, malformed paths and duplicate routes, naming the route. */
export function checkRoutes<R extends { readonly method: string; readonly path: string }>(
  fail: (route: string, problem: string) => Error,
  routes: readonly R[],
): CheckedRoute<R>[] {
  const seen = new Set<string>();
  return routes.map((route) => {
    const key = routeKey(route.method, route.path);
    if (!(HTTP_METHODS as readonly string[]).includes(route.method)) {
      throw fail(key, `has the method ${JSON.stringify(route.method)}; allowed: ${HTTP_METHODS.join(", ")}`);
    }
    const segments = parsePath(route.path);
    if (typeof segments === "string") throw fail(key, segments);
    if (seen.has(key)) throw fail(key, "is defined twice");
    seen.add(key);
    return { route, key, segments };
  });
}

/**
 * A construct-id fragment for a path, `files:{key}` for `/files/{key}`: `:` cannot occur in a
 * segment, so two paths never share one. These ids are Terraform addresses: do not change them.
 */
export function pathId(segments: readonly PathSegment[]): string {
  return segments.map((s) => s.text).join(":");
}
