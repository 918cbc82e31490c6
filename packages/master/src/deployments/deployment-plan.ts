/** A node as the planner sees it. */
export interface PlanNode {
  id: string;
  appliedHash: string;
  online: boolean;
}

export interface PlannedTarget {
  nodeId: string;
  /** 0 is the canary; then 1, 2, … */
  batch: number;
  status: "pending" | "skipped";
  previousHash: string;
}

/** The default batch size: a quarter of the nodes that need the change, at least one. */
export function defaultBatchSize(nodesToChange: number): number {
  return Math.max(1, Math.ceil(nodesToChange / 4));
}

/**
 * Plans a rollout: nodes already running the target bundle are skipped; of the others, one canary
 * goes first — an online node when there is one, so the canary actually proves something — then
 * batches of `batchSize`, online nodes before offline ones (offline nodes converge when they come
 * back). Deterministic for a given input order.
 */
export function planRollout(nodes: readonly PlanNode[], bundleHash: string, batchSize: number): PlannedTarget[] {
  const skipped = nodes.filter((n) => n.appliedHash === bundleHash);
  const change = nodes.filter((n) => n.appliedHash !== bundleHash);
  const ordered = [...change.filter((n) => n.online), ...change.filter((n) => !n.online)];
  const targets: PlannedTarget[] = ordered.map((n, i) => ({
    nodeId: n.id,
    batch: i === 0 ? 0 : 1 + Math.floor((i - 1) / batchSize),
    status: "pending",
    previousHash: n.appliedHash,
  }));
  return [...targets, ...skipped.map((n) => ({ nodeId: n.id, batch: 0, status: "skipped" as const, previousHash: n.appliedHash }))];
}
