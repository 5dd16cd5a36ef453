/**
 * The AWS CDK v2 peer of the CDKTF app (main.ts): dev, staging and prod, one stack each, plus the
 * account stacks (API Gateway's CloudWatch role) and one execute-api VPC-endpoint stack per VPC.
 * `node dist/app.js` writes the CloudFormation templates to CDK_OUTDIR (cdk.out by default).
 * Every stack has an explicit account and region, so nothing is looked up.
 */
import * as path from "path";
import { App } from "aws-cdk-lib";
import { loadEnvironments } from "./config";
import { EnvironmentStack } from "./environment-stack";
import { AccountStack, EndpointStack } from "./shared-stacks";

/** The project whose config/environments and functions/ the peer reads: this repository's root. */
const projectDir = path.resolve(process.env.PEER_PROJECT_DIR ?? path.join(__dirname, "..", "..", ".."));
const environments = loadEnvironments(path.join(projectDir, "config", "environments"), ["dev", "staging", "prod"]);

const app = new App({ analyticsReporting: false });

const accounts = new Map<string, AccountStack>();
const endpoints = new Map<string, EndpointStack>();
for (const { name, config } of environments) {
  const env = { account: String(config.accountId), region: config.region };
  const accountId = `account-${env.account}-${env.region}`;
  if (!accounts.has(accountId)) accounts.set(accountId, new AccountStack(app, accountId, { env }));
  const vpcId = config.network.vpcId;
  let endpoint = endpoints.get(vpcId);
  if (!endpoint) {
    endpoint = new EndpointStack(app, `endpoint-${vpcId}`, { env, vpcId, subnetIds: config.network.subnetIds, allowedCidrs: config.network.allowedCidrs });
    endpoints.set(vpcId, endpoint);
  }
  const stack = new EnvironmentStack(app, name, {
    env,
    envName: name,
    config,
    projectDir,
    vpcEndpoint: endpoint.endpoint,
    vpcEndpointDnsEntries: endpoint.endpoint.vpcEndpointDnsEntries,
    tags: { environment: name, ...config.tags },
  });
  stack.addStackDependency(accounts.get(accountId)!);
}

app.synth();
