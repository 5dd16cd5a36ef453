import type { Rule } from "../types";
import { alarmAction, deadLetterQueueAlarm, functionErrorAlarm, stageAlarms } from "./alarms";
import { authorizerPermissionScoped, cognitoMethodScopes, gatewayResponsesSafe, publicWriteValidated } from "./access";
import { accountCloudWatchRole } from "./account";
import { aliasTargetMatchesDomain, certificateValidationInPublicZone, domainTls, domainTlsMinimum, dualstackDomainAaaa, edgeCertificateRegion, truststoreVersionPinned } from "./domains";
import { httpRouteAuthorizer, jwtAuthorizerConfiguration } from "./http-api";
import { iamNoWildcards } from "./iam";
import { awsIntegrationPassthrough } from "./integration-passthrough";
import { integrationRoleScoped } from "./integration-role";
import { httpIntegrationTls } from "./integration-tls";
import { aliasTargetReference, defaultEndpointDisabled, securityGroupBroadIngress, securityGroupOpenIngress, vpcEndpointPolicy } from "./exposure";
import { corsOrigins, httpApiWaf, httpWriteRouteScopes } from "./http-security";
import { noAdminManagedPolicies, trustPolicyScoped } from "./iam-trust";
import { privateMethodAuthorization, privatePolicyNoForeignEndpoint, publicPolicyNotOpen, publicWriteNotKeyOnly } from "./private-api";
import { noArbitraryCode } from "./arbitrary-code";
import { archiveBucketKms } from "./archive-encryption";
import { cloudWatchRoleWriteOnly } from "./cloudwatch-role-reads";
import { integrationTargetWriters } from "./integration-target-writers";
import { terraformSettingsKnown } from "./terraform-settings";
import { tfcRoleTrustsItsWorkspace } from "./tfc-role-trust";
import { tfcConfidentialWorkspace } from "./tfc-workspace";
import { readOnlyDataDenied } from "./read-only-data";
import { securityValuesEvaluable } from "./evaluable";
import { tfcWorkspaceAccess } from "./tfc-access";
import { authorizerCachePerRoute } from "./authorizer-cache";
import { serviceTrustSource } from "./service-trust";
import { functionKmsThroughService } from "./kms-via-service";
import { apiKeyLiteralValue, apiKeysInLocalState, secretsInConfiguration } from "./secrets";
import { lambdaPermissionScoped, logGroupRetention } from "./lambda";
import { lambdaFunctionUrlAuth, lambdaPermissionPrincipal, lambdaPermissionRoute, lambdaPermissionSourceApi, lambdaReservedConcurrency } from "./lambda-security";
import { accessLogCaller, accessLogNoSecrets, logGroupCustomerKey } from "./logs";
import { methodSettingsOverride, restStageCacheKeys } from "./method-settings";
import { endpointSecurityGroup } from "./network";
import { resourcePolicyExpandedForm } from "./policy-form";
import { deploymentCreateBeforeDestroy, deploymentRedeploys, privateApiHasPolicy, privateApiPolicyBoundToEndpoint, privateDomainBoundToEndpoint, publicMethodProtected } from "./rest-api";
import { restSingleDefinition } from "./rest-definition";
import { integrationTargetEncryption } from "./target-encryption";
import {
  quotaApiKeys,
  quotaAuthorizers,
  quotaCustomDomains,
  quotaHttpIntegrations,
  quotaLambdaPolicy,
  quotaOpenApiSize,
  quotaResourcePolicy,
  quotaRestResources,
  quotaRoutes,
  quotaStageVariables,
  quotaUsagePlans,
} from "./quotas";
import { publicStageWaf, restCacheInvalidationAuthorized, restStageCacheEncrypted, restStageExecutionLogging, restStageNoDataTrace, restStageTracing, stageAccessLogging, stageThrottling } from "./stages";
import { keyRequiredStageInUsagePlan, usagePlanLimits } from "./usage-plans";
import { webAclKnownBadInputs, webAclNotEmpty } from "./waf";
import { stageClientCertificate } from "./client-certificate";
import { manageConnectionsScoped, websocketConnectAuthorized } from "./websocket";

