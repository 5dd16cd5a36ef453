/**
 * AWS regions that offer API Gateway, by partition. A typo in a region otherwise
 * surfaces only at `terraform plan` as an opaque endpoint-resolution error.
 */
export const REGIONS_BY_PARTITION = {
  aws: [
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
  ],
  "aws-cn": ["cn-north-1", "cn-northwest-1"],
  "aws-us-gov": ["us-gov-east-1", "us-gov-west-1"],
} as const;

export type Partition = keyof typeof REGIONS_BY_PARTITION;

export const REGIONS: readonly string[] = Object.values(REGIONS_BY_PARTITION).flat();

/** The ARN partition of a region; unknown regions are refused earlier, by the schema. */
export function partitionOf(region: string): Partition {
  for (const [partition, regions] of Object.entries(REGIONS_BY_PARTITION)) {
    if ((regions as readonly string[]).includes(region)) return partition as Partition;
  }
  throw new Error(`region "${region}" is not a known AWS region`);
}

/** The DNS suffix of AWS service endpoints in a region (`execute-api.<region>.<suffix>`). */
export function dnsSuffixOf(region: string): string {
  return partitionOf(region) === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}
