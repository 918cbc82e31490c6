import net from "node:net";
import { listenerOwners } from "../haproxy/listeners.js";
import type { ApplyErrorLine } from "./applier.js";
import { bindAddresses, type BindAddress } from "./bind-fns.js";

/** A bind that would fail: another program holds the address, or no interface has it. */
export interface BindConflict extends BindAddress {
  reason: string;
}

function tryBind(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? "error"));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(undefined)));
  });
}

/**
 * Finds `bind` addresses of a new config that would fail: held by a program other than HAProxy,
 * or not present on any interface (binds with `transparent`/`freebind` are not checked).
 *
 * Why before the reload: HAProxy 2.6, when a bind fails during a reload, pauses the listeners
 * of the running worker (SIGTTOU) and retries for about two seconds before giving up and
 * resuming them, so the old config stops accepting connections for that long. Refusing such
 * a config up front keeps the old one serving without a gap. Conservative by design: an
 * address held by HAProxy itself (passed to the new worker, or shared with SO_REUSEPORT), or
 * whose holder cannot be identified, is left for HAProxy to decide.
 */
export async function findBindConflicts(config: string, env: Readonly<Record<string, string | undefined>>): Promise<BindConflict[]> {
  const conflicts: BindConflict[] = [];
  const seen = new Set<string>();
  for (const addr of bindAddresses(config, env)) {
    const key = `${addr.host}|${addr.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const error = await tryBind(addr.host, addr.port);
    if (error === "EADDRNOTAVAIL") {
      conflicts.push({ ...addr, reason: "address not available on this host" });
    } else if (error === "EADDRINUSE") {
      const foreign = (await listenerOwners(addr.port)).filter((o) => !/(^|\/)haproxy$/.test(o.command));
      if (foreign.length > 0) conflicts.push({ ...addr, reason: `address in use by ${foreign.map((o) => `pid ${o.pid} (${o.command})`).join(", ")}` });
    }
  }
  return conflicts;
}

/** The Nack text and error lines for conflicts found by `findBindConflicts`. */
export function describeConflicts(conflicts: readonly BindConflict[], file: string): { error: string; lines: ApplyErrorLine[] } {
  const lines = conflicts.map((c) => ({
    file,
    line: c.line,
    message: `cannot bind ${c.text}: ${c.reason}`,
  }));
  const error = `${lines.map((l) => `[${l.file}:${l.line}] ${l.message}`).join("\n")}\nnot reloaded: the running configuration keeps serving`;
  return { error, lines };
}
