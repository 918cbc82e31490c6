import { randomBytes } from "node:crypto";
import { AppError, notFound, sha256Hex } from "@ha-master/shared";
import type { Db } from "../db/store.js";
import { insertAudit } from "../audit/audit-dal.js";
import type { ClustersService } from "../clusters/clusters-service.js";
import type { RequestContext } from "../lib/context.js";
import { iso } from "../lib/time.js";
import * as dal from "./enrollment-dal.js";

export type TokenStatus = "active" | "expired" | "used_up" | "revoked";

export interface EnrollmentTokenView {
  id: string;
  clusterId: string;
  clusterName: string;
  description: string;
  maxUses: number;
  useCount: number;
  expiresAt: string;
  revokedAt: string | null;
  createdAt: string;
  status: TokenStatus;
}

export interface CreatedToken extends EnrollmentTokenView {
  token: string;
  joinCommand: string;
}

const TOKEN_PREFIX = "hmj_";

export function statusOf(row: Pick<dal.EnrollmentTokenRow, "revokedAt" | "expiresAt" | "useCount" | "maxUses">, now = Date.now()): TokenStatus {
  if (row.revokedAt) return "revoked";
  if (row.useCount >= row.maxUses) return "used_up";
  if (row.expiresAt.getTime() <= now) return "expired";
  return "active";
}

function toView(row: dal.EnrollmentTokenRow): EnrollmentTokenView {
  return {
    id: row.id,
    clusterId: row.clusterId,
    clusterName: row.clusterName,
    description: row.description,
    maxUses: row.maxUses,
    useCount: row.useCount,
    expiresAt: iso(row.expiresAt)!,
    revokedAt: iso(row.revokedAt),
    createdAt: iso(row.createdAt)!,
    status: statusOf(row),
  };
}

/** The hash a token is stored and looked up under. */
export function hashEnrollmentToken(token: string): string {
  return sha256Hex(token);
}

/**
 * One-time (or N-time) join tokens. The token itself is shown once, with the complete join
 * command; only its hash is stored. Tokens expire, count their uses and can be revoked.
 */
export function enrollmentServiceFactory(deps: {
  store: { readonly db: Db };
  clusters: Pick<ClustersService, "require">;
  /** The `ha-agent join` flags that name this master: address and CA pin. */
  joinTarget: () => { address: string; caPin: string };
}) {
  const { store } = deps;
  return {
    async create(
      ctx: RequestContext,
      input: { clusterId: string; ttlSeconds?: number; uses?: number; description?: string },
    ): Promise<CreatedToken> {
      const cluster = await deps.clusters.require(store.db, input.clusterId);
      const token = TOKEN_PREFIX + randomBytes(24).toString("base64url");
      const target = deps.joinTarget();
      return store.db.transaction(async (tx) => {
        const row = await dal.insertToken(tx, {
          clusterId: cluster.id,
          tokenHash: hashEnrollmentToken(token),
          description: input.description ?? "",
          maxUses: input.uses ?? 1,
          expiresAt: new Date(Date.now() + (input.ttlSeconds ?? 3600) * 1000),
          createdBy: ctx.actor.id,
        });
        const view = toView({ ...row, clusterName: cluster.name });
        await insertAudit(tx, ctx, {
          action: "enrollment_token.create",
          targetType: "cluster",
          targetId: cluster.id,
          targetName: cluster.name,
          after: { tokenId: row.id, maxUses: view.maxUses, expiresAt: view.expiresAt, description: view.description },
        });
        return {
          ...view,
          token,
          joinCommand: `ha-agent join --master ${target.address} --token ${token} --ca-hash ${target.caPin}`,
        };
      });
    },

    async list(clusterRef?: string): Promise<EnrollmentTokenView[]> {
      const clusterId = clusterRef ? (await deps.clusters.require(store.db, clusterRef)).id : undefined;
      return (await dal.listTokens(store.db, clusterId)).map(toView);
    },

    async revoke(ctx: RequestContext, id: string): Promise<EnrollmentTokenView> {
      return store.db.transaction(async (tx) => {
        const row = await dal.findToken(tx, id);
        if (!row) throw notFound("enrollment token", id);
        await dal.revokeToken(tx, id);
        await insertAudit(tx, ctx, {
          action: "enrollment_token.revoke",
          targetType: "cluster",
          targetId: row.clusterId,
          targetName: row.clusterName,
          after: { tokenId: id },
        });
        return toView((await dal.findToken(tx, id))!);
      });
    },

    /**
     * Spends a use of a token for an enrolment; throws `unauthenticated` saying why it cannot
     * be used (unknown, expired, used up, revoked).
     */
    async spend(db: Db, token: string) {
      const hash = hashEnrollmentToken(token);
      const row = await dal.spendToken(db, hash);
      if (row) return row;
      const state = await dal.tokenState(db, hash);
      const why = !state ? "is not known" : `is ${statusOf(state).replace("_", " ")}`;
      throw new AppError("unauthenticated", `the enrolment token ${why}; create a new one with POST /api/v1/enrollment-tokens`);
    },
  };
}

export type EnrollmentService = ReturnType<typeof enrollmentServiceFactory>;
