import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router";
import { describe, expect, it } from "vitest";
import { fakeMaster, type Handler } from "@/test/fake-master";
import { fleetNode } from "@/test/nodes";
import { renderSignedIn } from "@/test/render";
import ClusterLayout from "./cluster-layout";
import ClusterOverviewPage from "./cluster-overview-page";

const CLUSTER = { id: "22222222-2222-4222-8222-222222222222", name: "edge", description: "", createdAt: "2025-01-01T00:00:00Z", latestVersion: 1, desiredVersion: 1, nodeCount: 2 };

/** A cluster of two nodes whose s2 drains when asked: the nodes' next reports say DRAIN. */
function edgeMaster() {
  let s2 = "UP";
  const handler: Handler = ({ method, path, body }) => {
    if (method === "GET" && path === "/api/v1/clusters/edge") return { body: CLUSTER };
    if (method === "GET" && path === "/api/v1/clusters/edge/deployments") return { body: { items: [] } };
    if (method === "GET" && path === "/api/v1/nodes")
      return { body: { items: ["lb1", "lb2"].map((name) => fleetNode(name, [{ server: "s1", currentSessions: 2 }, { server: "s2", status: s2 }])) } };
    if (method === "POST" && path === "/api/v1/clusters/edge/server-state") {
      s2 = "DRAIN";
      const node = (n: number) => ({ nodeId: `00000000-0000-4000-8000-00000000000${n}`, nodeName: `lb${n}`, status: "ok", output: "", error: "" });
      return { body: { clusterId: CLUSTER.id, ...(body as object), ok: true, nodes: [node(1), node(2)] } };
    }
    return undefined;
  };
  return fakeMaster("operator", handler);
}

describe("the backend servers of a cluster's overview", () => {
  it("lists the servers the nodes report and shows the new status once a drain is sent", async () => {
    await renderSignedIn(
      <Routes>
        <Route path="/clusters/:cluster" element={<ClusterLayout />}>
          <Route index element={<ClusterOverviewPage />} />
        </Route>
      </Routes>,
      edgeMaster(),
      "/clusters/edge",
    );
    const section = await screen.findByRole("region", { name: "Backend servers" });
    const s2 = () => within(section).getAllByTestId("server-row")[1]!;
    expect(await within(section).findAllByText("UP on 2 of 2")).toHaveLength(2);
    expect(within(section).getAllByTestId("server-row")[0]).toHaveTextContent(/s1.*4/);

    await userEvent.click(within(s2()).getByRole("button", { name: "Drain app/s2" }));
    const dialog = await screen.findByRole("alertdialog");
    await userEvent.click(within(dialog).getByRole("button", { name: "Drain on every node" }));
    await within(dialog).findByText(/app\/s2 is draining on all 2 nodes\./);
    await userEvent.click(within(dialog).getByRole("button", { name: "Done" }));

    // Fetched again right after the answer, not at the next 5-second refresh.
    expect(await within(s2()).findByText("DRAIN on 2 of 2", {}, { timeout: 2_000 })).toBeInTheDocument();
    // The focus goes back to the button that opened the dialog.
    expect(within(s2()).getByRole("button", { name: "Drain app/s2" })).toHaveFocus();
  });
});
