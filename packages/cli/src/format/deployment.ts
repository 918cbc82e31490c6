import type { Schemas } from "@ha-master/api-client";
import type { Colours } from "./colour.js";

export type Deployment = Schemas["Deployment"];
export type Target = NonNullable<Deployment["targets"]>[number];
export type DeploymentStatus = Deployment["status"];

const FINAL: readonly DeploymentStatus[] = ["succeeded", "failed", "rolled_back", "cancelled"];
const TARGET_DONE: readonly Target["status"][] = ["skipped", "succeeded", "failed", "rolled_back", "cancelled"];

/** True once a deployment will not change any more. */
export function isFinal(status: DeploymentStatus): boolean {
  return FINAL.includes(status);
}

/** "canary" for batch 0, "batch N" after it. */
export function batchLabel(batch: number): string {
  return batch === 0 ? "canary" : `batch ${batch}`;
}

/** How far each batch is: nodes done (whatever the outcome) out of its nodes, in batch order. */
export function batchProgress(d: Deployment): Array<{ batch: number; label: string; done: number; total: number; failed: number }> {
  const batches = new Map<number, { done: number; total: number; failed: number }>();
  for (const t of d.targets ?? []) {
    const b = batches.get(t.batch) ?? { done: 0, total: 0, failed: 0 };
    b.total++;
    if (TARGET_DONE.includes(t.status)) b.done++;
    if (t.status === "failed") b.failed++;
    batches.set(t.batch, b);
  }
  return [...batches.entries()].sort(([a], [b]) => a - b).map(([batch, b]) => ({ batch, label: batchLabel(batch), ...b }));
}

/** A node whose status changed between two states of a deployment. */
export interface TargetChange {
  target: Target;
  from: Target["status"] | undefined;
}

/** The targets whose status differs from `before` (every target when there is no `before`, except pending ones). */
export function targetChanges(before: Deployment | undefined, after: Deployment): TargetChange[] {
  const previous = new Map((before?.targets ?? []).map((t) => [t.nodeId, t.status]));
  const changes: TargetChange[] = [];
  for (const target of after.targets ?? []) {
    const from = previous.get(target.nodeId);
    if (from === target.status) continue;
    if (from === undefined && target.status === "pending") continue;
    changes.push({ target, from });
  }
  return changes;
}

/**
 * The lines telling what happened to one node: `canary node-1: succeeded`, and for a NACK its
 * error and each error line as `  FILE:LINE: message`.
 */
export function formatTargetChange(change: TargetChange, c: Colours): string[] {
  const t = change.target;
  const status = colourStatus(t.status, c);
  const lines = [`${batchLabel(t.batch)} ${c.bold(t.nodeName)}: ${status}${t.error && t.errorLines.length === 0 ? `: ${t.error}` : ""}`];
  if (t.errorLines.length > 0) {
    if (t.error) lines[0] += `: ${t.error.split("\n")[0]}`;
    for (const l of t.errorLines) lines.push(`    ${l.file}:${l.line}: ${l.message}`);
  }
  return lines;
}

export function colourStatus(status: string, c: Colours): string {
  const label = status.replace("_", " ");
  if (status === "succeeded") return c.green(label);
  if (status === "failed") return c.red(label);
  if (status === "rolled_back" || status === "rolling_back" || status === "cancelled") return c.yellow(label);
  if (status === "skipped") return c.dim(label);
  return label;
}

/** The one line that ends `hactl deploy`: status, version, node counts, and the note or error. */
export function formatOutcome(d: Deployment, c: Colours): string {
  const n = d.counts;
  const parts = [`${n.succeeded} succeeded`];
  if (n.skipped) parts.push(`${n.skipped} skipped (already there)`);
  if (n.failed) parts.push(`${n.failed} failed`);
  if (n.rolledBack) parts.push(`${n.rolledBack} rolled back`);
  if (n.pending) parts.push(`${n.pending} not reached`);
  const what = d.kind === "rollback" ? `Rollback to version ${d.version}` : `Deployment of version ${d.version}`;
  const tail = d.error ? `: ${d.error}` : d.note ? ` (${d.note})` : "";
  return `${what} ${colourStatus(d.status, c)} on ${n.total} node${n.total === 1 ? "" : "s"}: ${parts.join(", ")}${tail}`;
}

/** How many nodes are done (whatever the outcome) out of all of them. */
export function nodesDone(d: Deployment): { done: number; total: number } {
  const targets = d.targets ?? [];
  return { done: targets.filter((t) => TARGET_DONE.includes(t.status)).length, total: targets.length };
}

/** A bar made of text, for logs and pipes: `[#########-----------]`. */
export function textBar(done: number, total: number, width = 20): string {
  const filled = total === 0 ? width : Math.round((Math.min(done, total) / total) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

/** Where each batch stands, as shown after the bar: `canary 1/1, batch 1 1/2, batch 2 0/2`. */
export function batchSummary(d: Deployment): string {
  return batchProgress(d)
    .map((b) => `${b.label} ${b.done}/${b.total}${b.failed ? ` (${b.failed} failed)` : ""}`)
    .join(", ");
}

/** The progress line printed when stderr is not a terminal: bar, node count, batches. */
export function progressLine(d: Deployment): string {
  const { done, total } = nodesDone(d);
  return `${textBar(done, total)} ${done}/${total} nodes  ${batchSummary(d)}`.trimEnd();
}

/** The line that starts a rollout: what goes where, and how. */
export function formatStart(d: Deployment): string {
  const n = d.counts.total;
  const what = d.kind === "rollback" ? `Rolling back ${d.clusterName} to version ${d.version}` : `Deploying version ${d.version} to ${d.clusterName}`;
  const plan = n <= 1 ? "" : `, canary first, then batches of ${d.batchSize}`;
  const rollback = d.autoRollback ? "auto-rollback on" : "auto-rollback off";
  return `${what}: ${n} node${n === 1 ? "" : "s"}${plan}; ${rollback} (deployment ${d.id})`;
}
