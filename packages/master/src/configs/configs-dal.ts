import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../db/store.js";
import { clusters, configVersions } from "../db/schema.js";

export type ConfigVersionRow = typeof configVersions.$inferSelect;
export type ConfigVersionMeta = Omit<ConfigVersionRow, "content"> & { size: number };

const metaColumns = {
  id: configVersions.id,
  clusterId: configVersions.clusterId,
  version: configVersions.version,
  hash: configVersions.hash,
  message: configVersions.message,
  parentVersion: configVersions.parentVersion,
  source: configVersions.source,
  authorId: configVersions.authorId,
  authorName: configVersions.authorName,
  createdAt: configVersions.createdAt,
  size: sql<number>`octet_length(${configVersions.content})::int`,
};

/** Newest first, without content; `before` pages backwards through versions. */
export async function listVersions(
  db: Db,
  clusterId: string,
  page: { limit: number; before?: number },
): Promise<ConfigVersionMeta[]> {
  return db
    .select(metaColumns)
    .from(configVersions)
    .where(
      and(
        eq(configVersions.clusterId, clusterId),
        page.before === undefined ? undefined : lt(configVersions.version, page.before),
      ),
    )
    .orderBy(desc(configVersions.version))
    .limit(page.limit);
}

export async function findVersion(db: Db, clusterId: string, version: number): Promise<ConfigVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(configVersions)
    .where(and(eq(configVersions.clusterId, clusterId), eq(configVersions.version, version)));
  return row;
}

export async function findLatestVersion(db: Db, clusterId: string): Promise<ConfigVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(configVersions)
    .where(eq(configVersions.clusterId, clusterId))
    .orderBy(desc(configVersions.version))
    .limit(1);
  return row;
}

export async function insertVersion(
  db: Db,
  values: Omit<typeof configVersions.$inferInsert, "id" | "createdAt">,
): Promise<ConfigVersionRow> {
  const [row] = await db.insert(configVersions).values(values).returning();
  return row!;
}

/** The newest version of every cluster, with its content (for certificate usage). */
/**
 * The versions each cluster depends on: its newest (what the next deployment takes) and the one
 * deployed (what a node that reconnects converges to). Either may be the same; listed once.
 */
export async function versionsInUse(db: Db): Promise<{ clusterId: string; clusterName: string; version: number; content: string }[]> {
  const latest = await latestVersionsOfAllClusters(db);
  const deployed = await db
    .select({ clusterId: configVersions.clusterId, clusterName: clusters.name, version: configVersions.version, content: configVersions.content })
    .from(configVersions)
    .innerJoin(clusters, and(eq(clusters.id, configVersions.clusterId), eq(clusters.desiredVersion, configVersions.version)));
  const seen = new Set(latest.map((v) => `${v.clusterId}/${v.version}`));
  return [...latest, ...deployed.filter((v) => !seen.has(`${v.clusterId}/${v.version}`))];
}

export async function latestVersionsOfAllClusters(
  db: Db,
): Promise<{ clusterId: string; clusterName: string; version: number; content: string }[]> {
  return db
    .selectDistinctOn([configVersions.clusterId], {
      clusterId: configVersions.clusterId,
      clusterName: clusters.name,
      version: configVersions.version,
      content: configVersions.content,
    })
    .from(configVersions)
    .innerJoin(clusters, eq(clusters.id, configVersions.clusterId))
    .orderBy(configVersions.clusterId, desc(configVersions.version));
}
