import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { BundleFile } from "@ha-master/shared";
import type { Db } from "../db/store.js";
import type { EventBus } from "../bus/event-bus.js";
import type { BundleCache } from "../bundles/bundle-cache.js";
import { findCluster } from "../clusters/clusters-dal.js";
import { setApplied } from "../nodes/nodes-dal.js";
import * as dal from "./deployments-dal.js";
import type { ErrorLine } from "./deployments-types.js";
import { ackRecorder } from "./ack-recorder.js";

/** What the master sent a node, remembered by the node's session until its answer arrives. */
export interface SentDesired {
  nonce: string;
  bundleHash: string;
  version: number;
  deploymentId: string | null;
}

export interface DesiredPush extends SentDesired {
  files: BundleFile[];
}

const CONVERGE = "converge-";

/**
 * The node's side of rollouts: what a node must run now, and what its ACK, NACK or disconnect
 * means for the deployment it belongs to. A node in a running rollout gets that rollout's bundle
 * (or, while rolling back, the previous one); any other node gets its cluster's desired bundle
 * when it differs from what it runs — that is how offline nodes converge when they reconnect.
 */
export function nodeRolloutFactory(deps: { store: { readonly db: Db }; bundles: BundleCache; bus: Pick<EventBus, "publish">; log: Logger }) {
  const { store, bundles, bus, log } = deps;
  const changed = (deploymentId: string, clusterId: string) => bus.publish({ type: "deployment", deploymentId, clusterId });
  const acks = ackRecorder({
    store,
    log,
    onRecorded: async (deployments) => {
      for (const [deploymentId, clusterId] of deployments) await changed(deploymentId, clusterId);
    },
  });

  return {
    async desiredFor(node: { id: string; clusterId: string; appliedHash: string }): Promise<DesiredPush | null> {
      const active = await dal.activeTargetOfNode(store.db, node.id);
      if (active?.t.nonce) {
        const rollingBack = active.t.status === "rolling_back";
        const version = rollingBack ? active.d.previousVersion : active.d.version;
        if (version === null) return null;
        const bundle = rollingBack
          ? await bundles.forVersion(node.clusterId, version)
          : await bundles.pinned(node.clusterId, version, active.d.bundleHash);
        return { nonce: active.t.nonce, bundleHash: bundle.hash, files: bundle.files, version, deploymentId: active.d.id };
      }
      const cluster = await findCluster(store.db, node.clusterId);
      if (!cluster?.desiredHash || cluster.desiredVersion === null || cluster.desiredHash === node.appliedHash) return null;
      const bundle = await bundles.forVersion(node.clusterId, cluster.desiredVersion);
      if (bundle.hash !== cluster.desiredHash) {
        log.warn({ nodeId: node.id, version: cluster.desiredVersion }, "desired bundle changed since its deployment; not converging");
        return null;
      }
      return {
        nonce: CONVERGE + randomUUID(),
        bundleHash: bundle.hash,
        files: bundle.files,
        version: cluster.desiredVersion,
        deploymentId: null,
      };
    },

    /**
     * What each node of a deployment that is applying (or rolling back) must receive now, for the
     * nodes in `held` (the streams this replica holds): one query and one bundle for a whole batch.
     */
    async desiredForDeployment(deploymentId: string, held: (nodeId: string) => boolean): Promise<Map<string, DesiredPush>> {
      const pushes = new Map<string, DesiredPush>();
      const d = await dal.findDeployment(store.db, deploymentId);
      if (!d || d.status !== "running") return pushes;
      const targets = (await dal.targetRows(store.db, deploymentId)).filter(
        (t) => t.nonce && (t.status === "applying" || t.status === "rolling_back") && held(t.nodeId),
      );
      for (const t of targets) {
        const rollingBack = t.status === "rolling_back";
        const version = rollingBack ? d.previousVersion : d.version;
        if (version === null) continue;
        const bundle = rollingBack ? await bundles.forVersion(d.clusterId, version) : await bundles.pinned(d.clusterId, version, d.bundleHash);
        pushes.set(t.nodeId, { nonce: t.nonce!, bundleHash: bundle.hash, files: bundle.files, version, deploymentId });
      }
      return pushes;
    },

    /** The node runs what `sent` carried. */
    async onAck(node: { id: string; clusterId: string }, sent: SentDesired): Promise<void> {
      if (sent.deploymentId) {
        await acks.record({ nodeId: node.id, clusterId: node.clusterId, deploymentId: sent.deploymentId, bundleHash: sent.bundleHash, version: sent.version });
        return;
      }
      const touched = await store.db.transaction(async (tx) => {
        await setApplied(tx, node.id, sent.bundleHash, sent.version);
        // A node that was offline during a deployment has now converged on its bundle.
        const late = await dal.pendingTargetsForBundle(tx, node.id, sent.bundleHash);
        for (const t of late) {
          await dal.setTargets(tx, t.deploymentId, { nodeIds: [node.id], statuses: ["pending"] }, { status: "succeeded", error: null, finishedAt: new Date() });
          await dal.insertEvent(tx, { deploymentId: t.deploymentId, type: "node.converged", nodeId: node.id, data: { version: sent.version } });
        }
        return late.map((t) => t.deploymentId);
      });
      for (const id of touched) await changed(id, node.clusterId);
    },

    /** The node refused `sent` and keeps running what it ran. */
    async onNack(node: { id: string; clusterId: string }, sent: SentDesired, nack: { stage: string; error: string; lines: ErrorLine[] }): Promise<void> {
      if (!sent.deploymentId) {
        log.warn({ nodeId: node.id, stage: nack.stage, error: nack.error }, "node refused its cluster's desired bundle");
        return;
      }
      const deploymentId = sent.deploymentId;
      const failed = await store.db.transaction(async (tx) => {
        const rows = await dal.setTargets(
          tx,
          deploymentId,
          { nodeIds: [node.id], statuses: ["applying", "rolling_back"] },
          { status: "failed", error: `${nack.stage}: ${nack.error}`, errorLines: nack.lines, finishedAt: new Date() },
        );
        if (rows.length > 0) {
          await dal.insertEvent(tx, { deploymentId, type: "node.failed", nodeId: node.id, data: { stage: nack.stage, error: nack.error, lines: nack.lines } });
        }
        return rows.length > 0;
      });
      if (failed) await changed(deploymentId, node.clusterId);
    },

    /** The node's stream ended: what it was applying goes back to pending, to converge later. */
    async onDisconnect(node: { id: string; clusterId: string }): Promise<void> {
      const released = await dal.releaseTargetsOfNode(store.db, node.id);
      for (const { deploymentId } of released) {
        await dal.insertEvent(store.db, { deploymentId, type: "node.disconnected", nodeId: node.id });
        await changed(deploymentId, node.clusterId);
      }
    },
  };
}

export type NodeRollout = ReturnType<typeof nodeRolloutFactory>;
