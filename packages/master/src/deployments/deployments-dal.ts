import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../db/store.js";
import { clusters, deploymentEvents, deployments, deploymentTargets, nodes } from "../db/schema.js";
import type { DeploymentStatus, TargetStatus } from "./deployments-types.js";

export type DeploymentRow = typeof deployments.$inferSelect;
export type TargetRow = typeof deploymentTargets.$inferSelect;

export async function insertDeployment(db: Db, values: typeof deployments.$inferInsert): Promise<DeploymentRow> {
  const [row] = await db.insert(deployments).values(values).returning();
  return row!;
}

export async function insertTargets(db: Db, values: (typeof deploymentTargets.$inferInsert)[]): Promise<void> {
  if (values.length > 0) await db.insert(deploymentTargets).values(values);
}

export async function findDeployment(db: Db, id: string): Promise<(DeploymentRow & { clusterName: string }) | undefined> {
  const [row] = await db
    .select({ d: deployments, clusterName: clusters.name })
    .from(deployments)
    .innerJoin(clusters, eq(clusters.id, deployments.clusterId))
    .where(eq(deployments.id, id));
  return row ? { ...row.d, clusterName: row.clusterName } : undefined;
}

export async function listDeployments(db: Db, options: { clusterId?: string; limit: number }) {
  const rows = await db
    .select({ d: deployments, clusterName: clusters.name })
    .from(deployments)
    .innerJoin(clusters, eq(clusters.id, deployments.clusterId))
    .where(options.clusterId ? eq(deployments.clusterId, options.clusterId) : undefined)
    .orderBy(desc(deployments.createdAt))
    .limit(options.limit);
  return rows.map((r) => ({ ...r.d, clusterName: r.clusterName }));
}

/** The deployment of a cluster that is still in progress, if any. */
export async function activeDeploymentOf(db: Db, clusterId: string): Promise<DeploymentRow | undefined> {
  const [row] = await db
    .select()
    .from(deployments)
    .where(and(eq(deployments.clusterId, clusterId), inArray(deployments.status, ["pending", "running"])))
    .limit(1);
  return row;
}

export async function targetsOf(db: Db, deploymentIds: readonly string[]) {
  if (deploymentIds.length === 0) return [];
  return db
    .select({ t: deploymentTargets, nodeName: nodes.name })
    .from(deploymentTargets)
    .innerJoin(nodes, eq(nodes.id, deploymentTargets.nodeId))
    .where(inArray(deploymentTargets.deploymentId, [...deploymentIds]))
    .orderBy(asc(deploymentTargets.batch), asc(nodes.name));
}

/** Target counts per deployment and status. */
export async function countTargets(db: Db, deploymentIds: readonly string[]) {
  if (deploymentIds.length === 0) return [];
  return db
    .select({ deploymentId: deploymentTargets.deploymentId, status: deploymentTargets.status, n: sql<number>`count(*)::int` })
    .from(deploymentTargets)
    .where(inArray(deploymentTargets.deploymentId, [...deploymentIds]))
    .groupBy(deploymentTargets.deploymentId, deploymentTargets.status);
}

/** Starts targets in one statement, each with a fresh random nonce. */
export async function startTargets(db: Db, deploymentId: string, nodeIds: readonly string[], status: "applying" | "rolling_back"): Promise<void> {
  if (nodeIds.length === 0) return;
  await db
    .update(deploymentTargets)
    .set({ status, nonce: sql`gen_random_uuid()::text`, startedAt: new Date(), error: null })
    .where(and(eq(deploymentTargets.deploymentId, deploymentId), inArray(deploymentTargets.nodeId, [...nodeIds])));
}

/** A deployment's targets (of one batch), without node names. */
export async function targetRows(db: Db, deploymentId: string, batch?: number): Promise<TargetRow[]> {
  return db
    .select()
    .from(deploymentTargets)
    .where(and(eq(deploymentTargets.deploymentId, deploymentId), batch === undefined ? undefined : eq(deploymentTargets.batch, batch)));
}

