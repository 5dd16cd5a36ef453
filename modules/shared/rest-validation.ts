/**
 * Request validation of a REST API: JSON Schema models of request bodies, required headers and
 * query string parameters, and the request validator each route uses, written in the OpenAPI
 * document as `components.schemas`, `required` parameters and `x-amazon-apigateway-request-validator(s)`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-validation-set-up.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-request-validators.html
 */

/** What API Gateway checks before a route's integration sees the request; a failed check is answered 400. */
export interface RestRequestValidation {
  /** The JSON body must match `schema` (JSON Schema draft 4, as API Gateway models are), the model `model`. */
  readonly body?: { readonly model: string; readonly schema: object };
  /** @default none */
  readonly requiredHeaders?: readonly string[];
  /** @default none */
  readonly requiredQueryParameters?: readonly string[];
}

/** The validators a document declares, by the name its operations use. */
const VALIDATORS = {
  body: { validateRequestBody: true, validateRequestParameters: false },
  params: { validateRequestBody: false, validateRequestParameters: true },
  all: { validateRequestBody: true, validateRequestParameters: true },
} as const;

export type ValidatorName = keyof typeof VALIDATORS;

const MODEL_NAME = /^[A-Za-z0-9]{1,128}$/;

/**
 * Schema keywords API Gateway's importer does not take in models: it warns (and the put, with
 * fail_on_warnings, fails) or drops them silently, which would validate something else than
 * the document says. Listed in "Amazon API Gateway important notes for REST APIs".
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis
 */
const UNSUPPORTED_KEYWORDS: Readonly<Record<string, string>> = {
  discriminator: "not supported in any schema object",
  example: "not supported",
  exclusiveMinimum: "not supported",
  readOnly: "not supported",
  nullable: "dropped on import (models are JSON Schema draft 4), so null would be refused",
};
const UNSUPPORTED_FORMATS = ["int32", "int64", "decimal"];

/** The validator a route needs: body, parameters, or both; none when it checks nothing. */
export function validatorOf(validation: RestRequestValidation | undefined): ValidatorName | undefined {
  if (!validation) return undefined;
  const body = validation.body !== undefined;
  const params = Boolean(validation.requiredHeaders?.length || validation.requiredQueryParameters?.length);
  return body && params ? "all" : body ? "body" : params ? "params" : undefined;
}

/** What is wrong with a route's validation for API Gateway, or undefined. */
export function validationProblem(validation: RestRequestValidation): string | undefined {
  if (!validation.body) return undefined;
  const { model, schema } = validation.body;
  if (!MODEL_NAME.test(model)) return `has the body model ${JSON.stringify(model)}; API Gateway model names are 1-128 letters and digits`;
  const found = unsupported(schema, "");
  return found ? `has ${found} in the body schema of model ${model}` : undefined;
}

function unsupported(value: unknown, at: string): string | undefined {
  if (Array.isArray(value)) return value.map((v, i) => unsupported(v, `${at}/${i}`)).find(Boolean);
  if (!value || typeof value !== "object") return undefined;
  for (const [key, child] of Object.entries(value)) {
    // Under properties, keys are property names, not keywords.
    if (key === "properties" && child && typeof child === "object") {
      const found = Object.entries(child).map(([name, s]) => unsupported(s, `${at}/properties/${name}`)).find(Boolean);
      if (found) return found;
      continue;
    }
    if (key in UNSUPPORTED_KEYWORDS) return `${key} at #${at || "/"}, which API Gateway models do not support (${UNSUPPORTED_KEYWORDS[key]})`;
    if (key === "format" && UNSUPPORTED_FORMATS.includes(String(child))) return `format ${String(child)} at #${at || "/"}, which API Gateway models do not support`;
    if (key === "$ref") return `a $ref at #${at || "/"}; give the schema inline`;
    const found = unsupported(child, `${at}/${key}`);
    if (found) return found;
  }
  return undefined;
}

/** The document parts for the routes' validation: models and validators actually used. */
export function validationDocument(validations: readonly (RestRequestValidation | undefined)[]): { schemas: Record<string, object>; validators: Record<string, object> } {
  const schemas: Record<string, object> = {};
  const validators: Record<string, object> = {};
  for (const validation of validations) {
    const name = validatorOf(validation);
    if (name) validators[name] = VALIDATORS[name];
    if (validation?.body) schemas[validation.body.model] = validation.body.schema;
  }
  return { schemas, validators };
}

/**
 * The operation's request body for an operation that validates one: naming its model in the API's
 * definition, or with the schema itself in a document without the models (the clients').
 */
export function requestBodyOf(validation: RestRequestValidation | undefined, inline = false): object | undefined {
  if (!validation?.body) return undefined;
  const schema = inline ? validation.body.schema : { $ref: `#/components/schemas/${validation.body.model}` };
  return { required: true, content: { "application/json": { schema } } };
}
