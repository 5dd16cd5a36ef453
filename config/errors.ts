/**
 * An error the user fixes in their input. The entry point prints its message alone:
 * it already names the file, the key and what is allowed, so a stack trace only hides it.
 */
export class ConfigError extends Error {
  constructor(readonly lines: readonly string[]) {
    super(lines.join("\n"));
    this.name = "ConfigError";
  }
}
