import { ROOM_INDEX } from "../../functions/websocket/connections";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { ConnectionsAccess, ConnectionsTable } from "../../modules/connections-table";
import { policyDocument } from "../../modules/shared/iam";
import { nameOf, resourcesOf, synthConstruct } from "../fixtures/environment";
import { allows, statementsOf } from "../fixtures/iam";

describe("ConnectionsTable", () => {
  test("default", () => {
    const synthesized = synthConstruct((scope) => new ConnectionsTable(scope, "connections", { tableName: "chat-connections" }));
    const table = resourcesOf(synthesized, "aws_dynamodb_table")[nameOf(synthesized, "aws_dynamodb_table")];
    expect(table).toEqual(
      expect.objectContaining({
        name: "chat-connections",
        billing_mode: "PAY_PER_REQUEST",
        hash_key: "connectionId",
        range_key: "sk",
        global_secondary_index: [{ name: "by-room", hash_key: "room", range_key: "connectionId", projection_type: "KEYS_ONLY" }],
        ttl: { attribute_name: "expiresAt", enabled: true },
        server_side_encryption: { enabled: true },
        point_in_time_recovery: { enabled: true },
      }),
    );
  });

  test("names the index the handlers query", () => {
    expect(ConnectionsTable.ROOM_INDEX).toBe(ROOM_INDEX);
  });

  describe("statements", () => {
    const TABLE = "arn:aws:dynamodb:eu-west-1:111111111111:table/chat-connections";
    const OTHER = "arn:aws:dynamodb:eu-west-1:111111111111:table/orders";
    function statementsFor(access: ConnectionsAccess) {
      const synthesized = synthConstruct((scope) => {
        const table = new ConnectionsTable(scope, "connections", { tableName: "chat-connections" });
        new IamRolePolicy(scope, "policy", { role: "r", policy: policyDocument(table.statements(access)) });
      });
      const policy = Object.values(resourcesOf(synthesized, "aws_iam_role_policy"))[0].policy;
      return statementsOf([policy], { [`\${aws_dynamodb_table.${nameOf(synthesized, "aws_dynamodb_table")}.arn}`]: TABLE });
    }
    const ACTIONS = ["PutItem", "Query", "DeleteItem", "GetItem", "Scan", "UpdateItem", "BatchWriteItem", "DeleteTable"].map((a) => `dynamodb:${a}`);

    test.each<[ConnectionsAccess, string[], string[]]>([
      ["connect", ["dynamodb:PutItem"], []],
      ["disconnect", ["dynamodb:Query", "dynamodb:DeleteItem"], []],
      ["messages", ["dynamodb:PutItem", "dynamodb:Query", "dynamodb:DeleteItem"], ["dynamodb:Query"]],
    ])("let the %s handler do only what it needs, on this table only", (access, onTable, onIndex) => {
      const statements = statementsFor(access);
      expect(ACTIONS.filter((a) => allows(statements, a, TABLE))).toEqual(onTable);
      expect(ACTIONS.filter((a) => allows(statements, a, `${TABLE}/index/by-room`))).toEqual(onIndex);
      expect(ACTIONS.filter((a) => allows(statements, a, `${TABLE}/index/other`))).toEqual([]);
      expect(ACTIONS.filter((a) => allows(statements, a, OTHER) || allows(statements, a, `${OTHER}/index/by-room`))).toEqual([]);
    });
  });
});
