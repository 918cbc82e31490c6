import { AppError, notFound } from "@ha-master/shared";
import type { Db } from "../db/store.js";
import type { EventBus } from "../bus/event-bus.js";
import { insertAudit } from "../audit/audit-dal.js";
import type { BundleCache } from "../bundles/bundle-cache.js";
import type { ClustersService } from "../clusters/clusters-service.js";
import { lockCluster } from "../clusters/clusters-dal.js";
import { findVersion } from "../configs/configs-dal.js";
import type { RequestContext } from "../lib/context.js";
import { iso } from "../lib/time.js";
import { activeNodesOfCluster } from "../nodes/nodes-dal.js";
import { isOnline } from "../nodes/nodes-service.js";
import { defaultBatchSize, planRollout } from "./deployment-plan.js";
import type { DeploymentRunner } from "./deployment-runner.js";
import * as dal from "./deployments-dal.js";
import type { DeploymentView, ErrorLine, TargetStatus } from "./deployments-types.js";

export interface DeployInput {
  version: number;
  batchSize?: number;
  autoRollback?: boolean;
}

type Counts = DeploymentView["counts"];

function countsOf(rows: { status: TargetStatus; n: number }[]): Counts {
  const c: Counts = { total: 0, pending: 0, applying: 0, succeeded: 0, failed: 0, skipped: 0, rolledBack: 0 };
  for (const { status, n } of rows) {
    c.total += n;
    if (status === "pending") c.pending += n;
    else if (status === "applying" || status === "rolling_back") c.applying += n;
    else if (status === "succeeded") c.succeeded += n;
    else if (status === "failed") c.failed += n;
    else if (status === "skipped") c.skipped += n;
    else if (status === "rolled_back") c.rolledBack += n;
  }
  return c;
}

/**
 * Deployments: a config version pushed to every node of a cluster, canary first, then batches;
 * idempotent by bundle hash; halted and rolled back on the first failure; one action to roll back.
 */
