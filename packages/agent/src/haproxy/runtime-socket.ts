import net from "node:net";
import { HAPROXY_NAME, isServerState } from "@ha-master/shared";

/** Thrown when a HAProxy CLI socket (master or stats socket) cannot be reached or answers too slowly. */
export class RuntimeSocketError extends Error {
  override readonly name = "RuntimeSocketError";
  constructor(
    message: string,
    readonly code: "unreachable" | "timeout",
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Sends one command to a HAProxy CLI unix socket and returns everything it answered.
 *
 * The command is written with a half-close (FIN) after it: HAProxy 2.6's master CLI keeps a
 * connection open after answering once the master has re-executed itself for a reload, and
 * only the half-close makes it close promptly. The read timeout is the safety net for the
 * rest (FIELD-NOTES: master socket connections may stay open).
 */
export function runtimeCommand(socketPath: string, command: string, timeoutMs = 2_000): Promise<string> {
  if (command.includes("\n")) throw new Error("a runtime command is one line");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const sock = net.connect(socketPath);
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const timer = setTimeout(
      () => finish(new RuntimeSocketError(`no answer from ${socketPath} within ${timeoutMs} ms`, "timeout")),
      timeoutMs,
    );
    sock.on("connect", () => sock.end(`${command}\n`));
    sock.on("data", (d: Buffer) => chunks.push(d));
    sock.on("close", () => finish());
    sock.on("error", (err: NodeJS.ErrnoException) =>
      finish(new RuntimeSocketError(`cannot reach ${socketPath}: ${err.code ?? err.message}`, "unreachable", { cause: err })),
    );
  });
}

/** Builds `set server <proxy>/<server> state <state>`, refusing names that are not HAProxy names. */
export function setServerStateCommand(proxy: string, server: string, state: string): string {
  if (!HAPROXY_NAME.test(proxy) || !HAPROXY_NAME.test(server)) throw new Error(`invalid proxy or server name ${JSON.stringify(`${proxy}/${server}`)}`);
  if (!isServerState(state)) throw new Error(`invalid server state ${JSON.stringify(state)}; expected ready, drain or maint`);
  return `set server ${proxy}/${server} state ${state}`;
}
