import type { deploymentStatuses, deploymentTargets } from "../db/schema.js";

export type DeploymentStatus = (typeof deploymentStatuses)[number];
export type TargetStatus = (typeof deploymentTargets.$inferSelect)["status"];

/** Statuses a deployment never leaves. */
export const FINAL_STATUSES: readonly DeploymentStatus[] = ["succeeded", "failed", "rolled_back", "cancelled"];

export interface ErrorLine {
  file: string;
  line: number;
  message: string;
}

export interface TargetView {
  nodeId: string;
  nodeName: string;
  batch: number;
  status: TargetStatus;
  error: string | null;
  errorLines: ErrorLine[];
  startedAt: string | null;
  finishedAt: string | null;
}

export interface DeploymentView {
  id: string;
  clusterId: string;
  clusterName: string;
  version: number;
  previousVersion: number | null;
  bundleHash: string;
  kind: "deploy" | "rollback";
  rollbackOf: string | null;
  status: DeploymentStatus;
  batchSize: number;
  autoRollback: boolean;
  error: string | null;
  note: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  counts: { total: number; pending: number; applying: number; succeeded: number; failed: number; skipped: number; rolledBack: number };
  targets?: TargetView[];
}
