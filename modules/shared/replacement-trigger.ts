import { TerraformResource } from "cdktf";
import type { Construct } from "constructs";

/**
 * A `terraform_data` (Terraform >= 1.4) that is replaced whenever `value` changes, and so
 * replaces every resource naming it in `replace_triggered_by` (as `referenceTo` writes it). Not
 * cdktf's DataResource: that one runs `terraform version` at synth, and synth needs no terraform.
 */
export class ReplacementTrigger extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly value: Readonly<Record<string, string>>,
  ) {
    super(scope, id, { terraformResourceType: "terraform_data", terraformGeneratorMetadata: { providerName: "terraform" } });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { triggers_replace: { ...this.value } };
  }
}
