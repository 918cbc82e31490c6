/**
 * Whether the master has finished starting: the database open and migrated, and start-up work
 * (the first admin) done. Requests that need the database wait on it; /ready reports it.
 */
export interface Readiness {
  readonly isReady: boolean;
  /** Resolves when ready; rejects when start-up failed. */
  readonly ready: Promise<void>;
}

export function readinessOf(work: Promise<unknown>): Readiness {
  let isReady = false;
  const ready = work.then(() => {
    isReady = true;
  });
  ready.catch(() => undefined);
  return {
    get isReady() {
      return isReady;
    },
    ready,
  };
}
