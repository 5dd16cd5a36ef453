import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { loadEnvironments } from "../../config/loader";
import { renderDashboard } from "../../diagram/dashboard";
import { buildDiagram, Diagram, withFindings } from "../../diagram/graph";
import { sourceDigest, toDot } from "../../diagram/render";
import { svgSourceDigest } from "../../diagram/svg";
import { StackView } from "../../policy/stack";
import { buildPlatform } from "../../stacks/platform";
import { OUTPUT_LAYOUT } from "../fixtures/layout";
import { openApi, ref, stack } from "../policy/fixtures";

/** Nodes as `kind: title` and edges as `from --> to [label]` (`-.->` dashed), by title. */
function view(diagram: Diagram) {
  const title = (id: string) => diagram.nodes.find((n) => n.id === id)!.title;
  return {
    nodes: diagram.nodes.map((n) => `${n.kind}: ${n.title}`),
    edges: diagram.edges.map((e) => `${title(e.from)} ${e.dashed ? "-.->" : "-->"} ${title(e.to)}${e.label ? ` [${e.label}]` : ""}`),
  };
}

const node = (diagram: Diagram, title: string) => diagram.nodes.find((n) => n.title === title)!;

function allAddresses(s: StackView): string[] {
  const of = (section: Record<string, Record<string, unknown>> | undefined, prefix: string) =>
    Object.entries(section ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${prefix}${type}.${name}`));
  return [...of(s.json.resource, ""), ...of(s.json.data, "data.")].sort();
}

describe("buildDiagram", () => {
  describe("shipped environments", () => {
    // The diagram only reads the synthesized JSON, so one synth of the platform serves every test here
    // (with an organization, so that the stack managing Terraform Cloud is built too).
    let stacks: Map<string, StackView> | undefined;
    const synthesized = (name: string) => {
      if (!stacks) {
        const platform = buildPlatform(Testing.app(), loadEnvironments(path.join("config", "environments")), { TFC_ORGANIZATION: "acme" }, OUTPUT_LAYOUT);
        const all = [...platform.environments, ...platform.accounts, ...platform.endpoints, ...(platform.tfc ? [platform.tfc] : [])];
        stacks = new Map(all.map((s) => [s.node.id, new StackView(s.node.id, JSON.parse(Testing.synth(s, true)))]));
      }
      return stacks.get(name)!;
    };
    const SHIPPED = [
      "dev",
      "staging",
      "prod",
      "account-111111111111-eu-west-1",
      "account-222222222222-eu-west-1",
      "endpoint-vpc-0a1b2c3d4e5f60718",
      "endpoint-vpc-0b1c2d3e4f5a60718",
      "endpoint-vpc-0c1d2e3f4a5b60718",
      "tfc",
    ];

    test("prod: callers, domains, the four APIs, their routes, functions and what they lead on to", () => {
      const diagram = buildDiagram(synthesized("prod"));
      expect(view(diagram).edges).toEqual([
        "VPC vpc-0c1d2e3f4a5b60718 --> execute-api VPC endpoint [HTTPS]",
        "execute-api VPC endpoint --> files.prod.internal.example.com [access association]",
        "Internet --> api.prod.example.com [HTTPS]",
        "Internet --> app.prod.example.com [HTTPS]",
        "Internet --> ws.prod.example.com [HTTPS]",
        "execute-api VPC endpoint --> REST API · PRIVATE [execute-api]",
        "REST API · PRIVATE --> /files",
        "/files --> Lambda apigw-prod-object-reader",
        "request authorizer tokens -.-> Lambda apigw-prod-authorizer",
        "REST API · EDGE --> /hello",
        "request authorizer tokens -.-> /hello [authorizes]",
        "/hello --> Lambda apigw-prod-hello-get",
        "/hello --> Lambda apigw-prod-hello-post",
        "REST API · EDGE --> /users",
        "cognito_user_pools authorizer users -.-> /users [authorizes]",
        "/users --> Lambda apigw-prod-users",
        "REST API · EDGE --> /events",
        "request authorizer tokens -.-> /events [authorizes]",
        "/events --> Kinesis stream apigw-prod-events [PutRecord]",
        "REST API · EDGE --> /stream",
        "request authorizer tokens -.-> /stream [authorizes]",
        "/stream --> Lambda apigw-prod-stream",
        "REST API · EDGE --> /legacy",
        "cognito_user_pools authorizer users -.-> /legacy [authorizes]",
        "/legacy --> VPC link apigw-prod-legacy [VPC link]",
        "VPC link apigw-prod-legacy --> NLB legacy-prod [HTTP]",
        "Lambda authorizer apigw-prod-http-lambda -.-> Lambda apigw-prod-authorizer",
        "HTTP API --> /legacy",
        "JWT authorizer apigw-prod-http-jwt -.-> /legacy [authorizes]",
        "/legacy --> VPC link apigw-prod-legacy-http [VPC link]",
        "VPC link apigw-prod-legacy-http --> NLB legacy-prod [HTTP]",
        "HTTP API --> /orders",
        "JWT authorizer apigw-prod-http-jwt -.-> /orders [authorizes]",
        "/orders --> Lambda apigw-prod-orders",
        "/orders --> SQS queue apigw-prod-orders [SendMessage]",
        "HTTP API --> /products",
        "Lambda authorizer apigw-prod-http-lambda -.-> /products [authorizes]",
        "/products --> Lambda apigw-prod-products",
        "Internet --> WebSocket API [default endpoint]",
        "Lambda authorizer apigw-prod-ws-connect -.-> Lambda apigw-prod-ws-authorizer",
        "WebSocket API --> routes",
        "Lambda authorizer apigw-prod-ws-connect -.-> routes [authorizes]",
        "routes --> Lambda apigw-prod-ws-connect",
        "routes --> Lambda apigw-prod-ws-default",
        "routes --> Lambda apigw-prod-ws-disconnect",
        "routes --> Lambda apigw-prod-ws-messages",
        "files.prod.internal.example.com --> REST API · PRIVATE [/ → prod]",
        "api.prod.example.com --> REST API · EDGE [/v1 → prod]",
        "app.prod.example.com --> HTTP API [/ → $default]",
        "ws.prod.example.com --> WebSocket API [/ → prod]",
        "Kinesis stream apigw-prod-events --> Firehose apigw-prod-events",
        "Firehose apigw-prod-events --> S3 bucket acme-prod-events [events/]",
        "SQS queue apigw-prod-orders --> SQS queue apigw-prod-orders-dlq [dead letters after 5 receives]",
        "Lambda apigw-prod-object-reader --> S3 bucket acme-prod-files [GetObject]",
        "Lambda apigw-prod-ws-connect --> DynamoDB table apigw-prod-ws-connections [PutItem]",
        "Lambda apigw-prod-ws-disconnect --> DynamoDB table apigw-prod-ws-connections [Query, DeleteItem]",
        "Lambda apigw-prod-ws-messages --> DynamoDB table apigw-prod-ws-connections [PutItem, Query, DeleteItem]",
        "Lambda apigw-prod-ws-messages --> WebSocket API [ManageConnections]",
      ]);
      expect(diagram.clusters.map((c) => c.title)).toEqual(["REST API apigw-prod-private", "REST API apigw-prod-public", "HTTP API apigw-prod-http", "WebSocket API apigw-prod-ws"]);
      // The endpoint stack of the VPC manages the endpoint; prod only looks it up.
      expect(node(diagram, "execute-api VPC endpoint").details).toEqual(["in vpc-0c1d2e3f4a5b60718", "looked up: managed outside this stack"]);
      expect(node(diagram, "api.prod.example.com").details).toEqual(["EDGE custom domain · TLS 1.2", "certificate in us-east-1, DNS-validated"]);
      expect(node(diagram, "files.prod.internal.example.com").details).toEqual(["PRIVATE custom domain · TLS 1.2", "certificate in eu-west-1, DNS-validated"]);
      expect(node(diagram, "REST API · PRIVATE").details).toEqual(["stage prod: 1000 req/s, burst 2000, cache 0.5 GB"]);
      expect(node(diagram, "REST API · EDGE").details).toEqual(["default endpoint off", "stage prod: 1000 req/s, burst 2000, WAF", "usage plan: 250 req/s, burst 500, quota 1000000/month, 2 API keys"]);
      expect(node(diagram, "HTTP API").details).toEqual(["default endpoint off", "stage $default: 1000 req/s, burst 2000, auto-deploy"]);
      expect(node(diagram, "/users").details).toEqual([
        "GET /users · Cognito + API key (users/read)",
        "POST /users · Cognito + API key (users/write)",
        "OPTIONS /users · CORS preflight",
        "GET /users/{id} · Cognito + API key (users/read)",
        "PUT, DELETE /users/{id} · Cognito + API key (users/write)",
        "OPTIONS /users/{id} · CORS preflight",
      ]);
      expect(node(diagram, "cognito_user_pools authorizer users").details).toEqual(["user pools: eu-west-1_PrdPool01"]);
      expect(node(diagram, "/orders").details).toEqual(["GET /orders · JWT (orders/read)", "GET /orders/{id} · JWT (orders/read)", "POST /orders · JWT (orders/write)", "POST /orders/queue · JWT (orders/write)"]);
      expect(node(diagram, "routes").details).toEqual(["$connect · Lambda authorizer", "$default", "$disconnect", "sendMessage", "subscribe"]);
      expect(node(diagram, "VPC link apigw-prod-legacy").details).toEqual(["to NLB legacy-prod"]);
      expect(node(diagram, "VPC link apigw-prod-legacy-http").details).toEqual(["3 subnets", "SG out: TCP 443 to 10.30.8.0/24"]);
      expect(node(diagram, "IAM role apigw-cloudwatch-logs-eu-west-1").details).toEqual(["API Gateway's CloudWatch role", "must exist at plan time"]);
      // Policies belong with the role they are attached to, not with what they grant access to.
      expect(node(diagram, "Lambda apigw-prod-ws-messages").addresses.filter((a) => a.startsWith("aws_iam_role_policy."))).toEqual([
        "aws_iam_role_policy.websocket-api_manage-connections-websocket-messages_7DE0A8BE",
        "aws_iam_role_policy.websocket-messages_access-policy_4310819B",
        "aws_iam_role_policy.websocket-messages_environment-key-policy_B5B32DB0",
        "aws_iam_role_policy.websocket-messages_logs-policy_683DCA4C",
        "aws_iam_role_policy.websocket-messages_tracing-policy_68F65A32",
      ]);
      expect(node(diagram, "REST API · EDGE").addresses).toEqual(expect.arrayContaining(["aws_iam_role_policy.public-api_integration-role-events-put-record_policy_56099748", "data.aws_api_gateway_authorizers.public-api_authorizer-ids_991EE622"]));
      expect(node(diagram, "api.prod.example.com").addresses).toContain("terraform_data.public-api-domain_endpoint-type_60988DD5");
    });

    test("the list of shipped stacks is complete", () => {
      synthesized("prod");
      expect([...stacks!.keys()].sort()).toEqual([...SHIPPED].sort());
    });

    test.each(SHIPPED)("%s: every resource is drawn or folded into a node", (name) => {
      const s = synthesized(name);
      const diagram = buildDiagram(s);
      expect(diagram.nodes.find((n) => n.kind === "other")).toBeUndefined();
      expect(diagram.nodes.flatMap((n) => n.addresses).sort()).toEqual(allAddresses(s));
    });

    test("endpoint stack: the VPC's execute-api endpoint with its security group", () => {
      const diagram = buildDiagram(synthesized("endpoint-vpc-0c1d2e3f4a5b60718"));
      expect(view(diagram)).toEqual({
        nodes: ["endpoint: execute-api VPC endpoint", "caller: VPC vpc-0c1d2e3f4a5b60718"],
        edges: ["VPC vpc-0c1d2e3f4a5b60718 --> execute-api VPC endpoint [HTTPS]"],
      });
      expect(node(diagram, "execute-api VPC endpoint").details).toEqual(["in vpc-0c1d2e3f4a5b60718", "private DNS on", "SG: TCP 443 from 10.30.0.0/16, 172.16.0.0/12"]);
    });

    test("tfc: one workspace per stack in the project, run triggers, and the OIDC provider of each account", () => {
      const diagram = buildDiagram(synthesized("tfc"));
      const { nodes, edges } = view(diagram);
      expect(diagram.clusters.map((c) => c.title)).toEqual(["Terraform Cloud project apigw-platform"]);
      expect(nodes.filter((n) => n.startsWith("workspace:"))).toEqual(SHIPPED.filter((s) => s !== "tfc").sort().map((s) => `workspace: workspace apigw-${s}`));
      expect(edges.filter((e) => e.endsWith("[run trigger]") && e.includes("apigw-prod"))).toEqual([
        "workspace apigw-account-222222222222-eu-west-1 --> workspace apigw-prod [run trigger]",
        "workspace apigw-endpoint-vpc-0c1d2e3f4a5b60718 --> workspace apigw-prod [run trigger]",
      ]);
      expect(edges).toContain("workspace apigw-prod -.-> OIDC provider app.terraform.io [AWS credentials]");
      expect(node(diagram, "workspace apigw-prod").details).toEqual(["remote execution", "apply after confirmation", "AWS plan role apigw-tfc-prod-plan: ReadOnlyAccess", "AWS run role apigw-tfc-prod: AdministratorAccess"]);
    });

    // Cheap: compares the digest of the DOT source the picture names, without drawing it again.
    test("docs/architecture/prod.svg is prod's current diagram", () => {
      const svg = fs.readFileSync(path.join("docs", "architecture", "prod.svg"), "utf8");
      expect({ digest: svgSourceDigest(svg), fix: "npm run diagram:docs" }).toEqual({ digest: sourceDigest(toDot(buildDiagram(synthesized("prod")))), fix: "npm run diagram:docs" });
    });

    test("docs/architecture/prod-dashboard.svg is a picture of prod's current dashboard", () => {
      const [dashboard] = synthesized("prod").resources("aws_cloudwatch_dashboard");
      const picture = fs.readFileSync(path.join("docs", "architecture", "prod-dashboard.svg"), "utf8");
      expect({ same: picture === renderDashboard("apigw-prod", dashboard.body.dashboard_body), fix: "npm run diagram:docs" }).toEqual({ same: true, fix: "npm run diagram:docs" });
    });

    test("dev: only the WebSocket API keeps its default endpoint (backends post to @connections through it), and there is no private domain", () => {
      const { edges } = view(buildDiagram(synthesized("dev")));
      expect(edges.filter((e) => e.endsWith("[default endpoint]"))).toEqual(["Internet --> WebSocket API [default endpoint]"]);
      expect(edges.filter((e) => e.includes("access association"))).toEqual([]);
    });

    test("account stack: the setting and the CloudWatch role it points at", () => {
      const diagram = buildDiagram(synthesized("account-222222222222-eu-west-1"));
      expect(view(diagram)).toEqual({
        nodes: ["account: API Gateway account setting", "role: IAM role apigw-cloudwatch-logs-eu-west-1"],
        edges: ["API Gateway account setting --> IAM role apigw-cloudwatch-logs-eu-west-1 [CloudWatch role]"],
      });
      expect(node(diagram, "IAM role apigw-cloudwatch-logs-eu-west-1").details).toEqual(["trusted by apigateway.amazonaws.com"]);
    });
  });

  const HTTP = "aws_apigatewayv2_api.api";
  const integration = (name: string) => `integrations/${ref(`aws_apigatewayv2_integration.${name}`, "id")}`;

  test("HTTP API: a Lambda authorizer, AWS service integrations and a VPC link", () => {
    const fixture = stack({
      aws_apigatewayv2_api: { api: { name: "events", protocol_type: "HTTP" } },
      aws_apigatewayv2_authorizer: { auth: { api_id: ref(HTTP, "id"), authorizer_type: "REQUEST", name: "tenant", authorizer_uri: ref("aws_lambda_function.auth", "invoke_arn") } },
      aws_lambda_function: { auth: { function_name: "tenant-authorizer", runtime: "nodejs22.x" } },
      aws_sqs_queue: { q: { name: "orders" } },
      aws_sfn_state_machine: { m: { name: "fulfil" } },
      aws_iam_role: { r: { name: "apigw-integrations" } },
      aws_lb_listener: { l: { port: 443 } },
      aws_apigatewayv2_vpc_link: { link: { name: "internal", subnet_ids: ["subnet-1", "subnet-2"] } },
      aws_apigatewayv2_integration: {
        sqs: { api_id: ref(HTTP, "id"), integration_type: "AWS_PROXY", integration_subtype: "SQS-SendMessage", credentials_arn: ref("aws_iam_role.r", "arn"), request_parameters: { QueueUrl: ref("aws_sqs_queue.q", "url"), MessageBody: "$request.body" } },
        sfn: { api_id: ref(HTTP, "id"), integration_type: "AWS_PROXY", integration_subtype: "StepFunctions-StartExecution", credentials_arn: ref("aws_iam_role.r", "arn"), request_parameters: { StateMachineArn: ref("aws_sfn_state_machine.m", "arn") } },
        kinesis: { api_id: ref(HTTP, "id"), integration_type: "AWS_PROXY", integration_subtype: "Kinesis-PutRecord", request_parameters: { StreamName: "clicks", Data: "$request.body", PartitionKey: "$context.requestId" } },
        alb: { api_id: ref(HTTP, "id"), integration_type: "HTTP_PROXY", integration_method: "ANY", connection_type: "VPC_LINK", connection_id: ref("aws_apigatewayv2_vpc_link.link", "id"), integration_uri: ref("aws_lb_listener.l", "arn") },
      },
      aws_apigatewayv2_route: {
        orders: { api_id: ref(HTTP, "id"), route_key: "POST /orders", target: integration("sqs"), authorization_type: "CUSTOM", authorizer_id: ref("aws_apigatewayv2_authorizer.auth", "id") },
        fulfil: { api_id: ref(HTTP, "id"), route_key: "POST /fulfilments", target: integration("sfn"), authorization_type: "AWS_IAM" },
        clicks: { api_id: ref(HTTP, "id"), route_key: "POST /clicks", target: integration("kinesis") },
        legacy: { api_id: ref(HTTP, "id"), route_key: "ANY /legacy/{proxy+}", target: integration("alb") },
      },
    });
    const diagram = buildDiagram(fixture);
    expect(view(diagram).edges).toEqual([
      "Internet --> HTTP API [default endpoint]",
      "Lambda authorizer tenant -.-> Lambda tenant-authorizer",
      "HTTP API --> /orders",
      "Lambda authorizer tenant -.-> /orders [authorizes]",
      "/orders --> SQS queue orders [SendMessage]",
      "HTTP API --> /fulfilments",
      "/fulfilments --> Step Functions fulfil [StartExecution]",
      "HTTP API --> /clicks",
      "/clicks --> Kinesis [PutRecord]",
      "HTTP API --> /legacy",
      "/legacy --> VPC link internal [VPC link]",
      "VPC link internal --> listener l [HTTP]",
    ]);
    expect(node(diagram, "/orders").details).toEqual(["POST /orders · Lambda authorizer"]);
    expect(node(diagram, "/fulfilments").details).toEqual(["POST /fulfilments · IAM"]);
    expect(node(diagram, "VPC link internal").details).toEqual(["2 subnets"]);
    // The integrations' role belongs to the API that uses it.
    expect(node(diagram, "HTTP API").addresses).toContain("aws_iam_role.r");
  });

  test("WebSocket API: its routes in one group", () => {
    const api = "aws_apigatewayv2_api.ws";
    const fixture = stack({
      aws_apigatewayv2_api: { ws: { name: "chat", protocol_type: "WEBSOCKET", route_selection_expression: "$request.body.action" } },
      aws_lambda_function: { chat: { function_name: "chat", runtime: "nodejs22.x" } },
      aws_apigatewayv2_integration: {
        chat: { api_id: ref(api, "id"), integration_type: "AWS_PROXY", integration_uri: ref("aws_lambda_function.chat", "invoke_arn") },
        mock: { api_id: ref(api, "id"), integration_type: "MOCK" },
      },
      aws_apigatewayv2_route: {
        connect: { api_id: ref(api, "id"), route_key: "$connect", target: `integrations/${ref("aws_apigatewayv2_integration.chat", "id")}`, authorization_type: "AWS_IAM" },
        send: { api_id: ref(api, "id"), route_key: "sendMessage", target: `integrations/${ref("aws_apigatewayv2_integration.chat", "id")}` },
        fallback: { api_id: ref(api, "id"), route_key: "$default", target: `integrations/${ref("aws_apigatewayv2_integration.mock", "id")}` },
      },
      aws_apigatewayv2_stage: { live: { api_id: ref(api, "id"), name: "live", default_route_settings: { throttling_rate_limit: 10, throttling_burst_limit: 20 } } },
    });
    const diagram = buildDiagram(fixture);
    expect(view(diagram).edges).toEqual(["Internet --> WebSocket API [default endpoint]", "WebSocket API --> routes", "routes --> Lambda chat", "routes --> mock response"]);
    expect(node(diagram, "routes").details).toEqual(["$connect · IAM", "sendMessage", "$default"]);
    expect(node(diagram, "WebSocket API").details).toEqual(["stage live: 10 req/s, burst 20"]);
    expect(diagram.clusters).toEqual([{ id: api, title: "WebSocket API chat" }]);
  });

  const REST = "aws_api_gateway_rest_api.api";

  test("REST API in resources: a Cognito authorizer, an AWS service integration, a VPC link, a mock and a regional domain", () => {
    const resource = (name: string, parent: string, part: string) => ({ [name]: { rest_api_id: ref(REST, "id"), parent_id: parent, path_part: part } });
    const method = (name: string, resourceName: string, extra: Record<string, unknown> = {}) => ({
      [name]: { rest_api_id: ref(REST, "id"), resource_id: ref(`aws_api_gateway_resource.${resourceName}`, "id"), http_method: "POST", authorization: "NONE", ...extra },
    });
    const integrationOf = (name: string, resourceName: string, extra: Record<string, unknown>) => ({
      [name]: { rest_api_id: ref(REST, "id"), resource_id: ref(`aws_api_gateway_resource.${resourceName}`, "id"), http_method: ref(`aws_api_gateway_method.${name}`, "http_method"), ...extra },
    });
    const fixture = stack({
      aws_api_gateway_rest_api: { api: { name: "ingest", endpoint_configuration: { types: ["REGIONAL"] } } },
      aws_api_gateway_resource: {
        ...resource("events", ref(REST, "root_resource_id"), "events"),
        ...resource("legacy", ref(REST, "root_resource_id"), "legacy"),
        ...resource("proxy", ref("aws_api_gateway_resource.legacy", "id"), "{proxy+}"),
        ...resource("health", ref(REST, "root_resource_id"), "health"),
      },
      aws_api_gateway_authorizer: { pool: { rest_api_id: ref(REST, "id"), name: "users", type: "COGNITO_USER_POOLS", provider_arns: [ref("aws_cognito_user_pool.pool", "arn")] } },
      aws_cognito_user_pool: { pool: { name: "customers" } },
      aws_kinesis_stream: { s: { name: "events" } },
      aws_lb: { nlb: { name: "legacy", load_balancer_type: "network" } },
      aws_api_gateway_vpc_link: { link: { name: "legacy", target_arns: [ref("aws_lb.nlb", "arn")] } },
      aws_api_gateway_method: {
        ...method("events", "events", { authorization: "COGNITO_USER_POOLS", authorizer_id: ref("aws_api_gateway_authorizer.pool", "id") }),
        ...method("legacy", "proxy", { http_method: "ANY", authorization: "AWS_IAM" }),
        ...method("health", "health", { http_method: "GET" }),
      },
      aws_api_gateway_integration: {
        ...integrationOf("events", "events", { type: "AWS", integration_http_method: "POST", uri: "arn:aws:apigateway:eu-west-1:kinesis:action/PutRecord", request_templates: { "application/json": `{"StreamName": "${ref("aws_kinesis_stream.s", "name")}"}` } }),
        ...integrationOf("legacy", "proxy", { type: "HTTP_PROXY", uri: `http://${ref("aws_lb.nlb", "dns_name")}/{proxy}`, connection_type: "VPC_LINK", connection_id: ref("aws_api_gateway_vpc_link.link", "id") }),
        ...integrationOf("health", "health", { type: "MOCK" }),
      },
      aws_api_gateway_stage: { v1: { rest_api_id: ref(REST, "id"), stage_name: "v1", deployment_id: "d" } },
      aws_api_gateway_domain_name: { d: { domain_name: "ingest.example.com", regional_certificate_arn: "arn:aws:acm:eu-central-1:111111111111:certificate/abc", endpoint_configuration: { types: ["REGIONAL"] }, security_policy: "TLS_1_2" } },
      aws_api_gateway_base_path_mapping: { m: { api_id: ref(REST, "id"), domain_name: ref("aws_api_gateway_domain_name.d", "domain_name"), stage_name: ref("aws_api_gateway_stage.v1", "stage_name"), base_path: "ingest" } },
    });
    const diagram = buildDiagram(fixture);
    expect(view(diagram).edges).toEqual([
      "Internet --> ingest.example.com [HTTPS]",
      "Internet --> REST API · REGIONAL [default endpoint]",
      "REST API · REGIONAL --> /events",
      "cognito_user_pools authorizer users -.-> /events [authorizes]",
      "/events --> Kinesis stream events [PutRecord]",
      "REST API · REGIONAL --> /legacy",
      "/legacy --> VPC link legacy [VPC link]",
      "VPC link legacy --> load balancer legacy [HTTP]",
      "REST API · REGIONAL --> /health",
      "/health --> mock response",
      "ingest.example.com --> REST API · REGIONAL [/ingest → v1]",
    ]);
    expect(node(diagram, "ingest.example.com").details).toEqual(["REGIONAL custom domain · TLS 1.2", "existing certificate in eu-central-1"]);
    expect(node(diagram, "cognito_user_pools authorizer users").details).toEqual(["user pools: customers"]);
    expect(node(diagram, "VPC link legacy").details).toEqual(["to legacy"]);
    expect(node(diagram, "/legacy").details).toEqual(["ANY /legacy/{proxy+} · IAM"]);
  });

  test("REST API as a document: a token authorizer, DynamoDB, an existing function and an endpoint not in the stack", () => {
    const document = openApi(
      {
        "/items": {
          post: {
            security: [{ token: [] }],
            "x-amazon-apigateway-integration": { type: "aws", httpMethod: "POST", uri: "arn:aws:apigateway:eu-west-1:dynamodb:action/PutItem", requestTemplates: { "application/json": `{"TableName": "${ref("aws_dynamodb_table.t", "name")}"}` } },
          },
          get: { "x-amazon-apigateway-integration": { type: "aws_proxy", httpMethod: "POST", uri: "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111111111111:function:legacy-items/invocations" } },
        },
      },
      {
        components: {
          securitySchemes: {
            token: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "custom", "x-amazon-apigateway-authorizer": { type: "token", authorizerUri: ref("aws_lambda_function.auth", "invoke_arn") } },
          },
        },
      },
    );
    const fixture = stack({
      aws_api_gateway_rest_api: { api: { name: "items", endpoint_configuration: { types: ["PRIVATE"], vpc_endpoint_ids: ["vpce-0123456789abcdef0"] } } },
      aws_api_gateway_rest_api_put: { p: { rest_api_id: ref(REST, "id"), body: document } },
      aws_dynamodb_table: { t: { name: "items" } },
      aws_lambda_function: { auth: { function_name: "token-check" } },
    });
    const diagram = buildDiagram(fixture);
    expect(view(diagram).edges).toEqual([
      "VPC endpoint vpce-0123456789abcdef0 --> REST API · PRIVATE [execute-api]",
      "token authorizer token -.-> Lambda token-check",
      "REST API · PRIVATE --> /items",
      "/items --> Lambda legacy-items",
      "token authorizer token -.-> /items [authorizes]",
      "/items --> DynamoDB table items [PutItem]",
    ]);
    expect(node(diagram, "VPC endpoint vpce-0123456789abcdef0").details).toEqual(["not in this stack"]);
    expect(node(diagram, "/items").details).toEqual(["GET /items", "POST /items · Lambda authorizer"]);
  });

  test("what requests lead on to: a stream named in a parameter, its Firehose delivery to S3, dead letters, and what a function's role allows", () => {
    const target = (name: string) => `integrations/${ref(`aws_apigatewayv2_integration.${name}`, "id")}`;
    const fixture = stack({
      aws_apigatewayv2_api: { api: { name: "events", protocol_type: "HTTP" } },
      // Only the whole name counts: "clicks" is not "clicks-archive".
      aws_kinesis_stream: { s: { name: "clicks" }, archive: { name: "clicks-archive" } },
      aws_kinesis_firehose_delivery_stream: {
        f: {
          name: "clicks-to-s3",
          destination: "extended_s3",
          kinesis_source_configuration: { kinesis_stream_arn: ref("aws_kinesis_stream.s", "arn"), role_arn: ref("aws_iam_role.firehose", "arn") },
          extended_s3_configuration: { bucket_arn: ref("aws_s3_bucket.b", "arn"), prefix: "clicks/year=!{timestamp:yyyy}/", role_arn: ref("aws_iam_role.firehose", "arn") },
        },
      },
      aws_iam_role: { firehose: { name: "firehose" }, fn: { name: "worker" } },
      aws_s3_bucket: { b: { bucket: "clicks-archive-bucket" } },
      aws_sqs_queue: { q: { name: "jobs" }, dlq: { name: "jobs-dlq" } },
      aws_sqs_queue_redrive_policy: { r: { queue_url: ref("aws_sqs_queue.q", "url"), redrive_policy: `{"deadLetterTargetArn":"${ref("aws_sqs_queue.dlq", "arn")}","maxReceiveCount":3}` } },
      aws_dynamodb_table: { t: { name: "jobs-state" } },
      aws_lambda_function: { w: { function_name: "worker", role: ref("aws_iam_role.fn", "arn"), environment: { variables: { TABLE: ref("aws_dynamodb_table.t", "name") } } } },
      aws_iam_role_policy: {
        p: {
          role: ref("aws_iam_role.fn", "name"),
          policy: JSON.stringify({
            Statement: [
              { Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: ref("aws_dynamodb_table.t", "arn") },
              { Effect: "Allow", Action: "sqs:SendMessage", Resource: ref("aws_sqs_queue.q", "arn") },
              { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*" },
            ],
          }),
        },
      },
      aws_apigatewayv2_integration: {
        clicks: { api_id: ref(HTTP, "id"), integration_type: "AWS_PROXY", integration_subtype: "Kinesis-PutRecord", request_parameters: { StreamName: "clicks", Data: "$request.body", PartitionKey: "$context.requestId" } },
        work: { api_id: ref(HTTP, "id"), integration_type: "AWS_PROXY", integration_uri: ref("aws_lambda_function.w", "invoke_arn") },
      },
      aws_apigatewayv2_route: {
        clicks: { api_id: ref(HTTP, "id"), route_key: "POST /clicks", target: target("clicks") },
        work: { api_id: ref(HTTP, "id"), route_key: "POST /work", target: target("work") },
      },
    });
    const diagram = buildDiagram(fixture);
    expect(view(diagram).edges).toEqual([
      "Internet --> HTTP API [default endpoint]",
      "HTTP API --> /clicks",
      "/clicks --> Kinesis stream clicks [PutRecord]",
      "HTTP API --> /work",
      "/work --> Lambda worker",
      "Kinesis stream clicks --> Firehose clicks-to-s3",
      "Firehose clicks-to-s3 --> S3 bucket clicks-archive-bucket [clicks/]",
      "SQS queue jobs --> SQS queue jobs-dlq [dead letters after 3 receives]",
      "Lambda worker --> DynamoDB table jobs-state [GetItem, PutItem]",
      "Lambda worker --> SQS queue jobs [SendMessage]",
      "Lambda worker --> S3 bucket reports [GetObject]",
    ]);
    expect(node(diagram, "S3 bucket reports").details).toEqual(["not in this stack"]);
    expect(node(diagram, "Firehose clicks-to-s3").addresses).toEqual(["aws_iam_role.firehose", "aws_kinesis_firehose_delivery_stream.f"]);
    expect(node(diagram, "SQS queue jobs").addresses).toEqual(["aws_sqs_queue.q", "aws_sqs_queue_redrive_policy.r"]);
    expect(node(diagram, "Lambda worker").addresses).toEqual(["aws_iam_role.fn", "aws_iam_role_policy.p", "aws_lambda_function.w"]);
    expect(node(diagram, "not drawn").details).toEqual(["1 × aws_kinesis_stream"]);
  });

  test("a private API behind an endpoint looked up from another stack, a replacement trigger, a CORS preflight", () => {
    const document = openApi({
      "/files": {
        get: { "x-amazon-apigateway-integration": { type: "aws_proxy", httpMethod: "POST", uri: ref("aws_lambda_function.f", "invoke_arn") } },
        options: { "x-amazon-apigateway-integration": { type: "mock", requestTemplates: { "application/json": '{"statusCode":204}' } } },
      },
    });
    const fixture = stack(
      {
        aws_api_gateway_rest_api: { api: { name: "files", endpoint_configuration: { types: ["PRIVATE"], vpc_endpoint_ids: [ref("data.aws_vpc_endpoint.e", "id")] }, body: document } },
        aws_lambda_function: { f: { function_name: "files" } },
        aws_api_gateway_domain_name: { d: { domain_name: "files.internal.example.com", endpoint_configuration: { types: ["PRIVATE"] }, lifecycle: { replace_triggered_by: ["terraform_data.endpoint-type"] } } },
        terraform_data: { "endpoint-type": { triggers_replace: { endpointType: "PRIVATE" } } },
      },
      { data: { aws_vpc_endpoint: { e: { vpc_id: "vpc-1", service_name: "com.amazonaws.eu-west-1.execute-api" } } } },
    );
    const diagram = buildDiagram(fixture);
    expect(view(diagram).edges).toEqual([
      "VPC vpc-1 --> execute-api VPC endpoint [HTTPS]",
      "execute-api VPC endpoint --> REST API · PRIVATE [execute-api]",
      "REST API · PRIVATE --> /files",
      "/files --> Lambda files",
    ]);
    expect(node(diagram, "execute-api VPC endpoint").details).toEqual(["in vpc-1", "looked up: managed outside this stack"]);
    expect(node(diagram, "/files").details).toEqual(["GET /files", "OPTIONS /files · CORS preflight"]);
    expect(node(diagram, "files.internal.example.com").addresses).toEqual(["aws_api_gateway_domain_name.d", "terraform_data.endpoint-type"]);
  });

  test("lists what it cannot place instead of failing on it", () => {
    const diagram = buildDiagram(stack({ aws_foo_bar: { a: { x: 1 }, b: { x: 2 } }, aws_api_gateway_api_key: { k: { name: "lonely" } } }));
    expect(view(diagram).nodes).toEqual(["other: not drawn"]);
    expect(diagram.nodes[0].details).toEqual(["2 × aws_foo_bar", "1 × aws_api_gateway_api_key"]);
  });
});

