import type { Db } from "../db/store.js";
import { insertAudit, listAudit } from "./audit-dal.js";
import type { AuditFilter, AuditRecord } from "./audit-types.js";

export interface AuditPage {
  items: AuditRecord[];
  nextCursor: number | null;
}

/** Reads the audit log. Writing happens in each domain's own transaction via `insertAudit`. */
export function auditServiceFactory({ store }: { store: { readonly db: Db } }) {
  return {
    async list(filter: AuditFilter): Promise<AuditPage> {
      // One extra row tells whether another page exists without a count(*).
      const rows = await listAudit(store.db, { ...filter, limit: filter.limit + 1 });
      const items = rows.slice(0, filter.limit);
      return { items, nextCursor: rows.length > filter.limit ? items[items.length - 1]!.id : null };
    },
  };
}

export type AuditService = ReturnType<typeof auditServiceFactory>;
export { insertAudit };
