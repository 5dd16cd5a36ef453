import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { dnsSuffixOf } from "../config/regions";
import type { EnvironmentConfig } from "../config/schema";
import { bundleFunction } from "../functions/bundle";
import { ConnectionsAccess, ConnectionsTable } from "../modules/connections-table";
import { LambdaFunction } from "../modules/lambda-function";
import { WebSocketApi, WebSocketConnectAuthorization } from "../modules/websocket-api";
import { functionObservability, reservedConcurrency } from "./function-settings";

/**
 * The environment's chat and notification WebSocket API: `$connect` authorized as the
 * environment file says, `sendMessage` and `subscribe` for rooms, `$default` answering unknown
 * actions, the handlers of `functions/websocket` each with its own least-privilege role, the
 * connections table, and the URLs clients and backends use as outputs.
 */
export function websocketApi(scope: Construct, id: string, config: EnvironmentConfig): WebSocketApi | undefined {
  const settings = config.websocketApi;
  if (!settings?.enabled) return undefined;
  const logRetentionDays = config.logging.retentionDays;
  const table = new ConnectionsTable(scope, "websocket-connections", { tableName: `apigw-${id}-ws-connections` });
  const code = bundleFunction("websocket");
  const handler = (name: string, entry: string, description: string, access?: ConnectionsAccess, environment: Record<string, string> = {}) =>
    new LambdaFunction(scope, `websocket-${name}`, {
      functionName: `apigw-${id}-ws-${name}`,
      description,
      bundle: code,
      handler: `index.${entry}`,
      logRetentionDays,
      kmsKeyArn: config.logging.kmsKeyArn,
      reservedConcurrency: reservedConcurrency(config, `websocket-${name}`),
      ...functionObservability(config),
      ...(access ? { policyStatements: table.statements(access), environment: { CONNECTIONS_TABLE: table.tableName, ...environment } } : {}),
    });
  const messages = handler("messages", "message", "WebSocket sendMessage and subscribe", "messages", {
    EXECUTE_API_DOMAIN: `execute-api.${config.region}.${dnsSuffixOf(config.region)}`,
  });

  const api = new WebSocketApi(scope, "websocket-api", {
    name: `apigw-${id}-ws`,
    description: `WebSocket API of ${id}: rooms of real-time messages`,
    routes: [
      {
        routeKey: "$connect",
        function: handler("connect", "connect", "WebSocket $connect: stores the connection", "connect", {
          ...(settings.authorizer.type === "iam" ? { SIGNER_ROOMS: JSON.stringify(settings.authorizer.rooms) } : {}),
        }),
      },
      { routeKey: "$disconnect", function: handler("disconnect", "disconnect", "WebSocket $disconnect: removes the connection", "disconnect") },
      { routeKey: "sendMessage", function: messages, twoWay: true },
      { routeKey: "subscribe", function: messages, twoWay: true },
      { routeKey: "$default", function: handler("default", "fallback", "WebSocket $default: answers unknown actions"), twoWay: true },
    ],
    connectAuthorization: connectAuthorization(scope, id, config),
    stageName: settings.stageName ?? id,
    logRetentionDays,
    logKmsKeyArn: config.logging.kmsKeyArn,
    loggingLevel: config.logging.executionLogLevel,
    throttling: settings.throttling ?? config.throttling,
  });
  api.grantManageConnections(messages);

  new TerraformOutput(scope, "websocket_api_id", { value: api.apiId });
  new TerraformOutput(scope, "websocket_api_url", { value: api.invokeUrl, description: "wss:// URL clients connect to (?token=<JWT>)" });
  new TerraformOutput(scope, "websocket_api_connections_url", {
    value: `${api.callbackUrl}/@connections`,
    description: "Backends POST <url>/<connection id> (SigV4, execute-api:ManageConnections) to push to a connection",
  });
  new TerraformOutput(scope, "websocket_connections_table", { value: table.tableName });
  return api;
}

function connectAuthorization(scope: Construct, id: string, config: EnvironmentConfig): WebSocketConnectAuthorization {
  const authorizer = config.websocketApi!.authorizer;
  if (authorizer.type === "iam") return WebSocketConnectAuthorization.iam();
  if (authorizer.functionArn) return WebSocketConnectAuthorization.lambda(LambdaFunction.fromFunctionArn(scope, authorizer.functionArn));
  return WebSocketConnectAuthorization.lambda(
    new LambdaFunction(scope, "websocket-authorizer", {
      functionName: `apigw-${id}-ws-authorizer`,
      description: `WebSocket $connect authorizer: verifies a JWT of ${config.jwt.issuer} passed as ?token=`,
      bundle: bundleFunction("websocket-authorizer"),
      logRetentionDays: config.logging.retentionDays,
      kmsKeyArn: config.logging.kmsKeyArn,
      reservedConcurrency: reservedConcurrency(config, "websocket-authorizer"),
      ...functionObservability(config),
      environment: { ISSUER: config.jwt.issuer, AUDIENCES: JSON.stringify(config.jwt.audiences) },
    }),
  );
}
