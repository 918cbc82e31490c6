import type { AgentLogger } from "../log.js";
import { envMismatches, readEnviron } from "../haproxy/proc-fns.js";
import type { HaproxySupervisor } from "../haproxy/supervisor.js";
import type { ActivateOutcome, Reloader, ReloaderStatus } from "./reloader.js";

/**
 * Supervised mode: the agent owns HAProxy's master process. Activation is a master-CLI
 * `reload` (or the first start), verified through `show proc`; a dead HAProxy is restarted.
 */
export class SupervisedReloader implements Reloader {
  private restartFailures = 0;
  private nextRestartAt = 0;

  constructor(
    private readonly supervisor: HaproxySupervisor,
    private readonly log: AgentLogger,
    private readonly watchIntervalMs: number,
    private readonly haproxyEnv: Readonly<Record<string, string>> = {},
  ) {}

  async start(hasRelease: boolean): Promise<void> {
    const pid = await this.supervisor.find();
    if (pid !== undefined) {
      this.log.info({ pid }, "haproxy found running; keeping it");
      // A reload re-executes HAProxy with the environment it was started with, so a changed
      // haproxyEnv only takes effect after a restart; say so rather than restart it unasked.
      const actual = await readEnviron(pid);
      const differ = actual ? envMismatches(this.haproxyEnv, actual) : [];
      if (differ.length > 0) this.log.warn({ pid, variables: differ }, "haproxy runs with a different haproxyEnv; restart haproxy to apply it");
      return;
    }
    if (!hasRelease) {
      this.log.info("no release applied yet; haproxy stays stopped until the first bundle");
      return;
    }
    await this.restart("haproxy not running at agent start; starting it");
  }

  async activate(): Promise<ActivateOutcome> {
    const outcome = (await this.supervisor.isRunning()) ? await this.supervisor.reload() : await this.supervisor.start();
    return outcome.ok ? { ok: true, workerPid: outcome.workerPid } : { ok: false, stage: "reload", error: outcome.error };
  }

  async status(): Promise<ReloaderStatus> {
    const s = await this.supervisor.status();
    return { running: s.running, failedReloads: s.failedReloads, workerUptimeSeconds: s.workerUptimeSeconds };
  }

  runtime(command: string): Promise<string> {
    // `@1` addresses the current worker through the master CLI: no stats socket is needed in
    // the bundle's config for the agent to read server states or change them.
    return this.supervisor.command(`@1 ${command}`);
  }

  async watch(hasRelease: boolean): Promise<void> {
    if (!hasRelease || (await this.supervisor.isRunning())) {
      this.restartFailures = 0;
      return;
    }
    // A config that cannot start would otherwise be retried every tick; back off to a minute.
    if (Date.now() < this.nextRestartAt) return;
    await this.restart("haproxy is not running; restarting it");
  }

  private async restart(reason: string): Promise<void> {
    this.log.warn({ masterSocket: this.supervisor.masterSocket }, reason);
    const r = await this.supervisor.start();
    if (r.ok) {
      this.restartFailures = 0;
      return;
    }
    this.restartFailures++;
    const delay = Math.min(this.watchIntervalMs * 2 ** this.restartFailures, 60_000);
    this.nextRestartAt = Date.now() + delay;
    this.log.error({ error: r.error, retryInMs: delay }, "haproxy failed to start");
  }
}
