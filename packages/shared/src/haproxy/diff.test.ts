import { describe, expect, it } from "vitest";
import { diffConfigs } from "./diff.js";
import { testConfig } from "./testdata/haproxy-check.mjs";

const labels = { fromLabel: "v1", toLabel: "v2" };
const cfg = (...lines: string[]) => lines.join("\n") + "\n";
const EMPTY = { added: [], removed: [], changed: [] };

const BASE = cfg(
  "global",
  "    maxconn 1000",
  "defaults",
  "    mode http",
  "    timeout client 5s",
  "frontend www",
  "    bind :80",
  "    default_backend app",
  "backend app",
  "    balance roundrobin",
  "    server a1 10.0.0.1:80 check",
  "    server a2 10.0.0.2:80 check",
  "backend old",
  "    server o1 10.0.9.1:80",
);

describe("diffConfigs", () => {
  it("returns an empty diff and summary for identical input", () => {
    const d = diffConfigs(BASE, BASE, labels);
    expect(d).toEqual({
      unified: "",
      stats: { added: 0, removed: 0 },
      summary: { frontends: EMPTY, backends: EMPTY, servers: EMPTY, globalChanged: false, defaultsChanged: false, others: EMPTY },
    });
  });

  it("writes a standard unified diff with 3 lines of context and the given labels", () => {
    const after = BASE.replace("server a2 10.0.0.2:80 check", "server a2 10.0.0.2:80 check weight 50");
    const d = diffConfigs(BASE, after, labels);
    expect(d.unified).toBe(
      [
        "--- v1",
        "+++ v2",
        "@@ -9,6 +9,6 @@",
        " backend app",
        "     balance roundrobin",
        "     server a1 10.0.0.1:80 check",
        "-    server a2 10.0.0.2:80 check",
        "+    server a2 10.0.0.2:80 check weight 50",
        " backend old",
        "     server o1 10.0.9.1:80",
        "",
      ].join("\n"),
    );
    expect(d.stats).toEqual({ added: 1, removed: 1 });
    expect(d.summary.servers).toEqual({ added: [], removed: [], changed: ["app/a2"] });
    expect(d.summary.backends.changed).toEqual(["app"]);
  });

  it("summarizes added, removed and changed sections and servers", () => {
    const after = cfg(
      "global",
      "    maxconn 2000",
      "defaults",
      "    mode http",
      "    timeout client 5s",
      "frontend www",
      "    bind :80",
      "    bind :443",
      "    default_backend app",
      "frontend admin",
      "    bind :8080",
      "    default_backend app",
      "backend app",
      "    balance roundrobin",
      "    server a1 10.0.0.1:80 check",
      "    server a3 10.0.0.3:80 check",
    );
    const s = diffConfigs(BASE, after, labels).summary;
    expect(s.frontends).toEqual({ added: ["admin"], removed: [], changed: ["www"] });
    expect(s.backends).toEqual({ added: [], removed: ["old"], changed: ["app"] });
    expect(s.servers).toEqual({ added: ["app/a3"], removed: ["app/a2", "old/o1"], changed: [] });
    expect(s.globalChanged).toBe(true);
    expect(s.defaultsChanged).toBe(false);
  });

  it("does not count whitespace, quoting or comment changes as section changes", () => {
    const after = BASE.replace("    bind :80", "\tbind   \":80\"   # public").replace("\nbackend app", "\n# the app\nbackend app");
    const d = diffConfigs(BASE, after, labels);
    expect(d.stats).toEqual({ added: 2, removed: 1 });
    expect(d.summary).toEqual({ frontends: EMPTY, backends: EMPTY, servers: EMPTY, globalChanged: false, defaultsChanged: false, others: EMPTY });
  });

  it("shows line-ending changes in the unified diff but not in the summary", () => {
    const d = diffConfigs(BASE, BASE.replaceAll("\n", "\r\n"), labels);
    expect(d.stats.added).toBe(14);
    expect(d.summary.frontends).toEqual(EMPTY);
  });

  it("reports a listen section among both frontends and backends, and other sections by type", () => {
    const before = testConfig("named-defaults");
    const after = before.replace("server pg2 10.2.0.2:5432 check backup", "server pg2 10.2.0.2:5432 check").replace("errorfile 503 errors/503.http", "errorfile 503 errors/maint.http");
    const s = diffConfigs(before, after, labels).summary;
    expect(s.frontends.changed).toEqual(["postgres"]);
    expect(s.backends.changed).toEqual(["postgres"]);
    expect(s.servers.changed).toEqual(["postgres/pg2"]);
    expect(s.others.changed).toEqual(["http-errors site_errors"]);
  });

  it("marks a missing final newline the standard way", () => {
    const d = diffConfigs("global\n", "global\n    daemon", labels);
    expect(d.unified).toBe("--- v1\n+++ v2\n@@ -1,1 +1,2 @@\n global\n+    daemon\n\\ No newline at end of file\n");
  });
});
