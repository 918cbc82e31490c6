import path from "node:path";
import { BUNDLE_CONFIG_PATH } from "@ha-master/shared";
import type { AgentLogger } from "../log.js";
import { checkConfig, haproxyEnvironment, haproxyVersion } from "../haproxy/haproxy-binary.js";
import { setServerStateCommand } from "../haproxy/runtime-socket.js";
import { parseShowStat } from "../haproxy/show-stat.js";
import { HaproxySupervisor } from "../haproxy/supervisor.js";
import type { AgentMode, Applier, AppliedState, ApplyErrorLine, ApplyResult, ApplyStage, Bundle, CommandOutcome, RuntimeStatus } from "./applier.js";
import { describeConflicts, findBindConflicts } from "./bind-preflight.js";
import { ExternalReloader } from "./external-reloader.js";
import { problemsToErrorLines } from "./release-fns.js";
import { ReleaseStore } from "./release-store.js";
import type { Reloader } from "./reloader.js";
import { SerialQueue } from "./serial.js";
import { serverStateFilePath, writeServerStates } from "./server-state-file.js";
import { SupervisedReloader } from "./supervised-reloader.js";

/** Settings of the HAProxy applier; the `run` command builds them from flags and the config file. */
export interface HaproxyApplierOptions {
  stateDir: string;
  mode: AgentMode;
  haproxyBin: string;
  /** Environment for HAProxy and `haproxy -c`, e.g. `{ NODE_BIND: "10.0.0.11" }`. */
  haproxyEnv: Readonly<Record<string, string>>;
  /** Releases kept on disk (the current and previous one are always kept). */
  keepReleases: number;
  /** External mode: the command that reloads HAProxy. */
  reloadCommand?: string;
  /** External mode: HAProxy's stats socket. */
  runtimeSocket?: string;
  reloadTimeoutMs?: number;
  /**
   * Refuse, before reloading, a config that binds an address another program holds (default
   * true): HAProxy 2.6 would pause the running listeners for ~2 s while it retries the bind.
   */
  bindPreflight?: boolean;
  /** Supervised mode: how often to check that HAProxy is alive; 0 turns the watcher off. */
  watchIntervalMs?: number;
  log: AgentLogger;
}

/**
 * Applies bundles to a real HAProxy: write a release, `haproxy -c` the exact files, switch
 * `current` atomically, reload, and switch back if the reload fails. One apply at a time.
 */
