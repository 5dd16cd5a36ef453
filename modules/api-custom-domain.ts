import { Construct } from "constructs";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { ApiGatewayBasePathMapping } from "@cdktf/provider-aws/lib/api-gateway-base-path-mapping";
import { ApiGatewayDomainName } from "@cdktf/provider-aws/lib/api-gateway-domain-name";
import { ApiGatewayDomainNameAccessAssociation } from "@cdktf/provider-aws/lib/api-gateway-domain-name-access-association";
import { Apigatewayv2ApiMapping } from "@cdktf/provider-aws/lib/apigatewayv2-api-mapping";
import { Apigatewayv2DomainName } from "@cdktf/provider-aws/lib/apigatewayv2-domain-name";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { TerraformResource, Token } from "cdktf";
import * as formats from "../config/formats";
import type { IExecuteApiEndpoint } from "./execute-api-vpc-endpoint";
import { HttpApi } from "./http-api";
import { RestApi } from "./rest-api";
import { addressUnder, forgetWithoutDestroying, movedBetween, movedFrom, referenceTo } from "./shared/addresses";
import { WebSocketApi } from "./websocket-api";
import { policyDocument } from "./shared/iam";
import { ReplacementTrigger } from "./shared/replacement-trigger";
import { checkFormat, PropsError } from "./shared/validation";

export type DomainEndpointType = "EDGE" | "REGIONAL" | "PRIVATE";

export interface HostedZone {
  readonly zoneId: string;
  /** The zone's name; the domain must be this name or under it. */
  readonly zoneName: string;
}

export interface DomainMapping {
  readonly api: RestApi | HttpApi | WebSocketApi;
  /**
   * The path under the domain the API answers on, such as `v1`.
   * @default the domain's root
   */
  readonly basePath?: string;
}

/** One version of a REST API under the domain, such as `v1`; its mapping is keyed by the base path. */
export interface DomainVersion {
  readonly api: RestApi;
  readonly basePath: string;
}

export interface ApiCustomDomainProps {
  readonly domainName: string;
  /** `EDGE` and `REGIONAL` are public; `PRIVATE` is reachable only through `vpcEndpoint`. HTTP and WebSocket APIs take `REGIONAL`. */
  readonly endpointType: DomainEndpointType;
  /** Where the alias records go: a public zone, or a private zone of the VPC for `PRIVATE`. */
  readonly hostedZone: HostedZone;
  /**
   * The public zone that holds the created certificate's validation record, named after the
   * domain or a parent of it. ACM validates over public DNS, so a `PRIVATE` domain (whose
   * `hostedZone` is private) needs it unless `certificateArn` is given.
   * @default hostedZone
   */
  readonly validationZone?: HostedZone;
  /** The APIs' region: regional and private certificates must be issued there. */
  readonly region: string;
  /** Mappings keyed by position. */
  readonly mappings: readonly DomainMapping[];
  /**
   * REST API versions, each mapped by its base path (construct id `version-<base path>`), so
   * that removing one destroys only its mapping and never shifts another's.
   * @default none
   */
  readonly versions?: readonly DomainVersion[];
  /**
   * The version whose mapping takes over the domain's first position-keyed mapping, which a
   * domain that had one base path before it had versions holds in its state. It must be the
   * base path that mapping served, or the patch to another base path would race the new mapping of that path.
   * @default the first version
   */
  readonly formerBasePath?: string;
  /**
   * An issued certificate to use instead of creating and validating one: in us-east-1 for
   * `EDGE`, in `region` otherwise.
   * @default a new DNS-validated certificate
   */
  readonly certificateArn?: string;
  /**
   * TLS 1.2 or newer; an HTTP API's domain takes TLS_1_2 only (`formats.DOMAIN_TLS_POLICIES`).
   * @default "TLS_1_2"
   */
  readonly securityPolicy?: (typeof formats.DOMAIN_TLS_POLICIES.rest)[number];
  /**
   * The execute-api endpoint a `PRIVATE` domain is reached through (required then).
   * @default none
   */
  readonly vpcEndpoint?: IExecuteApiEndpoint;
  /**
   * `dualstack` answers IPv6 clients too, and gets an AAAA alias next to the A alias. Not for `PRIVATE`.
   * @default "ipv4"
   */
  readonly ipAddressType?: "ipv4" | "dualstack";
  /**
   * Mutual TLS: clients present a certificate from a CA of the truststore. REGIONAL domains only.
   * The version is pinned: API Gateway reads the object once, so a new bundle takes effect only
   * with a new `truststoreVersion`, which updates the domain in place.
   * @default no mutual TLS
   */
  readonly mutualTls?: { readonly truststoreUri: string; readonly truststoreVersion: string };
  /**
   * An enhanced policy (`SecurityPolicy_*`) with its endpoint access mode, for REST domains. The
   * 6.25 bindings know neither attribute (AWS provider 6.28 adds them), so they are written raw.
   * @default none: `securityPolicy` applies
   */
  readonly enhancedSecurity?: { readonly securityPolicy: string; readonly endpointAccessMode: "BASIC" | "STRICT" };
  /**
   * Routing rules to a REST API's stage, read in the domain's routing mode. The 6.25 bindings know
   * neither `routing_mode` nor `aws_apigatewayv2_routing_rule` (AWS provider 6.29 adds them), so both
   * are written raw; the environment schema checks the rules against AWS's limits.
   * @default none: base path mappings only
   */
  readonly routing?: DomainRouting;
}

