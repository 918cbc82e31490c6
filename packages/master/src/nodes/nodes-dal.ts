import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/store.js";
import { clusters, nodes } from "../db/schema.js";
import type { HeartbeatRecord } from "./nodes-types.js";

export type NodeRow = typeof nodes.$inferSelect;
export type NodeWithCluster = NodeRow & { clusterName: string; desiredVersion: number | null; desiredHash: string | null };


function selectNodes(db: Db) {
  return db
    .select({ node: nodes, clusterName: clusters.name, desiredVersion: clusters.desiredVersion, desiredHash: clusters.desiredHash })
    .from(nodes)
    .innerJoin(clusters, eq(clusters.id, nodes.clusterId));
}

const flatten = (r: { node: NodeRow; clusterName: string; desiredVersion: number | null; desiredHash: string | null }): NodeWithCluster => ({
  ...r.node,
  clusterName: r.clusterName,
  desiredVersion: r.desiredVersion,
  desiredHash: r.desiredHash,
});

export async function listNodes(db: Db, clusterId?: string): Promise<NodeWithCluster[]> {
  const rows = await selectNodes(db)
    .where(clusterId ? eq(nodes.clusterId, clusterId) : undefined)
    .orderBy(asc(clusters.name), asc(nodes.name));
  return rows.map(flatten);
}

export async function findNode(db: Db, id: string): Promise<NodeWithCluster | undefined> {
  const [row] = await selectNodes(db).where(eq(nodes.id, id));
  return row ? flatten(row) : undefined;
}

/** The enrolled (not revoked) nodes of a cluster. */
export async function activeNodesOfCluster(db: Db, clusterId: string): Promise<NodeRow[]> {
  return db.select().from(nodes).where(and(eq(nodes.clusterId, clusterId), isNull(nodes.revokedAt))).orderBy(asc(nodes.name));
}

export async function insertNode(db: Db, values: typeof nodes.$inferInsert): Promise<NodeRow> {
  const [row] = await db.insert(nodes).values(values).returning();
  return row!;
}

/** A renewal: `certSerial` is the node's certificate from now on; `previousCertSerial` the one it renewed with. */
export async function setNodeCertificate(db: Db, id: string, certSerial: string, certNotAfter: Date, previousCertSerial: string | null = null): Promise<void> {
  await db.update(nodes).set({ certSerial, certNotAfter, previousCertSerial }).where(eq(nodes.id, id));
}

/** The node connected with its current certificate: the one before it is refused from now on. */
export async function forgetPreviousCertificate(db: Db, id: string): Promise<void> {
  await db.update(nodes).set({ previousCertSerial: null }).where(eq(nodes.id, id));
}

/** A stream opened on `replica`: the node is connected there from now on. */
export async function markConnected(
  db: Db,
  id: string,
  replica: string,
  hello: { agentVersion: string; haproxyVersion: string; mode: string; appliedHash: string; diskHash: string },
): Promise<void> {
  await db
    .update(nodes)
    .set({ ...hello, connectedTo: replica, lastSeenAt: new Date() })
    .where(eq(nodes.id, id));
}

/** The stream on `replica` ended; a newer stream on another replica is left alone. */
export async function markDisconnected(db: Db, id: string, replica: string): Promise<void> {
  await db
    .update(nodes)
    .set({ connectedTo: null })
    .where(and(eq(nodes.id, id), eq(nodes.connectedTo, replica)));
}

/**
 * Forgets stream holders that cannot be alive: this replica's earlier life, or — with the
 * embedded database, which serves one process — every holder.
 */
export async function clearStaleConnections(db: Db, replica: string | "all"): Promise<void> {
  await db
    .update(nodes)
    .set({ connectedTo: null })
    .where(replica === "all" ? undefined : eq(nodes.connectedTo, replica));
}

export async function setApplied(db: Db, id: string, appliedHash: string, appliedVersion: number | null): Promise<void> {
  await db.update(nodes).set({ appliedHash, appliedVersion }).where(eq(nodes.id, id));
}

export async function revokeNode(db: Db, id: string): Promise<void> {
  await db.update(nodes).set({ revokedAt: new Date(), connectedTo: null }).where(and(eq(nodes.id, id), isNull(nodes.revokedAt)));
}

/** Writes many heartbeats in one statement (the heartbeat load is one query per flush, not per node). */
export async function writeHeartbeats(db: Db, beats: readonly HeartbeatRecord[]): Promise<void> {
  if (beats.length === 0) return;
  const rows = JSON.stringify(
    beats.map((b) => ({
      id: b.nodeId,
      seen: b.seenAt.toISOString(),
      applied: b.appliedHash,
      disk: b.diskHash,
      running: b.haproxyRunning,
      version: b.haproxyVersion,
      failed: b.failedReloads,
      servers: b.servers,
    })),
  );
  await db.execute(sql`
    update ${nodes} set
      last_seen_at = x.seen, applied_hash = x.applied, disk_hash = x.disk, haproxy_running = x.running,
      haproxy_version = case when x.version = '' then ${nodes.haproxyVersion} else x.version end,
      failed_reloads = x.failed, servers = x.servers
    from jsonb_to_recordset(${rows}::jsonb) as x(id uuid, seen timestamptz, applied text, disk text, running boolean, version text, failed int, servers jsonb)
    where ${nodes.id} = x.id`);
}
