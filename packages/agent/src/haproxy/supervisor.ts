import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, open, rm, stat } from "node:fs/promises";
import path from "node:path";
import { haproxyProblems } from "@ha-master/shared";
import type { AgentLogger } from "../log.js";
import { haproxyEnvironment } from "./haproxy-binary.js";
import { isProcessAlive, isSupervisedMaster, readCmdline, readPidFile } from "./proc-fns.js";
import { runtimeCommand } from "./runtime-socket.js";
import { parseShowProc, type ShowProc } from "./show-proc.js";
import { waitFor, type ReloadOutcome } from "./reload-fns.js";

/** Where and how the supervised HAProxy runs. */
export interface SupervisorOptions {
  bin: string;
  /** `<state>/run`: master socket, pid file and HAProxy's stdout/stderr log. */
  runDir: string;
  /** The config HAProxy is started with: `<state>/current/haproxy.cfg`, through the symlink. */
  configPath: string;
  env: Readonly<Record<string, string>>;
  /** Working directory HAProxy runs in (the state dir); `haproxy -c` uses the same one. */
  cwd?: string;
  log: AgentLogger;
  startTimeoutMs?: number;
  reloadTimeoutMs?: number;
}

/** The facts a heartbeat reports about the supervised HAProxy. */
export interface SupervisorStatus {
  running: boolean;
  pid?: number;
  failedReloads: number;
  workerUptimeSeconds: number;
  workerPid?: number;
}

/**
 * Runs HAProxy in master-worker mode in its own session, so the agent can exit, crash or be
 * upgraded while HAProxy keeps serving; finds it again on start through the pid file, the
 * process's command line and the master socket. Callers serialise start/reload (the applier's
 * lock): the supervisor itself does not.
 */
export class HaproxySupervisor {
  readonly masterSocket: string;
  readonly pidFile: string;
  readonly logFile: string;
  private pid: number | undefined;
  private child: ChildProcess | undefined;

  constructor(private readonly opts: SupervisorOptions) {
    this.masterSocket = path.join(opts.runDir, "master.sock");
    this.pidFile = path.join(opts.runDir, "haproxy.pid");
    this.logFile = path.join(opts.runDir, "haproxy.log");
  }

  /** The master's pid when it is known to be running. */
  get masterPid(): number | undefined {
    return this.pid;
  }

  /** Sends one command to the master CLI (`@1 …` reaches the current worker). */
  command(cmd: string, timeoutMs = 2_000): Promise<string> {
    return runtimeCommand(this.masterSocket, cmd, timeoutMs);
  }

  /** `show proc`, or undefined while the master cannot answer (not running, re-executing). */
  async showProc(): Promise<ShowProc | undefined> {
    try {
      return parseShowProc(await this.command("show proc"));
    } catch {
      return undefined;
    }
  }

  /**
   * Finds an HAProxy master started earlier (by this agent or a previous run of it). The pid
   * file is the first clue; the command line proves the process is our HAProxy and not a
   * recycled pid; the master socket's own `show proc` is the fallback when the pid file is gone.
   */
  async find(): Promise<number | undefined> {
    const candidates = [await readPidFile(this.pidFile), (await this.showProc())?.master.pid];
    for (const pid of candidates) {
      if (pid === undefined || !(await isProcessAlive(pid))) continue;
      const cmdline = await readCmdline(pid);
      if (cmdline && isSupervisedMaster(cmdline, this.masterSocket)) {
        this.pid = pid;
        return pid;
      }
    }
    this.pid = undefined;
    return undefined;
  }

  /** True when the master process is alive (checked against /proc, not remembered). */
  async isRunning(): Promise<boolean> {
    if (this.pid !== undefined && (await isProcessAlive(this.pid))) return true;
    return (await this.find()) !== undefined;
  }