/** One routing rule: all its conditions match, then the request goes to the routing's API. */
export interface DomainRoutingRule {
  /** Names the Terraform resource (`routing-rule-<name>`), so a new priority is an update. */
  readonly name: string;
  readonly priority: number;
  readonly headers?: readonly { readonly name: string; readonly valueGlob: string }[];
  readonly basePaths?: readonly string[];
  readonly stripBasePath: boolean;
}

export interface DomainRouting {
  readonly mode: "ROUTING_RULE_THEN_BASE_PATH_MAPPING" | "ROUTING_RULE_ONLY";
  readonly api: RestApi;
  readonly rules: readonly DomainRoutingRule[];
}

/** The construct id of a created certificate's validation record, which the stack forgets rather than destroys once nothing here creates it. */
export const VALIDATION_RECORD_ID = "validation-record";

/** CloudFront only takes certificates from us-east-1, whatever the API's region. */
const EDGE_CERTIFICATE_REGION = "us-east-1";

/**
 * A custom domain name for REST, HTTP or WebSocket APIs: its certificate (DNS-validated, in us-east-1
 * for edge), the domain, its API mappings and the Route 53 alias records with the target
 * that matches its endpoint type. `PRIVATE` domains (private custom domain names for
 * private REST APIs) get a domain policy bound to the VPC endpoint, an access association
 * with it, and an alias to the endpoint in the private zone.
 */
export class ApiCustomDomain extends Construct {
  public readonly domainName: string;
  public readonly certificateArn: string;
  /** What the alias records point at. */
  public readonly aliasTarget: { readonly name: string; readonly zoneId: string };

  private readonly isHttp: boolean;

