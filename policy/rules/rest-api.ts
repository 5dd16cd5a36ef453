import { Condition, coversAction, Statement, statementsOf } from "../policy-document";
import { describeRoute, RestDocument, restDefinition, unreadableDocuments } from "../rest-routes";
import { Block, blocks, Reference, referencesIn, refersTo, StackView } from "../stack";
import type { Rule, Violation } from "../types";
import { v2DeploymentTriggerViolations } from "./websocket";

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

export const privateApiHasPolicy: Rule = {
  id: "APIGW-PRIVATE-POLICY",
  severity: "error",
  message: "A private REST API must have a resource policy",
  explanation:
    "API Gateway refuses to deploy a PRIVATE API without a resource policy, and the policy is what decides which VPC endpoints may call it. Attach one with aws_api_gateway_rest_api_policy, the API's policy attribute, or x-amazon-apigateway-policy in its OpenAPI document.",
  references: ["AWS docs: Create a private API, resource policy", "AWS docs: x-amazon-apigateway-policy"],
  check: (stack) =>
    stack
      .resources(REST_APIS)
      .filter(isPrivate)
      .map((api) => restDefinition(stack, api))
      .filter((definition) => definition.policies.length === 0)
      .flatMap((definition) => {
        const unreadable = unreadableDocuments(definition);
        return unreadable.length ? unreadable : [{ address: definition.api.address }];
      }),
};

/** The VPC ids of the endpoints a private API is bound to, as written in the configuration. */
function vpcsOf(stack: StackView, endpointIds: readonly string[]): string[] {
  return endpointIds.flatMap((id) => {
    const endpoint = stack.referenced(id, "aws_vpc_endpoint");
    return endpoint && typeof endpoint.body.vpc_id === "string" ? [endpoint.body.vpc_id] : [];
  });
}

// ForAllValues holds when the key is missing, as the plain negated test does.
const NEGATED_EQUALS = ["StringNotEquals", "StringNotEqualsIfExists", "StringNotEqualsIgnoreCase", "StringNotEqualsIgnoreCaseIfExists", "ForAnyValue:StringNotEquals", "ForAllValues:StringNotEquals", "ForAllValues:StringNotEqualsIfExists"];

export const privateApiPolicyBoundToEndpoint: Rule = {
  id: "APIGW-PRIVATE-POLICY-VPCE",
  severity: "error",
  message: "A private REST API's policy must deny execute-api:Invoke on the whole API unless the call comes through an endpoint the API is bound to",
  explanation:
    "An Allow for every principal is only safe next to a Deny of execute-api:Invoke on the whole API (execute-api:/*, or its expanded form <execution_arn>/* that API Gateway stores) with StringNotEquals on aws:SourceVpce (or aws:SourceVpc) listing the API's own VPC endpoints (or their VPCs). A Deny keyed to another endpoint locks the API's own callers out; a StringEquals Deny blocks the endpoint and lets everyone else through. Policies in the API's OpenAPI document (x-amazon-apigateway-policy) are checked too.",
  references: ["AWS docs: Private API resource policies (aws:SourceVpce)", "Security Hub: APIGateway (private API exposure)"],
  check: (stack) => {
    const violations: Violation[] = [];
    for (const definition of stack.resources(REST_APIS).filter(isPrivate).map((api) => restDefinition(stack, api))) {
      const endpoints = [...definition.endpointIds];
      for (const { address, value, pointer } of definition.policies) {
        const detail = policyProblem(stack, value, endpoints, vpcsOf(stack, endpoints), definition.api);
        if (detail) violations.push({ address, detail: pointer ? `${pointer}: ${detail}` : detail });
      }
      violations.push(...unreadableDocuments(definition));
    }
    return violations;
  },
};

/**
 * Whether a statement's resources cover every method of the API: `*`, the `execute-api:/*`
 * shorthand, or the form API Gateway expands it to, `arn:<partition>:execute-api:<region>:<account>:<api id>/*`
 * (written `${<api>.execution_arn}/*` in Terraform, to avoid the perpetual diff of the shorthand).
 */
