import type { RequestContext } from "../lib/context.js";

/** What a change writes to the audit log; who and from where come from the request context. */
export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  targetName?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditRecord {
  id: number;
  at: string;
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string | null;
  targetName: string | null;
  summary: { before?: unknown; after?: unknown };
  requestId: string | null;
  clientIp: string | null;
}

export interface AuditFilter {
  actor?: string;
  /** An exact action, or a prefix ending in `.*` (e.g. `config.*`). */
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** Return records older than this id (the previous page's `nextCursor`). */
  cursor?: number;
  limit: number;
}

export type { RequestContext };