describe("withFindings", () => {
  const fixture = () =>
    stack({
      aws_apigatewayv2_api: { api: { name: "events", protocol_type: "HTTP" } },
      aws_lambda_function: { f: { function_name: "events", logging_config: { log_group: ref("aws_cloudwatch_log_group.logs", "name") } } },
      aws_cloudwatch_log_group: { logs: { name: "/aws/lambda/events" } },
      aws_apigatewayv2_integration: { i: { api_id: ref("aws_apigatewayv2_api.api", "id"), integration_type: "AWS_PROXY", integration_uri: ref("aws_lambda_function.f", "invoke_arn") } },
      aws_apigatewayv2_route: { r: { api_id: ref("aws_apigatewayv2_api.api", "id"), route_key: "GET /events", target: `integrations/${ref("aws_apigatewayv2_integration.i", "id")}` } },
    });
  const finding = (address: string, rule: string, severity: "error" | "warning", stackName = "fixture") => ({ rule, severity, stack: stackName, address, message: "m", references: [] });

  test("marks the node a resource is folded into, and only for its own stack", () => {
    const diagram = withFindings(buildDiagram(fixture()), [
      finding("aws_cloudwatch_log_group.logs", "APIGW-LOG-RETENTION", "warning"),
      finding("aws_apigatewayv2_route.r", "APIGW-HTTP-ROUTE-AUTH", "error"),
      finding("aws_apigatewayv2_route.r", "APIGW-HTTP-ROUTE-AUTH", "error", "other-stack"),
    ]);
    expect(diagram.nodes.filter((n) => n.findings.length).map((n) => [n.title, n.findings])).toEqual([
      ["/events", [{ rule: "APIGW-HTTP-ROUTE-AUTH", severity: "error" }]],
      ["Lambda events", [{ rule: "APIGW-LOG-RETENTION", severity: "warning" }]],
    ]);
  });

  test("puts a finding on a resource it does not know under 'not drawn'", () => {
    const diagram = withFindings(buildDiagram(fixture()), [finding("aws_gone.x", "APIGW-X", "error")]);
    expect(diagram.nodes.find((n) => n.id === "other")?.findings).toEqual([{ rule: "APIGW-X", severity: "error" }]);
  });
});
