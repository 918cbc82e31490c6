import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AGENT_BIN, freePort, startProcess, tempDir, type Proc } from "./processes.js";

const run = promisify(execFile);

/** A real `ha-agent` process driving its own HAProxy, which listens on `port` (NODE_PORT). */
export interface AgentProcess {
  name: string;
  stateDir: string;
  port: number;
  proc: Proc | undefined;
  start(): void;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** The HAProxy pid from the agent's pidfile (HAProxy outlives the agent). */
  haproxyPid(): number | undefined;
  /** Kills the HAProxy this agent started (test cleanup). */
  killHaproxy(): void;
}

/** `ha-agent join` as a process; resolves with its exit code and output. */
export async function joinProcess(args: { master: string; token: string; caHash: string; stateDir: string; name: string }) {
  try {
    const { stdout, stderr } = await run(process.execPath, [
      AGENT_BIN, "join", "--master", args.master, "--token", args.token, "--ca-hash", args.caHash, "--state-dir", args.stateDir, "--name", args.name,
    ]);
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

export async function enrolAgentProcess(master: string, token: string, caHash: string, name: string): Promise<AgentProcess> {
  const stateDir = tempDir(`agent-${name}`);
  const joined = await joinProcess({ master, token, caHash, stateDir, name });
  if (joined.code !== 0) throw new Error(`join ${name} failed: ${joined.output}`);
  const port = await freePort();
  const agent: AgentProcess = {
    name,
    stateDir,
    port,
    proc: undefined,
    start() {
      agent.proc = startProcess(process.execPath, [AGENT_BIN, "run", "--state-dir", stateDir, "--mode", "supervised", "--haproxy-env", `NODE_PORT=${port}`, "--log-level", "info"], {});
    },
    async stop(signal = "SIGTERM") {
      await agent.proc?.stop(signal);
      agent.proc = undefined;
    },
    haproxyPid() {
      try {
        return Number(readFileSync(join(stateDir, "run", "haproxy.pid"), "utf8").trim()) || undefined;
      } catch {
        return undefined;
      }
    },
    killHaproxy() {
      const pid = agent.haproxyPid();
      if (pid) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    },
  };
  agent.start();
  return agent;
}

/** GET through a node's HAProxy; the body, or the error text. */
export async function fetchThrough(port: number, path = "/"): Promise<string> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) });
    return await res.text();
  } catch (err) {
    return `ERROR ${(err as Error).message}`;
  }
}
