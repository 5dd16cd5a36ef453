import { statementsOf } from "../policy-document";
import type { Rule } from "../types";

const KMS_DATA_ACTIONS = /^kms:(\*|decrypt|generatedatakey.*|reencrypt.*|encrypt)$/i;
/** <service>.<region>.amazonaws.com with the service written out; the region may be a reference or a wildcard. */
const NAMED_SERVICE = /^[a-z0-9-]+\.(?:\$\{[^}]*\}|[^.]+)\.amazonaws\.com(\.cn)?$/;

/**
 * A function role uses KMS keys through the services that hold its data (Lambda for its
 * environment, S3, SQS, Kinesis, DynamoDB): with kms:ViaService naming them, the key cannot be
 * used directly, to decrypt a copy of the data taken elsewhere.
 */
export const functionKmsThroughService: Rule = {
  id: "APIGW-FUNCTION-KMS-VIA-SERVICE",
  severity: "error",
  message: "A Lambda function's role may use a KMS key only through a named service: kms:Decrypt, kms:GenerateDataKey* and kms:Encrypt need a kms:ViaService condition without wildcards in the service",
  explanation:
    "A function decrypts its environment through Lambda and its data through the service that stores it (S3, SQS, Kinesis, DynamoDB); a grant without kms:ViaService lets the function's credentials, wherever they leak to, decrypt any ciphertext of the key directly, such as a copied object or a captured message. Add Condition StringEquals kms:ViaService <service>.<region>.amazonaws.com. A `*` in place of the service name (kms:ViaService *.amazonaws.com) is no condition.",
  references: ["AWS KMS Developer Guide: kms:ViaService condition key", "AWS docs: Securing Lambda environment variables"],
  check: (stack) => {
    const functionRoles = stack
      .resources("aws_iam_role")
      .filter((role) => (statementsOf(stack, role.body.assume_role_policy) ?? []).some((s) => s.effect === "Allow" && s.principals.includes("lambda.amazonaws.com")));
    return stack
      .resources("aws_iam_role_policy")
      .filter((policy) => functionRoles.some((role) => stack.identifies(policy.body.role, role, "name") || stack.identifies(policy.body.role, role, "id")))
      .flatMap((policy) => {
        const unbound = (statementsOf(stack, policy.body.policy) ?? []).filter(
          (s) =>
            s.effect === "Allow" &&
            s.actions.some((a) => KMS_DATA_ACTIONS.test(a)) &&
            !s.conditions.some((c) => /^kms:viaservice$/i.test(c.variable) && !/^String(Not|.*IfExists)/.test(c.test) && c.values.length > 0 && c.values.every((v) => NAMED_SERVICE.test(v))),
        );
        return unbound.length ? [{ address: policy.address, detail: `${unbound.flatMap((s) => s.actions.filter((a) => KMS_DATA_ACTIONS.test(a))).join(", ")} without kms:ViaService naming a service` }] : [];
      });
  },
};
