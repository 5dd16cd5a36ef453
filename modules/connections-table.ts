import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import type { PolicyStatement } from "./shared/iam";

export interface ConnectionsTableProps {
  readonly tableName: string;
}

/** What each handler of a WebSocket API does with the table; each gets only its own actions. */
export type ConnectionsAccess = "connect" | "disconnect" | "messages";

/**
 * The table of a WebSocket API's open connections, in the layout of `functions/websocket/connections.js`:
 * key (`connectionId`, `sk`), a `by-room` index on `room`, and `expiresAt` as TTL so that
 * connections whose `$disconnect` never ran are deleted. On-demand, encrypted with the AWS
 * managed key, with point-in-time recovery.
 */
export class ConnectionsTable extends Construct {
  /** The index the handlers look up a room's connections in (`functions/websocket/connections.js` ROOM_INDEX). */
  public static readonly ROOM_INDEX = "by-room";

  public readonly tableName: string;
  public readonly tableArn: string;

  constructor(scope: Construct, id: string, props: ConnectionsTableProps) {
    super(scope, id);
    const table = new DynamodbTable(this, "table", {
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "connectionId",
      rangeKey: "sk",
      attribute: [
        { name: "connectionId", type: "S" },
        { name: "sk", type: "S" },
        { name: "room", type: "S" },
      ],
      globalSecondaryIndex: [{ name: ConnectionsTable.ROOM_INDEX, hashKey: "room", rangeKey: "connectionId", projectionType: "KEYS_ONLY" }],
      // TTL deletes within days, not at once: stale connections also leave when a post answers GoneException.
      ttl: { attributeName: "expiresAt", enabled: true },
      serverSideEncryption: { enabled: true },
      pointInTimeRecovery: { enabled: true },
    });
    this.tableName = table.name;
    this.tableArn = table.arn;
  }

  /** The least a handler needs: its DynamoDB actions on this table (and its index) only. */
  public statements(access: ConnectionsAccess): PolicyStatement[] {
    switch (access) {
      case "connect":
        return [{ Sid: "StoreConnection", Effect: "Allow", Action: "dynamodb:PutItem", Resource: this.tableArn }];
      case "disconnect":
        return [{ Sid: "RemoveConnection", Effect: "Allow", Action: ["dynamodb:Query", "dynamodb:DeleteItem"], Resource: this.tableArn }];
      case "messages":
        return [
          { Sid: "Connections", Effect: "Allow", Action: ["dynamodb:PutItem", "dynamodb:Query", "dynamodb:DeleteItem"], Resource: this.tableArn },
          { Sid: "RoomIndex", Effect: "Allow", Action: "dynamodb:Query", Resource: `${this.tableArn}/index/${ConnectionsTable.ROOM_INDEX}` },
        ];
    }
  }
}
