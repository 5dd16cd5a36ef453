import { PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { createHandlers } from "../../functions/websocket";
import { createStore } from "../../functions/websocket/connections";

// Which rooms a connection may join, and what the room learns of a sender.
type Item = Record<string, { S?: string; N?: string }>;

function world() {
  const items: Item[] = [];
  const posts: any[] = [];
  const dynamodb = {
    send: async (command: PutItemCommand | QueryCommand) => {
      if (command instanceof PutItemCommand) return items.push(command.input.Item as Item), {};
      const value = Object.values(command.input.ExpressionAttributeValues ?? {})[0]?.S;
      const attribute = command.input.IndexName ? "room" : "connectionId";
      return { Items: items.filter((i) => i[attribute]?.S === value) };
    },
  };
  const management = () => ({ send: async (command: any) => (posts.push(JSON.parse(Buffer.from(command.input.Data).toString("utf8"))), {}) });
  const signerRooms = { "arn:aws:iam::111111111111:role/service/notifier": ["general"], "arn:aws:iam::111111111111:user/ops": ["ops"] };
  const handlers = createHandlers({ store: createStore({ dynamodb, tableName: "t" }), management, executeApiDomain: "execute-api.eu-west-1.amazonaws.com", signerRooms });
  const context = (connectionId: string, extra: object) => ({ routeKey: "$connect", connectionId, apiId: "a", stage: "dev", ...extra });
  const send = (connectionId: string, routeKey: string, body: object) => handlers.message({ requestContext: { ...context(connectionId, {}), routeKey }, body: JSON.stringify(body) });
  return { handlers, posts, context, send };
}

const frame = (reply: { body?: string }) => JSON.parse(reply.body as string);

describe("websocket rooms", () => {
  test.each<[string, object, string, boolean]>([
    ["a token with the room's scope", { authorizer: { principalId: "sub-1", scope: "openid rooms/general" } }, "general", true],
    ["a token with another room's scope", { authorizer: { principalId: "sub-1", scope: "rooms/other" } }, "general", false],
    ["a token whose scope only ends in the room", { authorizer: { principalId: "sub-1", scope: "admin/general" } }, "general", false],
    ["a token without scope", { authorizer: { principalId: "sub-1" } }, "general", false],
    ["a SigV4 session of a role listed for the room (the session ARN drops the role's path)", { identity: { userArn: "arn:aws:sts::111111111111:assumed-role/notifier/i-0abc" } }, "general", true],
    ["a SigV4 session of that role, another room", { identity: { userArn: "arn:aws:sts::111111111111:assumed-role/notifier/i-0abc" } }, "ops", false],
    ["a SigV4 session of a role of the same name in another account", { identity: { userArn: "arn:aws:sts::999999999999:assumed-role/notifier/x" } }, "general", false],
    ["a SigV4 session of an unlisted role", { identity: { userArn: "arn:aws:sts::111111111111:assumed-role/backend/x" } }, "general", false],
    ["a listed IAM user", { identity: { userArn: "arn:aws:iam::111111111111:user/ops" } }, "ops", true],
    ["a role whose name only starts like a listed one", { identity: { userArn: "arn:aws:sts::111111111111:assumed-role/notifier-2/x" } }, "general", false],
  ])("%s joining %s: %s", async (_name, auth, room, allowed) => {
    const w = world();
    await w.handlers.connect({ requestContext: w.context("c1", auth) });
    const reply = frame(await w.send("c1", "subscribe", { action: "subscribe", room }));
    expect(reply).toEqual(
      allowed ? { type: "subscribed", room } : { type: "error", message: `this connection may not join ${room} (a token needs the scope rooms/${room}; a SigV4 signer, the room in websocketApi.authorizer.rooms)` },
    );
  });

  test("broadcasts a per-room pseudonym of the sender, never its sub", async () => {
    const w = world();
    const scope = "rooms/general rooms/other";
    await w.handlers.connect({ requestContext: w.context("c1", { authorizer: { principalId: "sub-secret-1", scope } }) });
    for (const room of ["general", "other"]) {
      await w.send("c1", "subscribe", { action: "subscribe", room });
      await w.send("c1", "sendMessage", { action: "sendMessage", room, text: "hi" });
    }
    expect(w.posts).toHaveLength(2);
    expect(JSON.stringify(w.posts)).not.toContain("sub-secret-1");
    const [general, other] = w.posts.map((p) => p.from);
    expect(general).toMatch(/^[\w-]{16}$/);
    // Not linkable across rooms.
    expect(other).not.toBe(general);
  });

  test("names a sender by its connection's key: stable in a room, not computable from its sub", async () => {
    const w = world();
    const auth = { authorizer: { principalId: "sub-1", scope: "rooms/general" } };
    for (const id of ["c1", "c2"]) {
      await w.handlers.connect({ requestContext: w.context(id, auth) });
      await w.send(id, "subscribe", { action: "subscribe", room: "general" });
    }
    await w.send("c1", "sendMessage", { action: "sendMessage", room: "general", text: "one" });
    await w.send("c1", "sendMessage", { action: "sendMessage", room: "general", text: "two" });
    await w.send("c2", "sendMessage", { action: "sendMessage", room: "general", text: "three" });
    // Each message reaches both connections.
    const names = w.posts.map((p) => p.from);
    expect(names).toHaveLength(6);
    expect(new Set(names.slice(0, 4)).size).toBe(1);
    // The same sub on another connection goes by another name, so the name is no function of the sub.
    expect(names[4]).not.toBe(names[0]);
  });
});