function coversWholeApi(statement: Statement, api: Block): boolean {
  return statement.resources.some((resource) => {
    if (resource === "*" || resource === "execute-api:/*" || resource === `\${${api.address}.execution_arn}/*`) return true;
    const arn = /^arn:[^:]+:execute-api:[^:]+:[^:]+:([^/]+)\/\*$/.exec(resource);
    return arn !== null && (arn[1] === "*" || refersTo(arn[1], api.address, "id"));
  });
}

/** What is wrong with a policy bound to `endpoints`; with `api`, its Deny must also cover the whole API. */
function policyProblem(stack: StackView, value: unknown, endpoints: string[], vpcs: string[], api?: Block): string | undefined {
  const statements = statementsOf(stack, value);
  if (!statements) return "the policy is a Terraform expression that cannot be read from the configuration";
  if (endpoints.length === 0) return "the API lists no VPC endpoint ids (vpc_endpoint_ids or vpcEndpointIds) to check the policy against";
  const invokeDenies = statements.filter((s) => s.effect === "Deny" && coversAction(s, "execute-api:Invoke"));
  const keyed = invokeDenies.filter((s) =>
    s.conditions.some((c) => NEGATED_EQUALS.includes(c.test) && ["aws:sourcevpce", "aws:sourcevpc"].includes(c.variable.toLowerCase())),
  );
  const admittedBy = (variable: string) => (variable.toLowerCase() === "aws:sourcevpce" ? endpoints : variable.toLowerCase() === "aws:sourcevpc" ? vpcs : []);
  const bound = keyed.filter((s) => s.conditions.some((c) => NEGATED_EQUALS.includes(c.test) && c.values.some((v) => admittedBy(c.variable).includes(v))));
  // Conditions are ANDed and the Deny binds only the principals it names: a narrow principal, or any
  // condition but "not through the API's own endpoints (or VPCs)", makes it inert for some foreign
  // callers: a Null test, another key, or a second endpoint key naming a foreign endpoint or VPC.
  const holdsForEveryForeignCaller = (c: Condition) => NEGATED_EQUALS.includes(c.test) && c.values.length > 0 && c.values.every((v) => admittedBy(c.variable).includes(v));
  const inert = (s: Statement) => !s.principals.includes("*") || !s.conditions.every(holdsForEveryForeignCaller);
  if (bound.length > 0 && bound.every(inert)) {
    return `its Deny applies only ${bound.some((s) => !s.principals.includes("*")) ? `to ${bound.flatMap((s) => s.principals).join(", ")}` : `when ${bound.flatMap((s) => s.conditions.filter((c) => !holdsForEveryForeignCaller(c)).map((c) => `${c.test} ${c.variable} ${c.values.join(", ")}`)).join(", ")} also holds`}, so callers from other networks are not denied; deny Principal * with the endpoint condition alone`;
  }
  if (bound.length > 0) {
    if (api === undefined || bound.some((s) => coversWholeApi(s, api))) return undefined;
    return `its Deny covers only ${bound.flatMap((s) => s.resources).join(", ") || "no resource"}, not the whole API; use execute-api:/* or \${${api.address}.execution_arn}/*`;
  }
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

/** What a deployment's triggers must reference for a document: the put, or the API's `body`. */
function documentCovered(document: RestDocument, references: Reference[]): boolean {
  return references.some((r) => r.address === document.address && (document.source === "put" || r.attribute === undefined || r.attribute === "body"));
}

export const deploymentRedeploys: Rule = {
  id: "APIGW-DEPLOYMENT-TRIGGERS",
  severity: "error",
  message: "A deployment must have triggers covering every method or route, integration, OpenAPI document, route response, authorizer and the resource policy of its API",
  explanation:
    "A deployment is a snapshot: API Gateway serves method, integration and policy changes only after a new deployment. Without triggers that change with them, Terraform updates the API and keeps serving the old snapshot. Reference each method and integration, each aws_api_gateway_rest_api_put (e.g. sha1(aws_api_gateway_rest_api_put.x.body)) or the API's body, and the policy document or aws_api_gateway_rest_api_policy in `triggers`. For an HTTP or WebSocket API (aws_apigatewayv2_deployment), reference each route, integration, route response and authorizer.",
  references: ["Terraform AWS provider docs: aws_api_gateway_deployment, triggers", "Terraform AWS provider docs: aws_api_gateway_rest_api_put", "Terraform AWS provider docs: aws_apigatewayv2_deployment, triggers"],
  check: (stack) => [
    ...stack.resources("aws_api_gateway_deployment").flatMap((deployment) => {
      const triggers = deployment.body.triggers;
      if (!triggers || Object.keys(triggers).length === 0) return [{ address: deployment.address, detail: "no triggers" }];
      const api = restApiOf(stack, deployment);
      if (!api) return [];
      const definition = restDefinition(stack, api);
      const references = referencesIn(triggers);
      const referenced = new Set(references.map((r) => r.address));
      const missing = [
        ...definition.elements.map((b) => b.address).filter((address) => !referenced.has(address)),
        ...definition.documents.filter((d) => !documentCovered(d, references)).map((d) => (d.source === "body" ? `${d.address}.body` : d.address)),
      ];
      // The API's own policy attribute and a document's policy change with the API and the document.
      const attached = definition.policies.filter((p) => p.address !== api.address && p.pointer === undefined);
      const policyCovered = attached.length === 0 || attached.some((p) => referenced.has(p.address) || referencesIn(p.value).some((r) => referenced.has(r.address)));
      if (!policyCovered) missing.push(...attached.map((p) => p.address));
      return missing.length ? [{ address: deployment.address, detail: `triggers miss ${missing.join(", ")}` }] : [];
    }),
    ...v2DeploymentTriggerViolations(stack),
  ],
};

export const deploymentCreateBeforeDestroy: Rule = {
  id: "APIGW-DEPLOYMENT-CBD",
  severity: "error",
  message: "A deployment (REST, HTTP or WebSocket) must be created before the one it replaces is destroyed",
  explanation:
    "A stage always points at a deployment: destroying the old deployment first fails (\"Active stages pointing to this deployment must be moved or deleted\") or leaves the stage without one. Set lifecycle.create_before_destroy.",
  equivalents: { checkov: ["CKV_AWS_217"] },
  references: [],
  check: (stack) =>
    [...stack.resources("aws_api_gateway_deployment"), ...stack.resources("aws_apigatewayv2_deployment")]
      .filter((d) => d.body.lifecycle?.create_before_destroy !== true)
      .map((d) => ({ address: d.address })),
};

export const publicMethodProtected: Rule = {
  id: "APIGW-METHOD-AUTH",
  severity: "error",
  message: "A method of a public REST API must require authorization or an API key",
  explanation:
    "EDGE and REGIONAL APIs are reachable from the internet. A method with authorization NONE and no API key can be called by anyone; set authorization (AWS_IAM, COGNITO_USER_POOLS, CUSTOM) or api_key_required, or in an OpenAPI document a security requirement naming an x-amazon-apigateway-authtype / x-amazon-apigateway-authorizer scheme or the x-api-key apiKey scheme. Private APIs are guarded by their resource policy instead.",
  equivalents: { checkov: ["CKV_AWS_59", "CKV2_AWS_70"], trivy: ["AVD-AWS-0004"] },
  references: ["AWS docs: OpenAPI extensions for API Gateway (x-amazon-apigateway-authtype, x-amazon-apigateway-authorizer)"],
  check: (stack) =>
    stack
      .resources(REST_APIS)
      .filter((api) => !isPrivate(api))
      .map((api) => restDefinition(stack, api))
      .flatMap((definition) => [
        ...definition.routes
          .filter((route) => route.httpMethod !== "OPTIONS" && route.authorization === "NONE" && !route.apiKeyRequired)
          .map((route) => ({ address: route.address, detail: `${describeRoute(route)} is open to anyone` })),
        ...unreadableDocuments(definition),
      ]),
};