export class HaproxyApplier implements Applier {
  readonly mode: AgentMode;
  readonly releases: ReleaseStore;
  /** The supervisor in supervised mode (tests and `status` read HAProxy's pid from it). */
  readonly supervisor: HaproxySupervisor | undefined;
  private readonly reloader: Reloader;
  private readonly lock = new SerialQueue();
  private readonly log: AgentLogger;
  private version = "";
  private watchTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: HaproxyApplierOptions) {
    this.mode = opts.mode;
    this.log = opts.log;
    this.releases = new ReleaseStore(opts.stateDir);
    const timeoutMs = opts.reloadTimeoutMs ?? 15_000;
    if (opts.mode === "supervised") {
      this.supervisor = new HaproxySupervisor({
        bin: opts.haproxyBin,
        runDir: path.join(opts.stateDir, "run"),
        configPath: path.join(this.releases.currentLink, BUNDLE_CONFIG_PATH),
        env: opts.haproxyEnv,
        cwd: opts.stateDir,
        log: opts.log,
        reloadTimeoutMs: timeoutMs,
      });
      this.reloader = new SupervisedReloader(this.supervisor, opts.log, opts.watchIntervalMs ?? 5_000, opts.haproxyEnv);
    } else {
      if (!opts.reloadCommand) throw new Error("external mode needs a reloadCommand (e.g. \"systemctl reload haproxy\")");
      this.supervisor = undefined;
      const ext = { reloadCommand: opts.reloadCommand, timeoutMs, log: opts.log };
      this.reloader = new ExternalReloader(opts.runtimeSocket ? { ...ext, runtimeSocket: opts.runtimeSocket } : ext);
    }
  }

  async start(): Promise<void> {
    await this.lock.run(async () => {
      const removed = await this.releases.init();
      if (removed.length > 0) this.log.warn({ removed }, "removed incomplete releases left by a crash");
      const abandoned = await this.releases.recoverInterruptedApply();
      if (abandoned) this.log.warn({ release: abandoned }, "an apply was interrupted before its reload was confirmed; current switched back");
      await this.reloader.start((await this.releases.current()) !== undefined);
    });
    const every = this.opts.watchIntervalMs ?? 5_000;
    if (this.mode === "supervised" && every > 0) {
      this.watchTimer = setInterval(() => {
        // Skipped while an apply runs: the apply itself starts or reloads HAProxy.
        if (this.lock.busy) return;
        void this.lock
          .run(async () => this.reloader.watch((await this.releases.current()) !== undefined))
          .catch((err: unknown) => this.log.error({ err }, "haproxy watch failed"));
      }, every);
      this.watchTimer.unref();
    }
  }

  async current(): Promise<AppliedState> {
    const release = await this.releases.current();
    if (!release) return { hash: "", diskHash: "" };
    return { hash: release.meta.hash, diskHash: await this.releases.diskHash(release.dir) };
  }

  apply(bundle: Bundle): Promise<ApplyResult> {
    return this.lock.run(() => this.applyNow(bundle));
  }

  private async applyNow(bundle: Bundle): Promise<ApplyResult> {
    const started = performance.now();
    const log = this.log.child({ nonce: bundle.nonce, hash: bundle.hash.slice(0, 12) });
    const fail = (stage: ApplyStage, error: string, lines: ApplyErrorLine[] = []): ApplyResult => {
      log.warn({ stage, error: error.slice(0, 2_000) }, "apply failed");
      return { ok: false, stage, error, lines, durationMs: Math.round(performance.now() - started) };
    };

    let release;
    try {
      release = await this.releases.write(bundle);
    } catch (err) {
      return fail("write", `cannot write the release: ${(err as Error).message}`);
    }

    // The exact files that will run, with the environment HAProxy runs with.
    const check = await checkConfig(this.opts.haproxyBin, path.join(release.dir, BUNDLE_CONFIG_PATH), this.opts.haproxyEnv, this.opts.stateDir);
    if (!check.ok) {
      await this.releases.remove(release.name);
      return fail("validate", check.output, problemsToErrorLines(check.output, release.dir));
    }

    if (this.opts.bindPreflight ?? true) {
      const config = bundle.files.find((f) => f.path === BUNDLE_CONFIG_PATH);
      const text = config ? new TextDecoder().decode(config.content) : "";
      const conflicts = await findBindConflicts(text, haproxyEnvironment(this.opts.haproxyEnv));
      if (conflicts.length > 0) {
        await this.releases.remove(release.name);
        const { error, lines } = describeConflicts(conflicts, BUNDLE_CONFIG_PATH);
        return fail("reload", error, lines);
      }
    }

    const previous = await this.releases.current();
    try {
      await this.releases.switchTo(release.name);
    } catch (err) {
      await this.releases.remove(release.name);
      return fail("switch", `cannot switch current to ${release.name}: ${(err as Error).message}`);
    }

    await this.saveServerStates(bundle, log);
    const activated = await this.reloader.activate();
    if (!activated.ok) {
      // Back to what ran before, so a later restart or reload never picks up the config that failed.
      await this.releases.switchTo(previous?.name);
      await this.releases.remove(release.name);
      return fail(activated.stage, activated.error);
    }

    await this.releases.markActive(release.name);
    if (previous && previous.name !== release.name) await this.releases.setPrevious(previous.name);
    const pruned = await this.releases.prune(this.opts.keepReleases).catch((err: unknown) => {
      log.warn({ err }, "pruning old releases failed");
      return [];
    });
    const durationMs = Math.round(performance.now() - started);
    log.info({ release: release.name, workerPid: activated.workerPid, pruned: pruned.length, durationMs }, "bundle applied");
    return { ok: true, durationMs, reloaded: true };
  }

  /**
   * Before a reload: when the new config has HAProxy load server states from a file, saves the
   * running worker's there, so states set at run time (drain, maint) survive the reload. A
   * failure is logged, never fatal: the reload goes on with the states the config gives.
   */
  private async saveServerStates(bundle: Bundle, log: AgentLogger): Promise<void> {
    const config = bundle.files.find((f) => f.path === BUNDLE_CONFIG_PATH);
    if (!config) return;
    const file = serverStateFilePath(new TextDecoder().decode(config.content), this.mode === "supervised" ? this.opts.stateDir : undefined);
    if (!file) return;
    try {
      if (!(await this.reloader.status()).running) return;
      await writeServerStates(file, await this.reloader.runtime("show servers state"));
      log.info({ file }, "server states saved for the new worker");
    } catch (err) {
      log.warn({ file, err: (err as Error).message }, "could not save server states; the new worker starts from the config's");
    }
  }

  async status(): Promise<RuntimeStatus> {
    const proc = await this.reloader.status();
    const servers = proc.running ? await this.reloader.runtime("show stat").then(parseShowStat, () => []) : [];
    return {
      haproxyRunning: proc.running,
      haproxyVersion: await this.haproxyVersion(),
      failedReloads: proc.failedReloads,
      workerUptimeSeconds: proc.workerUptimeSeconds,
      servers,
    };
  }

  async haproxyVersion(): Promise<string> {
    if (!this.version) this.version = await haproxyVersion(this.opts.haproxyBin);
    return this.version;
  }

  setServerState(proxy: string, server: string, state: string): Promise<CommandOutcome> {
    return this.lock.run(async () => {
      try {
        const answer = (await this.reloader.runtime(setServerStateCommand(proxy, server, state))).trim();
        // HAProxy answers an empty line on success and a sentence ("No such server.") otherwise.
        return answer === "" ? { ok: true, output: "", error: "" } : { ok: false, output: answer, error: answer };
      } catch (err) {
        return { ok: false, output: "", error: (err as Error).message };
      }
    });
  }

  async close(): Promise<void> {
    if (this.watchTimer) clearInterval(this.watchTimer);
    await this.lock.idle();
  }
}
