import { describe, expect, it } from "vitest";
import { diffConfigs } from "@ha-master/shared";
import { colours } from "./colour.js";
import { colourUnifiedDiff, formatDiffSummary } from "./diff.js";

const A = "global\n    maxconn 100\n\nbackend be_app\n    server a 10.0.0.1:80 check\n";
const B = "global\n    maxconn 200\n\nbackend be_app\n    server a 10.0.0.1:80 check\n    server b 10.0.0.2:80 check\n";

describe("colourUnifiedDiff", () => {
  const diff = diffConfigs(A, B, { fromLabel: "v1", toLabel: "v2" });

  it("returns the diff unchanged when colour is off", () => {
    expect(colourUnifiedDiff(diff.unified, colours(false))).toBe(diff.unified);
  });

  it("colours added lines green, removed red, hunk headers cyan", () => {
    const coloured = colourUnifiedDiff(diff.unified, colours(true));
    expect(coloured).toContain("\u001b[32m+    maxconn 200\u001b[39m");
    expect(coloured).toContain("\u001b[31m-    maxconn 100\u001b[39m");
    expect(coloured).toMatch(/\u001b\[36m@@ [^\n]*@@\u001b\[39m/);
    expect(coloured).toContain("\u001b[1m+++ v2");
    // Nothing but colour is added.
    expect(coloured.replace(/\u001b\[\d+m/g, "")).toBe(diff.unified);
  });
});

describe("formatDiffSummary", () => {
  it("lists what was added, removed and changed, and leaves out what was not touched", () => {
    const diff = diffConfigs(A, B, { fromLabel: "v1", toLabel: "v2" });
    expect(formatDiffSummary(diff.summary, diff.stats, colours(false))).toBe(
      ["Summary: +2 -1 lines", "  backends:       ~be_app", "  servers:        +be_app/b", "  global section changed", ""].join("\n"),
    );
  });

  it("says only the line counts when no section changed", () => {
    const empty = { added: [], removed: [], changed: [] };
    const summary = { frontends: empty, backends: empty, servers: empty, globalChanged: false, defaultsChanged: false };
    expect(formatDiffSummary(summary, { added: 1, removed: 1 }, colours(false))).toBe("Summary: +1 -1 lines\n");
  });
});
