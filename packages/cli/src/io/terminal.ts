import { createInterface } from "node:readline/promises";
import { CliError, EXIT } from "../errors.js";

/** A stream hactl writes to: stdout or stderr (or a test double). */
export interface Output {
  write(chunk: string | Uint8Array): boolean;
  isTTY?: boolean;
  columns?: number;
}

/** A stream hactl reads from: stdin (or a test double). */
export type Input = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

/** The process's streams and environment, handed to every command. */
export interface Io {
  stdin: Input;
  stdout: Output;
  stderr: Output;
  env: NodeJS.ProcessEnv;
}

/** Thrown when the operator presses Ctrl-C or Ctrl-D at a prompt. */
export class InterruptedError extends CliError {
  override readonly name = "InterruptedError";
  constructor() {
    super("interrupted", EXIT.failure);
  }
}

/** True when a person can answer a prompt: stdin is a terminal. */
export function canPrompt(io: Io): boolean {
  return Boolean(io.stdin.isTTY);
}

/** Asks for one line on the terminal (prompt on stderr, so stdout stays clean for pipes). */
export async function ask(io: Io, question: string): Promise<string> {
  const rl = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream, terminal: Boolean(io.stdin.isTTY) });
  try {
    let answered = false;
    const closed = new Promise<never>((_, reject) =>
      rl.once("close", () => {
        if (answered) return;
        // Ctrl-D, or stdin ended: end the prompt's line so the error starts on its own.
        io.stderr.write("\n");
        reject(new InterruptedError());
      }),
    );
    const answer = await Promise.race([rl.question(question), closed]);
    answered = true;
    // A piped answer is not echoed: end the prompt's line so what follows starts on its own.
    if (!io.stdin.isTTY) io.stderr.write(`${answer}\n`);
    return answer;
  } finally {
    rl.close();
  }
}

/** Asks a yes/no question whose default is no. */
export async function confirm(io: Io, question: string): Promise<boolean> {
  const answer = await ask(io, `${question} [y/N] `);
  return /^y(es)?$/i.test(answer.trim());
}

/**
 * Asks a yes/no question whose default is no. No, or stdin ending without an answer, ends the
 * command (exit 1) saying that `nothingDone` ("nothing was saved"), and how to skip the question.
 */
export async function confirmOrAbort(io: Io, question: string, nothingDone: string): Promise<void> {
  let yes: boolean;
  try {
    yes = await confirm(io, question);
  } catch (err) {
    if (err instanceof InterruptedError) throw new CliError(`no answer; ${nothingDone} (add --yes to go ahead without asking)`);
    throw err;
  }
  if (!yes) throw new CliError(`not confirmed; ${nothingDone}`);
}

/**
 * Reads a secret from the terminal without echoing it: raw mode, one key at a time, with
 * backspace; Ctrl-C and Ctrl-D abort. Only for a TTY stdin.
 */
export function readSecret(io: Io, prompt: string): Promise<string> {
  const { stdin, stderr } = io;
  if (!stdin.isTTY || !stdin.setRawMode) return Promise.reject(new CliError("cannot read a password: stdin is not a terminal", EXIT.usage));
  stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let secret = "";
    const setRaw = stdin.setRawMode!.bind(stdin);
    const finish = (err?: Error) => {
      stdin.removeListener("data", onData);
      setRaw(false);
      stdin.pause();
      stderr.write("\n");
      if (err) reject(err);
      else resolve(secret);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of typeof chunk === "string" ? chunk : chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return finish();
        if (ch === "\u0003" || (ch === "\u0004" && secret === "")) return finish(new InterruptedError());
        if (ch === "\u0004") return finish();
        if (ch === "\u007f" || ch === "\b") secret = [...secret].slice(0, -1).join("");
        else if (ch >= " ") secret += ch;
      }
    };
    setRaw(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}

/** All of stdin as bytes (for --password-stdin and `-f -`). */
export async function readAllStdin(io: Io): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
