import { notFound } from "@ha-master/shared";
import type { Db } from "../db/store.js";
import { insertAudit } from "../audit/audit-dal.js";
import type { EventBus } from "../bus/event-bus.js";
import type { ClustersService } from "../clusters/clusters-service.js";
import type { RequestContext } from "../lib/context.js";
import { iso } from "../lib/time.js";
import * as dal from "./nodes-dal.js";
import type { NodeView, ServerStateView } from "./nodes-types.js";

/** A node counts as online while its stream is up and its heartbeats arrive (three may be missed). */
export function isOnline(row: Pick<dal.NodeRow, "connectedTo" | "lastSeenAt" | "revokedAt">, heartbeatMs: number, now = Date.now()): boolean {
  return !row.revokedAt && row.connectedTo !== null && row.lastSeenAt !== null && now - row.lastSeenAt.getTime() <= 3 * heartbeatMs;
}

export function toNodeView(row: dal.NodeWithCluster, heartbeatMs: number, now = Date.now()): NodeView {
  return {
    id: row.id,
    name: row.name,
    clusterId: row.clusterId,
    clusterName: row.clusterName,
    online: isOnline(row, heartbeatMs, now),
    lastSeenAt: iso(row.lastSeenAt),
    enrolledAt: iso(row.enrolledAt)!,
    revokedAt: iso(row.revokedAt),
    certNotAfter: iso(row.certNotAfter)!,
    agentVersion: row.agentVersion,
    haproxyVersion: row.haproxyVersion,
    mode: row.mode,
    haproxyRunning: row.haproxyRunning,
    failedReloads: row.failedReloads,
    appliedHash: row.appliedHash,
    appliedVersion: row.appliedVersion,
    diskHash: row.diskHash,
    drift: row.appliedHash !== "" && row.diskHash !== "" && row.diskHash !== row.appliedHash,
    desiredVersion: row.desiredVersion,
    inSync: row.desiredHash !== null && row.appliedHash === row.desiredHash,
    servers: row.servers as ServerStateView[],
  };
}

/** Nodes: what each runs and how it is, and revocation. */
export function nodesServiceFactory(deps: {
  store: { readonly db: Db };
  clusters: Pick<ClustersService, "require">;
  bus: Pick<EventBus, "publish">;
  heartbeatMs: number;
}) {
  const { store, heartbeatMs } = deps;
  async function require(db: Db, id: string) {
    const row = await dal.findNode(db, id);
    if (!row) throw notFound("node", id);
    return row;
  }
  return {
    async list(clusterRef?: string): Promise<NodeView[]> {
      const clusterId = clusterRef ? (await deps.clusters.require(store.db, clusterRef)).id : undefined;
      const now = Date.now();
      return (await dal.listNodes(store.db, clusterId)).map((r) => toNodeView(r, heartbeatMs, now));
    },

    async get(id: string): Promise<NodeView> {
      return toNodeView(await require(store.db, id), heartbeatMs);
    },

    /** Revokes a node: its stream closes now (on whichever replica holds it) and it is refused from then on. */
    async revoke(ctx: RequestContext, id: string): Promise<NodeView> {
      const view = await store.db.transaction(async (tx) => {
        const before = await require(tx, id);
        await dal.revokeNode(tx, id);
        await insertAudit(tx, ctx, {
          action: "node.revoke",
          targetType: "node",
          targetId: id,
          targetName: before.name,
          before: { revokedAt: iso(before.revokedAt), certSerial: before.certSerial },
          after: { revoked: true },
        });
        return toNodeView((await dal.findNode(tx, id))!, heartbeatMs);
      });
      await deps.bus.publish({ type: "revoke", nodeId: id });
      return view;
    },
  };
}

export type NodesService = ReturnType<typeof nodesServiceFactory>;
