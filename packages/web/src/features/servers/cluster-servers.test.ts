import { describe, expect, it } from "vitest";
import { fleetNode } from "@/test/nodes";
import { clusterServers } from "./cluster-servers";

describe("a cluster's backend servers", () => {
  it("folds the nodes' reports into one row per server, without aggregate rows or revoked nodes", () => {
    const nodes = [
      fleetNode("lb1", [{ server: "BACKEND" }, { server: "old", status: "DRAIN", currentSessions: 3 }, { server: "new", currentSessions: 5 }]),
      fleetNode("lb2", [{ server: "old", currentSessions: 1 }, { server: "new", currentSessions: 4 }]),
      fleetNode("lb3", [{ server: "old", status: "DRAIN" }, { server: "new" }]),
      fleetNode("lb4", [{ server: "old", status: "MAINT", currentSessions: 50 }], { revokedAt: "2025-02-01T00:00:00Z" }),
    ];
    const on = (...names: string[]) => names.map((name) => ({ name, online: true }));
    expect(clusterServers(nodes)).toEqual([
      { backend: "app", server: "old", sessions: 4, missing: [], statuses: [{ status: "DRAIN", nodes: on("lb1", "lb3") }, { status: "UP", nodes: on("lb2") }] },
      { backend: "app", server: "new", sessions: 9, missing: [], statuses: [{ status: "UP", nodes: on("lb1", "lb2", "lb3") }] },
    ]);
  });

  it("names the nodes that do not report a server, and counts no sessions from an offline node's last report", () => {
    const rows = clusterServers([
      fleetNode("lb1", [{ server: "s1", currentSessions: 2 }, { server: "s2" }]),
      fleetNode("lb2", [{ server: "s1", currentSessions: 7 }], { online: false }),
    ]);
    expect(rows.find((r) => r.server === "s1")).toMatchObject({ sessions: 2, statuses: [{ status: "UP", nodes: [{ name: "lb1", online: true }, { name: "lb2", online: false }] }] });
    expect(rows.find((r) => r.server === "s2")?.missing).toEqual([{ name: "lb2", online: false }]);
  });

  it("keeps each backend's servers together, in the order the nodes report them", () => {
    const rows = clusterServers([
      fleetNode("lb1", [{ proxy: "web", server: "w1" }, { proxy: "api", server: "a1" }]),
      fleetNode("lb2", [{ proxy: "web", server: "w2" }, { proxy: "api", server: "a1" }]),
    ]);
    expect(rows.map((r) => `${r.backend}/${r.server}`)).toEqual(["web/w1", "web/w2", "api/a1"]);
  });
});
