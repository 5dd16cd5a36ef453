/**
 * REST routes declared in an OpenAPI 3 document of the repository. Each operation names its
 * backend with the one extension `x-apigw-backend`; everything else is plain OpenAPI, so the
 * same file documents the API for its clients.
 */
import * as formats from "../../config/formats";
import type { ILambdaFunction } from "../lambda-function";
import type { RestIntegration, RestRoute } from "../rest-api";
import type { RestRequestValidation } from "./rest-validation";
import { HTTP_METHODS, HttpMethod, parsePath } from "./routes";

export const BACKEND_EXTENSION = "x-apigw-backend";

/** The backends an `x-apigw-backend` can name, and what each takes. */
const BACKENDS = {
  function: "the name of one of the project's functions",
  functionArn: "the ARN of an existing Lambda function",
  http: "an https:// URL to proxy to ({param}s of the path are passed on)",
  mock: "{ statusCode, body }: a fixed answer from API Gateway",
} as const;

/** A definition file's refusal: names the file and the JSON pointer of what is wrong. */
export class DefinitionError extends Error {
  constructor(file: string, pointer: readonly (string | number)[], problem: string) {
    super(`${file}#${pointer.map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("")}: ${problem}`);
    this.name = "DefinitionError";
  }
}

export interface OpenApiSource {
  /** The file as messages name it, relative to the project. */
  readonly file: string;
  /** Its parsed content (YAML or JSON). */
  readonly document: unknown;
}

export interface ImportBackends {
  /** The project's functions an operation may name, by name. */
  readonly functions: Readonly<Record<string, ILambdaFunction>>;
  /** An existing function by ARN (the ARN's format is checked before). */
  readonly existingFunction: (functionArn: string) => ILambdaFunction;
}

type Json = Record<string, unknown>;
type Fail = (pointer: readonly (string | number)[], problem: string) => Error;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** The routes of every operation of the document, checked as API Gateway and this platform need them. */
export function routesFromOpenApi(source: OpenApiSource, backends: ImportBackends): RestRoute[] {
  const fail: Fail = (pointer, problem) => new DefinitionError(source.file, pointer, problem);
  const document = source.document;
  if (!isObject(document)) throw fail([], "is not an OpenAPI document (a mapping at the top level)");
  if (typeof document.openapi !== "string" || !/^3\.[01]\.\d+$/.test(document.openapi)) {
    throw fail(["openapi"], `is ${JSON.stringify(document.openapi ?? null)}; expected an OpenAPI 3.0 or 3.1 version such as "3.0.3"`);
  }
  if (!isObject(document.paths) || Object.keys(document.paths).length === 0) throw fail(["paths"], "is missing or empty; declare at least one operation");
  const resolve = resolver(document, fail);
  const schemes = isObject(document.components) && isObject(document.components.securitySchemes) ? document.components.securitySchemes : {};
  const operationIds = new Map<string, string>();

  return Object.entries(document.paths).flatMap(([path, item]) => {
    const segments = parsePath(path);
    if (typeof segments === "string") throw fail(["paths", path], `is not a path API Gateway accepts: it ${segments}`);
    if (!isObject(item)) throw fail(["paths", path], "is not a path item (a mapping of methods)");
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    return Object.entries(item)
      .filter(([key]) => key !== "parameters" && key !== "summary" && key !== "description")
      .map(([key, operation]): RestRoute => {
        const at = ["paths", path, key];
        const method = (key === "x-amazon-apigateway-any-method" ? "ANY" : key.toUpperCase()) as HttpMethod;
        if (!HTTP_METHODS.includes(method)) throw fail(at, `is not a method API Gateway routes; allowed: ${HTTP_METHODS.filter((m) => m !== "ANY").map((m) => m.toLowerCase()).join(", ")}, x-amazon-apigateway-any-method`);
        if (!isObject(operation)) throw fail(at, "is not an operation object");
        const operationId = operation.operationId;
        if (typeof operationId !== "string" || !/^[A-Za-z][A-Za-z0-9_]*$/.test(operationId)) {
          throw fail([...at, "operationId"], `is ${operationId === undefined ? "missing" : JSON.stringify(operationId)}; every operation needs one (a letter, then letters, digits or _): clients are generated from it`);
        }
        const other = operationIds.get(operationId);
        if (other) throw fail([...at, "operationId"], `${operationId} is also the operationId of ${other}`);
        operationIds.set(operationId, `${method} ${path}`);

        const parameters = [...shared, ...(Array.isArray(operation.parameters) ? operation.parameters : [])].map((p, i) => resolve(p, [...at, "parameters", i]));
        const named = (location: string) => parameters.filter((p) => p.in === location).map((p) => String(p.name));
        const declaredPath = named("path");
        for (const s of segments.filter((s) => s.parameter)) {
          if (!declaredPath.includes(s.parameter as string)) throw fail([...at, "parameters"], `does not declare the path parameter ${s.parameter} of ${path}`);
        }
        const security = securityOf(operation.security ?? document.security, schemes, fail, [...at, "security"]);
        const responses = isObject(operation.responses) ? (inlineRefs(operation.responses, resolve, fail, [...at, "responses"]) as Readonly<Record<string, object>>) : undefined;
        const requestBody = isObject(operation.requestBody) ? (inlineRefs(operation.requestBody, resolve, fail, [...at, "requestBody"]) as object) : undefined;
        const validation = validationOf(operationId, operation.requestBody, parameters, resolve, fail, [...at, "requestBody"]);
        return {
          path,
          method,
          integration: integrationOf(operation[BACKEND_EXTENSION], backends, fail, [...at, BACKEND_EXTENSION]),
          operationId,
          ...(typeof operation.summary === "string" ? { summary: operation.summary } : {}),
          ...security,
          ...(named("query").length ? { queryParameters: named("query") } : {}),
          ...(named("header").length ? { headerParameters: named("header") } : {}),
          ...(validation ? { validation } : {}),
          ...(requestBody || responses ? { documentation: { ...(requestBody ? { requestBody } : {}), ...(responses ? { responses } : {}) } } : {}),
        };
      });
  });
}

