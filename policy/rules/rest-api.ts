import { coversAction, statementsOf } from "../policy-document";
import { Block, blocks, referencesIn, StackView } from "../stack";
import type { Rule, Violation } from "../types";

const REST_APIS = "aws_api_gateway_rest_api";

function endpointTypes(api: Block): string[] {
  return blocks(api.body.endpoint_configuration).flatMap((c) => [].concat(c.types ?? []));
}

export function isPrivate(api: Block): boolean {
  return endpointTypes(api).includes("PRIVATE");
}

/** The REST API a resource belongs to, through its `rest_api_id`. */
export function restApiOf(stack: StackView, block: Block): Block | undefined {
  return stack.referenced(block.body.rest_api_id, REST_APIS);
}

/** The policy text of a REST API: its own `policy`, or that of an aws_api_gateway_rest_api_policy. */
function policiesOf(stack: StackView, api: Block): { address: string; value: unknown }[] {
  const attached = stack
    .resources("aws_api_gateway_rest_api_policy")
    .filter((p) => stack.identifies(p.body.rest_api_id, api, "id"))
    .map((p) => ({ address: p.address, value: p.body.policy }));
  return api.body.policy !== undefined ? [{ address: api.address, value: api.body.policy }, ...attached] : attached;
}

export const privateApiHasPolicy: Rule = {
  id: "APIGW-PRIVATE-POLICY",
  severity: "error",
  message: "A private REST API must have a resource policy",
  explanation:
    "API Gateway refuses to deploy a PRIVATE API without a resource policy, and the policy is what decides which VPC endpoints may call it. Attach one with aws_api_gateway_rest_api_policy (or the API's policy attribute).",
  references: ["AWS docs: Create a private API, resource policy"],
  check: (stack) =>
    stack
      .resources(REST_APIS)
      .filter(isPrivate)
      .filter((api) => policiesOf(stack, api).length === 0)
      .map((api) => ({ address: api.address })),
};

/** The endpoint ids and, through them, the VPC ids a private API is bound to, as written in the configuration. */
function boundTo(stack: StackView, api: Block): { endpoints: string[]; vpcs: string[] } {
  const ids: string[] = blocks(api.body.endpoint_configuration).flatMap((c) => [].concat(c.vpc_endpoint_ids ?? []));
  const vpcs = ids.flatMap((id) => {
    const endpoint = stack.referenced(id, "aws_vpc_endpoint");
    return endpoint && typeof endpoint.body.vpc_id === "string" ? [endpoint.body.vpc_id] : [];
  });
  return { endpoints: ids, vpcs };
}

const NEGATED_EQUALS = ["StringNotEquals", "StringNotEqualsIfExists", "ForAnyValue:StringNotEquals"];

export const privateApiPolicyBoundToEndpoint: Rule = {
  id: "APIGW-PRIVATE-POLICY-VPCE",
  severity: "error",
  message: "A private REST API's policy must deny execute-api:Invoke unless the call comes through an endpoint the API is bound to",
  explanation:
    "An Allow for every principal is only safe next to a Deny of execute-api:Invoke with StringNotEquals on aws:SourceVpce (or aws:SourceVpc) listing the API's own VPC endpoints (or their VPCs). A Deny keyed to another endpoint locks the API's own callers out; a StringEquals Deny blocks the endpoint and lets everyone else through.",
  references: ["AWS docs: Private API resource policies (aws:SourceVpce)", "Security Hub: APIGateway (private API exposure)"],
  check: (stack) => {
    const violations: Violation[] = [];
    for (const api of stack.resources(REST_APIS).filter(isPrivate)) {
      const { endpoints, vpcs } = boundTo(stack, api);
      for (const { address, value } of policiesOf(stack, api)) {
        const detail = policyProblem(stack, value, endpoints, vpcs);
        if (detail) violations.push({ address, detail });
      }
    }
    return violations;
  },
};

function policyProblem(stack: StackView, value: unknown, endpoints: string[], vpcs: string[]): string | undefined {
  const statements = statementsOf(stack, value);
  if (!statements) return "the policy is a Terraform expression that cannot be read from the configuration";
  if (endpoints.length === 0) return "the API lists no vpc_endpoint_ids to check the policy against";
  const invokeDenies = statements.filter((s) => s.effect === "Deny" && coversAction(s, "execute-api:Invoke"));
  const keyed = invokeDenies.filter((s) =>
    s.conditions.some((c) => NEGATED_EQUALS.includes(c.test) && ["aws:sourcevpce", "aws:sourcevpc"].includes(c.variable.toLowerCase())),
  );
  const bound = keyed.some((s) =>
    s.conditions.some((c) => {
      const key = c.variable.toLowerCase();
      const admitted = key === "aws:sourcevpce" ? endpoints : key === "aws:sourcevpc" ? vpcs : [];
      return NEGATED_EQUALS.includes(c.test) && c.values.some((v) => admitted.includes(v));
    }),
  );
  if (bound) return undefined;
  if (keyed.length > 0) return "its Deny names aws:SourceVpce/aws:SourceVpc values that are not the API's own endpoints";
  if (invokeDenies.some((s) => s.conditions.some((c) => /^StringEquals/.test(c.test) && /^aws:sourcevpce?$/i.test(c.variable)))) {
    return "its Deny uses StringEquals on the endpoint, which blocks the endpoint and admits everyone else; use StringNotEquals";
  }
  return "no Deny of execute-api:Invoke keyed to the API's VPC endpoints";
}

