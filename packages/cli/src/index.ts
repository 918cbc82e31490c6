// hactl as a library: the program, its context, and the config store (for tests and embedding).
export { buildProgram, runCli } from "./program.js";
export type { CliContext, GlobalOptions } from "./context.js";
export { EXIT, CliError, UsageError, SessionError, UnreachableError, describeError } from "./errors.js";
export type { CliConfig, ConfigStore, StoredLogin } from "./session/config-store.js";
export { MemoryConfigStore } from "./session/config-store.js";
export { FileConfigStore, defaultConfigPath } from "./session/file-config-store.js";
