import type { EnvironmentConfig } from "../config/schema";

/**
 * The functions an environment may create, by the names `reservedConcurrency` uses (their
 * construct ids); the authorizer and the WebSocket functions exist only where the file asks.
 */
export const FUNCTION_NAMES = [
  "object-reader",
  "hello-get",
  "hello-post",
  "users",
  "orders",
  "products",
  "stream",
  "authorizer",
  "websocket-connect",
  "websocket-disconnect",
  "websocket-messages",
  "websocket-default",
  "websocket-authorizer",
];

/** The concurrency the environment file reserves for a function: by its name, else `default`. */
export function reservedConcurrency(config: EnvironmentConfig, name: string): number | undefined {
  return config.reservedConcurrency?.[name] ?? config.reservedConcurrency?.default;
}

/** Tracing and log levels every function of the environment gets. */
export function functionObservability(config: EnvironmentConfig): { tracing: boolean; applicationLogLevel: EnvironmentConfig["logging"]["applicationLogLevel"]; systemLogLevel: EnvironmentConfig["logging"]["systemLogLevel"] } {
  return { tracing: config.tracing.functions, applicationLogLevel: config.logging.applicationLogLevel, systemLogLevel: config.logging.systemLogLevel };
}
