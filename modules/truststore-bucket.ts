import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA as S3BucketVersioning } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { policyDocument } from "./shared/iam";
import { PropsError } from "./shared/validation";

export interface TruststoreBucketProps {
  /** Prefix of the bucket's generated name (S3 names are global), such as `apigw-prod-truststores-`. */
  readonly bucketPrefix: string;
}

/** Where a domain reads its truststore: the object and the version it pins. */
export interface Truststore {
  readonly truststoreUri: string;
  readonly truststoreVersion: string;
}

/** The generated name's prefix of a stack's truststore bucket: S3 adds 26 characters to at most 37. */
export function truststoreBucketPrefix(stackName: string): string {
  return `apigw-${stackName}-truststores-`.slice(0, 37);
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * A versioned, encrypted, private bucket of the platform's own for mutual TLS truststores, one
 * object per domain. API Gateway reads a truststore when the domain is created or updated and
 * keeps serving that copy (terraform-provider-aws#18312): the domain pins the object's version,
 * so a new bundle is a new version and an in-place update of the domain (#29970, fixed by #30081).
 * SSE-S3, not KMS: API Gateway reads the object with the credentials of whoever updates the
 * domain, which then need no key grant.
 */
export class TruststoreBucket extends Construct {
  public readonly bucketName: string;
  private readonly bucket: S3Bucket;
  private readonly versioning: S3BucketVersioning;

  constructor(scope: Construct, id: string, props: TruststoreBucketProps) {
    super(scope, id);
    if (!/^[a-z0-9][a-z0-9-]{0,36}$/.test(props.bucketPrefix)) {
      throw new PropsError(this, "bucketPrefix", `is ${JSON.stringify(props.bucketPrefix)}; expected lower-case letters, digits and hyphens, 37 characters at most (S3 adds 26)`);
    }
    this.bucket = new S3Bucket(this, "bucket", { bucketPrefix: props.bucketPrefix });
    this.bucketName = this.bucket.bucket;
    new S3BucketPublicAccessBlock(this, "public-access", { bucket: this.bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    new S3BucketOwnershipControls(this, "ownership", { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketServerSideEncryptionConfiguration(this, "encryption", { bucket: this.bucket.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
    this.versioning = new S3BucketVersioning(this, "versioning", { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } });
    // A replaced bundle stays a year, a record of whom a domain trusted when; nothing reads it (the
    // domain pins the current version, and going back means committing the old bundle again).
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [{ id: "expire-replaced-truststores", status: "Enabled", filter: [{}], noncurrentVersionExpiration: [{ noncurrentDays: 365 }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] }],
      dependsOn: [this.versioning],
    });
    new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: policyDocument([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]),
    });
  }

  /** Uploads one PEM bundle; the object waits for versioning, or its version would be `null`. */
  public add(id: string, key: string, pem: string): Truststore {
    if (!PEM_CERTIFICATE.test(pem)) throw new PropsError(this, `${id}.pem`, "holds no PEM certificate (-----BEGIN CERTIFICATE-----); API Gateway would refuse the truststore");
    const object = new S3Object(this, id, {
      bucket: this.bucket.id,
      key,
      content: pem,
      contentType: "application/x-pem-file",
      serverSideEncryption: "AES256",
      dependsOn: [this.versioning],
    });
    return { truststoreUri: `s3://${this.bucket.bucket}/${key}`, truststoreVersion: object.versionId };
  }
}
