import { and, desc, eq, gte, like, lt, lte, type SQL } from "drizzle-orm";
import type { Db } from "../db/store.js";
import { auditLog } from "../db/schema.js";
import { iso } from "../lib/time.js";
import type { AuditEntry, AuditFilter, AuditRecord, RequestContext } from "./audit-types.js";

/** Writes one audit record; call it with the transaction of the change it records. */
export async function insertAudit(tx: Db, ctx: RequestContext, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: ctx.actor.id,
    actorName: ctx.actor.username,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    targetName: entry.targetName ?? null,
    summary: { before: entry.before ?? null, after: entry.after ?? null },
    requestId: ctx.requestId,
    clientIp: ctx.clientIp,
  });
}

/** Newest first, keyset-paginated by id. */
export async function listAudit(db: Db, filter: AuditFilter): Promise<AuditRecord[]> {
  const where: SQL[] = [];
  if (filter.actor) where.push(eq(auditLog.actorName, filter.actor));
  if (filter.action) {
    where.push(
      filter.action.endsWith(".*")
        ? like(auditLog.action, `${escapeLike(filter.action.slice(0, -1))}%`)
        : eq(auditLog.action, filter.action),
    );
  }
  if (filter.targetType) where.push(eq(auditLog.targetType, filter.targetType));
  if (filter.targetId) where.push(eq(auditLog.targetId, filter.targetId));
  if (filter.from) where.push(gte(auditLog.at, filter.from));
  if (filter.to) where.push(lte(auditLog.at, filter.to));
  if (filter.cursor !== undefined) where.push(lt(auditLog.id, filter.cursor));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(filter.limit);
  return rows.map((r) => ({ ...r, at: iso(r.at)!, summary: r.summary ?? {} }));
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
