import { coversAction, statementsOf } from "../policy-document";
import { Block, blocks, referencesIn, soleReference, StackView } from "../stack";
import type { Rule, Violation } from "../types";

const V2_APIS = "aws_apigatewayv2_api";

/** The v2 API a route, stage or deployment belongs to, through its `api_id`. */
export function v2ApiOf(stack: StackView, block: Block): Block | undefined {
  return stack.referenced(block.body.api_id, V2_APIS);
}

/**
 * Whether a v2 route belongs to a WebSocket API: its API's protocol_type, or, when the API is not
 * in the stack, its key (HTTP keys are `<METHOD> <path>` or `$default`).
 */
export function isWebSocketRoute(stack: StackView, route: Block): boolean {
  const api = v2ApiOf(stack, route);
  if (api) return api.body.protocol_type === "WEBSOCKET";
  const key = String(route.body.route_key ?? "");
  return key !== "$default" && !key.includes(" ");
}

/** Whether a v2 stage belongs to a WebSocket API of the stack. */
export function isWebSocketStage(stack: StackView, stage: Block): boolean {
  return v2ApiOf(stack, stage)?.body.protocol_type === "WEBSOCKET";
}

/** What a v2 API's deployment snapshots: a change to any of them is served only by a new deployment. */
const DEPLOYED_PARTS = ["aws_apigatewayv2_route", "aws_apigatewayv2_integration", "aws_apigatewayv2_route_response", "aws_apigatewayv2_authorizer"];

/** aws_apigatewayv2_deployment resources whose triggers miss a part of their API (part of APIGW-DEPLOYMENT-TRIGGERS). */
export function v2DeploymentTriggerViolations(stack: StackView): Violation[] {
  return stack.resources("aws_apigatewayv2_deployment").flatMap((deployment): Violation[] => {
    const triggers = deployment.body.triggers;
    if (!triggers || Object.keys(triggers).length === 0) return [{ address: deployment.address, detail: "no triggers" }];
    const api = v2ApiOf(stack, deployment);
    if (!api) return [];
    const referenced = new Set(referencesIn(triggers).map((r) => r.address));
    const missing = DEPLOYED_PARTS.flatMap((type) => stack.resources(type))
      .filter((part) => stack.identifies(part.body.api_id, api, "id") && !referenced.has(part.address))
      .map((part) => part.address);
    return missing.length ? [{ address: deployment.address, detail: `triggers miss ${missing.join(", ")}` }] : [];
  });
}

export const websocketConnectAuthorized: Rule = {
  id: "APIGW-WS-CONNECT-AUTH",
  severity: "error",
  message: "A WebSocket API must authorize its $connect route (AWS_IAM, or CUSTOM with an authorizer id)",
  explanation:
    "A WebSocket API authorizes a connection once, on $connect; every later message of the connection is accepted without another check. A $connect with authorization_type NONE, or no $connect route at all, lets anyone on the internet connect and send. Set authorization_type CUSTOM with the authorizer_id of a REQUEST authorizer (browsers pass the token in the query string), or AWS_IAM. A $connect that must stay open needs a suppression with its reason.",
  equivalents: { securityHub: ["APIGateway.8"] },
  references: ["AWS docs: Controlling access to WebSocket APIs in API Gateway"],
  check: (stack) => {
    const routes = stack.resources("aws_apigatewayv2_route").filter((route) => isWebSocketRoute(stack, route));
    const connects = routes.filter((route) => route.body.route_key === "$connect");
    return [
      ...connects.flatMap((route): Violation[] => {
        const type = route.body.authorization_type ?? "NONE";
        if (type === "AWS_IAM" || (type === "CUSTOM" && route.body.authorizer_id)) return [];
        return [{ address: route.address, detail: type === "CUSTOM" ? "CUSTOM without authorizer_id" : `authorization_type ${type}` }];
      }),
      ...stack
        .resources(V2_APIS)
        .filter((api) => api.body.protocol_type === "WEBSOCKET")
        .filter((api) => !connects.some((route) => stack.identifies(route.body.api_id, api, "id")))
        .map((api) => ({ address: api.address, detail: "no $connect route: every connection is accepted unauthorized" })),
    ];
  },
};

const ARN = /^arn:[^:]+:execute-api:[^:]+:[^:]+:(.*)$/;

/**
 * Why a resource granted `execute-api:ManageConnections` reaches beyond one stage's
 * `@connections`, or undefined when it does not. Read as `<api id>/<stage>/<method>/@connections/...`,
 * with `${<api>.execution_arn}` standing for the API and `${<stage>.execution_arn}` for API and stage.
 * A Terraform expression it cannot read is left alone.
 */
function tooWide(resource: string): string | undefined {
  if (resource === "*") return "every API";
  let segments: string[];
  const arn = ARN.exec(resource);
  const reference = /^(\$\{[^{}]+\})(.*)$/.exec(resource);
  if (arn) segments = arn[1].split("/");
  else if (reference) {
    const target = soleReference(reference[1]);
    if (target?.attribute !== "execution_arn") return undefined;
    const prefix = target.address.startsWith("aws_apigatewayv2_stage.") ? ["<api>", "<stage>"] : target.address.startsWith(`${V2_APIS}.`) ? ["<api>"] : undefined;
    if (!prefix) return undefined;
    segments = [...prefix, ...reference[2].split("/").slice(1)];
  } else return undefined;
  const [api, stage, , connections] = segments;
  if (api === undefined || api.includes("*")) return "every API";
  if (stage === undefined || stage.includes("*")) return "the whole API (every stage)";
  if (connections !== "@connections") return `${segments.slice(1).join("/")}, not its @connections`;
  return undefined;
}

/** Every identity policy attached to a role, user or group of the stack, or standing alone. */
function identityPolicies(stack: StackView): { address: string; value: unknown }[] {
  return [
    ...["aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_policy"].flatMap((type) => stack.resources(type).map((p) => ({ address: p.address, value: p.body.policy }))),
    ...stack.resources("aws_iam_role").flatMap((role) => blocks(role.body.inline_policy).map((p) => ({ address: role.address, value: p.policy }))),
  ];
}

export const manageConnectionsScoped: Rule = {
  id: "APIGW-WS-MANAGE-CONNECTIONS",
  severity: "error",
  message: "execute-api:ManageConnections must be granted on one stage's @connections only, never on * or a whole API",
  explanation:
    "ManageConnections lets its holder post to, read and close the connections of WebSocket APIs: granted on `*` or on `<api>/*`, a compromised function can push messages to every client of every API or stage and disconnect them. Grant it on `<stage execution_arn>/POST/@connections/*` (the callback a backend uses), e.g. `${aws_apigatewayv2_stage.x.execution_arn}/POST/@connections/*`.",
  references: ["AWS docs: Use IAM authorization for WebSocket APIs (@connections ARN format)", "AWS docs: Use @connections commands in your backend service"],
  check: (stack) =>
    identityPolicies(stack).flatMap(({ address, value }) => {
      const problems = (statementsOf(stack, value) ?? [])
        .filter((s) => s.effect === "Allow" && coversAction(s, "execute-api:ManageConnections"))
        .flatMap((s) => s.resources.flatMap((resource) => {
          const wide = tooWide(resource);
          return wide ? [`${resource} covers ${wide}`] : [];
        }));
      return problems.length ? [{ address, detail: problems.join("; ") }] : [];
    }),
};
