import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import type { ServiceTarget } from "./shared/service-integrations";
import { checkFormat } from "./shared/validation";

export interface DataTableProps {
  readonly tableName: string;
  readonly region: string;
  /** The partition key, a string attribute. */
  readonly partitionKey: string;
  /**
   * A customer managed key; readers then need kms:Decrypt on it.
   * @default the AWS managed key alias/aws/dynamodb
   */
  readonly kmsKeyArn?: string;
}

/**
 * An on-demand DynamoDB table, encrypted with a KMS key (not the default AWS owned key, whose use
 * CloudTrail does not show), with point-in-time recovery and protected from deletion.
 */
export class DataTable extends Construct implements ServiceTarget {
  public readonly arn: string;
  public readonly name: string;
  public readonly region: string;
  public readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: DataTableProps) {
    super(scope, id);
    checkFormat(this, "tableName", props.tableName, (name) => (/^[A-Za-z0-9_.-]{3,255}$/.test(name) ? undefined : "a table name: 3-255 letters, digits, _ . -"));
    const table = new DynamodbTable(this, "table", {
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: props.partitionKey,
      attribute: [{ name: props.partitionKey, type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, ...(props.kmsKeyArn ? { kmsKeyArn: props.kmsKeyArn } : {}) },
      // A destroy (or a rename, which replaces) would delete the data with the table.
      deletionProtectionEnabled: true,
    });
    this.arn = table.arn;
    this.name = props.tableName;
    this.region = props.region;
    this.kmsKeyArn = props.kmsKeyArn;
  }
}
