import { execFile } from "node:child_process";

/** The outcome of `haproxy -c`: whether the config is valid and everything HAProxy printed. */
export interface CheckResult {
  ok: boolean;
  output: string;
}

/** The environment HAProxy and `haproxy -c` run with: the agent's own plus the configured map. */
export function haproxyEnvironment(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, cwd?: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; error?: Error }>((resolve) => {
    execFile(bin, args, { env, timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024, ...(cwd ? { cwd } : {}) }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, stdout, stderr, ...(error && code === null ? { error } : {}) });
    });
  });
}

/**
 * Reads HAProxy's version (`2.6.12-1+deb12u4`) from `haproxy -v`. Returns "" when the binary
 * cannot be run, so a Hello can still be sent and the master shows the node without HAProxy.
 */
export async function haproxyVersion(bin: string): Promise<string> {
  const r = await run(bin, ["-v"], process.env, 10_000);
  return /HA-?Proxy version (\S+)/i.exec(r.stdout)?.[1] ?? "";
}

/**
 * Validates a configuration file with `haproxy -c -f`. HAProxy writes its alerts to stderr and
 * "Configuration file is valid" to stdout; both are kept, alerts first. `cwd` should be the
 * directory HAProxy itself runs in, so relative paths resolve the same way in both.
 */
export async function checkConfig(
  bin: string,
  configPath: string,
  env: Readonly<Record<string, string>>,
  cwd?: string,
  timeoutMs = 30_000,
): Promise<CheckResult> {
  const r = await run(bin, ["-c", "-f", configPath], haproxyEnvironment(env), timeoutMs, cwd);
  if (r.error) return { ok: false, output: `cannot run ${bin}: ${r.error.message}` };
  return { ok: r.code === 0, output: `${r.stderr}${r.stdout}`.trim() };
}

/** Thrown at start-up when the configured HAProxy binary cannot be run at all. */
export class HaproxyMissingError extends Error {
  override readonly name = "HaproxyMissingError";
}

/** Checks that `bin` runs and is an HAProxy; throws a one-line error naming the path otherwise. */
export async function requireHaproxy(bin: string): Promise<string> {
  const version = await haproxyVersion(bin);
  if (!version) throw new HaproxyMissingError(`HAProxy not found or not runnable at ${bin} (set --haproxy-bin)`);
  return version;
}
