import { randomUUID } from "node:crypto";
import { AppError, HAPROXY_NAME, isServerState, type ServerAdminState } from "@ha-master/shared";
import type { Db } from "../db/store.js";
import { insertAudit } from "../audit/audit-dal.js";
import type { BusMessage, EventBus } from "../bus/event-bus.js";
import type { ClustersService } from "../clusters/clusters-service.js";
import type { RequestContext } from "../lib/context.js";
import { listNodes } from "../nodes/nodes-dal.js";
import { isOnline } from "../nodes/nodes-service.js";

export interface ServerStateRequest {
  backend: string;
  server: string;
  state: string;
}

/** How one node took the command. */
export interface NodeCommandResult {
  nodeId: string;
  nodeName: string;
  /** `ok`: HAProxy took it; `failed`: HAProxy or the agent refused it; `offline`: not sent; `timeout`: sent, no answer. */
  status: "ok" | "failed" | "offline" | "timeout";
  output: string;
  error: string;
}

export interface ServerStateResult {
  clusterId: string;
  backend: string;
  server: string;
  state: ServerAdminState;
  /** Every node of the cluster took it. */
  ok: boolean;
  nodes: NodeCommandResult[];
}

/** Checks a request before anything is sent, naming the field at fault. */
export function checkServerStateRequest(req: ServerStateRequest): ServerAdminState {
  for (const field of ["backend", "server"] as const) {
    if (!HAPROXY_NAME.test(req[field])) {
      throw new AppError("bad_request", `${field} ${JSON.stringify(req[field])} is not a HAProxy name (letters, digits, - _ . : up to 127)`, {
        field,
      });
    }
  }
  if (!isServerState(req.state)) {
    throw new AppError("bad_request", `state ${JSON.stringify(req.state)}: expected ready, drain or maint`, { field: "state" });
  }
  return req.state;
}

/**
 * Runtime server states across a cluster: `set server <backend>/<server> state <state>` on every
 * node's HAProxy at once, without a reload. The command reaches each node through whichever
 * replica holds its stream; the answers come back the same way, and the caller gets one line per
 * node. A state set this way lasts until HAProxy next reloads (a deployment); a lasting change
 * belongs in the config.
 */
export function serverStateServiceFactory(deps: {
  store: { readonly db: Db };
  clusters: Pick<ClustersService, "require">;
  bus: Pick<EventBus, "publish" | "subscribe">;
  heartbeatMs: number;
  /** How long to wait for the nodes' answers. */
  answerTimeoutMs?: number;
}) {
  const { store, bus, heartbeatMs } = deps;
  const answerTimeoutMs = deps.answerTimeoutMs ?? 5_000;

  /**
   * Sends the command to every connected node of the cluster and collects the answers until the
   * nodes in `expected` (those online when asked) have all answered, or time is up.
   */
  async function fanOut(clusterId: string, expected: Set<string>, command: ServerStateRequest & { state: ServerAdminState }) {
    const commandId = randomUUID();
    const answers = new Map<string, Extract<BusMessage, { type: "command-result" }>>();
    let waitingFor = expected.size;
    let done: () => void = () => undefined;
    const allAnswered = new Promise<void>((resolve) => (done = resolve));
    const unsubscribe = bus.subscribe((message) => {
      if (message.type !== "command-result" || message.commandId !== commandId || answers.has(message.nodeId)) return;
      answers.set(message.nodeId, message);
      if (expected.has(message.nodeId) && --waitingFor === 0) done();
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      if (expected.size === 0) return answers;
      await bus.publish({ type: "command", commandId, clusterId, command: { kind: "set-server-state", ...command } });
      await Promise.race([allAnswered, new Promise<void>((resolve) => (timer = setTimeout(resolve, answerTimeoutMs)))]);
      return answers;
    } finally {
      clearTimeout(timer);
      unsubscribe();
    }
  }

  return {
    answerTimeoutMs,

    async setServerState(ctx: RequestContext, clusterRef: string, req: ServerStateRequest): Promise<ServerStateResult> {
      const state = checkServerStateRequest(req);
      const cluster = await deps.clusters.require(store.db, clusterRef);
      const nodes = (await listNodes(store.db, cluster.id)).filter((n) => !n.revokedAt);
      if (nodes.length === 0) throw new AppError("conflict", `cluster ${cluster.name} has no nodes; enrol some first`);
      const now = Date.now();
      const online = nodes.filter((n) => isOnline(n, heartbeatMs, now));
      const onlineIds = new Set(online.map((n) => n.id));
      const answers = await fanOut(cluster.id, onlineIds, { backend: req.backend, server: req.server, state });
      const results: NodeCommandResult[] = nodes.map((n) => {
        const base = { nodeId: n.id, nodeName: n.name, output: "", error: "" };
        // A node that connected just now may answer too: its answer counts.
        const answer = answers.get(n.id);
        if (answer) return { ...base, status: answer.ok ? "ok" : "failed", output: answer.output, error: answer.error };
        if (!onlineIds.has(n.id)) return { ...base, status: "offline", error: "the node is offline: its HAProxy was not changed" };
        return { ...base, status: "timeout", error: `no answer within ${answerTimeoutMs / 1000} s: the state on this node is unknown` };
      });
      const result: ServerStateResult = {
        clusterId: cluster.id,
        backend: req.backend,
        server: req.server,
        state,
        ok: results.every((r) => r.status === "ok"),
        nodes: results,
      };
      await insertAudit(store.db, ctx, {
        action: "server.set_state",
        targetType: "cluster",
        targetId: cluster.id,
        targetName: cluster.name,
        after: {
          backend: req.backend,
          server: req.server,
          state,
          ok: result.ok,
          nodes: Object.fromEntries(results.map((r) => [r.nodeName, r.status === "failed" ? `failed: ${r.error}` : r.status])),
        },
      });
      return result;
    },
  };
}

export type ServerStateService = ReturnType<typeof serverStateServiceFactory>;
