import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { TfcAwsOidcProvider } from "../../modules/tfc-aws-oidc-provider";
import { TfcWorkspace, TfcWorkspaceProps } from "../../modules/tfc-workspace";
import { resourcesOf, synthesize } from "../fixtures/environment";

function stackWith(build: (stack: TerraformStack, aws: AwsProvider) => void): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "tfc");
  new TfeProvider(stack, "tfe");
  const aws = new AwsProvider(stack, "aws", { region: "eu-west-1" });
  build(stack, aws);
  return stack;
}

const BASE: TfcWorkspaceProps = {
  name: "apigw-dev",
  organization: "acme",
  project: { id: "prj-123", name: "apigw-platform" },
  workingDirectory: "cdktf.out/stacks/dev",
};

describe("TfcWorkspace", () => {
  test("default", () => {
    const synthesized = synthesize(stackWith((stack) => new TfcWorkspace(stack, "dev", BASE)));
    expect(Object.values(resourcesOf(synthesized, "tfe_workspace"))).toEqual([
      expect.objectContaining({ name: "apigw-dev", organization: "acme", project_id: "prj-123", auto_apply: false, auto_apply_run_trigger: false }),
    ]);
    // Only VCS-driven runs read a working directory; a CLI-driven run uploads the directory it starts in.
    expect(Object.values(resourcesOf(synthesized, "tfe_workspace"))[0]).not.toHaveProperty("working_directory");
    expect(Object.values(resourcesOf(synthesized, "tfe_workspace_settings"))).toEqual([expect.objectContaining({ execution_mode: "remote" })]);
    expect(synthesized.resource.tfe_variable).toBeUndefined();
    expect(synthesized.resource.aws_iam_role).toBeUndefined();
  });

  test.each([
    ["remote", "none"],
    ["local", "read"],
  ] as const)("lets the plan team of a %s workspace queue plans, with state access %s, and read no variables", (executionMode, state) => {
    const synthesized = synthesize(stackWith((stack) => new TfcWorkspace(stack, "dev", { ...BASE, executionMode, teamAccess: { plan: "team-Pr" } })));
    expect(Object.values(resourcesOf(synthesized, "tfe_team_access"))).toEqual([
      expect.objectContaining({ team_id: "team-Pr", permissions: [{ runs: "plan", state_versions: state, variables: "none", sentinel_mocks: "none", workspace_locking: false, run_tasks: false }] }),
    ]);
  });

  test("creates the run role in the given account and points the workspace at it", () => {
    const synthesized = synthesize(
      stackWith((stack, aws) => {
        const oidcProvider = new TfcAwsOidcProvider(stack, "oidc", { provider: aws });
        new TfcWorkspace(stack, "dev", { ...BASE, awsRunRole: { provider: aws, oidcProvider, roleName: "apigw-tfc-dev", policyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] } });
      }),
    );
    const roles = Object.fromEntries(Object.values<any>(resourcesOf(synthesized, "aws_iam_role")).map((r) => [r.name, r]));
    const sub = (name: string) => JSON.parse(roles[name].assume_role_policy).Statement[0].Condition.StringLike["app.terraform.io:sub"];
    // A plan runs unapproved code: it gets read-only credentials; the confirmed apply gets the policies.
    expect(sub("apigw-tfc-dev")).toBe("organization:acme:project:apigw-platform:workspace:apigw-dev:run_phase:apply");
    expect(sub("apigw-tfc-dev-plan")).toBe("organization:acme:project:apigw-platform:workspace:apigw-dev:run_phase:plan");
    const roleNames = Object.fromEntries(Object.entries<any>(resourcesOf(synthesized, "aws_iam_role")).map(([address, r]) => [`\${aws_iam_role.${address}.name}`, r.name]));
    const attachments = Object.values<any>(resourcesOf(synthesized, "aws_iam_role_policy_attachment")).map((a) => [roleNames[a.role], a.policy_arn]);
    expect(attachments.sort()).toEqual([
      ["apigw-tfc-dev", "arn:aws:iam::aws:policy/PowerUserAccess"],
      ["apigw-tfc-dev-plan", "arn:aws:iam::aws:policy/ReadOnlyAccess"],
    ]);
    expect(Object.values(resourcesOf(synthesized, "tfe_variable")).map((v: any) => v.key).sort()).toEqual(["TFC_AWS_PLAN_ROLE_ARN", "TFC_AWS_PROVIDER_AUTH", "TFC_AWS_RUN_ROLE_ARN"]);
  });

  test.each<[string, (stack: TerraformStack, aws: AwsProvider) => void, RegExp]>([
    ["the workspace name has a space", (stack) => new TfcWorkspace(stack, "dev", { ...BASE, name: "apigw dev" }), /^tfc\/dev: name is "apigw dev"; expected a workspace name/],
    [
      "local runs are given an AWS role",
      (stack, aws) =>
        new TfcWorkspace(stack, "dev", {
          ...BASE,
          executionMode: "local",
          awsRunRole: { provider: aws, oidcProvider: new TfcAwsOidcProvider(stack, "oidc", { provider: aws }), roleName: "apigw-tfc-dev", policyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] },
        }),
      /^tfc\/dev: awsRunRole is set with executionMode "local"; only remote runs receive dynamic credentials/,
    ],
    [
      "the run role has no policy",
      (stack, aws) =>
        new TfcWorkspace(stack, "dev", { ...BASE, awsRunRole: { provider: aws, oidcProvider: new TfcAwsOidcProvider(stack, "oidc", { provider: aws }), roleName: "apigw-tfc-dev", policyArns: [] } }),
      /^tfc\/dev: awsRunRole\.policyArns is empty/,
    ],
    ["the repository has two connections", (stack) => new TfcWorkspace(stack, "dev", { ...BASE, vcsRepo: { identifier: "acme/apigw", oauthTokenId: "ot-1", githubAppInstallationId: "ghain-1" } }), /^tfc\/dev: vcsRepo needs exactly one of oauthTokenId and githubAppInstallationId/],
    ["the identity provider's host has a scheme", (stack, aws) => new TfcAwsOidcProvider(stack, "oidc", { provider: aws, hostname: "https://tfe.example.com" }), /^tfc\/oidc: hostname is "https:\/\/tfe\.example\.com"; expected a host name/],
  ])("fails if %s", (_name, build, expected) => {
    expect(() => stackWith(build)).toThrow(expected);
  });
});
