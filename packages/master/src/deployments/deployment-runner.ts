import type { Logger } from "pino";
import type { Db } from "../db/store.js";
import type { BusMessage, EventBus } from "../bus/event-bus.js";
import { insertAudit } from "../audit/audit-dal.js";
import { systemContext } from "../lib/context.js";
import { isOnline } from "../nodes/nodes-service.js";
import { activeNodesOfCluster } from "../nodes/nodes-dal.js";
import * as dal from "./deployments-dal.js";
import type { DeploymentStatus } from "./deployments-types.js";

const LEASE_MS = 30_000;
const RENEW_EVERY_MS = 10_000;
const SWEEP_EVERY_MS = 15_000;
// After a change, let the answers that arrive together land before looking again.
const COALESCE_MS = 50;

export interface RunnerDeps {
  store: { readonly db: Db };
  bus: EventBus;
  log: Logger;
  replica: string;
  ackTimeoutMs: number;
  heartbeatMs: number;
  onFinished?: (status: DeploymentStatus) => void;
}

type BatchOutcome = { ok: true } | { ok: false; reason: string };

/**
 * Drives rollouts. One replica drives a deployment at a time (a lease in its row, renewed while
 * it works); a deployment whose driver vanished — the master restarted or crashed — is picked up
 * again by the sweep and resumed from its targets' states, so nothing stays "running" forever.
 */
