import type { Logger } from "pino";
import type { Counter } from "prom-client";
import type { Db } from "../db/store.js";
import { writeHeartbeats } from "../nodes/nodes-dal.js";
import type { HeartbeatRecord } from "../nodes/nodes-types.js";

/**
 * Heartbeats are kept in memory and written together every `flushMs`: however many nodes there
 * are, the heartbeat load on the database is one statement per flush. Only the latest heartbeat
 * of a node matters.
 */
export function heartbeatWriter(deps: { store: { readonly db: Db }; log: Logger; flushMs: number; writes?: Counter }) {
  let pending = new Map<string, HeartbeatRecord>();
  let flushing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (pending.size === 0) return flushing;
    const batch = [...pending.values()];
    pending = new Map();
    flushing = flushing
      .then(() => writeHeartbeats(deps.store.db, batch))
      .then(() => void deps.writes?.inc())
      .catch((err: unknown) => deps.log.warn({ err, count: batch.length }, "heartbeat write failed"));
    return flushing;
  };
  const timer = setInterval(() => void flush(), deps.flushMs);
  timer.unref();

  return {
    record(beat: HeartbeatRecord): void {
      pending.set(beat.nodeId, beat);
    },
    flush,
    async close(): Promise<void> {
      clearInterval(timer);
      await flush();
    },
  };
}

export type HeartbeatWriter = ReturnType<typeof heartbeatWriter>;