/** Every rule of the platform, in the order reports and docs list them. */
export const ALL_RULES: readonly Rule[] = [
  privateApiHasPolicy,
  privateApiPolicyBoundToEndpoint,
  privateDomainBoundToEndpoint,
  resourcePolicyExpandedForm,
  restSingleDefinition,
  deploymentRedeploys,
  deploymentCreateBeforeDestroy,
  stageAccessLogging,
  restStageTracing,
  restStageExecutionLogging,
  restStageNoDataTrace,
  restStageCacheEncrypted,
  restCacheInvalidationAuthorized,
  restStageCacheKeys,
  publicStageWaf,
  stageThrottling,
  methodSettingsOverride,
  publicMethodProtected,
  cognitoMethodScopes,
  publicWriteValidated,
  gatewayResponsesSafe,
  httpRouteAuthorizer,
  jwtAuthorizerConfiguration,
  websocketConnectAuthorized,
  lambdaPermissionScoped,
  authorizerPermissionScoped,
  logGroupRetention,
  domainTls,
  domainTlsMinimum,
  edgeCertificateRegion,
  aliasTargetMatchesDomain,
  dualstackDomainAaaa,
  truststoreVersionPinned,
  certificateValidationInPublicZone,
  endpointSecurityGroup,
  iamNoWildcards,
  manageConnectionsScoped,
  accountCloudWatchRole,
  integrationRoleScoped,
  awsIntegrationPassthrough,
  httpIntegrationTls,
  integrationTargetEncryption,
  quotaRestResources,
  quotaRoutes,
  quotaHttpIntegrations,
  quotaAuthorizers,
  quotaStageVariables,
  quotaOpenApiSize,
  quotaResourcePolicy,
  quotaLambdaPolicy,
  quotaUsagePlans,
  quotaApiKeys,
  quotaCustomDomains,
  stageAlarms,
  functionErrorAlarm,
  deadLetterQueueAlarm,
  alarmAction,
  httpWriteRouteScopes,
  corsOrigins,
  httpApiWaf,
  lambdaPermissionPrincipal,
  lambdaPermissionSourceApi,
  lambdaPermissionRoute,
  lambdaFunctionUrlAuth,
  lambdaReservedConcurrency,
  logGroupCustomerKey,
  accessLogNoSecrets,
  accessLogCaller,
  trustPolicyScoped,
  noAdminManagedPolicies,
  privatePolicyNoForeignEndpoint,
  privateMethodAuthorization,
  publicWriteNotKeyOnly,
  publicPolicyNotOpen,
  defaultEndpointDisabled,
  vpcEndpointPolicy,
  securityGroupOpenIngress,
  securityGroupBroadIngress,
  aliasTargetReference,
  apiKeyLiteralValue,
  apiKeysInLocalState,
  secretsInConfiguration,
  usagePlanLimits,
  keyRequiredStageInUsagePlan,
  webAclNotEmpty,
  webAclKnownBadInputs,
  stageClientCertificate,
  noArbitraryCode,
  functionKmsThroughService,
  serviceTrustSource,
  readOnlyDataDenied,
  integrationTargetWriters,
  archiveBucketKms,
  cloudWatchRoleWriteOnly,
  tfcConfidentialWorkspace,
  terraformSettingsKnown,
  tfcRoleTrustsItsWorkspace,
  securityValuesEvaluable,
  tfcWorkspaceAccess,
  authorizerCachePerRoute,
];

/** The rules of issue 17's security review, all in the security pack. */
const SECURITY_REVIEW: readonly Rule[] = ALL_RULES.slice(ALL_RULES.indexOf(httpWriteRouteScopes));

/** Named sets of rules, as cdk-nag's packs: `apigw` is everything, the others a focus. */
export const PACKS: Readonly<Record<string, readonly Rule[]>> = {
  apigw: ALL_RULES,
  "apigw-security": ALL_RULES.filter((r) =>
    ["APIGW-PRIVATE-POLICY", "APIGW-PRIVATE-POLICY-VPCE", "APIGW-PRIVATE-DOMAIN", "APIGW-METHOD-AUTH", "APIGW-HTTP-ROUTE-AUTH", "APIGW-WS-CONNECT-AUTH", "APIGW-WS-MANAGE-CONNECTIONS", "APIGW-JWT-AUTHORIZER", "APIGW-LAMBDA-PERMISSION", "APIGW-AUTHORIZER-PERMISSION", "APIGW-DOMAIN-TLS", "APIGW-VPCE-SG", "APIGW-IAM-WILDCARD", "APIGW-STAGE-NO-DATA-TRACE", "APIGW-STAGE-CACHE-ENCRYPTED", "APIGW-CACHE-INVALIDATION-AUTH", "APIGW-STAGE-CACHE-KEYS", "APIGW-STAGE-WAF", "APIGW-INTEGRATION-ROLE", "APIGW-INTEGRATION-HTTPS", "APIGW-TARGET-ENCRYPTION"].includes(r.id) ||
      SECURITY_REVIEW.includes(r),
  ),
};
