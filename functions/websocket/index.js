// @ts-check
// The WebSocket API's handlers, one Lambda function each: index.connect ($connect),
// index.disconnect ($disconnect), index.message (sendMessage and subscribe) and index.fallback
// ($default). The AWS SDK v3 ships with the nodejs22.x runtime, so the bundle is this directory.
const { createHmac, randomBytes } = require("crypto");
const { ApiGatewayManagementApiClient, PostToConnectionCommand } = require("@aws-sdk/client-apigatewaymanagementapi");
const { DynamoDBClient } = require("@aws-sdk/client-dynamodb");
const { createStore } = require("./connections");

const ACTIONS = ["sendMessage", "subscribe"];
const ROOM = /^[A-Za-z0-9_-]{1,64}$/;
/** A client frame is at most 128 KB; a chat line needs far less, and every recipient gets a copy. */
const MAX_TEXT_LENGTH = 4096;
/** Recipients posted to at once. */
const FAN_OUT = 25;

/**
 * @typedef {{
 *   routeKey: string, connectionId: string, apiId: string, stage: string,
 *   authorizer?: { principalId?: string, scope?: string } | null,
 *   identity?: { userArn?: string | null } | null,
 * }} RequestContext
 * @typedef {{ requestContext: RequestContext, body?: string | null, isBase64Encoded?: boolean }} WebSocketEvent
 * @typedef {{ statusCode: number, body?: string }} Reply
 * @typedef {{ send: (command: PostToConnectionCommand) => Promise<unknown> }} Management
 * @typedef {ReturnType<typeof createStore>} Store
 */

/** A frame back to the sender; two-way routes deliver the body to the client. @param {object} frame @returns {Reply} */
const reply = (frame) => ({ statusCode: 200, body: JSON.stringify(frame) });
/** @param {string} message */
const errorFrame = (message) => reply({ type: "error", message });

/** Who $connect was authorized as: the Lambda authorizer's principal, or the SigV4 signer. @param {RequestContext} context */
function principalOf(context) {
  return context.authorizer?.principalId || context.identity?.userArn || undefined;
}

/**
 * The IAM role or user a SigV4 signer is: an assumed-role session ARN names its role without the
 * role's path, so roles match by partition, account and name.
 * @param {string} userArn @param {string} principalArn
 */
function signerIs(userArn, principalArn) {
  const session = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(userArn);
  const role = /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(principalArn);
  if (session && role) return session[1] === role[1] && session[2] === role[2] && session[3] === role[3];
  return userArn === principalArn;
}

/**
 * The rooms a connection may join: a token's `rooms/<room>` scopes; for a SigV4 signer, the rooms
 * the environment file lists for its role or user (its IAM policy decided only that it may connect).
 * @param {RequestContext} context @param {Readonly<Record<string, readonly string[]>>} signerRooms
 */
function allowedRoomsOf(context, signerRooms) {
  const userArn = context.identity?.userArn;
  if (!context.authorizer?.principalId && userArn) return Object.entries(signerRooms).flatMap(([arn, rooms]) => (signerIs(userArn, arn) ? rooms : [])).filter((room) => ROOM.test(room));
  return (context.authorizer?.scope ?? "").split(" ").filter((s) => s.startsWith("rooms/")).map((s) => s.slice("rooms/".length)).filter((room) => ROOM.test(room));
}

/**
 * Who sent a message, as the room sees it: a name keyed by a secret the connection was given at
 * $connect, stable in one room for that connection. A hash of the principal alone would not do:
 * anyone who can guess principals (a directory of subs, a role's ARN) could compute it.
 * @param {string} room @param {string} pseudonymKey
 */
const senderIn = (room, pseudonymKey) => createHmac("sha256", pseudonymKey).update(room).digest("base64url").slice(0, 16);

