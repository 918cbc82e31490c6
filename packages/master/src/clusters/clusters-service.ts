import { AppError, notFound } from "@ha-master/shared";
import type { Db } from "../db/store.js";
import { insertAudit } from "../audit/audit-dal.js";
import type { RequestContext } from "../lib/context.js";
import { iso } from "../lib/time.js";
import * as dal from "./clusters-dal.js";
import type { ClusterView } from "./clusters-types.js";

function toView(row: dal.ClusterWithStats): ClusterView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: iso(row.createdAt)!,
    latestVersion: row.latestVersion,
    desiredVersion: row.desiredVersion,
    nodeCount: row.nodeCount,
  };
}

/** Clusters: a name, a description, and everything else hangs off them. */
export function clustersServiceFactory({ store }: { store: { readonly db: Db } }) {
  async function require(db: Db, ref: string): Promise<dal.ClusterWithStats> {
    const row = await dal.findCluster(db, ref);
    if (!row) throw notFound("cluster", ref);
    return row;
  }

  return {
    /** Resolves a cluster id or name, or throws `not_found`. */
    require,

    async list(): Promise<ClusterView[]> {
      return (await dal.listClusters(store.db)).map(toView);
    },

    async get(ref: string): Promise<ClusterView> {
      return toView(await require(store.db, ref));
    },

    async create(ctx: RequestContext, input: { name: string; description?: string }): Promise<ClusterView> {
      return store.db.transaction(async (tx) => {
        const row = await dal.insertCluster(tx, {
          name: input.name,
          description: input.description ?? "",
          createdBy: ctx.actor.id,
        });
        if (!row) throw new AppError("conflict", `a cluster named ${JSON.stringify(input.name)} already exists`);
        await insertAudit(tx, ctx, {
          action: "cluster.create",
          targetType: "cluster",
          targetId: row.id,
          targetName: row.name,
          after: { description: row.description },
        });
        return toView({ ...row, latestVersion: 0, nodeCount: 0 });
      });
    },

    async update(ctx: RequestContext, ref: string, patch: { description: string }): Promise<ClusterView> {
      return store.db.transaction(async (tx) => {
        const before = await require(tx, ref);
        await dal.updateCluster(tx, before.id, patch);
        await insertAudit(tx, ctx, {
          action: "cluster.update",
          targetType: "cluster",
          targetId: before.id,
          targetName: before.name,
          before: { description: before.description },
          after: patch,
        });
        return toView({ ...before, ...patch });
      });
    },

    /** Only an empty cluster can go: versions are history, and nodes must be revoked first. */
    async remove(ctx: RequestContext, ref: string): Promise<void> {
      await store.db.transaction(async (tx) => {
        const row = await require(tx, ref);
        if (row.latestVersion > 0 || row.nodeCount > 0) {
          throw new AppError(
            "conflict",
            `cluster ${row.name} has ${row.latestVersion} config versions and ${row.nodeCount} nodes; only an empty cluster can be deleted`,
          );
        }
        try {
          await dal.deleteCluster(tx, row.id);
        } catch (err) {
          throw new AppError("conflict", `cluster ${row.name} is still referenced (tokens, nodes or deployments)`, undefined, {
            cause: err,
          });
        }
        await insertAudit(tx, ctx, { action: "cluster.delete", targetType: "cluster", targetId: row.id, targetName: row.name });
      });
    },
  };
}

export type ClustersService = ReturnType<typeof clustersServiceFactory>;
