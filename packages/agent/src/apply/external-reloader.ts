import { execFile } from "node:child_process";
import type { AgentLogger } from "../log.js";
import { anyHaproxyRunning } from "../haproxy/proc-fns.js";
import { waitFor } from "../haproxy/reload-fns.js";
import { runtimeCommand } from "../haproxy/runtime-socket.js";
import type { ActivateOutcome, Reloader, ReloaderStatus } from "./reloader.js";

/** How external mode reloads and checks an HAProxy someone else runs (systemd, a container). */
export interface ExternalReloaderOptions {
  /** Run with /bin/sh -c, e.g. `systemctl reload haproxy`. */
  reloadCommand: string;
  /** HAProxy's stats socket (level admin for commands); without it the reload is checked by exit status only. */
  runtimeSocket?: string;
  timeoutMs: number;
  log: AgentLogger;
}

/** Reads `Key: value` lines of `show info`. */
export function parseShowInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/**
 * External mode: HAProxy belongs to the service manager and reads `<state>/current/haproxy.cfg`.
 * Activation runs the reload command and checks its exit status; with a runtime socket it
 * then waits for a worker with a new pid to answer, which is how a reload whose new config
 * could not start (the old worker keeps running) is told from a good one.
 */
export class ExternalReloader implements Reloader {
  constructor(private readonly opts: ExternalReloaderOptions) {}

  async start(): Promise<void> {
    this.opts.log.info({ reloadCommand: this.opts.reloadCommand, runtimeSocket: this.opts.runtimeSocket }, "external mode: haproxy is managed outside the agent");
  }

  async activate(): Promise<ActivateOutcome> {
    const sock = this.opts.runtimeSocket;
    const before = sock ? await this.info().catch(() => undefined) : undefined;
    const run = await this.runReloadCommand();
    if (!run.ok) return { ok: false, stage: "reload", error: run.error };
    if (!sock) return { ok: true };
    const oldPid = before?.["Pid"];
    const pid = await waitFor(this.opts.timeoutMs, async () => {
      const info = await this.info();
      const now = info["Pid"];
      return now && now !== oldPid ? { done: Number(now) } : undefined;
    }, 50);
    if (pid !== undefined) return { ok: true, workerPid: pid };
    const error = oldPid
      ? `the reload command succeeded but HAProxy still runs the old worker (pid ${oldPid}): the new config did not start`
      : `the reload command succeeded but HAProxy does not answer on ${sock}`;
    return { ok: false, stage: "verify", error };
  }

  async status(): Promise<ReloaderStatus> {
    if (!this.opts.runtimeSocket) return { running: await anyHaproxyRunning(), failedReloads: 0, workerUptimeSeconds: 0 };
    const info = await this.info().catch(() => undefined);
    return { running: info !== undefined, failedReloads: 0, workerUptimeSeconds: Number(info?.["Uptime_sec"] ?? 0) || 0 };
  }

  runtime(command: string): Promise<string> {
    if (!this.opts.runtimeSocket) return Promise.reject(new Error("no runtimeSocket configured; runtime commands need HAProxy's stats socket"));
    return runtimeCommand(this.opts.runtimeSocket, command);
  }

  async watch(): Promise<void> {
    // The service manager restarts HAProxy in this mode; the agent only reports.
  }

  private async info(): Promise<Record<string, string>> {
    return parseShowInfo(await runtimeCommand(this.opts.runtimeSocket ?? "", "show info"));
  }

  private runReloadCommand(): Promise<{ ok: true } | { ok: false; error: string }> {
    return new Promise((resolve) => {
      execFile("/bin/sh", ["-c", this.opts.reloadCommand], { timeout: this.opts.timeoutMs }, (err, stdout, stderr) => {
        if (!err) return resolve({ ok: true });
        const how = err.killed ? `timed out after ${this.opts.timeoutMs} ms` : `exited with ${err.code ?? "an error"}`;
        const said = `${stderr}${stdout}`.trim();
        resolve({ ok: false, error: `reload command ${JSON.stringify(this.opts.reloadCommand)} ${how}${said ? `: ${said}` : ""}` });
      });
    });
  }
}