function integrationOf(backend: unknown, backends: ImportBackends, fail: Fail, at: (string | number)[]): RestIntegration {
  const expected = `expected one of ${Object.entries(BACKENDS).map(([k, v]) => `${k} (${v})`).join(", ")}`;
  if (!isObject(backend)) throw fail(at, `is missing; every operation names its backend: ${expected}`);
  const keys = Object.keys(backend);
  if (keys.length !== 1 || !(keys[0] in BACKENDS)) throw fail(at, `has ${keys.join(", ") || "nothing"}; ${expected}`);
  const value = backend[keys[0]];
  const where = [...at, keys[0]];
  switch (keys[0] as keyof typeof BACKENDS) {
    case "function": {
      const fn = typeof value === "string" ? backends.functions[value] : undefined;
      if (!fn) throw fail(where, `is ${JSON.stringify(value)}, which is not a function of the project; known: ${Object.keys(backends.functions).join(", ")}`);
      return { kind: "lambda", function: fn };
    }
    case "functionArn": {
      const problem = typeof value === "string" ? formats.lambdaFunctionArn(value) : "a string";
      if (problem) throw fail(where, `is ${JSON.stringify(value)}; expected ${problem}`);
      return { kind: "lambda", function: backends.existingFunction(value as string) };
    }
    case "http": {
      const problem = typeof value === "string" ? formats.httpsUrl(value.replace(/\{[^}]+\}/g, "x")) : "a string";
      if (problem) throw fail(where, `is ${JSON.stringify(value)}; expected ${problem}`);
      return { kind: "http-proxy", url: value as string };
    }
    case "mock": {
      const statusCode = isObject(value) ? (value.statusCode ?? 200) : undefined;
      if (typeof statusCode !== "number" || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
        throw fail(where, `is ${JSON.stringify(value)}; expected { statusCode: 100-599, body: "<JSON text>" }`);
      }
      const body = (value as Json).body;
      return { kind: "mock", statusCode, body: typeof body === "string" ? body : JSON.stringify(body ?? {}) };
    }
  }
}