/** @param {WebSocketEvent} event @returns {Record<string, unknown> | undefined} */
function parseBody(event) {
  try {
    const text = event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString("utf8") : (event.body ?? "");
    const body = JSON.parse(text);
    return body && typeof body === "object" && !Array.isArray(body) ? body : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @param {{ store: Store, management: (endpoint: string) => Management, executeApiDomain: string, signerRooms?: Readonly<Record<string, readonly string[]>>, now?: () => number, newKey?: () => string }} deps
 */
function createHandlers({ store, management, executeApiDomain, signerRooms = {}, now = Date.now, newKey = () => randomBytes(32).toString("base64url") }) {
  /**
   * The @connections endpoint of the caller's stage. It is always the execute-api name: the
   * management API does not answer on a custom domain (serverless-websockets-plugin#6).
   * @param {RequestContext} context
   */
  const callbackEndpoint = (context) => `https://${context.apiId}.${executeApiDomain}/${context.stage}`;

  /** Posts one frame to each connection; connections that are gone are removed. @returns {Promise<number>} how many received it */
  async function broadcast(/** @type {RequestContext} */ context, /** @type {string[]} */ connectionIds, /** @type {object} */ frame) {
    const client = management(callbackEndpoint(context));
    const data = Buffer.from(JSON.stringify(frame));
    let delivered = 0;
    for (let i = 0; i < connectionIds.length; i += FAN_OUT) {
      await Promise.all(
        connectionIds.slice(i, i + FAN_OUT).map(async (connectionId) => {
          try {
            await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
            delivered++;
          } catch (e) {
            if (/** @type {{ name?: string }} */ (e).name === "GoneException") await store.remove(connectionId);
            else console.error(JSON.stringify({ message: "PostToConnection failed", connectionId, error: String(e) }));
          }
        }),
      );
    }
    return delivered;
  }

  return {
    /** Stores the connection with its principal; without one, refuses it. @param {WebSocketEvent} event @returns {Promise<Reply>} */
    async connect(event) {
      const principal = principalOf(event.requestContext);
      if (!principal) return { statusCode: 403 };
      await store.add(event.requestContext.connectionId, principal, allowedRoomsOf(event.requestContext, signerRooms), newKey());
      return { statusCode: 200 };
    },

    /** @param {WebSocketEvent} event @returns {Promise<Reply>} */
    async disconnect(event) {
      await store.remove(event.requestContext.connectionId);
      return { statusCode: 200 };
    },

    /** sendMessage and subscribe. @param {WebSocketEvent} event @returns {Promise<Reply>} */
    async message(event) {
      const { connectionId, routeKey } = event.requestContext;
      const body = parseBody(event);
      if (!body) return errorFrame("a message is a JSON object with an action");
      const room = body.room;
      if (typeof room !== "string" || !ROOM.test(room)) return errorFrame("room must be 1-64 letters, digits, - or _");
      if (routeKey === "subscribe") {
        const connection = await store.get(connectionId);
        if (!connection) return errorFrame("this connection is no longer registered; reconnect");
        if (!connection.allowedRooms.includes(room)) return errorFrame(`this connection may not join ${room} (a token needs the scope rooms/${room}; a SigV4 signer, the room in websocketApi.authorizer.rooms)`);
        await store.subscribe(connectionId, room);
        return reply({ type: "subscribed", room });
      }
      if (routeKey !== "sendMessage") return errorFrame(`${routeKey} is not handled here`);
      const text = body.text;
      if (typeof text !== "string" || text === "" || text.length > MAX_TEXT_LENGTH) return errorFrame(`text must be a string of 1-${MAX_TEXT_LENGTH} characters`);
      const sender = await store.get(connectionId);
      if (!sender) return errorFrame("this connection is no longer registered; reconnect");
      if (!sender.rooms.includes(room)) return errorFrame(`subscribe to ${room} before sending to it`);
      const recipients = await store.inRoom(room);
      const delivered = await broadcast(event.requestContext, recipients, { type: "message", room, from: senderIn(room, sender.pseudonymKey), text, sentAt: new Date(now()).toISOString() });
      return reply({ type: "sent", room, delivered });
    },

    /** $default: a frame without a known action. @param {WebSocketEvent} event @returns {Promise<Reply>} */
    async fallback(event) {
      const action = parseBody(event)?.action;
      const what = typeof action === "string" ? `the action ${JSON.stringify(action)} is unknown` : "a message is a JSON object with an action";
      return errorFrame(`${what}; known actions: ${ACTIONS.join(", ")}`);
    },
  };
}

/** @type {ReturnType<typeof createHandlers> | undefined} */
let handlers;
function runtimeHandlers() {
  if (!handlers) {
    /** @type {Map<string, Management>} */
    const clients = new Map();
    handlers = createHandlers({
      store: createStore({ dynamodb: new DynamoDBClient({}), tableName: String(process.env.CONNECTIONS_TABLE) }),
      management: (endpoint) => {
        let client = clients.get(endpoint);
        if (!client) clients.set(endpoint, (client = new ApiGatewayManagementApiClient({ endpoint })));
        return client;
      },
      executeApiDomain: String(process.env.EXECUTE_API_DOMAIN),
      signerRooms: JSON.parse(process.env.SIGNER_ROOMS ?? "{}"),
    });
  }
  return handlers;
}

/** @param {WebSocketEvent} event */
exports.connect = (event) => runtimeHandlers().connect(event);
/** @param {WebSocketEvent} event */
exports.disconnect = (event) => runtimeHandlers().disconnect(event);
/** @param {WebSocketEvent} event */
exports.message = (event) => runtimeHandlers().message(event);
/** @param {WebSocketEvent} event */
exports.fallback = (event) => runtimeHandlers().fallback(event);
exports.createHandlers = createHandlers;
