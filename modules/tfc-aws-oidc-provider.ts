import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { PropsError } from "./shared/validation";

/** The audience Terraform Cloud puts in a run's AWS identity token unless TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE says otherwise. */
export const TFC_AWS_AUDIENCE = "aws.workload.identity";

export interface TfcAwsOidcProviderProps {
  /** The AWS provider of the account the identity provider is created in. */
  readonly provider: TerraformProvider;
  /**
   * Host of Terraform Cloud or Enterprise, the tokens' issuer.
   * @default "app.terraform.io"
   */
  readonly hostname?: string;
}

/**
 * The IAM OpenID Connect identity provider that lets Terraform Cloud runs exchange their
 * identity token for a role's credentials. IAM allows one provider per issuer URL and account.
 * No thumbprint: IAM no longer needs one for this issuer and fetches it itself when it is left out.
 */
export class TfcAwsOidcProvider extends Construct {
  public readonly arn: string;
  /** The issuer host, which also prefixes the claim keys (`<host>:aud`, `<host>:sub`) of trust policies. */
  public readonly hostname: string;
  public readonly audience = TFC_AWS_AUDIENCE;

  constructor(scope: Construct, id: string, props: TfcAwsOidcProviderProps) {
    super(scope, id);
    this.hostname = props.hostname ?? "app.terraform.io";
    if (!/^[a-z0-9.-]+$/.test(this.hostname)) {
      throw new PropsError(this, "hostname", `is ${JSON.stringify(this.hostname)}; expected a host name such as app.terraform.io, without scheme or path`);
    }
    const provider = new IamOpenidConnectProvider(this, "provider", {
      provider: props.provider,
      url: `https://${this.hostname}`,
      clientIdList: [TFC_AWS_AUDIENCE],
    });
    this.arn = provider.arn;
  }
}
