import { DeleteItemCommand, PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { createHmac } from "crypto";
import { createHandlers } from "../../functions/websocket";
import { createStore, MAX_CONNECTION_SECONDS, ROOM_INDEX } from "../../functions/websocket/connections";

type Item = Record<string, { S?: string; N?: string }>;
const NOW = Date.parse("2026-01-01T00:00:00Z");

/**
 * A stubbed DynamoDB client over an in-memory table: it answers the commands the store sends
 * (PutItem, DeleteItem, Query on the key or the by-room index) and records them, one item per page.
 */
function fakeDynamoDb(items: Item[] = []) {
  const commands: { name: string; input: any }[] = [];
  const key = (item: Item) => `${item.connectionId.S}|${item.sk.S}`;
  return {
    items,
    commands,
    client: {
      send: async (command: PutItemCommand | DeleteItemCommand | QueryCommand) => {
        commands.push({ name: command.constructor.name, input: command.input });
        if (command instanceof PutItemCommand) {
          const item = command.input.Item as Item;
          items.splice(0, items.length, ...items.filter((i) => key(i) !== key(item)), item);
          return {};
        }
        if (command instanceof DeleteItemCommand) {
          items.splice(0, items.length, ...items.filter((i) => key(i) !== key(command.input.Key as Item)));
          return {};
        }
        const input = command.input;
        const value = Object.values(input.ExpressionAttributeValues ?? {})[0]?.S;
        const attribute = input.IndexName === ROOM_INDEX ? "room" : "connectionId";
        const matching = items.filter((i) => i[attribute]?.S === value);
        const start = input.ExclusiveStartKey ? matching.findIndex((i) => key(i) === key(input.ExclusiveStartKey as Item)) + 1 : 0;
        const page = matching.slice(start, start + 1);
        return { Items: page, ...(start + 1 < matching.length ? { LastEvaluatedKey: page[0] } : {}) };
      },
    },
  };
}

/** A stubbed management API client: records posts, and answers GoneException for the ids in `gone`. */
function fakeManagement(gone: string[] = [], failing: string[] = []) {
  const posts: { endpoint: string; connectionId: string; frame: any }[] = [];
  return {
    posts,
    factory: (endpoint: string) => ({
      send: async (command: PostToConnectionCommand) => {
        const connectionId = command.input.ConnectionId as string;
        if (gone.includes(connectionId)) throw Object.assign(new Error("gone"), { name: "GoneException" });
        if (failing.includes(connectionId)) throw Object.assign(new Error("throttled"), { name: "LimitExceededException" });
        posts.push({ endpoint, connectionId, frame: JSON.parse(Buffer.from(command.input.Data as Uint8Array).toString("utf8")) });
        return {};
      },
    }),
  };
}

function setup(items: Item[] = [], management = fakeManagement()) {
  const dynamodb = fakeDynamoDb(items);
  const store = createStore({ dynamodb: dynamodb.client, tableName: "connections", now: () => NOW });
  let keys = 0;
  const handlers = createHandlers({ store, management: management.factory, executeApiDomain: "execute-api.eu-west-1.amazonaws.com", now: () => NOW, newKey: () => `key-${++keys}` });
  return { dynamodb, store, handlers, management };
}

function event(routeKey: string, connectionId: string, body?: unknown, context: Record<string, unknown> = {}) {
  return {
    requestContext: { routeKey, connectionId, apiId: "abc123", stage: "dev", ...context },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  };
}

const frame = (reply: { body?: string }) => JSON.parse(reply.body as string);

async function connected(names: string[], rooms: Record<string, string[]> = {}) {
  const world = setup([], fakeManagement(rooms.gone ?? [], rooms.failing ?? []));
  for (const name of names) {
    const scope = ["general", "other", "big", "r1"].map((room) => `rooms/${room}`).join(" ");
    await world.handlers.connect(event("$connect", name, undefined, { authorizer: { principalId: `user-${name}`, scope } }));
    for (const room of rooms[name] ?? []) await world.handlers.message(event("subscribe", name, { action: "subscribe", room }));
  }
  return world;
}

describe("websocket handlers", () => {
  test("default", async () => {
    const { handlers, management, dynamodb } = await connected(["a", "b", "c"], { a: ["general"], b: ["general"], c: ["other"] });
    const reply = await handlers.message(event("sendMessage", "a", { action: "sendMessage", room: "general", text: "hello" }));
    expect(frame(reply)).toEqual({ type: "sent", room: "general", delivered: 2 });
    expect(management.posts).toEqual(
      ["a", "b"].map((connectionId) => ({
        endpoint: "https://abc123.execute-api.eu-west-1.amazonaws.com/dev",
        connectionId,
        // A name for the sender in the room, keyed by its connection's key (a's is the first), never its sub.
        frame: { type: "message", room: "general", from: createHmac("sha256", "key-1").update("general").digest("base64url").slice(0, 16), text: "hello", sentAt: "2026-01-01T00:00:00.000Z" },
      })),
    );
    expect(dynamodb.items.filter((i) => i.sk.S === "connection").map((i) => [i.connectionId.S, i.principal.S])).toEqual([
      ["a", "user-a"],
      ["b", "user-b"],
      ["c", "user-c"],
    ]);
  });

  test("connect stores the principal of the authorizer or of the SigV4 signer, with an expiry", async () => {
    const { handlers, dynamodb } = setup();
    expect(await handlers.connect(event("$connect", "c1", undefined, { authorizer: { principalId: "sub-1" } }))).toEqual({ statusCode: 200 });
    await handlers.connect(event("$connect", "c2", undefined, { identity: { userArn: "arn:aws:iam::111111111111:role/backend" } }));
    expect(dynamodb.items).toEqual([
      { connectionId: { S: "c1" }, sk: { S: "connection" }, principal: { S: "sub-1" }, allowedRooms: { S: "" }, pseudonymKey: { S: "key-1" }, connectedAt: { N: String(NOW) }, expiresAt: { N: String(NOW / 1000 + MAX_CONNECTION_SECONDS) } },
      expect.objectContaining({ connectionId: { S: "c2" }, principal: { S: "arn:aws:iam::111111111111:role/backend" }, allowedRooms: { S: "" } }),
    ]);
  });

  test("connect refuses a connection without a principal and stores nothing", async () => {
    const { handlers, dynamodb } = setup();
    expect(await handlers.connect(event("$connect", "c1"))).toEqual({ statusCode: 403 });
    expect(dynamodb.commands).toEqual([]);
  });

  test("disconnect removes the connection and its subscriptions, and only them", async () => {
    const { handlers, dynamodb } = await connected(["a", "b"], { a: ["general", "other"], b: ["general"] });
    await handlers.disconnect(event("$disconnect", "a"));
    expect(dynamodb.items.map((i) => `${i.connectionId.S} ${i.sk.S}`)).toEqual(["b connection", "b room#general"]);
  });

  test("subscribe puts a membership the by-room index finds, expiring with the connection", async () => {
    const { handlers, dynamodb, store } = await connected(["a"]);
    expect(frame(await handlers.message(event("subscribe", "a", { action: "subscribe", room: "general" })))).toEqual({ type: "subscribed", room: "general" });
    expect(dynamodb.items[1]).toEqual({ connectionId: { S: "a" }, sk: { S: "room#general" }, room: { S: "general" }, expiresAt: { N: String(NOW / 1000 + MAX_CONNECTION_SECONDS) } });
    expect(await store.inRoom("general")).toEqual(["a"]);
  });

  test("sendMessage removes connections that answer GoneException and counts only deliveries", async () => {
    const { handlers, dynamodb, management } = await connected(["a", "b", "c", "d"], { a: ["general"], b: ["general"], c: ["general"], d: ["general"], gone: ["b"], failing: ["c"] });
    const log = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const reply = await handlers.message(event("sendMessage", "a", { action: "sendMessage", room: "general", text: "hi" }));
    expect(frame(reply)).toEqual({ type: "sent", room: "general", delivered: 2 });
    expect(management.posts.map((p) => p.connectionId)).toEqual(["a", "d"]);
    expect(dynamodb.items.filter((i) => i.connectionId.S === "b")).toEqual([]);
    expect(dynamodb.items.filter((i) => i.connectionId.S === "c")).toHaveLength(2);
    expect(log.mock.calls.map(([line]) => JSON.parse(line))).toEqual([{ message: "PostToConnection failed", connectionId: "c", error: "LimitExceededException: throttled" }]);
    log.mockRestore();
  });

  test("sendMessage reads every page of the room", async () => {
    const names = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const { handlers, management } = await connected(names, Object.fromEntries(names.map((n) => [n, ["big"]])));
    expect(frame(await handlers.message(event("sendMessage", "c0", { action: "sendMessage", room: "big", text: "all" })))).toMatchObject({ delivered: 30 });
    expect(new Set(management.posts.map((p) => p.connectionId)).size).toBe(30);
  });

  test.each<[string, string, unknown, string]>([
    ["a body that is not JSON", "sendMessage", "nope", "a message is a JSON object with an action"],
    ["a body that is a list", "sendMessage", "[1]", "a message is a JSON object with an action"],
    ["no room", "sendMessage", { action: "sendMessage", text: "x" }, "room must be 1-64 letters, digits, - or _"],
    ["a room with a slash", "subscribe", { action: "subscribe", room: "a/b" }, "room must be 1-64 letters, digits, - or _"],
    ["no text", "sendMessage", { action: "sendMessage", room: "general" }, "text must be a string of 1-4096 characters"],
    ["a text too long", "sendMessage", { action: "sendMessage", room: "general", text: "x".repeat(4097) }, "text must be a string of 1-4096 characters"],
    ["a room not subscribed to", "sendMessage", { action: "sendMessage", room: "other", text: "x" }, "subscribe to other before sending to it"],
  ])("sendMessage and subscribe answer %s with an error frame, and post nothing", async (_name, routeKey, body, message) => {
    const { handlers, management } = await connected(["a"], { a: ["general"] });
    expect(frame(await handlers.message(event(routeKey, "a", body)))).toEqual({ type: "error", message });
    expect(management.posts).toEqual([]);
  });

  test("sendMessage from a connection that is no longer stored asks the client to reconnect", async () => {
    const { handlers } = setup();
    expect(frame(await handlers.message(event("sendMessage", "x", { action: "sendMessage", room: "general", text: "hi" })))).toEqual({
      type: "error",
      message: "this connection is no longer registered; reconnect",
    });
  });

  test.each<[string, unknown, string]>([
    ["an unknown action", { action: "dance" }, 'the action "dance" is unknown; known actions: sendMessage, subscribe'],
    ["no action", { room: "general" }, "a message is a JSON object with an action; known actions: sendMessage, subscribe"],
    ["a frame that is not JSON", "hello", "a message is a JSON object with an action; known actions: sendMessage, subscribe"],
  ])("$default answers %s with an error frame", async (_name, body, message) => {
    const { handlers, dynamodb } = setup();
    expect(frame(await handlers.fallback(event("$default", "a", body)))).toEqual({ type: "error", message });
    expect(dynamodb.commands).toEqual([]);
  });

  test("reads a base64 body", async () => {
    const { handlers } = await connected(["a"]);
    const encoded = { ...event("subscribe", "a"), body: Buffer.from('{"action":"subscribe","room":"r1"}').toString("base64"), isBase64Encoded: true };
    expect(frame(await handlers.message(encoded))).toEqual({ type: "subscribed", room: "r1" });
  });
});
