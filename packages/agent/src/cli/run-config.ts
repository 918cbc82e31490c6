import { readFile } from "node:fs/promises";
import { z } from "zod";
import { LOG_LEVELS, type LogLevel } from "../log.js";
import type { AgentMode } from "../apply/applier.js";
import { DEFAULT_STATE_DIR } from "../state/file-state-store.js";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The config file (`--config FILE`, JSON). Every key is optional; flags override it. */
export const ConfigFileSchema = z
  .object({
    stateDir: z.string().min(1),
    mode: z.enum(["supervised", "external"]),
    haproxyBin: z.string().min(1),
    reloadCommand: z.string().min(1),
    runtimeSocket: z.string().min(1),
    keepReleases: z.number().int().min(1).max(1_000),
    haproxyEnv: z.record(z.string().regex(ENV_NAME, "environment variable names are letters, digits and _"), z.string()),
    logLevel: z.enum(LOG_LEVELS),
    reloadTimeoutMs: z.number().int().min(1_000).max(600_000),
  })
  .partial()
  .strict();
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

/** The flags of `ha-agent run`, as commander hands them over. */
export interface RunFlags {
  stateDir?: string;
  mode?: string;
  config?: string;
  haproxyBin?: string;
  reloadCommand?: string;
  runtimeSocket?: string;
  keepReleases?: string;
  haproxyEnv?: string[];
  logLevel?: string;
  reloadTimeoutMs?: string;
}

/** The settings `run` works with, after defaults. */
export interface RunConfig {
  stateDir: string;
  mode: AgentMode;
  haproxyBin: string;
  reloadCommand: string | undefined;
  runtimeSocket: string | undefined;
  keepReleases: number;
  haproxyEnv: Record<string, string>;
  logLevel: LogLevel;
  reloadTimeoutMs: number;
}

/** Thrown for an invalid flag or config file; its message is the one line the operator sees. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function parseEnvPairs(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const i = pair.indexOf("=");
    const name = i > 0 ? pair.slice(0, i) : "";
    if (!ENV_NAME.test(name)) throw new ConfigError(`invalid --haproxy-env ${JSON.stringify(pair)}; expected NAME=VALUE`);
    out[name] = pair.slice(i + 1);
  }
  return out;
}

function int(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`invalid ${flag} ${JSON.stringify(value)}; expected a positive integer`);
  return n;
}

/**
 * Merges the config file and the flags (flags win; `--haproxy-env` adds to and overrides the
 * file's map key by key) and applies defaults. Pure: the caller reads the file.
 */
export function resolveRunConfig(file: ConfigFile, flags: RunFlags): RunConfig {
  const flagPart = ConfigFileSchema.safeParse({
    ...(flags.stateDir !== undefined ? { stateDir: flags.stateDir } : {}),
    ...(flags.mode !== undefined ? { mode: flags.mode } : {}),
    ...(flags.haproxyBin !== undefined ? { haproxyBin: flags.haproxyBin } : {}),
    ...(flags.reloadCommand !== undefined ? { reloadCommand: flags.reloadCommand } : {}),
    ...(flags.runtimeSocket !== undefined ? { runtimeSocket: flags.runtimeSocket } : {}),
    ...(flags.logLevel !== undefined ? { logLevel: flags.logLevel } : {}),
  });
  if (!flagPart.success) throw new ConfigError(`invalid flag: ${formatIssue(flagPart.error)}`);
  const f = flagPart.data;
  const mode = f.mode ?? file.mode ?? "supervised";
  const reloadCommand = f.reloadCommand ?? file.reloadCommand;
  if (mode === "external" && !reloadCommand) {
    throw new ConfigError('external mode needs a reload command (--reload-command or "reloadCommand", e.g. "systemctl reload haproxy")');
  }
  return {
    stateDir: f.stateDir ?? file.stateDir ?? DEFAULT_STATE_DIR,
    mode,
    haproxyBin: f.haproxyBin ?? file.haproxyBin ?? "/usr/sbin/haproxy",
    reloadCommand,
    runtimeSocket: f.runtimeSocket ?? file.runtimeSocket,
    keepReleases: int("--keep-releases", flags.keepReleases) ?? file.keepReleases ?? 5,
    haproxyEnv: { ...(file.haproxyEnv ?? {}), ...parseEnvPairs(flags.haproxyEnv ?? []) },
    logLevel: f.logLevel ?? file.logLevel ?? "info",
    reloadTimeoutMs: int("--reload-timeout-ms", flags.reloadTimeoutMs) ?? file.reloadTimeoutMs ?? 15_000,
  };
}

function formatIssue(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return "invalid";
  const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return `${where}${issue.message}`;
}

/** Reads and validates a JSON config file. */
export async function readConfigFile(file: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = ConfigFileSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`invalid config file ${file}: ${formatIssue(parsed.error)}`);
  return parsed.data;
}
