import { randomBytes } from "node:crypto";
import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseConfig } from "@ha-master/shared";

/**
 * Where a config has HAProxy read its servers' states when a worker starts: the global
 * `server-state-file`, under `server-state-base` when relative, else under HAProxy's working
 * directory. Undefined when the config names none, or names it through a variable.
 *
 * Runtime states (a server set to drain or maint through the runtime API) live in the worker; a
 * reload starts a new worker from the config, so they would be lost. With `server-state-file` in
 * `global` and `load-server-state-from-file global` in `defaults` (or a backend), the agent saves
 * `show servers state` there just before each reload and the new worker picks the states up.
 */
export function serverStateFilePath(config: string, haproxyCwd: string | undefined): string | undefined {
  const global = parseConfig(config).sections.find((s) => s.type === "global");
  const arg = (keyword: string) => global?.directives.find((d) => d.keyword === keyword)?.args[0];
  const file = arg("server-state-file");
  if (!file || file.includes("${")) return undefined;
  if (path.isAbsolute(file)) return file;
  const base = arg("server-state-base");
  if (base && !base.includes("${")) return path.resolve(base, file);
  return haproxyCwd ? path.resolve(haproxyCwd, file) : undefined;
}

/** Writes the dump whole or not at all (a reader never sees half a file). */
export async function writeServerStates(file: string, dump: string): Promise<void> {
  const tmp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, dump, { mode: 0o600 });
  await rename(tmp, file);
}
