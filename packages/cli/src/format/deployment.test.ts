import { describe, expect, it } from "vitest";
import { colours } from "./colour.js";
import { batchProgress, formatOutcome, formatStart, formatTargetChange, isFinal, progressLine, targetChanges, textBar, type Deployment, type Target } from "./deployment.js";

const plain = colours(false);

function target(nodeName: string, batch: number, status: Target["status"], extra: Partial<Target> = {}): Target {
  return { nodeId: `id-${nodeName}`, nodeName, batch, status, error: null, errorLines: [], startedAt: null, finishedAt: null, ...extra };
}

function deployment(targets: Target[], extra: Partial<Deployment> = {}): Deployment {
  const count = (s: Target["status"]) => targets.filter((t) => t.status === s).length;
  return {
    id: "d1",
    clusterId: "c1",
    clusterName: "edge",
    version: 5,
    previousVersion: 4,
    bundleHash: "h",
    kind: "deploy",
    rollbackOf: null,
    status: "running",
    batchSize: 2,
    autoRollback: true,
    error: null,
    note: null,
    createdBy: "admin",
    createdAt: "2026-11-23T10:00:00Z",
    startedAt: "2026-11-23T10:00:00Z",
    finishedAt: null,
    counts: {
      total: targets.length,
      pending: count("pending"),
      applying: count("applying"),
      succeeded: count("succeeded"),
      failed: count("failed"),
      skipped: count("skipped"),
      rolledBack: count("rolled_back"),
    },
    targets,
    ...extra,
  };
}

describe("batchProgress", () => {
  it("counts finished nodes per batch, canary first", () => {
    const d = deployment([target("b", 1, "applying"), target("a", 0, "succeeded"), target("c", 1, "failed"), target("d", 2, "pending")]);
    expect(batchProgress(d)).toEqual([
      { batch: 0, label: "canary", done: 1, total: 1, failed: 0 },
      { batch: 1, label: "batch 1", done: 1, total: 2, failed: 1 },
      { batch: 2, label: "batch 2", done: 0, total: 1, failed: 0 },
    ]);
  });
});

describe("targetChanges", () => {
  it("reports nodes whose status moved, and on the first state every node already under way", () => {
    const first = deployment([target("a", 0, "applying"), target("b", 1, "pending")]);
    expect(targetChanges(undefined, first).map((c) => [c.target.nodeName, c.from, c.target.status])).toEqual([["a", undefined, "applying"]]);
    const next = deployment([target("a", 0, "succeeded"), target("b", 1, "pending")]);
    expect(targetChanges(first, next).map((c) => [c.target.nodeName, c.from, c.target.status])).toEqual([["a", "applying", "succeeded"]]);
    expect(targetChanges(next, next)).toEqual([]);
  });
});

describe("formatTargetChange", () => {
  it("prints a NACK with each error line as FILE:LINE: message", () => {
    const t = target("edge-2", 1, "failed", {
      error: "haproxy -c failed",
      errorLines: [{ file: "haproxy.cfg", line: 14, message: "cannot bind socket" }],
    });
    expect(formatTargetChange({ target: t, from: "applying" }, plain)).toEqual([
      "batch 1 edge-2: failed: haproxy -c failed",
      "    haproxy.cfg:14: cannot bind socket",
    ]);
  });

  it("prints a plain error on the same line", () => {
    const t = target("edge-1", 0, "failed", { error: "node went offline" });
    expect(formatTargetChange({ target: t, from: "applying" }, plain)).toEqual(["canary edge-1: failed: node went offline"]);
  });
});

describe("formatOutcome", () => {
  it("says how many nodes got there and why it ended", () => {
    const ok = deployment([target("a", 0, "succeeded"), target("b", 1, "skipped")], { status: "succeeded" });
    expect(formatOutcome(ok, plain)).toBe("Deployment of version 5 succeeded on 2 nodes: 1 succeeded, 1 skipped (already there)");
    const bad = deployment([target("a", 0, "failed"), target("b", 1, "pending")], { status: "rolled_back", error: "the canary failed" });
    expect(formatOutcome(bad, plain)).toBe("Deployment of version 5 rolled back on 2 nodes: 0 succeeded, 1 failed, 1 not reached: the canary failed");
    expect(isFinal(bad.status)).toBe(true);
    expect(isFinal("running")).toBe(false);
  });
});

describe("progress lines", () => {
  it("draws a text bar of the nodes done", () => {
    expect(textBar(0, 4, 8)).toBe("[--------]");
    expect(textBar(1, 3, 20)).toBe("[#######-------------]");
    expect(textBar(3, 3, 20)).toBe("[####################]");
    expect(textBar(0, 0, 4)).toBe("[####]");
  });

  it("shows the bar, the node count and each batch", () => {
    const d = deployment([target("a", 0, "succeeded"), target("b", 1, "failed"), target("c", 1, "applying"), target("d", 2, "pending")]);
    expect(progressLine(d)).toBe("[##########----------] 2/4 nodes  canary 1/1, batch 1 1/2 (1 failed), batch 2 0/1");
  });

  it("announces a rollout and a rollback", () => {
    const d = deployment([target("a", 0, "pending"), target("b", 1, "pending")]);
    expect(formatStart(d)).toBe("Deploying version 5 to edge: 2 nodes, canary first, then batches of 2; auto-rollback on (deployment d1)");
    expect(formatStart({ ...d, kind: "rollback", autoRollback: false, counts: { ...d.counts, total: 1 } })).toBe(
      "Rolling back edge to version 5: 1 node; auto-rollback off (deployment d1)",
    );
  });
});
