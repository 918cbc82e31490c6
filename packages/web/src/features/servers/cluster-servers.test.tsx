import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { FleetNode } from "@/features/nodes/node-queries";
import { fakeMaster, type Handler } from "@/test/fake-master";
import { renderSignedIn } from "@/test/render";
import { clusterServers } from "./cluster-servers";
import { ClusterServersTable } from "./cluster-servers-table";

function node(name: string, servers: Partial<FleetNode["servers"][number]>[], extra: Partial<FleetNode> = {}): FleetNode {
  return {
    id: `00000000-0000-4000-8000-00000000000${name.at(-1)}`,
    name,
    clusterId: "22222222-2222-4222-8222-222222222222",
    clusterName: "edge",
    online: true,
    lastSeenAt: new Date().toISOString(),
    enrolledAt: "2025-01-01T00:00:00Z",
    revokedAt: null,
    certNotAfter: "2030-01-01T00:00:00Z",
    agentVersion: "0.1.0",
    haproxyVersion: "2.6.12",
    mode: "supervised",
    haproxyRunning: true,
    failedReloads: 0,
    appliedHash: "",
    appliedVersion: 1,
    diskHash: "",
    drift: false,
    desiredVersion: 1,
    inSync: true,
    servers: servers.map((s) => ({ proxy: "be_app", server: "old", status: "UP", weight: 1, checkStatus: "L4OK", currentSessions: 0, ...s })),
    ...extra,
  };
}

const NODES = [
  node("lb1", [{ server: "BACKEND" }, { server: "old", status: "DRAIN", currentSessions: 3 }, { server: "new", currentSessions: 5 }]),
  node("lb2", [{ server: "old", status: "UP", currentSessions: 1 }, { server: "new", currentSessions: 4 }]),
  node("lb3", [{ server: "old", status: "DRAIN" }, { server: "new" }], {}),
  node("lb4", [{ server: "old", status: "MAINT" }], { revokedAt: "2025-02-01T00:00:00Z" }),
];

describe("a cluster's backend servers", () => {
  it("folds the nodes' reports into one row per server, leaving out aggregate rows and revoked nodes", () => {
    expect(clusterServers(NODES)).toEqual([
      { backend: "be_app", server: "old", sessions: 4, reportedBy: 3, statuses: [{ status: "DRAIN", nodes: ["lb1", "lb3"] }, { status: "UP", nodes: ["lb2"] }] },
      { backend: "be_app", server: "new", sessions: 9, reportedBy: 3, statuses: [{ status: "UP", nodes: ["lb1", "lb2", "lb3"] }] },
    ]);
  });

  it("shows a status that differs between nodes at a glance", async () => {
    await renderSignedIn(<ClusterServersTable cluster="edge" servers={clusterServers(NODES)} nodeCount={3} />, fakeMaster("viewer"));
    const old = screen.getByRole("row", { name: /old/ });
    expect(within(old).getByText("DRAIN on 2 of 3")).toHaveAttribute("title", "lb1, lb3");
    expect(within(old).getByText("UP on 1 of 3")).toBeInTheDocument();
    expect(within(old).getByText("differs between nodes")).toBeInTheDocument();
    const fresh = screen.getByRole("row", { name: /new/ });
    expect(within(fresh).getByText("UP on all 3")).toBeInTheDocument();
  });

  it("lets a viewer see the actions but not use them", async () => {
    await renderSignedIn(<ClusterServersTable cluster="edge" servers={clusterServers(NODES)} nodeCount={3} />, fakeMaster("viewer"));
    const drain = screen.getByRole("button", { name: "Drain be_app/old" });
    expect(drain).toBeDisabled();
    expect(drain).toHaveAttribute("data-role-locked", "operator");
  });

  it("asks an operator first, then shows what each node answered", async () => {
    const answer: Handler = ({ method, path, body }) =>
      method === "POST" && path === "/api/v1/clusters/edge/server-state"
        ? {
            body: {
              clusterId: "22222222-2222-4222-8222-222222222222",
              ...(body as object),
              ok: false,
              nodes: [
                { nodeId: "00000000-0000-4000-8000-000000000001", nodeName: "lb1", status: "ok", output: "", error: "" },
                { nodeId: "00000000-0000-4000-8000-000000000002", nodeName: "lb2", status: "offline", output: "", error: "the node is offline: its HAProxy was not changed" },
              ],
            },
          }
        : undefined;
    const master = fakeMaster("operator", answer);
    await renderSignedIn(<ClusterServersTable cluster="edge" servers={clusterServers(NODES)} nodeCount={3} />, master);
    await userEvent.click(screen.getByRole("button", { name: "Maint be_app/new" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText(/On every node of edge, be_app\/new takes no traffic at all/)).toBeInTheDocument();
    expect(master.requests.some((r) => r.path.endsWith("/server-state"))).toBe(false);
    await userEvent.click(within(dialog).getByRole("button", { name: "Maint on every node" }));
    expect(await within(dialog).findByText("be_app/new is maint on 1 of 2 node(s).")).toBeInTheDocument();
    expect(within(dialog).getByText("the node is offline: its HAProxy was not changed")).toBeInTheDocument();
    expect(master.requests.find((r) => r.path.endsWith("/server-state"))?.body).toEqual({ backend: "be_app", server: "new", state: "maint" });
  });
});
