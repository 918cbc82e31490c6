import { asc, eq, getTableColumns, sql } from "drizzle-orm";
import type { Db } from "../db/store.js";
import { clusters, configVersions, nodes } from "../db/schema.js";
import { isUuid } from "./clusters-types.js";

export type ClusterRow = typeof clusters.$inferSelect;

// Columns spelled out with their tables: drizzle renders a column in a select list unqualified,
// and an unqualified "id" inside the subquery would be the subquery's own table.
const latestVersion = sql<number>`coalesce((select max(cv.version) from ${configVersions} cv where cv.cluster_id = ${clusters}.id), 0)::int`;
const nodeCount = sql<number>`(select count(*) from ${nodes} n where n.cluster_id = ${clusters}.id and n.revoked_at is null)::int`;

export type ClusterWithStats = ClusterRow & { latestVersion: number; nodeCount: number };

export async function listClusters(db: Db): Promise<ClusterWithStats[]> {
  return db
    .select({ ...getTableColumns(clusters), latestVersion, nodeCount })
    .from(clusters)
    .orderBy(asc(clusters.name));
}

/** Finds a cluster by id or name. */
export async function findCluster(db: Db, ref: string): Promise<ClusterWithStats | undefined> {
  const [row] = await db
    .select({ ...getTableColumns(clusters), latestVersion, nodeCount })
    .from(clusters)
    .where(isUuid(ref) ? eq(clusters.id, ref) : eq(clusters.name, ref));
  return row;
}

/** Locks the cluster row: config versions of one cluster are created one at a time. */
export async function lockCluster(db: Db, id: string): Promise<ClusterRow | undefined> {
  const [row] = await db.select().from(clusters).where(eq(clusters.id, id)).for("update");
  return row;
}

export async function insertCluster(
  db: Db,
  values: { name: string; description: string; createdBy: string | null },
): Promise<ClusterRow | undefined> {
  const [row] = await db.insert(clusters).values(values).onConflictDoNothing({ target: clusters.name }).returning();
  return row;
}

export async function updateCluster(db: Db, id: string, patch: { description: string }): Promise<ClusterRow | undefined> {
  const [row] = await db.update(clusters).set(patch).where(eq(clusters.id, id)).returning();
  return row;
}

export async function deleteCluster(db: Db, id: string): Promise<void> {
  await db.delete(clusters).where(eq(clusters.id, id));
}