export const privateDomainBoundToEndpoint: Rule = {
  id: "APIGW-PRIVATE-DOMAIN",
  severity: "error",
  message: "A private custom domain must be associated with a VPC endpoint and its policy must deny invocation from anywhere else",
  explanation:
    "A private custom domain name is reachable only through the VPC endpoints it has an aws_api_gateway_domain_name_access_association with, and its own policy decides who may invoke through it. Like a private API's policy, it needs a Deny of execute-api:Invoke with StringNotEquals aws:SourceVpce naming those endpoints.",
  references: ["AWS docs: Custom domain names for private APIs in API Gateway"],
  check: (stack) =>
    stack
      .resources("aws_api_gateway_domain_name")
      .filter(isPrivate)
      .flatMap((domain) => {
        const endpoints = stack
          .resources("aws_api_gateway_domain_name_access_association")
          .filter((a) => stack.identifies(a.body.domain_name_arn, domain, "arn") && a.body.access_association_source_type === "VPCE")
          .map((a) => a.body.access_association_source);
        if (endpoints.length === 0) return [{ address: domain.address, detail: "no access association with a VPC endpoint" }];
        const detail = domain.body.policy === undefined ? "no policy" : policyProblem(stack, domain.body.policy, endpoints, []);
        return detail ? [{ address: domain.address, detail }] : [];
      }),
};

/** The methods and integrations of an API, by address. */
function routeElements(stack: StackView, api: Block): Block[] {
  return ["aws_api_gateway_method", "aws_api_gateway_integration"].flatMap((type) =>
    stack.resources(type).filter((b) => stack.identifies(b.body.rest_api_id, api, "id")),
  );
}

export const deploymentRedeploys: Rule = {
  id: "APIGW-DEPLOYMENT-TRIGGERS",
  severity: "error",
  message: "A REST API deployment must have triggers covering every method, integration and the resource policy",
  explanation:
    "A deployment is a snapshot: API Gateway serves method, integration and policy changes only after a new deployment. Without triggers that change with them, Terraform updates the API and keeps serving the old snapshot. Reference each method and integration (and the policy document or aws_api_gateway_rest_api_policy) in `triggers`.",
  references: ["Terraform AWS provider docs: aws_api_gateway_deployment, triggers"],
  check: (stack) =>
    stack.resources("aws_api_gateway_deployment").flatMap((deployment) => {
      const triggers = deployment.body.triggers;
      if (!triggers || Object.keys(triggers).length === 0) return [{ address: deployment.address, detail: "no triggers" }];
      const api = restApiOf(stack, deployment);
      if (!api) return [];
      const referenced = new Set(referencesIn(triggers).map((r) => r.address));
      const missing = routeElements(stack, api)
        .map((b) => b.address)
        .filter((address) => !referenced.has(address));
      const policies = policiesOf(stack, api).filter((p) => p.address !== api.address);
      const policyCovered =
        policies.length === 0 || policies.some((p) => referenced.has(p.address) || referencesIn(p.value).some((r) => referenced.has(r.address)));
      if (!policyCovered) missing.push(...policies.map((p) => p.address));
      return missing.length ? [{ address: deployment.address, detail: `triggers miss ${missing.join(", ")}` }] : [];
    }),
};

export const deploymentCreateBeforeDestroy: Rule = {
  id: "APIGW-DEPLOYMENT-CBD",
  severity: "error",
  message: "A REST API deployment must be created before the one it replaces is destroyed",
  explanation:
    "A stage always points at a deployment: destroying the old deployment first fails (\"Active stages pointing to this deployment must be moved or deleted\") or leaves the stage without one. Set lifecycle.create_before_destroy.",
  references: ["checkov CKV_AWS_217"],
  check: (stack) =>
    stack
      .resources("aws_api_gateway_deployment")
      .filter((d) => d.body.lifecycle?.create_before_destroy !== true)
      .map((d) => ({ address: d.address })),
};

export const publicMethodProtected: Rule = {
  id: "APIGW-METHOD-AUTH",
  severity: "error",
  message: "A method of a public REST API must require authorization or an API key",
  explanation:
    "EDGE and REGIONAL APIs are reachable from the internet. A method with authorization NONE and no API key can be called by anyone; set authorization (AWS_IAM, COGNITO_USER_POOLS, CUSTOM) or api_key_required. Private APIs are guarded by their resource policy instead.",
  references: ["checkov CKV_AWS_59"],
  check: (stack) =>
    stack.resources("aws_api_gateway_method").flatMap((method) => {
      const api = restApiOf(stack, method);
      if (!api || isPrivate(api) || method.body.http_method === "OPTIONS") return [];
      const open = (method.body.authorization ?? "NONE") === "NONE" && method.body.api_key_required !== true;
      return open ? [{ address: method.address, detail: `${method.body.http_method} is open to anyone` }] : [];
    }),
};
