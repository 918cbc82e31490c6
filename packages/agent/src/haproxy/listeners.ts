import { readdir, readFile, readlink } from "node:fs/promises";
import { readCmdline } from "./proc-fns.js";

/** A process holding a listening TCP socket. */
export interface ListenerOwner {
  pid: number;
  /** argv[0] of the process. */
  command: string;
}

/** Socket inodes of TCP sockets in LISTEN state on `port`, from /proc/net/tcp and tcp6. */
export function listeningInodes(procNetTcp: string, port: number): Set<string> {
  const out = new Set<string>();
  for (const line of procNetTcp.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st ... inode (10th column); st 0A is LISTEN.
    const local = f[1];
    if (!local || f[3] !== "0A") continue;
    const hexPort = local.slice(local.lastIndexOf(":") + 1);
    if (Number.parseInt(hexPort, 16) === port && f[9]) out.add(f[9]);
  }
  return out;
}

/**
 * The processes listening on a TCP port (any address). Reads /proc, so it sees only this
 * network namespace and, without root, only this user's processes; an empty answer means
 * "unknown", not "free".
 */
export async function listenerOwners(port: number): Promise<ListenerOwner[]> {
  const tables = await Promise.all(["/proc/net/tcp", "/proc/net/tcp6"].map((f) => readFile(f, "utf8").catch(() => "")));
  const inodes = new Set<string>();
  for (const t of tables) for (const i of listeningInodes(t, port)) inodes.add(i);
  if (inodes.size === 0) return [];
  const owners: ListenerOwner[] = [];
  for (const entry of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => "");
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1]!)) {
        owners.push({ pid: Number(entry), command: (await readCmdline(Number(entry)))?.[0] ?? "?" });
        break;
      }
    }
  }
  return owners;
}
