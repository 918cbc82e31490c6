import { and, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "../db/store.js";
import { clusters, enrollmentTokens } from "../db/schema.js";

export type EnrollmentTokenRow = typeof enrollmentTokens.$inferSelect & { clusterName: string };

const columns = {
  id: enrollmentTokens.id,
  clusterId: enrollmentTokens.clusterId,
  tokenHash: enrollmentTokens.tokenHash,
  description: enrollmentTokens.description,
  maxUses: enrollmentTokens.maxUses,
  useCount: enrollmentTokens.useCount,
  expiresAt: enrollmentTokens.expiresAt,
  revokedAt: enrollmentTokens.revokedAt,
  createdAt: enrollmentTokens.createdAt,
  createdBy: enrollmentTokens.createdBy,
  clusterName: clusters.name,
};

export async function insertToken(
  db: Db,
  values: Pick<typeof enrollmentTokens.$inferInsert, "clusterId" | "tokenHash" | "description" | "maxUses" | "expiresAt" | "createdBy">,
) {
  const [row] = await db.insert(enrollmentTokens).values(values).returning();
  return row!;
}

export async function listTokens(db: Db, clusterId?: string): Promise<EnrollmentTokenRow[]> {
  return db
    .select(columns)
    .from(enrollmentTokens)
    .innerJoin(clusters, eq(clusters.id, enrollmentTokens.clusterId))
    .where(clusterId ? eq(enrollmentTokens.clusterId, clusterId) : undefined)
    .orderBy(desc(enrollmentTokens.createdAt));
}

export async function findToken(db: Db, id: string): Promise<EnrollmentTokenRow | undefined> {
  const [row] = await db
    .select(columns)
    .from(enrollmentTokens)
    .innerJoin(clusters, eq(clusters.id, enrollmentTokens.clusterId))
    .where(eq(enrollmentTokens.id, id));
  return row;
}

export async function revokeToken(db: Db, id: string): Promise<void> {
  await db.update(enrollmentTokens).set({ revokedAt: new Date() }).where(and(eq(enrollmentTokens.id, id), isNull(enrollmentTokens.revokedAt)));
}

/**
 * Spends one use of a token, in one statement: it succeeds only for a live token with uses left,
 * so two agents racing for the last use cannot both win.
 */
export async function spendToken(db: Db, tokenHash: string) {
  const [row] = await db
    .update(enrollmentTokens)
    .set({ useCount: sql`${enrollmentTokens.useCount} + 1` })
    .where(
      and(
        eq(enrollmentTokens.tokenHash, tokenHash),
        isNull(enrollmentTokens.revokedAt),
        gt(enrollmentTokens.expiresAt, new Date()),
        lt(enrollmentTokens.useCount, enrollmentTokens.maxUses),
      ),
    )
    .returning();
  return row;
}

/** Why a token could not be spent (for the refusal message); undefined when it does not exist. */
export async function tokenState(db: Db, tokenHash: string) {
  const [row] = await db.select().from(enrollmentTokens).where(eq(enrollmentTokens.tokenHash, tokenHash));
  return row;
}
