// @ts-check
// The WebSocket connections table. One item per connection (sk "connection", with the
// principal $connect was authorized as and the rooms it may join) and one per room it subscribed to (sk "room#<room>",
// with a `room` attribute that the by-room index is keyed on). Every item expires with the
// connection, so the table sheds what a missed $disconnect leaves behind.
const { DeleteItemCommand, PutItemCommand, QueryCommand } = require("@aws-sdk/client-dynamodb");

const CONNECTION = "connection";
const ROOM_PREFIX = "room#";
const ROOM_INDEX = "by-room";
/** API Gateway closes every WebSocket connection after 2 hours. */
const MAX_CONNECTION_SECONDS = 2 * 60 * 60;

/** @typedef {{ send: (command: any) => Promise<any> }} DynamoDb */
/** @typedef {{ principal: string, pseudonymKey: string, rooms: string[], allowedRooms: string[] }} Connection */

/**
 * @param {{ dynamodb: DynamoDb, tableName: string, now?: () => number }} deps
 */
function createStore({ dynamodb, tableName, now = Date.now }) {
  const expiresAt = () => ({ N: String(Math.floor(now() / 1000) + MAX_CONNECTION_SECONDS) });

  /** Every page of a query. @param {Record<string, any>} input */
  async function queryAll(input) {
    /** @type {Record<string, any>[]} */
    const items = [];
    let start;
    do {
      const page = await dynamodb.send(new QueryCommand({ TableName: tableName, ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** @param {string} connectionId */
  const itemsOf = (connectionId) =>
    queryAll({
      KeyConditionExpression: "#id = :id",
      ExpressionAttributeNames: { "#id": "connectionId" },
      ExpressionAttributeValues: { ":id": { S: connectionId } },
      ConsistentRead: true,
    });

  return {
    /**
     * @param {string} connectionId @param {string} principal @param {string[]} allowedRooms room names
     * @param {string} pseudonymKey the connection's own key for the names rooms see it under
     */
    async add(connectionId, principal, allowedRooms, pseudonymKey) {
      await dynamodb.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            connectionId: { S: connectionId },
            sk: { S: CONNECTION },
            principal: { S: principal },
            allowedRooms: { S: allowedRooms.join(" ") },
            pseudonymKey: { S: pseudonymKey },
            connectedAt: { N: String(now()) },
            expiresAt: expiresAt(),
          },
        }),
      );
    },

    /** @param {string} connectionId @param {string} room */
    async subscribe(connectionId, room) {
      await dynamodb.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { connectionId: { S: connectionId }, sk: { S: `${ROOM_PREFIX}${room}` }, room: { S: room }, expiresAt: expiresAt() },
        }),
      );
    },

    /** The connection's principal and rooms; undefined once it is gone. @param {string} connectionId @returns {Promise<Connection | undefined>} */
    async get(connectionId) {
      const items = await itemsOf(connectionId);
      const connection = items.find((item) => item.sk?.S === CONNECTION);
      if (!connection) return undefined;
      return {
        principal: String(connection.principal?.S),
        // Connections made before keys were given: their id, which no other member knows.
        pseudonymKey: String(connection.pseudonymKey?.S ?? connectionId),
        rooms: items.filter((item) => item.sk?.S?.startsWith(ROOM_PREFIX)).map((item) => String(item.room?.S)),
        allowedRooms: (connection.allowedRooms?.S ?? "").split(" ").filter(Boolean),
      };
    },

    /** Deletes the connection and its subscriptions. @param {string} connectionId */
    async remove(connectionId) {
      for (const item of await itemsOf(connectionId)) {
        await dynamodb.send(new DeleteItemCommand({ TableName: tableName, Key: { connectionId: { S: connectionId }, sk: item.sk } }));
      }
    },

    /** The ids of the connections subscribed to a room. @param {string} room @returns {Promise<string[]>} */
    async inRoom(room) {
      const items = await queryAll({
        IndexName: ROOM_INDEX,
        KeyConditionExpression: "#room = :room",
        ExpressionAttributeNames: { "#room": "room" },
        ExpressionAttributeValues: { ":room": { S: room } },
      });
      return items.map((item) => String(item.connectionId?.S));
    },
  };
}

module.exports = { createStore, MAX_CONNECTION_SECONDS, ROOM_INDEX };
