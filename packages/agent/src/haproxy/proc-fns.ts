import { readdir, readFile } from "node:fs/promises";

/**
 * True when `pid` names a live process. A zombie counts as dead: a detached HAProxy that died
 * after its parent agent exited is reparented to PID 1, and a PID 1 that is slow to reap
 * (containers, microVM init) would otherwise make a dead HAProxy look alive to `kill(pid, 0)`.
 */
export async function isProcessAlive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // The state follows the parenthesised command name, which may itself contain spaces.
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X" && state !== "";
  } catch {
    return false;
  }
}

/** The argument vector of a process from /proc, or undefined when it is gone. */
export async function readCmdline(pid: number): Promise<string[] | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, "utf8");
    return raw.split("\0").filter((a) => a !== "");
  } catch {
    return undefined;
  }
}

/**
 * Recognises the HAProxy master this agent started: an haproxy binary in master-worker mode
 * whose master socket is ours. Workers carry the same arguments plus `-sf`/`-x`, so those are
 * told apart by the caller through the master's own `show proc` pid.
 */
export function isSupervisedMaster(cmdline: readonly string[], masterSocketPath: string): boolean {
  const exe = cmdline[0] ?? "";
  if (!/(^|\/)haproxy$/.test(exe)) return false;
  if (!cmdline.includes("-W")) return false;
  const s = cmdline.indexOf("-S");
  const sockArg = s >= 0 ? (cmdline[s + 1] ?? "") : "";
  return sockArg === masterSocketPath || sockArg.startsWith(`${masterSocketPath},`);
}

/** The environment a process was started with, or undefined when it cannot be read. */
export async function readEnviron(pid: number): Promise<Record<string, string> | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/environ`, "utf8");
    const env: Record<string, string> = {};
    for (const kv of raw.split("\0")) {
      const i = kv.indexOf("=");
      if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    return env;
  } catch {
    return undefined;
  }
}

/** Names in `wanted` whose value differs in `actual` (the environment HAProxy really has). */
export function envMismatches(wanted: Readonly<Record<string, string>>, actual: Readonly<Record<string, string>>): string[] {
  return Object.keys(wanted).filter((k) => actual[k] !== wanted[k]);
}

/** Reads a pid file; undefined when it is missing or holds no number. */
export async function readPidFile(path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(path, "utf8")).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Any live process whose executable is named haproxy (external mode's "is HAProxy up" without a socket). */
export async function anyHaproxyRunning(): Promise<boolean> {
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = await readCmdline(Number(entry));
    if (cmd && /(^|\/)haproxy$/.test(cmd[0] ?? "") && (await isProcessAlive(Number(entry)))) return true;
  }
  return false;
}
