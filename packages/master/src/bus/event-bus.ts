import { EventEmitter } from "node:events";
import type pg from "pg";
import type { Logger } from "pino";

/** What replicas tell each other. Payloads stay small: receivers read the details from the database. */
export type BusMessage =
  /** The desired state of a node may have changed: whoever holds its stream sends it. */
  | { type: "push"; nodeId: string }
  /** Targets of a deployment started (applying or rolling back): replicas push to the nodes they hold. */
  | { type: "push-deployment"; deploymentId: string }
  /** A node was revoked: whoever holds its stream closes it at once. */
  | { type: "revoke"; nodeId: string }
  /** A deployment changed (targets, status): live views refresh, its driver wakes. */
  | { type: "deployment"; deploymentId: string; clusterId: string }
  /**
   * A runtime command for every node of a cluster: whoever holds a node's stream sends it. (The
   * cluster, not a list of nodes: a NOTIFY payload carries 8,000 bytes, about 200 node ids.)
   */
  | { type: "command"; commandId: string; clusterId: string; command: RuntimeCommand }
  /** A node answered a runtime command (output and error cut short: NOTIFY carries 8,000 bytes). */
  | { type: "command-result"; commandId: string; nodeId: string; ok: boolean; output: string; error: string };

/** What the master can ask a node's HAProxy to do at run time, without a reload. */
export type RuntimeCommand = { kind: "set-server-state"; backend: string; server: string; state: string };

export interface EventBus {
  publish(message: BusMessage): Promise<void>;
  /** Calls `listener` for every message, this replica's own included; returns the unsubscribe. */
  subscribe(listener: (message: BusMessage) => void): () => void;
  close(): Promise<void>;
}

/** One process (the embedded database serves exactly one): an in-memory emitter. */
export function localEventBus(): EventBus {
  const emitter = new EventEmitter().setMaxListeners(0);
  return {
    async publish(message) {
      queueMicrotask(() => emitter.emit("message", message));
    },
    subscribe(listener) {
      emitter.on("message", listener);
      return () => emitter.off("message", listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

const CHANNEL = "hamaster_bus";

/**
 * Several replicas on one PostgreSQL: NOTIFY carries messages to every replica (the sender too),
 * one dedicated connection LISTENs and reconnects with backoff if it drops.
 */
export function postgresEventBus(poolReady: Promise<pg.Pool>, log: Logger): EventBus {
  const emitter = new EventEmitter().setMaxListeners(0);
  let client: pg.PoolClient | undefined;
  let releaseClient: ((destroy: boolean) => void) | undefined;
  let closed = false;
  let retryMs = 250;

  let pool: pg.Pool | undefined;
  const listen = async (): Promise<void> => {
    if (closed) return;
    try {
      pool ??= await poolReady;
      const c = await pool.connect();
      client = c;
      let released = false;
      const release = (destroy: boolean) => {
        if (released) return;
        released = true;
        c.release(destroy);
      };
      releaseClient = release;
      c.on("notification", (n) => {
        if (n.channel !== CHANNEL || !n.payload) return;
        try {
          emitter.emit("message", JSON.parse(n.payload) as BusMessage);
        } catch (err) {
          log.warn({ err }, "bad bus message");
        }
      });
      // Stays attached after release: a client emitting "error" without a listener crashes the process.
      c.on("error", (err) => {
        if (released || closed) return;
        log.warn({ err }, "bus connection lost");
        release(true);
        client = undefined;
        setTimeout(() => void listen(), retryMs);
      });
      await c.query(`LISTEN ${CHANNEL}`);
      retryMs = 250;
    } catch (err) {
      log.warn({ err, retryMs }, "bus listen failed");
      retryMs = Math.min(retryMs * 2, 10_000);
      setTimeout(() => void listen(), retryMs);
    }
  };
  const ready = listen();
  ready.catch(() => undefined);

  return {
    async publish(message) {
      await ready;
      await (pool ?? (await poolReady)).query("select pg_notify($1, $2)", [CHANNEL, JSON.stringify(message)]);
    },
    subscribe(listener) {
      emitter.on("message", listener);
      return () => emitter.off("message", listener);
    },
    async close() {
      closed = true;
      emitter.removeAllListeners();
      if (client) {
        await client.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
        releaseClient?.(false);
        client = undefined;
      }
    },
  };
}

/** The bus for a store: LISTEN/NOTIFY on PostgreSQL (several replicas), in memory when embedded. */
export function eventBusFor(store: { kind: "postgres" | "embedded"; opened: Promise<void>; readonly pool?: pg.Pool }, log: Logger): EventBus {
  if (store.kind === "embedded") return localEventBus();
  return postgresEventBus(store.opened.then(() => store.pool!), log);
}