  constructor(scope: Construct, id: string, props: ApiCustomDomainProps) {
    super(scope, id);
    // WebSocket APIs have API Gateway v2 domains, as HTTP APIs do.
    this.isHttp = props.mappings.some((m) => isV2(m.api));
    this.validate(props);

    const certificateRegion = props.endpointType === "EDGE" ? EDGE_CERTIFICATE_REGION : props.region;
    this.certificateArn = props.certificateArn ?? this.certificate(props, certificateRegion);
    // A certificate created here before may still renew through its validation record.
    if (props.certificateArn !== undefined) forgetWithoutDestroying(this, addressUnder(this, "aws_route53_record", VALIDATION_RECORD_ID));
    const securityPolicy = props.securityPolicy ?? "TLS_1_2";

    if (this.isHttp) {
      const domain = new Apigatewayv2DomainName(this, "domain", {
        domainName: props.domainName,
        domainNameConfiguration: { certificateArn: this.certificateArn, endpointType: "REGIONAL", securityPolicy, ...(props.ipAddressType ? { ipAddressType: props.ipAddressType } : {}) },
        ...(props.mutualTls ? { mutualTlsAuthentication: { ...props.mutualTls } } : {}),
      });
      for (const [i, m] of props.mappings.entries()) {
        const mapping = new Apigatewayv2ApiMapping(this, mappingId(i), {
          apiId: (m.api as HttpApi | WebSocketApi).apiId,
          domainName: domain.domainName,
          stage: (m.api as HttpApi | WebSocketApi).stageId,
          ...(m.basePath ? { apiMappingKey: m.basePath } : {}),
        });
        movedFrom(mapping, formerMappingId(m));
      }
      this.aliasTarget = { name: domain.domainNameConfiguration.targetDomainName, zoneId: domain.domainNameConfiguration.hostedZoneId };
    } else {
      // API Gateway refuses to change a domain's endpoint type in place ("Invalid request input",
      // terraform-provider-aws#28059, #40692), so a new type replaces the domain, and its mappings
      // with it: they would otherwise be lost with the old domain and not come back in this apply.
      const endpointType = new ReplacementTrigger(this, "endpoint-type", { endpointType: props.endpointType });
      const domain = new ApiGatewayDomainName(this, "domain", {
        domainName: props.domainName,
        endpointConfiguration: { types: [props.endpointType], ...(props.ipAddressType ? { ipAddressType: props.ipAddressType } : {}) },
        securityPolicy,
        ...(props.mutualTls ? { mutualTlsAuthentication: { ...props.mutualTls } } : {}),
        ...(props.endpointType === "REGIONAL" ? { regionalCertificateArn: this.certificateArn } : { certificateArn: this.certificateArn }),
        ...(props.endpointType === "PRIVATE" ? { policy: privateDomainPolicy(this, props.domainName, props.region, props.vpcEndpoint as IExecuteApiEndpoint) } : {}),
        lifecycle: { replaceTriggeredBy: [referenceTo(endpointType)] },
      });
      if (props.enhancedSecurity) {
        domain.addOverride("security_policy", props.enhancedSecurity.securityPolicy);
        domain.addOverride("endpoint_access_mode", props.enhancedSecurity.endpointAccessMode);
      }
      if (props.routing) routingRules(this, domain, props.routing);
      if (props.endpointType === "PRIVATE") {
        new ApiGatewayDomainNameAccessAssociation(this, "access-association", {
          accessAssociationSource: (props.vpcEndpoint as IExecuteApiEndpoint).endpointId,
          accessAssociationSourceType: "VPCE",
          domainNameArn: domain.arn,
        });
      }
      for (const [i, m] of props.mappings.entries()) {
        const api = m.api as RestApi;
        const mapping = new ApiGatewayBasePathMapping(this, mappingId(i), {
          apiId: api.apiId,
          stageName: api.stageName,
          domainName: domain.domainName,
          ...(props.endpointType === "PRIVATE" ? { domainNameId: domain.domainNameId } : {}),
          ...(m.basePath ? { basePath: m.basePath } : {}),
          lifecycle: { replaceTriggeredBy: [referenceTo(endpointType)] },
        });
        movedFrom(mapping, formerMappingId(m));
      }
      for (const v of props.versions ?? []) {
        const mapping = new ApiGatewayBasePathMapping(this, versionMappingId(v.basePath), {
          apiId: v.api.apiId,
          stageName: v.api.stageName,
          domainName: domain.domainName,
          basePath: v.basePath,
          lifecycle: { replaceTriggeredBy: [referenceTo(endpointType)] },
        });
        if (props.mappings.length === 0 && v.basePath === (props.formerBasePath ?? props.versions![0].basePath)) {
          movedBetween(this, mapping.terraformResourceType, formerMappingId(v), mappingId(0));
          movedFrom(mapping, mappingId(0));
        }
      }
      this.aliasTarget =
        props.endpointType === "EDGE"
          ? { name: domain.cloudfrontDomainName, zoneId: domain.cloudfrontZoneId }
          : props.endpointType === "REGIONAL"
            ? { name: domain.regionalDomainName, zoneId: domain.regionalZoneId }
            : { name: props.vpcEndpoint!.dns!.name, zoneId: props.vpcEndpoint!.dns!.hostedZoneId };
    }

    // AAAA only for dualstack: an IPv4 domain (and an interface endpoint) has no IPv6 address, so
    // an AAAA alias would resolve to nothing (AWS: "IP address types for custom domain names";
    // terraform-provider-aws#42069).
    for (const type of props.ipAddressType === "dualstack" ? ["A", "AAAA"] : ["A"]) {
      new Route53Record(this, `alias-${type.toLowerCase()}`, {
        zoneId: props.hostedZone.zoneId,
        name: props.domainName,
        type,
        alias: { name: this.aliasTarget.name, zoneId: this.aliasTarget.zoneId, evaluateTargetHealth: false },
      });
    }
    this.domainName = props.domainName;
  }