/** API keys and SigV4 are what REST APIs check without an authorizer; others are refused until supported. */
function securityOf(requirements: unknown, schemes: Json, fail: Fail, at: (string | number)[]): Pick<RestRoute, "authorization" | "apiKeyRequired"> {
  if (requirements === undefined) return {};
  if (!Array.isArray(requirements)) throw fail(at, "is not a list of security requirements");
  if (requirements.length > 1) throw fail(at, "lists alternatives; API Gateway checks all the schemes of one requirement, so give one");
  const names = requirements.flatMap((r) => (isObject(r) ? Object.keys(r) : []));
  let result: Pick<RestRoute, "authorization" | "apiKeyRequired"> = {};
  for (const name of names) {
    const scheme = schemes[name];
    if (isObject(scheme) && scheme["x-amazon-apigateway-authtype"] === "awsSigv4") result = { ...result, authorization: "AWS_IAM" };
    else if (isObject(scheme) && scheme.type === "apiKey" && scheme.in === "header" && String(scheme.name).toLowerCase() === "x-api-key") result = { ...result, apiKeyRequired: true };
    else throw fail([...at, 0, name], `names the scheme ${name}, which is ${scheme === undefined ? "not in components.securitySchemes" : "not supported"}; supported: an apiKey in the x-api-key header, or one with x-amazon-apigateway-authtype: awsSigv4`);
  }
  return result;
}

/**
 * What API Gateway checks of an operation's requests: a required JSON body against its schema
 * (the model is named after the component the body refers to), and the required header and
 * query string parameters.
 */
function validationOf(operationId: string, requestBody: unknown, parameters: readonly Json[], resolve: ReturnType<typeof resolver>, fail: Fail, at: (string | number)[]): RestRequestValidation | undefined {
  const required = (location: string) => parameters.filter((p) => p.in === location && p.required === true).map((p) => String(p.name));
  const body = isObject(requestBody) ? resolve(requestBody, at) : undefined;
  const content = body && isObject(body.content) ? body.content["application/json"] : undefined;
  const schema = body?.required === true && isObject(content) ? content.schema : undefined;
  const reference = isObject(schema) && typeof schema.$ref === "string" ? /^#\/components\/schemas\/([^/]+)$/.exec(schema.$ref)?.[1] : undefined;
  const model = reference ?? `${operationId[0].toUpperCase()}${operationId.slice(1).replace(/_/g, "")}Body`;
  const validation: RestRequestValidation = {
    ...(isObject(schema) ? { body: { model, schema: inlineRefs(schema, resolve, fail, [...at, "content", "application/json", "schema"]) as object } } : {}),
    ...(required("header").length ? { requiredHeaders: required("header") } : {}),
    ...(required("query").length ? { requiredQueryParameters: required("query") } : {}),
  };
  return Object.keys(validation).length ? validation : undefined;
}

/** Follows a local `$ref` (`#/components/...`), refusing any other. */
function resolver(document: Json, fail: Fail) {
  return (value: unknown, at: readonly (string | number)[]): Json => {
    const seen = new Set<string>();
    let current = value;
    while (isObject(current) && typeof current.$ref === "string") {
      const ref = current.$ref;
      if (!ref.startsWith("#/") || seen.has(ref)) throw fail([...at, "$ref"], `is ${JSON.stringify(ref)}; only references inside the document, without cycles, are followed`);
      seen.add(ref);
      current = ref
        .slice(2)
        .split("/")
        .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
        .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), document);
      if (current === undefined) throw fail([...at, "$ref"], `is ${JSON.stringify(ref)}, which points at nothing in the document`);
    }
    if (!isObject(current)) throw fail(at, "is not an object");
    return current;
  };
}

/** A copy with every local `$ref` replaced by what it points at, so the part stands alone in another document. */
function inlineRefs(value: unknown, resolve: ReturnType<typeof resolver>, fail: Fail, at: (string | number)[], depth = 0): unknown {
  // Only a schema that contains itself nests this deep; it cannot be inlined.
  if (depth > 64) throw fail(at, "nests references too deep: a schema that refers to itself cannot be exported");
  if (Array.isArray(value)) return value.map((v, i) => inlineRefs(v, resolve, fail, [...at, i], depth + 1));
  if (!isObject(value)) return value;
  const target = typeof value.$ref === "string" ? resolve(value, at) : value;
  return Object.fromEntries(Object.entries(target).map(([k, v]) => [k, inlineRefs(v, resolve, fail, [...at, k], depth + 1)]));
}
