import { setTimeout as sleep } from "node:timers/promises";

/** The outcome of starting or reloading HAProxy. */
export type ReloadOutcome = { ok: true; workerPid: number } | { ok: false; error: string };

/**
 * Polls `probe` every `intervalMs` until it returns `{ done }` or `timeoutMs` passes; returns the
 * done value, or undefined on timeout. Errors from the probe count as "not yet".
 */
export async function waitFor<T>(
  timeoutMs: number,
  probe: () => Promise<{ done: T } | undefined>,
  intervalMs = 20,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await probe().catch(() => undefined);
    if (r) return r.done;
    if (Date.now() >= deadline) return undefined;
    await sleep(intervalMs);
  }
}
