import net from "node:net";

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

// HAProxy object names: letters, digits and -_.: only. Anything else could smuggle a second
// command in (";" separates commands on the CLI), so it is refused before it is sent.
const NAME = /^[A-Za-z0-9_.:-]{1,127}$/;

/** The runtime states `set server … state` accepts. */
export const SERVER_STATES = ["ready", "drain", "maint"] as const;
export type ServerAdminState = (typeof SERVER_STATES)[number];

/** Builds `set server <proxy>/<server> state <state>`, refusing names that are not HAProxy names. */
export function setServerStateCommand(proxy: string, server: string, state: string): string {
  if (!NAME.test(proxy) || !NAME.test(server)) throw new Error(`invalid proxy or server name ${JSON.stringify(`${proxy}/${server}`)}`);
  if (!(SERVER_STATES as readonly string[]).includes(state)) throw new Error(`invalid server state ${JSON.stringify(state)}; expected ready, drain or maint`);
  return `set server ${proxy}/${server} state ${state}`;
}