  private validate(props: ApiCustomDomainProps): void {
    checkFormat(this, "domainName", props.domainName, formats.customDomainName);
    checkFormat(this, "hostedZone.zoneName", props.hostedZone.zoneName, formats.domainName);
    this.checkUnderZone("hostedZone", props.domainName, props.hostedZone);
    if (props.certificateArn === undefined) checkFormat(this, "domainName", props.domainName, formats.certificateDomainName);
    if (props.validationZone) {
      checkFormat(this, "validationZone.zoneName", props.validationZone.zoneName, formats.domainName);
      if (props.certificateArn !== undefined) {
        throw new PropsError(this, "validationZone", "is set together with certificateArn; an existing certificate is not validated here: remove one of them");
      }
      if (props.validationZone.zoneId === props.hostedZone.zoneId && props.endpointType === "PRIVATE") {
        throw new PropsError(this, "validationZone", `is the PRIVATE domain's own zone ${props.hostedZone.zoneId}; ACM validates over public DNS and never sees a private zone`);
      }
      this.checkUnderZone("validationZone", props.domainName, props.validationZone);
    } else if (props.endpointType === "PRIVATE" && props.certificateArn === undefined) {
      throw new PropsError(this, "validationZone", "is missing; a PRIVATE domain's certificate is validated through a public zone (ACM never sees the private hostedZone), or give an issued certificateArn");
    }
    if (props.domainName.startsWith("*.") && props.endpointType === "PRIVATE") {
      throw new PropsError(this, "domainName", `is ${JSON.stringify(props.domainName)}; private custom domain names cannot be wildcards`);
    }
    const policies: readonly string[] = formats.DOMAIN_TLS_POLICIES[this.isHttp ? "http" : "rest"];
    if (!policies.includes(props.securityPolicy ?? "TLS_1_2")) {
      throw new PropsError(this, "securityPolicy", `is ${JSON.stringify(props.securityPolicy)}; expected TLS 1.2 or newer that ${this.isHttp ? "an HTTP API" : "a REST API"} domain takes: ${policies.join(", ")}`);
    }
    if (props.certificateArn !== undefined) {
      checkFormat(this, "certificateArn", props.certificateArn, formats.acmCertificateArn);
      const region = props.certificateArn.split(":")[3];
      const expected = props.endpointType === "EDGE" ? EDGE_CERTIFICATE_REGION : props.region;
      if (!Token.isUnresolved(props.certificateArn) && region !== expected) {
        throw new PropsError(this, "certificateArn", `is in ${region}; a${props.endpointType === "EDGE" ? "n EDGE domain needs a certificate from us-east-1 (CloudFront serves it)" : ` ${props.endpointType} domain needs one from the API's region ${expected}`}`);
      }
    }
    if (props.endpointType === "PRIVATE" && !props.vpcEndpoint?.dns) {
      throw new PropsError(this, "vpcEndpoint", "is missing or has no DNS name; a PRIVATE domain is reached through the execute-api endpoint, whose DNS name its alias points at");
    }
    if (props.mutualTls && props.endpointType !== "REGIONAL") {
      throw new PropsError(this, "mutualTls", `is set on ${props.endpointType === "EDGE" ? "an" : "a"} ${props.endpointType} domain; API Gateway offers mutual TLS on REGIONAL domains only`);
    }
    if (props.mutualTls && this.isHttp && props.mappings.some((m) => m.api instanceof WebSocketApi)) {
      throw new PropsError(this, "mutualTls", "is set on a WebSocket API's domain; API Gateway offers mutual TLS for REST and HTTP APIs only");
    }
    if (props.enhancedSecurity && (this.isHttp || props.mutualTls)) {
      throw new PropsError(this, "enhancedSecurity", this.isHttp ? "is set on an HTTP or WebSocket API's domain, which API Gateway maps to TLS_1_2 domains only" : "is set together with mutualTls, which API Gateway refuses on a domain with an enhanced security policy");
    }
    if (props.ipAddressType && props.endpointType === "PRIVATE") {
      throw new PropsError(this, "ipAddressType", "is set on a PRIVATE domain, which is reached through the execute-api VPC endpoint");
    }
    if (props.endpointType !== "PRIVATE" && props.vpcEndpoint) {
      throw new PropsError(this, "vpcEndpoint", `is set on a ${props.endpointType} domain; only PRIVATE domains are bound to an endpoint`);
    }
    this.validateMappings(props);
  }

  private checkUnderZone(prop: string, domainName: string, zone: HostedZone): void {
    if (Token.isUnresolved(domainName) || Token.isUnresolved(zone.zoneName)) return;
    if (!formats.isUnderZone(domainName.replace(/^\*\./, ""), zone.zoneName)) {
      throw new PropsError(this, "domainName", `is ${JSON.stringify(domainName)}, which is not under the ${prop} ${zone.zoneName}; Route 53 would refuse its records`);
    }
  }

  private validateMappings(props: ApiCustomDomainProps): void {
    const versions = props.versions ?? [];
    if (versions.length && (this.isHttp || props.endpointType === "PRIVATE")) {
      throw new PropsError(this, "versions", `is set on ${this.isHttp ? "an API Gateway v2" : "a PRIVATE"} domain; versions map public REST APIs`);
    }
    const versionPaths = new Set<string>();
    for (const [i, v] of versions.entries()) {
      checkFormat(this, `versions[${i}].basePath`, v.basePath, formats.basePath);
      if (versionPaths.has(v.basePath) || props.mappings.some((m) => m.basePath === v.basePath)) throw new PropsError(this, `versions[${i}].basePath`, `${v.basePath} is mapped twice; each base path serves one API`);
      const clash = versions.slice(0, i).find((w) => versionMappingId(w.basePath) === versionMappingId(v.basePath));
      if (clash) throw new PropsError(this, `versions[${i}].basePath`, `${v.basePath} and ${clash.basePath} would share the mapping id ${versionMappingId(v.basePath)}; rename one`);
      versionPaths.add(v.basePath);
    }
    if (versions.length && props.mappings.some((m) => m.basePath === undefined)) {
      throw new PropsError(this, "versions", "is set beside a mapping of the root, which API Gateway refuses (\"Only one base path mapping is allowed if the base path is empty\")");
    }
    if (props.formerBasePath !== undefined && !versionPaths.has(props.formerBasePath)) {
      throw new PropsError(this, "formerBasePath", `is ${props.formerBasePath}, which is none of the versions (${[...versionPaths].join(", ") || "none"})`);
    }
    if (props.mappings.length === 0 && (versions.length || props.routing?.mode === "ROUTING_RULE_ONLY")) return;
    if (props.mappings.length === 0) throw new PropsError(this, "mappings", "is empty; a domain without an API mapping (or routing rules only) answers every request with 403");
    if (this.isHttp && props.endpointType !== "REGIONAL") {
      throw new PropsError(this, "endpointType", `is ${props.endpointType}; HTTP API domains are REGIONAL`);
    }
    const seen = new Set<string>();
    for (const [i, m] of props.mappings.entries()) {
      const where = `mappings[${i}]`;
      if (m.basePath !== undefined) checkFormat(this, `${where}.basePath`, m.basePath, formats.basePath);
      const key = m.basePath ?? "(root)";
      if (seen.has(key)) throw new PropsError(this, `${where}.basePath`, `${key} is mapped twice; each base path serves one API`);
      seen.add(key);
      if (isV2(m.api) !== this.isHttp) {
        throw new PropsError(this, where, "mixes HTTP and REST APIs on one domain; give each kind its own domain");
      }
      if ((m.api instanceof WebSocketApi) !== (props.mappings[0].api instanceof WebSocketApi)) {
        throw new PropsError(this, where, "mixes WebSocket and other APIs on one domain, which API Gateway refuses; give the WebSocket API its own domain");
      }
      if (m.api instanceof RestApi && (m.api.endpointType === "PRIVATE") !== (props.endpointType === "PRIVATE")) {
        throw new PropsError(
          this,
          where,
          props.endpointType === "PRIVATE"
            ? `maps the ${m.api.endpointType} API ${m.api.name} to a PRIVATE domain; private domains serve private APIs only`
            : `maps the PRIVATE API ${m.api.name} to a public ${props.endpointType} domain; that would expose it outside its VPC endpoint`,
        );
      }
    }
  }

  /** A certificate validated through a DNS record in the (public) validation zone; the domain waits for it to be issued. */
  private certificate(props: ApiCustomDomainProps, region: string): string {
    const regional = region === props.region ? {} : { region };
    const certificate = new AcmCertificate(this, "certificate", {
      domainName: props.domainName,
      validationMethod: "DNS",
      lifecycle: { createBeforeDestroy: true },
      ...regional,
    });
    const option = certificate.domainValidationOptions.get(0);
    const zoneId = (props.validationZone ?? props.hostedZone).zoneId;
    // ACM asks every certificate for one name in one account, in any region, for the same CNAME
    // (terraform-provider-aws#13653, aws/aws-cdk#18311), and renews each one through it. This
    // resource is that record's one owner, and Terraform never deletes it: another certificate,
    // here or elsewhere in the account, may renew through it. A certificate replaced for the same
    // name (another region, key or type) leaves it as it is, since the values it would read are
    // unknown until the new certificate exists but are the same; a new name or zone replaces it,
    // which prevent_destroy stops at plan (README, "Changing things").
    const recordName = new ReplacementTrigger(this, "validation-record-name", { domainName: props.domainName, zoneId });
    const record = new Route53Record(this, VALIDATION_RECORD_ID, {
      zoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 300,
      // Another certificate of this name may have written the record already, with the same value.
      allowOverwrite: true,
      lifecycle: { preventDestroy: true, ignoreChanges: ["name", "type", "records"], replaceTriggeredBy: [referenceTo(recordName)] },
    });
    const validation = new AcmCertificateValidation(this, "certificate-validation", {
      certificateArn: certificate.arn,
      validationRecordFqdns: [record.fqdn],
      ...regional,
    });
    return validation.certificateArn;
  }
}

const isV2 = (api: DomainMapping["api"]) => api instanceof HttpApi || api instanceof WebSocketApi;

/**
 * Who may invoke APIs through a private domain: only callers coming through the bound endpoint.
 * The resource is a full ARN: API Gateway stores `execute-api:/*` expanded, and the provider then
 * reports a change on every plan (terraform-provider-aws#40834). The domain's own id is not known
 * while the domain is created, so the ARN names the domain and any id.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-custom-domains-provider-share-cli.html
 */
function privateDomainPolicy(scope: Construct, domainName: string, region: string, endpoint: IExecuteApiEndpoint): string {
  const partition = new DataAwsPartition(scope, "partition").partition;
  const account = new DataAwsCallerIdentity(scope, "account").accountId;
  const domains = `arn:${partition}:execute-api:${region}:${account}:/domainnames/${domainName}+*`;
  return policyDocument([
    { Sid: "AllowInvoke", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: domains },
    {
      Sid: "DenyOutsideVpcEndpoint",
      Effect: "Deny",
      Principal: "*",
      Action: "execute-api:Invoke",
      Resource: domains,
      Condition: { StringNotEquals: { "aws:SourceVpce": endpoint.endpointId } },
    },
  ]);
}

/**
 * Mappings are keyed by their position, not their base path, so a new base path updates the
 * mapping in place (UpdateBasePathMapping, UpdateApiMapping). Keyed by base path, the new mapping
 * was created beside the old one, which API Gateway refuses next to an empty base path.
 */
function mappingId(index: number): string {
  return index === 0 ? "mapping" : `mapping-${index}`;
}

/** A version's mapping, keyed by its base path: chosen once, never derived from a position. */
function versionMappingId(basePath: string): string {
  return `version-${basePath.replace(/\//g, "-")}`;
}

/** The id mappings had before they were keyed by position. */
function formerMappingId(mapping: DomainMapping): string {
  return `mapping-${mapping.basePath ?? "root"}`;
}

/**
 * The domain's routing mode and its rules. A rule's conditions are one block each: up to two
 * header matches and one base path match, all of which must hold (AWS: "Routing rules to connect
 * API stages to a custom domain name for REST APIs"). A rule is created after the domain and
 * destroyed before it, as it references the domain's name.
 */
function routingRules(scope: Construct, domain: ApiGatewayDomainName, routing: DomainRouting): void {
  domain.addOverride("routing_mode", routing.mode);
  for (const rule of routing.rules) {
    const resource = new TerraformResource(scope, `routing-rule-${rule.name}`, {
      terraformResourceType: "aws_apigatewayv2_routing_rule",
      terraformGeneratorMetadata: { providerName: "aws" },
    });
    resource.addOverride("domain_name", domain.domainName);
    resource.addOverride("priority", rule.priority);
    // Nested blocks as lists, as the provider's (framework) schema has them and its 6.66 bindings write them.
    resource.addOverride("condition", [
      ...(rule.headers ?? []).map((h) => ({ match_headers: [{ any_of: [{ header: h.name, value_glob: h.valueGlob }] }] })),
      ...(rule.basePaths ? [{ match_base_paths: [{ any_of: [...rule.basePaths] }] }] : []),
    ]);
    resource.addOverride("action", [{ invoke_api: [{ api_id: routing.api.apiId, stage: routing.api.stageName, strip_base_path: rule.stripBasePath }] }]);
  }
}
