import { ApiError } from "@ha-master/api-client";

/** hactl's exit codes; docs/cli.md lists them for scripts. */
export const EXIT = {
  ok: 0,
  /** The server refused or failed the request, a deployment failed, or the operator said no. */
  failure: 1,
  /** The command line or a local file is wrong; nothing was sent. */
  usage: 2,
  /** Not logged in, or the session has ended (expired, revoked, refresh token reused). */
  auth: 3,
  /** The server could not be reached. */
  unreachable: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Every error hactl reports on purpose: one line for the operator and an exit code. */
export class CliError extends Error {
  override readonly name: string = "CliError";
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failure,
    readonly requestId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Thrown when the command line or a local input is wrong (exit 2). */
export class UsageError extends CliError {
  override readonly name = "UsageError";
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** Thrown when there is no session for the server, or the server ended it (exit 3). */
export class SessionError extends CliError {
  override readonly name = "SessionError";
  constructor(message: string, requestId?: string) {
    super(message, EXIT.auth, requestId);
  }
}

/** Thrown when the server cannot be reached at all (exit 4). */
export class UnreachableError extends CliError {
  override readonly name = "UnreachableError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.unreachable, undefined, options);
  }
}

/** What the operator sees for an error: one line (no trailing newline) and the exit code. */
export function describeError(err: unknown): { line: string; exitCode: ExitCode } {
  if (err instanceof CliError) return { line: withRequestId(firstLine(err.message), err.requestId), exitCode: err.exitCode };
  if (err instanceof ApiError) {
    if (err.status === 401) {
      return { line: withRequestId(`${firstLine(err.message)}; log in again with hactl login`, err.requestId), exitCode: EXIT.auth };
    }
    return { line: withRequestId(firstLine(err.message), err.requestId), exitCode: EXIT.failure };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { line: `unexpected error: ${firstLine(message)} (set HACTL_DEBUG=1 for details)`, exitCode: EXIT.failure };
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.trim();
}

function withRequestId(line: string, requestId: string | undefined): string {
  return requestId ? `${line} (request id ${requestId})` : line;
}
