import { describe, expect, it } from "vitest";
import { auditDetails, auditTarget } from "./audit.js";

const entry = (action: string, before: unknown, after: unknown) => ({
  action,
  targetType: "cluster",
  targetName: "edge",
  targetId: "6f1c2d3e-0000-4000-8000-000000000000",
  summary: { before, after },
});

describe("auditDetails", () => {
  it("shows a config save like a commit", () => {
    const e = entry("config.create", { version: 3 }, { version: 4, hash: "ab", message: "move vault", lines: { added: 3, removed: 1 } });
    expect(auditDetails(e)).toBe('v4 +3 -1 "move vault"');
  });

  it("shows changed fields as old→new and new fields as key=value", () => {
    const e = entry("user.update", { role: "viewer", disabled: false }, { role: "operator", disabled: false, passwordChanged: true });
    expect(auditDetails(e)).toBe("role: viewer→operator passwordChanged=true");
  });

  it("quotes values with spaces and shows nothing for an empty summary", () => {
    expect(auditDetails(entry("cluster.update", null, { description: "the edge layer" }))).toBe('description="the edge layer"');
    expect(auditDetails(entry("cluster.delete", null, null))).toBe("");
  });

  it("cuts very long details", () => {
    const long = auditDetails(entry("cluster.update", null, { description: "x".repeat(300) }));
    expect(long.length).toBe(100);
    expect(long.endsWith("…")).toBe(true);
  });
});

describe("auditTarget", () => {
  it("names the target, or shortens its id when it has no name", () => {
    expect(auditTarget(entry("x", null, null))).toBe("cluster edge");
    expect(auditTarget({ ...entry("x", null, null), targetName: null })).toBe("cluster 6f1c2d3e");
    expect(auditTarget({ ...entry("x", null, null), targetName: null, targetId: null, targetType: "ca" })).toBe("ca");
  });
});
