import { createServer, type Server } from "node:http";
import { joinProcess } from "../support/agent-process.js";
import { AGENT_BIN, freePort, startProcess, tempDir, type Proc } from "../support/processes.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A real ha-agent (supervising its own HAProxy) joined with the command the console showed. */
export interface ConsoleAgent {
  name: string;
  /** NODE_PORT: where this node's HAProxy serves HTTP. */
  port: number;
  stateDir: string;
  proc: Proc;
  stop(): Promise<void>;
}

/** Runs the join command's parts (`--master`, `--token`, `--ca-hash`), then `ha-agent run`. */
export async function joinAndRun(joinCommand: string, name: string, env: Record<string, string> = {}): Promise<ConsoleAgent> {
  const [, master, token, caHash] = /--master (\S+) --token (\S+) --ca-hash (\S+)/.exec(joinCommand) ?? [];
  if (!master || !token || !caHash) throw new Error(`not a join command: ${joinCommand}`);
  const stateDir = tempDir(`web-agent-${name}`);
  // The master names itself localhost in the command; the test master listens on 127.0.0.1.
  const joined = await joinProcess({ master: master.replace(/^localhost:/, "127.0.0.1:"), token, caHash, stateDir, name });
  if (joined.code !== 0) throw new Error(`ha-agent join failed: ${joined.output}`);
  const port = await freePort();
  const haproxyEnv = Object.entries({ NODE_PORT: String(port), ...env }).flatMap(([k, v]) => ["--haproxy-env", `${k}=${v}`]);
  const proc = startProcess(process.execPath, [AGENT_BIN, "run", "--state-dir", stateDir, "--mode", "supervised", ...haproxyEnv, "--log-level", "warn"], {});
  return {
    name,
    port,
    stateDir,
    proc,
    async stop() {
      await proc.stop();
      try {
        const pid = Number(readFileSync(join(stateDir, "run", "haproxy.pid"), "utf8").trim());
        if (pid) process.kill(pid, "SIGKILL");
      } catch {
        // HAProxy never started or is gone
      }
    },
  };
}

/** A tiny HTTP backend on 127.0.0.1 for the node's HAProxy to health-check and route to; answers `body`. */
export async function startBackend(body = "app\n"): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => res.end(body));
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
