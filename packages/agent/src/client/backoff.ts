/** Exponential backoff parameters. */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** Reconnect backoff: 500 ms doubling to 30 s. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000 };

/**
 * Delay before reconnect attempt `attempt` (0-based), "full jitter": uniform in
 * [0, min(cap, base·2^attempt)). Thousands of agents that lost the master at the same moment
 * then come back spread over the window instead of all at once.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.floor(random() * ceiling);
}

/** `intervalMs` moved by up to ±`fraction` (heartbeats: ±10%), so agents do not beat in lockstep. */
export function jittered(intervalMs: number, fraction = 0.1, random: () => number = Math.random): number {
  return Math.round(intervalMs * (1 - fraction + 2 * fraction * random()));
}
