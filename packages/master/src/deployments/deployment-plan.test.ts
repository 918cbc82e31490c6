import { describe, expect, it } from "vitest";
import { defaultBatchSize, planRollout, type PlanNode } from "./deployment-plan.js";

const node = (id: string, appliedHash = "old", online = true): PlanNode => ({ id, appliedHash, online });

describe("planRollout", () => {
  it("puts one canary first, then batches of the given size", () => {
    const plan = planRollout(["a", "b", "c", "d", "e", "f"].map((id) => node(id)), "new", 2);
    expect(plan.map((t) => [t.nodeId, t.batch])).toEqual([
      ["a", 0],
      ["b", 1],
      ["c", 1],
      ["d", 2],
      ["e", 2],
      ["f", 3],
    ]);
  });

  it("skips nodes that already run the target bundle", () => {
    const plan = planRollout([node("a", "new"), node("b"), node("c", "new")], "new", 5);
    expect(plan.filter((t) => t.status === "skipped").map((t) => t.nodeId)).toEqual(["a", "c"]);
    expect(plan.filter((t) => t.status === "pending").map((t) => [t.nodeId, t.batch])).toEqual([["b", 0]]);
  });

  it("chooses an online canary and leaves offline nodes for last", () => {
    const plan = planRollout([node("a", "old", false), node("b"), node("c", "old", false), node("d")], "new", 1);
    expect(plan.map((t) => t.nodeId)).toEqual(["b", "d", "a", "c"]);
    expect(plan[0]!.batch).toBe(0);
  });

  it("remembers what each node ran before, for the rollback", () => {
    expect(planRollout([node("a", "v1")], "v2", 1)[0]!.previousHash).toBe("v1");
  });

  it("has nothing to do when every node is current", () => {
    expect(planRollout([node("a", "new")], "new", 1).every((t) => t.status === "skipped")).toBe(true);
  });
});

describe("defaultBatchSize", () => {
  it.each([
    [1, 1],
    [3, 1],
    [4, 1],
    [5, 2],
    [1000, 250],
  ])("is a quarter of %i nodes, at least one: %i", (n, size) => {
    expect(defaultBatchSize(n)).toBe(size);
  });
});
