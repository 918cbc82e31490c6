import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestMaster } from "@ha-master/master/testing";
import { HACTL_BIN } from "../support/processes.js";

/** What one run of the `hactl` binary did. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A running `hactl` whose output can be waited for and whose stdin can be written to. */
export interface LiveRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr matches `re`. */
  waitForStderr(re: RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<Run>;
}

const RUN_TIMEOUT_MS = 30_000;

/**
 * Runs the built hactl as a real process. Each user of this gets its own config file (HACTL_CONFIG),
 * and nothing from the test's own environment (HACTL_*, colours) leaks in.
 */
export class Hactl {
  readonly configPath: string;
  constructor(readonly env: Record<string, string> = {}) {
    this.configPath = join(mkdtempSync(join(tmpdir(), "hactl-e2e-")), "config.json");
  }

  start(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): LiveRun {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(env)) if (key.startsWith("HACTL_") || key === "FORCE_COLOR") delete env[key];
    const child = spawn(process.execPath, [HACTL_BIN, ...args], {
      env: { ...env, NO_COLOR: "1", HACTL_CONFIG: this.configPath, ...this.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const waiters: Array<() => void> = [];
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      for (const w of waiters.splice(0)) w();
    });
    if (options.stdin !== undefined) child.stdin!.end(options.stdin);
    const timer = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS);
    const done = new Promise<Run>((resolve) =>
      child.once("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      }),
    );
    return {
      child,
      stdout: () => stdout,
      stderr: () => stderr,
      done,
      async waitForStderr(re, timeoutMs = 10_000) {
        const deadline = Date.now() + timeoutMs;
        while (!re.test(stderr)) {
          if (Date.now() > deadline || child.exitCode !== null) throw new Error(`hactl ${args.join(" ")}: no ${re} on stderr; got: ${stderr}`);
          await new Promise<void>((r) => {
            waiters.push(r);
            setTimeout(r, 100);
          });
        }
      },
    };
  }

  /** Runs hactl to its end; stdin is closed at once unless given. */
  run(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
    return this.start(args, { stdin: options.stdin ?? "", env: options.env }).done;
  }

  /** Logs in as `username` with --password-stdin; throws unless it worked. */
  async login(server: string, username: string, password: string): Promise<void> {
    const r = await this.run(["login", "--server", server, "--username", username, "--password-stdin"], { stdin: `${password}\n` });
    if (r.code !== 0) throw new Error(`login as ${username} failed: ${r.stderr}`);
  }
}

/** Serves a test master's API on a real loopback port; returns its URL. */
export async function listen(master: TestMaster): Promise<string> {
  const address = await master.app.listen({ port: 0, host: "127.0.0.1" });
  return address.replace("localhost", "127.0.0.1");
}

/** The non-empty lines of some output. */
export function lines(text: string): string[] {
  return text.split("\n").filter((l) => l !== "");
}
