import { StackView } from "../../policy/stack";

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** A minimal stack as cdktf writes it, with only the blocks a rule looks at. */
export function stack(resource: Blocks, extra: { data?: Blocks; provider?: unknown } = {}): StackView {
  return new StackView("fixture", { resource, ...(extra.data ? { data: extra.data } : {}), ...(extra.provider ? { provider: extra.provider } : {}) });
}

export const ref = (address: string, attribute: string) => `\${${address}.${attribute}}`;

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
