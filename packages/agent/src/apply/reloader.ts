/** The outcome of making HAProxy run what `current` points to. */
export type ActivateOutcome = { ok: true; workerPid?: number } | { ok: false; stage: "reload" | "verify"; error: string };

/** Process facts for heartbeats. */
export interface ReloaderStatus {
  running: boolean;
  failedReloads: number;
  workerUptimeSeconds: number;
}

/**
 * What differs between the modes: how HAProxy is (re)started and checked. Both modes share the
 * release store and the apply steps around it (HaproxyApplier). Calls come serialised.
 */
export interface Reloader {
  /** On agent start: find HAProxy (supervised: start it when a release exists and it is down). */
  start(hasRelease: boolean): Promise<void>;
  /** Makes HAProxy run the config `current` points to now, and checks that it does. */
  activate(): Promise<ActivateOutcome>;
  status(): Promise<ReloaderStatus>;
  /** One command on the current worker's runtime API; returns what HAProxy answered. */
  runtime(command: string): Promise<string>;
  /** Periodic health check (supervised: restart a dead HAProxy). */
  watch(hasRelease: boolean): Promise<void>;
}
