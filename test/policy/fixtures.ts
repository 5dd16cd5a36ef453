import { StackView } from "../../policy/stack";
import type { Rule } from "../../policy/types";

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** A minimal stack as cdktf writes it, with only the blocks a rule looks at. */
export function stack(resource: Blocks, extra: { data?: Blocks; provider?: unknown } = {}): StackView {
  return new StackView("fixture", { resource, ...(extra.data ? { data: extra.data } : {}), ...(extra.provider ? { provider: extra.provider } : {}) });
}

export const ref = (address: string, attribute: string) => `\${${address}.${attribute}}`;

/** A row of a rule's fixture table: what it is, the stack, the addresses the rule must report. */
export type Case = [name: string, fixture: StackView, violations: string[]];

/** The rule is an error and reports exactly these addresses. */
export function expectErrors(rule: Rule, fixture: StackView, expected: string[]) {
  expect(rule.severity).toBe("error");
  expect(rule.check(fixture).map((v) => v.address)).toEqual(expected);
}

export const jsonPolicy = (statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: statement });
export const ALLOW_ALL = { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" };

export const API = "aws_api_gateway_rest_api.api";
export const ENDPOINT = "aws_vpc_endpoint.vpce";

export const privateApi = (extra: Record<string, unknown> = {}) => ({
  api: { name: "private", endpoint_configuration: { types: ["PRIVATE"], vpc_endpoint_ids: [ref(ENDPOINT, "id")] }, ...extra },
});
export const publicApi = (type = "EDGE") => ({ api: { name: "public", endpoint_configuration: { types: [type] } } });
export const endpoint = { vpce: { service_name: "com.amazonaws.eu-west-1.execute-api", vpc_id: "vpc-0123456789abcdef0", security_group_ids: [ref("aws_security_group.sg", "id")] } };

/** An aws_iam_policy_document with the platform's private API statements, adjustable. */
export function policyDocument(deny: Record<string, unknown> | undefined) {
  const everyone = [{ type: "*", identifiers: ["*"] }];
  return {
    aws_iam_policy_document: {
      policy: {
        statement: [
          { effect: "Allow", principals: everyone, actions: ["execute-api:Invoke"], resources: ["execute-api:/*"] },
          ...(deny ? [{ effect: "Deny", principals: everyone, actions: ["execute-api:Invoke"], resources: ["execute-api:/*"], ...deny }] : []),
        ],
      },
    },
  };
}

export const sourceVpce = (test: string, values: string[]) => ({ condition: [{ test, variable: "aws:SourceVpce", values }] });

export const PUT = "aws_api_gateway_rest_api_put.p";

/** An OpenAPI 3 document as the JSON string a body holds; `extra` adds top-level keys (x-amazon-apigateway-policy, ...). */
export const openApi = (paths: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ openapi: "3.0.1", info: { title: "api", version: "1" }, paths, ...extra });

/** An aws_api_gateway_rest_api_put of `body` on the fixture API. */
export const put = (body: unknown, name = "p") => ({ aws_api_gateway_rest_api_put: { [name]: { rest_api_id: ref(API, "id"), body } } });

/** A Lambda proxy integration in a document, with optional cache keys. */
export const lambdaIntegration = (cacheKeyParameters?: string[]) => ({
  type: "aws_proxy",
  httpMethod: "POST",
  uri: "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${aws_lambda_function.f.arn}/invocations",
  ...(cacheKeyParameters ? { cacheKeyParameters } : {}),
});

/** The resource form of `GET /files/{key}`: resource, method and integration. */
export const filesRoute = (method: Record<string, unknown> = {}, integration: Record<string, unknown> = {}) => ({
  aws_api_gateway_resource: {
    files: { rest_api_id: ref(API, "id"), parent_id: ref(API, "root_resource_id"), path_part: "files" },
    key: { rest_api_id: ref(API, "id"), parent_id: ref("aws_api_gateway_resource.files", "id"), path_part: "{key}" },
  },
  aws_api_gateway_method: {
    get: { rest_api_id: ref(API, "id"), resource_id: ref("aws_api_gateway_resource.key", "id"), http_method: "GET", authorization: "NONE", request_parameters: { "method.request.path.key": true }, ...method },
  },
  aws_api_gateway_integration: {
    get: { rest_api_id: ref(API, "id"), resource_id: ref("aws_api_gateway_resource.key", "id"), http_method: ref("aws_api_gateway_method.get", "http_method"), type: "AWS_PROXY", ...integration },
  },
});
