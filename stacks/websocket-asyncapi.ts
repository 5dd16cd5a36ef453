import type { OpenApiServer } from "../modules/shared/openapi";

export interface WebSocketDocumentProps {
  readonly name: string;
  readonly description: string;
  /** `wss://host[/path]` URLs. */
  readonly servers: { readonly customDomain?: OpenApiServer; readonly default: OpenApiServer };
  /** How `$connect` is authorized. */
  readonly authorization: "token" | "iam";
  readonly issuer: string;
}

const ROOM = { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$", description: "1-64 letters, digits, - or _" };
const frame = (name: string, summary: string, properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  name,
  title: name,
  summary,
  payload: { type: "object", additionalProperties: false, required, properties },
});

/**
 * The messages of functions/websocket, as a client sees them. They are this file's: the handlers
 * check the same room pattern and text length.
 */
const MESSAGES = {
  subscribe: frame("subscribe", "Join a room: the connection's token needs the scope rooms/<room>", { action: { const: "subscribe" }, room: ROOM }),
  sendMessage: frame("sendMessage", "Post a line to a room the connection subscribed to", { action: { const: "sendMessage" }, room: ROOM, text: { type: "string", minLength: 1, maxLength: 4096 } }),
  unknownAction: { name: "unknownAction", title: "unknownAction", summary: "Any other frame ($default): answered with an error", payload: { type: "object", properties: { action: { type: "string" } } } },
  subscribed: frame("subscribed", "The room was joined", { type: { const: "subscribed" }, room: ROOM }),
  sent: frame("sent", "The line went to the room's connections", { type: { const: "sent" }, room: ROOM, delivered: { type: "integer", minimum: 0, description: "Connections that received it" } }),
  message: frame("message", "A line posted to a subscribed room", {
    type: { const: "message" },
    room: ROOM,
    from: { type: "string", description: "The sender's pseudonym, stable in this room" },
    text: { type: "string", maxLength: 4096 },
    sentAt: { type: "string", format: "date-time" },
  }),
  error: frame("error", "The frame was refused; nothing was posted", { type: { const: "error" }, message: { type: "string" } }),
};

/** An AsyncAPI 3 document of the WebSocket API: its servers, the connect token, the routes and their answers. */
export function websocketAsyncApi(props: WebSocketDocumentProps): Record<string, unknown> {
  const security = [{ $ref: `#/components/securitySchemes/${props.authorization}` }];
  const servers = Object.fromEntries(
    Object.entries(props.servers).flatMap(([name, server]) => {
      if (!server) return [];
      const [, protocol, host, pathname] = /^(\w+):\/\/([^/]+)(\/.*)?$/.exec(server.url)!;
      return [[name, { host, protocol, ...(pathname ? { pathname } : {}), ...(server.description ? { description: server.description } : {}), ...(server.variables ? { variables: server.variables } : {}), security }]];
    }),
  );
  const ref = (message: keyof typeof MESSAGES) => ({ $ref: `#/channels/connection/messages/${message}` });
  // The title is the route key API Gateway selects on the frame's action.
  const send = (message: keyof typeof MESSAGES, routeKey: string, summary: string, replies: (keyof typeof MESSAGES)[]) => ({
    action: "send",
    title: routeKey,
    channel: { $ref: "#/channels/connection" },
    summary,
    messages: [ref(message)],
    reply: { channel: { $ref: "#/channels/connection" }, messages: replies.map(ref) },
  });
  return {
    asyncapi: "3.1.0",
    info: { title: props.name, version: "1", description: `${props.description}. API Gateway routes each JSON frame on its action.` },
    defaultContentType: "application/json",
    servers,
    channels: {
      connection: {
        address: "/",
        title: "The connection",
        messages: Object.fromEntries(Object.keys(MESSAGES).map((m) => [m, { $ref: `#/components/messages/${m}` }])),
        ...(props.authorization === "token"
          ? { bindings: { ws: { bindingVersion: "0.1.0", query: { type: "object", required: ["token"], properties: { token: { type: "string", description: `An access token of ${props.issuer}` } } } } } }
          : {}),
      },
    },
    operations: {
      subscribe: send("subscribe", "subscribe", "Join a room", ["subscribed", "error"]),
      sendMessage: send("sendMessage", "sendMessage", "Post to a room", ["sent", "error"]),
      unknownAction: send("unknownAction", "$default", "Any other action", ["error"]),
      receiveMessage: { action: "receive", title: "message", channel: { $ref: "#/channels/connection" }, summary: "Lines posted to the connection's rooms", messages: [ref("message")] },
    },
    components: {
      messages: MESSAGES,
      securitySchemes:
        props.authorization === "token"
          ? { token: { type: "httpApiKey", in: "query", name: "token", description: `A JWT of ${props.issuer} (its audience one of the environment's), checked by the $connect authorizer; browsers cannot set headers on the upgrade request` } }
          : { iam: { type: "httpApiKey", in: "header", name: "Authorization", description: "AWS Signature Version 4 for the service execute-api, on the upgrade request" } },
    },
  };
}
