/** The parts of an IAM policy document this platform writes; emitted as literal JSON so reviewers and the policy checker read the final text. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: string | Record<string, string | string[]>;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** A role trust policy for one AWS service principal. */
export function serviceTrustPolicy(service: string): string {
  return policyDocument([{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }]);
}

/**
 * A resource policy statement that refuses `actions` to every principal but `roleArn` (and the
 * `also` roles): the integration's role is then the only writer, whatever identity policies
 * elsewhere in the account allow. Readers (consumers, Firehose) are not affected.
 */
export function onlyWriterStatement(actions: readonly string[], resource: string, roleArn: string, also: readonly string[] = []): PolicyStatement {
  return { Sid: "OnlyTheIntegrationWrites", Effect: "Deny", Principal: "*", Action: [...actions], Resource: resource, Condition: { ArnNotEquals: { "aws:PrincipalArn": also.length ? [roleArn, ...also] : roleArn } } };
}