  /** Starts HAProxy detached and waits until its first worker is up. */
  async start(): Promise<ReloadOutcome> {
    await mkdir(this.opts.runDir, { recursive: true, mode: 0o700 });
    await rm(this.pidFile, { force: true });
    const logOffset = await this.logSize();
    const logFd = await open(this.logFile, "a", 0o600);
    let child: ChildProcess;
    try {
      const args = ["-W", "-S", `${this.masterSocket},level,admin`, "-f", this.opts.configPath, "-p", this.pidFile];
      child = spawn(this.opts.bin, args, {
        // Its own session: a signal to the agent (Ctrl-C, systemd stopping the agent's unit with
        // KillMode=process) does not reach HAProxy, and the agent can exit while it serves.
        detached: true,
        stdio: ["ignore", logFd.fd, logFd.fd],
        ...(this.opts.cwd ? { cwd: this.opts.cwd } : {}),
        env: haproxyEnvironment(this.opts.env),
      });
    } finally {
      await logFd.close();
    }
    let exited: string | undefined;
    child.once("exit", (code, signal) => {
      exited = `HAProxy exited at start (${signal ?? `code ${code}`})`;
      if (this.child === child) this.child = undefined;
    });
    child.once("error", (err) => (exited = `cannot start ${this.opts.bin}: ${err.message}`));
    // Detached and unreferenced: the agent's event loop and lifetime must not hold HAProxy.
    child.unref();
    this.child = child;
    const pid = child.pid;
    const up = await waitFor<string | ShowProc>(this.opts.startTimeoutMs ?? 10_000, async () => {
      if (exited) return { done: exited };
      const proc = await this.showProc();
      return proc && proc.master.pid === pid && proc.workers.length > 0 ? { done: proc } : undefined;
    });
    if (up && typeof up !== "string") {
      this.pid = pid;
      this.opts.log.info({ pid, workerPid: up.workers[0]?.pid }, "haproxy started");
      return { ok: true, workerPid: up.workers[0]?.pid ?? 0 };
    }
    if (!exited && pid !== undefined) process.kill(pid, "SIGTERM");
    this.pid = undefined;
    const error = await this.problemsSince(logOffset, up ?? "HAProxy did not come up in time");
    return { ok: false, error };
  }

  /**
   * Reloads through the master CLI and waits for the outcome. In 2.6 `reload` is asynchronous
   * and answers nothing; the master re-executes itself (its socket refuses or answers empty
   * meanwhile), then `show proc` shows the reload counter raised and either a new worker
   * (success) or a raised `failed` counter (the new config could not start; the old worker
   * keeps serving).
   */
  async reload(): Promise<ReloadOutcome> {
    const before = await this.showProc();
    if (!before) return { ok: false, error: "the HAProxy master socket does not answer" };
    const oldWorkers = new Set(before.workers.map((w) => w.pid));
    const logOffset = await this.logSize();
    await this.command("reload").catch(() => undefined);
    const outcome = await waitFor<"failed" | number>(this.opts.reloadTimeoutMs ?? 15_000, async () => {
      const now = await this.showProc();
      if (!now || now.master.reloads <= before.master.reloads) return undefined;
      if (now.master.failed > before.master.failed) return { done: "failed" as const };
      const fresh = now.workers.find((w) => !oldWorkers.has(w.pid));
      return fresh ? { done: fresh.pid } : undefined;
    });
    if (typeof outcome === "number") return { ok: true, workerPid: outcome };
    const fallback =
      outcome === "failed"
        ? "HAProxy could not start the new configuration; the previous worker keeps serving"
        : "HAProxy did not finish the reload in time";
    return { ok: false, error: await this.problemsSince(logOffset, fallback) };
  }

  /** Heartbeat facts from `show proc`. */
  async status(): Promise<SupervisorStatus> {
    const running = await this.isRunning();
    if (!running) return { running: false, failedReloads: 0, workerUptimeSeconds: 0 };
    const proc = await this.showProc();
    const worker = proc?.workers[0];
    return {
      running: true,
      ...(this.pid !== undefined ? { pid: this.pid } : {}),
      failedReloads: proc?.master.failed ?? 0,
      workerUptimeSeconds: worker?.uptimeSeconds ?? 0,
      ...(worker ? { workerPid: worker.pid } : {}),
    };
  }

  /** Stops HAProxy (tests and explicit operator action only; the agent never stops it on exit). */
  async stop(): Promise<void> {
    const pid = this.pid ?? (await this.find());
    if (pid === undefined) return;
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      return;
    }
    await waitFor(5_000, async () => ((await isProcessAlive(pid)) ? undefined : { done: true }));
    if (await isProcessAlive(pid)) process.kill(pid, "SIGKILL");
    this.pid = undefined;
  }

  private async logSize(): Promise<number> {
    return stat(this.logFile).then((s) => s.size, () => 0);
  }

  // HAProxy's own words for a failed start/reload are in its log (its stderr); the alerts
  // written since `offset` are the error a Nack carries. Falls back to `fallback` when it printed none.
  private async problemsSince(offset: number, fallback: string): Promise<string> {
    try {
      const fh = await open(this.logFile, "r");
      try {
        const size = (await fh.stat()).size;
        const len = Math.min(size - offset, 64 * 1024);
        const buf = Buffer.alloc(Math.max(len, 0));
        if (len > 0) await fh.read(buf, 0, len, size - len);
        const alerts = haproxyProblems(buf.toString("utf8")).filter((m) => m.severity === "alert");
        return alerts.length > 0 ? alerts.map((m) => m.message).join("\n") : fallback;
      } finally {
        await fh.close();
      }
    } catch {
      return fallback;
    }
  }
}
