import { setTimeout as sleep } from "node:timers/promises";
import type { ServerStat } from "../haproxy/show-stat.js";
import type { AgentMode, Applier, AppliedState, ApplyResult, Bundle, CommandOutcome, RuntimeStatus } from "./applier.js";
import { SerialQueue } from "./serial.js";

/** Knobs of a simulated node. */
export interface InMemoryApplierOptions {
  mode?: AgentMode;
  haproxyVersion?: string;
  /** Simulated apply time in ms (a number or a function drawn per apply). */
  applyDelayMs?: number | (() => number);
  /** Failure injection: return a result to use instead of success. */
  outcome?: (bundle: Bundle) => ApplyResult | undefined;
  servers?: ServerStat[];
}

/**
 * An applier that keeps only hashes in memory: what a benchmark gives each of thousands of
 * simulated agents. It serialises applies like the real one, so the stream client behaves the
 * same (superseded bundles, heartbeats after applies), and never touches disk or HAProxy.
 */
export class InMemoryApplier implements Applier {
  readonly mode: AgentMode;
  /** Applies that succeeded (reloads a real node would have done). */
  appliedCount = 0;
  /** Bundles applied, in order (hashes only, to keep memory flat with many agents). */
  readonly history: string[] = [];
  private state: AppliedState = { hash: "", diskHash: "" };
  private readonly lock = new SerialQueue();
  private readonly serverStates = new Map<string, ServerStat>();
  private readonly startedAt = Date.now();

  constructor(private readonly opts: InMemoryApplierOptions = {}) {
    this.mode = opts.mode ?? "supervised";
    for (const s of opts.servers ?? []) this.serverStates.set(`${s.proxy}/${s.server}`, { ...s });
  }

  async start(): Promise<void> {}

  async current(): Promise<AppliedState> {
    return { ...this.state };
  }

  /** Simulates a hand edit of the files on disk: the disk hash no longer matches the applied one. */
  drift(diskHash = "drifted"): void {
    this.state = { ...this.state, diskHash };
  }

  apply(bundle: Bundle): Promise<ApplyResult> {
    return this.lock.run(async () => {
      const started = performance.now();
      const delay = typeof this.opts.applyDelayMs === "function" ? this.opts.applyDelayMs() : (this.opts.applyDelayMs ?? 0);
      if (delay > 0) await sleep(delay);
      const injected = this.opts.outcome?.(bundle);
      if (injected && !injected.ok) return injected;
      this.state = { hash: bundle.hash, diskHash: bundle.hash };
      this.appliedCount++;
      this.history.push(bundle.hash);
      return injected ?? { ok: true, durationMs: Math.round(performance.now() - started), reloaded: true };
    });
  }

  async status(): Promise<RuntimeStatus> {
    const running = this.state.hash !== "";
    return {
      haproxyRunning: running,
      haproxyVersion: await this.haproxyVersion(),
      failedReloads: 0,
      workerUptimeSeconds: running ? Math.floor((Date.now() - this.startedAt) / 1000) : 0,
      servers: [...this.serverStates.values()],
    };
  }

  async haproxyVersion(): Promise<string> {
    return this.opts.haproxyVersion ?? "2.6.12-simulated";
  }

  async setServerState(proxy: string, server: string, state: string): Promise<CommandOutcome> {
    const s = this.serverStates.get(`${proxy}/${server}`);
    if (!s) return { ok: false, output: "No such server.", error: "No such server." };
    s.status = state === "maint" ? "MAINT" : state === "drain" ? "DRAIN" : "UP";
    return { ok: true, output: "", error: "" };
  }

  async close(): Promise<void> {
    await this.lock.idle();
  }
}