export function deploymentRunnerFactory(deps: RunnerDeps) {
  const { store, bus, log } = deps;
  const driving = new Map<string, Promise<void>>();
  let stopping = false;

  const changed = (d: { id: string; clusterId: string }) => bus.publish({ type: "deployment", deploymentId: d.id, clusterId: d.clusterId });

  /** Resolves on the next change of the deployment, or after `ms`. */
  function nextChange(id: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const off = bus.subscribe((m: BusMessage) => {
        if (m.type === "deployment" && m.deploymentId === id) done();
      });
      function done() {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  }

  /** Starts targets (each gets its own nonce) and tells the replicas holding them, in one message. */
  async function startTargets(d: dal.DeploymentRow, nodeIds: readonly string[], status: "applying" | "rolling_back"): Promise<void> {
    await dal.startTargets(store.db, d.id, nodeIds, status);
    await bus.publish({ type: "push-deployment", deploymentId: d.id });
  }

  /**
   * Waits until no target of `batch` (or of the whole deployment) is in `status`, or the deadline.
   * It watches counts, not rows, and lets a burst of answers land before it looks again: a
   * thousand ACKs arriving together cost a few queries, not a thousand.
   */
  async function settle(d: dal.DeploymentRow, status: "applying" | "rolling_back", batch?: number): Promise<{ failed: dal.TargetRow[]; late: dal.TargetRow[] }> {
    const deadline = Date.now() + deps.ackTimeoutMs;
    const rows = async () => (await dal.targetRows(store.db, d.id, batch));
    for (;;) {
      const counts = await dal.countTargetsByStatus(store.db, d.id, batch);
      const failed = counts.failed ?? 0;
      const open = counts[status] ?? 0;
      if ((status === "applying" && failed > 0) || open === 0 || Date.now() >= deadline) {
        const all = await rows();
        return {
          failed: all.filter((t) => t.status === "failed"),
          late: open > 0 && !(status === "applying" && failed > 0) ? all.filter((t) => t.status === status) : [],
        };
      }
      if (stopping) throw new Stopped();
      if ((await dal.findDeployment(store.db, d.id))?.status === "cancelled") throw new Cancelled();
      await nextChange(d.id, Math.min(1000, deadline - Date.now()));
      await new Promise((r) => setTimeout(r, COALESCE_MS));
    }
  }

  async function runBatch(d: dal.DeploymentRow, batch: number): Promise<BatchOutcome> {
    const rows = (await dal.targetsOf(store.db, [d.id])).filter((r) => r.t.batch === batch && ["pending", "applying"].includes(r.t.status));
    const nodes = new Map((await activeNodesOfCluster(store.db, d.clusterId)).map((n) => [n.id, n]));
    const online = rows.filter((r) => {
      const node = nodes.get(r.t.nodeId);
      return node !== undefined && isOnline(node, deps.heartbeatMs);
    });
    const onlineIds = new Set(online.map((r) => r.t.nodeId));
    const offline = rows.map((r) => r.t.nodeId).filter((id) => !onlineIds.has(id));
    if (offline.length > 0) {
      await dal.setTargets(store.db, d.id, { nodeIds: offline, statuses: ["pending", "applying"] }, {
        status: "pending",
        nonce: null,
        error: "offline at its turn; it converges when it reconnects",
      });
      await dal.insertEvents(store.db, offline.map((nodeId) => ({ deploymentId: d.id, type: "node.offline", nodeId })));
    }
    if (online.length === 0) return { ok: true };
    await dal.insertEvent(store.db, { deploymentId: d.id, type: "batch.started", data: { batch, nodes: online.map((r) => r.nodeName) } });
    await startTargets(d, online.map((r) => r.t.nodeId), "applying");
    await changed(d);
    const { failed, late } = await settle(d, "applying", batch);
    if (late.length > 0) {
      await dal.setTargets(store.db, d.id, { nodeIds: late.map((t) => t.nodeId), statuses: ["applying"] }, {
        status: "failed",
        error: `no answer within ${Math.round(deps.ackTimeoutMs / 1000)} s`,
        finishedAt: new Date(),
      });
      await dal.insertEvents(store.db, late.map((t) => ({ deploymentId: d.id, type: "node.timeout", nodeId: t.nodeId })));
    }
    const bad = [...failed, ...late];
    if (bad.length === 0) return { ok: true };
    const names = new Map(rows.map((r) => [r.t.nodeId, r.nodeName]));
    const first = failed[0];
    return {
      ok: false,
      reason: first
        ? `${batch === 0 ? "the canary " : ""}${names.get(first.nodeId) ?? first.nodeId} refused version ${d.version}: ${first.error ?? "failed"}`
        : `${names.get(late[0]!.nodeId) ?? late[0]!.nodeId} did not answer within ${Math.round(deps.ackTimeoutMs / 1000)} s`,
    };
  }

  async function finish(d: dal.DeploymentRow, status: DeploymentStatus, error: string | null, note: string | null): Promise<void> {
    await store.db.transaction(async (tx) => {
      if (status === "succeeded") await dal.setClusterDesired(tx, d.clusterId, d.version, d.bundleHash);
      await dal.updateDeployment(tx, d.id, { status, error, note, finishedAt: new Date(), owner: null, leaseUntil: null });
      await dal.insertEvent(tx, { deploymentId: d.id, type: `deployment.${status}`, data: { error, note } });
      await insertAudit(tx, systemContext(), {
        action: "deployment.finish",
        targetType: "deployment",
        targetId: d.id,
        after: { status, version: d.version, error, note },
      });
    });
    log.info({ deploymentId: d.id, status, error }, "deployment finished");
    deps.onFinished?.(status);
    await changed(d);
  }

  async function halt(d: dal.DeploymentRow, reason: string): Promise<void> {
    await dal.setTargets(store.db, d.id, { statuses: ["pending"] }, { status: "cancelled", nonce: null });
    const switched = (await dal.targetsOf(store.db, [d.id])).filter((r) => r.t.status === "succeeded").map((r) => r.t.nodeId);
    if (!d.autoRollback || d.previousVersion === null || switched.length === 0) {
      const why = !d.autoRollback ? "" : d.previousVersion === null ? " (nothing to roll back to: first deployment)" : "";
      await finish(d, "failed", reason + why, null);
      return;
    }
    await dal.insertEvent(store.db, { deploymentId: d.id, type: "rollback.started", data: { to: d.previousVersion, nodes: switched.length } });
    await startTargets(d, switched, "rolling_back");
    await changed(d);
    const { late } = await settle(d, "rolling_back");
    if (late.length > 0) {
      await dal.setTargets(store.db, d.id, { nodeIds: late.map((t) => t.nodeId), statuses: ["rolling_back"] }, { status: "failed", error: "rollback not confirmed in time" });
    }
    const failedBack = (await dal.targetsOf(store.db, [d.id])).filter((r) => r.t.status === "failed" && switched.includes(r.t.nodeId));
    await finish(
      d,
      failedBack.length === 0 ? "rolled_back" : "failed",
      failedBack.length === 0 ? reason : `${reason}; rolling back failed on ${failedBack.map((r) => r.nodeName).join(", ")}`,
      `${switched.length - failedBack.length} node(s) back on version ${d.previousVersion}`,
    );
  }

  async function drive(id: string): Promise<void> {
    if (!(await dal.claimDeployment(store.db, id, deps.replica, new Date(Date.now() + LEASE_MS)))) return;
    const renew = setInterval(() => {
      void dal.claimDeployment(store.db, id, deps.replica, new Date(Date.now() + LEASE_MS)).catch(() => undefined);
    }, RENEW_EVERY_MS);
    try {
      const d = (await dal.findDeployment(store.db, id))!;
      if (d.status === "pending") {
        await dal.updateDeployment(store.db, id, { status: "running", startedAt: new Date() });
        await dal.insertEvent(store.db, { deploymentId: id, type: "deployment.running" });
        await changed(d);
      }
      const batches = [...new Set((await dal.targetsOf(store.db, [id])).filter((r) => ["pending", "applying"].includes(r.t.status)).map((r) => r.t.batch))].sort((a, b) => a - b);
      for (const batch of batches) {
        const outcome = await runBatch(d, batch);
        if (!outcome.ok) return await halt(d, outcome.reason);
      }
      const offline = (await dal.targetsOf(store.db, [id])).filter((r) => r.t.status === "pending").length;
      await finish(d, "succeeded", null, offline > 0 ? `${offline} node(s) were offline; they get version ${d.version} when they reconnect` : null);
    } catch (err) {
      if (err instanceof Stopped) {
        // Released, not finished: the next master to start (or another replica's sweep) resumes it.
        await dal.updateDeployment(store.db, id, { owner: null, leaseUntil: null }).catch(() => undefined);
        return;
      }
      if (err instanceof Cancelled) {
        await dal.setTargets(store.db, id, { statuses: ["pending"] }, { status: "cancelled", nonce: null });
        await dal.updateDeployment(store.db, id, { finishedAt: new Date(), owner: null, leaseUntil: null });
        const d = await dal.findDeployment(store.db, id);
        if (d) await changed(d);
        return;
      }
      log.error({ err, deploymentId: id }, "deployment driver failed");
      const d = await dal.findDeployment(store.db, id);
      if (d) await finish(d, "failed", `the master failed while driving it: ${(err as Error).message}`, null).catch(() => undefined);
    } finally {
      clearInterval(renew);
    }
  }

  function start(id: string): void {
    if (driving.has(id) || stopping) return;
    const run = drive(id)
      .catch((err: unknown) => log.error({ err, deploymentId: id }, "deployment driver crashed"))
      .finally(() => driving.delete(id));
    driving.set(id, run);
  }

  async function resumeOrphans(): Promise<void> {
    for (const d of await dal.orphanedDeployments(store.db)) {
      log.info({ deploymentId: d.id, status: d.status }, "resuming deployment");
      start(d.id);
    }
  }

  const sweep = setInterval(() => void resumeOrphans().catch((err: unknown) => log.warn({ err }, "deployment sweep failed")), SWEEP_EVERY_MS);
  sweep.unref();

  return {
    start,
    resumeOrphans,
    /** Waits for a deployment this replica drives (tests, benchmarks). */
    settled: (id: string) => driving.get(id) ?? Promise.resolve(),
    async close(): Promise<void> {
      stopping = true;
      clearInterval(sweep);
      await Promise.allSettled(driving.values());
    },
  };
}

class Stopped extends Error {}
class Cancelled extends Error {}

export type DeploymentRunner = ReturnType<typeof deploymentRunnerFactory>;