export function deploymentsServiceFactory(deps: {
  store: { readonly db: Db };
  clusters: Pick<ClustersService, "require">;
  bundles: BundleCache;
  runner: Pick<DeploymentRunner, "start">;
  bus: Pick<EventBus, "publish">;
  heartbeatMs: number;
}) {
  const { store } = deps;

  async function views(db: Db, rows: (dal.DeploymentRow & { clusterName: string })[], withTargets: boolean): Promise<DeploymentView[]> {
    const ids = rows.map((r) => r.id);
    const counts = await dal.countTargets(db, ids);
    const targets = withTargets ? await dal.targetsOf(db, ids) : [];
    return rows.map((d) => ({
      id: d.id,
      clusterId: d.clusterId,
      clusterName: d.clusterName,
      version: d.version,
      previousVersion: d.previousVersion,
      bundleHash: d.bundleHash,
      kind: d.kind,
      rollbackOf: d.rollbackOf,
      status: d.status,
      batchSize: d.batchSize,
      autoRollback: d.autoRollback,
      error: d.error,
      note: d.note,
      createdBy: d.createdByName,
      createdAt: iso(d.createdAt)!,
      startedAt: iso(d.startedAt),
      finishedAt: iso(d.finishedAt),
      counts: countsOf(counts.filter((c) => c.deploymentId === d.id)),
      ...(withTargets
        ? {
            targets: targets
              .filter((t) => t.t.deploymentId === d.id)
              .map(({ t, nodeName }) => ({
                nodeId: t.nodeId,
                nodeName,
                batch: t.batch,
                status: t.status,
                error: t.error,
                errorLines: (t.errorLines ?? []) as ErrorLine[],
                startedAt: iso(t.startedAt),
                finishedAt: iso(t.finishedAt),
              })),
          }
        : {}),
    }));
  }

  async function get(clusterRef: string, id: string): Promise<DeploymentView> {
    const cluster = await deps.clusters.require(store.db, clusterRef);
    const row = await dal.findDeployment(store.db, id);
    if (!row || row.clusterId !== cluster.id) throw notFound(`deployment of cluster ${cluster.name}`, id);
    return (await views(store.db, [row], true))[0]!;
  }

  async function create(
    ctx: RequestContext,
    clusterRef: string,
    input: DeployInput,
    origin: { kind: "deploy" } | { kind: "rollback"; of: string } = { kind: "deploy" },
  ): Promise<DeploymentView> {
    const cluster = await deps.clusters.require(store.db, clusterRef);
    const versionRow = await findVersion(store.db, cluster.id, input.version);
    if (!versionRow) throw notFound(`config version of cluster ${cluster.name}`, input.version);
    const bundle = await deps.bundles.forVersion(cluster.id, input.version, { fresh: true });
    if (bundle.missing.length > 0) {
      throw new AppError("config_invalid", `version ${input.version} references certificates that are not stored: ${bundle.missing.map((m) => m.name).join(", ")}`);
    }
    const id = await store.db.transaction(async (tx) => {
      const locked = await lockCluster(tx, cluster.id);
      const active = await dal.activeDeploymentOf(tx, cluster.id);
      if (active) {
        throw new AppError("conflict", `deployment ${active.id} of version ${active.version} is still ${active.status} on cluster ${cluster.name}; wait for it or cancel it`, {
          deploymentId: active.id,
        });
      }
      const nodes = await activeNodesOfCluster(tx, cluster.id);
      const now = Date.now();
      const toChange = nodes.filter((n) => n.appliedHash !== bundle.hash).length;
      const batchSize = input.batchSize ?? defaultBatchSize(toChange);
      const plan = planRollout(
        nodes.map((n) => ({ id: n.id, appliedHash: n.appliedHash, online: isOnline(n, deps.heartbeatMs, now) })),
        bundle.hash,
        batchSize,
      );
      const nothingToDo = plan.every((t) => t.status === "skipped");
      const note = !nothingToDo
        ? null
        : nodes.length === 0
          ? `the cluster has no nodes yet; version ${input.version} becomes what nodes get when they connect`
          : `every node already runs version ${input.version} (bundle ${bundle.hash.slice(0, 12)}); nothing to do`;
      const row = await dal.insertDeployment(tx, {
        clusterId: cluster.id,
        version: input.version,
        bundleHash: bundle.hash,
        previousVersion: locked?.desiredVersion ?? null,
        kind: origin.kind,
        rollbackOf: origin.kind === "rollback" ? origin.of : null,
        status: nothingToDo ? "succeeded" : "pending",
        batchSize,
        autoRollback: input.autoRollback ?? origin.kind === "deploy",
        note,
        createdBy: ctx.actor.id,
        createdByName: ctx.actor.username,
        ...(nothingToDo ? { startedAt: new Date(), finishedAt: new Date() } : {}),
      });
      await dal.insertTargets(tx, plan.map((t) => ({ deploymentId: row.id, nodeId: t.nodeId, batch: t.batch, status: t.status, previousHash: t.previousHash })));
      if (nothingToDo) await dal.setClusterDesired(tx, cluster.id, input.version, bundle.hash);
      await dal.insertEvent(tx, { deploymentId: row.id, type: "deployment.created", data: { version: input.version, targets: plan.length, note } });
      await insertAudit(tx, ctx, {
        action: origin.kind === "rollback" ? "deployment.rollback" : "deployment.create",
        targetType: "cluster",
        targetId: cluster.id,
        targetName: cluster.name,
        before: { desiredVersion: locked?.desiredVersion ?? null },
        after: {
          deploymentId: row.id,
          version: input.version,
          bundleHash: bundle.hash,
          batchSize,
          autoRollback: row.autoRollback,
          nodes: plan.length,
          skipped: plan.filter((t) => t.status === "skipped").length,
          ...(origin.kind === "rollback" ? { rollbackOf: origin.of } : {}),
        },
      });
      return row.id;
    });
    await deps.bus.publish({ type: "deployment", deploymentId: id, clusterId: cluster.id });
    deps.runner.start(id);
    return get(cluster.id, id);
  }

  return {
    create,
    get,

    async list(clusterRef: string | undefined, limit: number): Promise<DeploymentView[]> {
      const clusterId = clusterRef ? (await deps.clusters.require(store.db, clusterRef)).id : undefined;
      return views(store.db, await dal.listDeployments(store.db, { clusterId, limit }), false);
    },

    /** Puts back the version the cluster ran before `id`: a new deployment, one action. */
    async rollback(ctx: RequestContext, clusterRef: string, id: string): Promise<DeploymentView> {
      const d = await get(clusterRef, id);
      if (d.status === "pending" || d.status === "running") {
        throw new AppError("conflict", `deployment ${id} is still ${d.status}; cancel it first, or wait for it to end`);
      }
      if (d.previousVersion === null) {
        throw new AppError("conflict", `deployment ${id} was the cluster's first: there is no earlier version to roll back to`);
      }
      return create(ctx, d.clusterId, { version: d.previousVersion, batchSize: d.batchSize }, { kind: "rollback", of: id });
    },

    /** Stops a rollout: nodes not started yet are left alone; the driver ends at its next step. */
    async cancel(ctx: RequestContext, clusterRef: string, id: string): Promise<DeploymentView> {
      const d = await get(clusterRef, id);
      if (d.status !== "pending" && d.status !== "running") throw new AppError("conflict", `deployment ${id} already ended (${d.status})`);
      await store.db.transaction(async (tx) => {
        await dal.updateDeployment(tx, id, { status: "cancelled", error: `cancelled by ${ctx.actor.username}`, finishedAt: new Date() });
        await dal.insertEvent(tx, { deploymentId: id, type: "deployment.cancelled", data: { by: ctx.actor.username } });
        await insertAudit(tx, ctx, { action: "deployment.cancel", targetType: "deployment", targetId: id, after: { status: "cancelled" } });
      });
      await deps.bus.publish({ type: "deployment", deploymentId: id, clusterId: d.clusterId });
      return get(clusterRef, id);
    },
  };
}

export type DeploymentsService = ReturnType<typeof deploymentsServiceFactory>;