/** How many targets of a deployment (of one batch) are in each status. */
export async function countTargetsByStatus(db: Db, deploymentId: string, batch?: number): Promise<Partial<Record<TargetStatus, number>>> {
  const rows = await db
    .select({ status: deploymentTargets.status, n: sql<number>`count(*)::int` })
    .from(deploymentTargets)
    .where(and(eq(deploymentTargets.deploymentId, deploymentId), batch === undefined ? undefined : eq(deploymentTargets.batch, batch)))
    .groupBy(deploymentTargets.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export async function updateDeployment(
  db: Db,
  id: string,
  patch: Partial<Pick<DeploymentRow, "status" | "error" | "note" | "startedAt" | "finishedAt" | "owner" | "leaseUntil">>,
): Promise<void> {
  await db.update(deployments).set(patch).where(eq(deployments.id, id));
}

/**
 * Claims (or renews) the right to drive a deployment for `owner` until `until`. It succeeds for
 * the current owner, or when nobody holds a live claim: one replica drives a rollout at a time.
 */
export async function claimDeployment(db: Db, id: string, owner: string, until: Date): Promise<boolean> {
  const rows = await db
    .update(deployments)
    .set({ owner, leaseUntil: until })
    .where(
      and(
        eq(deployments.id, id),
        inArray(deployments.status, ["pending", "running"]),
        or(isNull(deployments.owner), eq(deployments.owner, owner), lt(deployments.leaseUntil, new Date())),
      ),
    )
    .returning({ id: deployments.id });
  return rows.length === 1;
}

/**
 * Releases claims that cannot be alive any more: all of them with the embedded database (one
 * process only), so a restarted master resumes at once instead of waiting for leases to expire.
 */
export async function releaseAllClaims(db: Db): Promise<void> {
  await db.update(deployments).set({ owner: null, leaseUntil: null }).where(inArray(deployments.status, ["pending", "running"]));
}

/** Deployments in progress whose driver is gone (no claim, or an expired one). */
export async function orphanedDeployments(db: Db): Promise<DeploymentRow[]> {
  return db
    .select()
    .from(deployments)
    .where(
      and(inArray(deployments.status, ["pending", "running"]), or(isNull(deployments.leaseUntil), lt(deployments.leaseUntil, new Date()))),
    );
}

export async function setTargets(
  db: Db,
  deploymentId: string,
  where: { nodeIds?: readonly string[]; statuses?: readonly TargetStatus[]; batch?: number },
  patch: Partial<Pick<TargetRow, "status" | "nonce" | "error" | "errorLines" | "startedAt" | "finishedAt">>,
): Promise<TargetRow[]> {
  return db
    .update(deploymentTargets)
    .set(patch)
    .where(
      and(
        eq(deploymentTargets.deploymentId, deploymentId),
        where.nodeIds ? inArray(deploymentTargets.nodeId, [...where.nodeIds]) : undefined,
        where.statuses ? inArray(deploymentTargets.status, [...where.statuses]) : undefined,
        where.batch === undefined ? undefined : eq(deploymentTargets.batch, where.batch),
      ),
    )
    .returning();
}

/** The target a node is working on in a rollout in progress (applying or rolling back). */
export async function activeTargetOfNode(db: Db, nodeId: string) {
  const [row] = await db
    .select({ t: deploymentTargets, d: deployments })
    .from(deploymentTargets)
    .innerJoin(deployments, eq(deployments.id, deploymentTargets.deploymentId))
    .where(
      and(
        eq(deploymentTargets.nodeId, nodeId),
        inArray(deploymentTargets.status, ["applying", "rolling_back"]),
        inArray(deployments.status, ["running"]),
      ),
    )
    .orderBy(desc(deployments.createdAt))
    .limit(1);
  return row;
}

/** A target identified by the nonce the master sent for it. */
export async function targetByNonce(db: Db, nodeId: string, nonce: string) {
  const [row] = await db
    .select({ t: deploymentTargets, d: deployments })
    .from(deploymentTargets)
    .innerJoin(deployments, eq(deployments.id, deploymentTargets.deploymentId))
    .where(and(eq(deploymentTargets.nodeId, nodeId), eq(deploymentTargets.nonce, nonce)))
    .limit(1);
  return row;
}

/** Targets left pending on a node (it was offline) in deployments that sent this bundle. */
export async function pendingTargetsForBundle(db: Db, nodeId: string, bundleHash: string) {
  return db
    .select({ deploymentId: deploymentTargets.deploymentId, clusterId: deployments.clusterId })
    .from(deploymentTargets)
    .innerJoin(deployments, eq(deployments.id, deploymentTargets.deploymentId))
    .where(and(eq(deploymentTargets.nodeId, nodeId), eq(deploymentTargets.status, "pending"), eq(deployments.bundleHash, bundleHash)));
}

/** Targets a node was applying when its stream dropped: back to pending, to converge on reconnect. */
export async function releaseTargetsOfNode(db: Db, nodeId: string) {
  return db
    .update(deploymentTargets)
    .set({ status: "pending", nonce: null, error: "the node disconnected during the apply; it converges when it reconnects" })
    .where(and(eq(deploymentTargets.nodeId, nodeId), eq(deploymentTargets.status, "applying")))
    .returning({ deploymentId: deploymentTargets.deploymentId });
}

type NewEvent = { deploymentId: string; type: string; nodeId?: string | null; data?: Record<string, unknown> };

export async function insertEvent(db: Db, event: NewEvent): Promise<void> {
  await insertEvents(db, [event]);
}

/** Many events in one statement (a batch's offline nodes, its timeouts). */
export async function insertEvents(db: Db, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.insert(deploymentEvents).values(events.map((e) => ({ ...e, nodeId: e.nodeId ?? null, data: e.data ?? {} })));
}

export async function setClusterDesired(db: Db, clusterId: string, version: number, hash: string): Promise<void> {
  await db.update(clusters).set({ desiredVersion: version, desiredHash: hash }).where(eq(clusters.id, clusterId));
}

export type { DeploymentStatus };
