import { describeRoute, pathParameters, RestRoute, restDefinition, unreadableDocuments } from "../rest-routes";
import { Block, StackView } from "../stack";
import type { Rule } from "../types";
import { restApiOf } from "./rest-api";
import { methodSettingsOf, settingsOf } from "./stages";

/**
 * Whether a stage caches a route: a per-method setting (`~1files~1{key}/GET`, or `~1files~1{key}/*`)
 * decides, else the stage's "*\/*" settings. An override that leaves caching_enabled unset
 * counts as caching when the stage does (the provider does not send it, so we assume the worst).
 */
function caches(settings: Block[], route: RestRoute): boolean {
  const path = route.path === undefined ? undefined : escapedPath(route.path);
  const override = path === undefined ? undefined : (settings.find((m) => m.body.method_path === `${path}/${route.httpMethod}`) ?? settings.find((m) => m.body.method_path === `${path}/*`));
  const all = settings.find((m) => m.body.method_path === "*/*");
  return (override && typeof settingsOf(override).caching_enabled === "boolean" ? settingsOf(override) : all ? settingsOf(all) : {}).caching_enabled === true;
}

/** A resource path as method settings name it: every `/` written `~1`, so `/files/{key}` is `~1files~1{key}` and the root `~1`. */
function escapedPath(path: string): string {
  return path.replace(/\//g, "~1");
}

/** `*\/*`, or an escaped resource path and a method; anything else names no method. */
const METHOD_PATH = /^(?:\*\/\*|~1[^/]*\/(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|\*))$/;

function missingCacheKeys(route: RestRoute): string[] {
  const names = route.path !== undefined ? pathParameters(route.path) : route.parameters.path;
  const keys = route.integration?.cacheKeyParameters ?? [];
  return names.map((name) => `method.request.path.${name}`).filter((key) => !keys.includes(key));
}

export const restStageCacheKeys: Rule = {
  id: "APIGW-STAGE-CACHE-KEYS",
  severity: "error",
  message: "A route cached by a REST stage must list each of its path parameters as a cache key",
  explanation:
    "With a cache cluster and caching_enabled, API Gateway keys the cache on the method's resource path template plus the cache key parameters only. A route such as GET /files/{key} without method.request.path.key in its integration's cache_key_parameters (cacheKeyParameters in an OpenAPI document) answers every key with the object first cached for any of them, for the cache TTL. List each path parameter (and any query string or header that selects the response) as a cache key, or disable caching for the method.",
  references: ["AWS docs: Cache settings for REST APIs in API Gateway (use method or integration parameters as cache keys)"],
  check: (stack) =>
    stack
      .resources("aws_api_gateway_stage")
      .filter((stage) => stage.body.cache_cluster_enabled === true)
      .flatMap((stage) => {
        const api = restApiOf(stack, stage);
        if (!api) return [];
        const definition = restDefinition(stack, api);
        const settings = methodSettingsOf(stack, stage);
        return [
          ...definition.routes
            .filter((route) => caches(settings, route) && missingCacheKeys(route).length > 0)
            .map((route) => ({ address: route.address, detail: `${describeRoute(route)} is cached by ${stage.address} without the cache keys ${missingCacheKeys(route).join(", ")}` })),
          ...unreadableDocuments(definition),
        ];
      }),
};

const positive = (value: unknown) => typeof value === "number" && value > 0;

export const methodSettingsOverride: Rule = {
  id: "APIGW-METHOD-SETTINGS-OVERRIDE",
  severity: "error",
  message: "Per-method settings of a REST stage must name a method by its escaped path and set their own throttling (rate and burst above 0), logging level and metrics",
  explanation:
    "An aws_api_gateway_method_settings with a method_path other than \"*/*\" replaces the stage's settings for that method instead of adding to them. The provider sends throttling_rate_limit and throttling_burst_limit as -1 when they are unset (its documented default: throttling disabled), so the method loses the stage's throttle; logging_level and metrics_enabled are not sent when unset, so the method does not follow the stage's logging and metrics. Set throttling above 0, logging_level INFO or ERROR, and metrics_enabled in every override. The method_path is passed to AWS as it is: the resource path must have every / written ~1 (~1files~1{key}/GET), or the settings apply to no method and nothing reports it.",
  references: ["terraform-provider-aws#9738", "Terraform AWS provider docs: aws_api_gateway_method_settings (throttling_* default -1)", "AWS docs: Throttle requests to your REST APIs (method-level throttling)"],
  check: (stack: StackView) =>
    stack
      .resources("aws_api_gateway_method_settings")
      .filter((m) => m.body.method_path !== "*/*")
      .flatMap((m) => {
        const s = settingsOf(m);
        const path = String(m.body.method_path);
        const problems = [
          ...(METHOD_PATH.test(path) || path.includes("${") ? [] : [`the method_path names no method: write the resource path with each / as ~1, then the method (~1files~1{key}/GET; the root is ~1/GET)`]),
          ...(positive(s.throttling_rate_limit) && positive(s.throttling_burst_limit) ? [] : ["throttling_rate_limit and throttling_burst_limit must be above 0"]),
          ...(["INFO", "ERROR"].includes(s.logging_level) ? [] : [`logging_level is ${s.logging_level ?? "unset"}`]),
          ...(s.metrics_enabled === true ? [] : ["metrics_enabled is not true"]),
        ];
        return problems.length ? [{ address: m.address, detail: `${m.body.method_path}: ${problems.join(", ")}` }] : [];
      }),
};
