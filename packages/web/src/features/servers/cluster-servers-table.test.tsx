import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { apiError, fakeMaster, type Handler } from "@/test/fake-master";
import { fleetNode } from "@/test/nodes";
import { renderSignedIn } from "@/test/render";
import { clusterServers } from "./cluster-servers";
import { ClusterServersTable } from "./cluster-servers-table";

const SERVERS = clusterServers([fleetNode("lb1", [{ server: "s1" }, { server: "s2" }]), fleetNode("lb2", [{ server: "s1" }, { server: "s2" }])]);

const lb = (n: number) => ({ nodeId: `00000000-0000-4000-8000-00000000000${n}`, nodeName: `lb${n}` });

/** The master's answer to the server-state route: lb1 took it, lb2 is offline, lb3 said no. */
const answers: Handler = ({ method, path, body }) =>
  method === "POST" && path === "/api/v1/clusters/edge/server-state"
    ? {
        body: {
          clusterId: "22222222-2222-4222-8222-222222222222",
          ...(body as object),
          ok: false,
          nodes: [
            { ...lb(1), status: "ok", output: "", error: "" },
            { ...lb(2), status: "offline", output: "", error: "" },
            { ...lb(3), status: "failed", output: "No such server.", error: "No such server." },
          ],
        },
      }
    : undefined;

const stateRequests = (master: ReturnType<typeof fakeMaster>) => master.requests.filter((r) => r.path.endsWith("/server-state"));

describe("setting a backend server's state", () => {
  it.each(["operator", "admin"] as const)("offers Ready, Drain and Maint on every server to an %s", async (role) => {
    await renderSignedIn(<ClusterServersTable cluster="edge" servers={SERVERS} />, fakeMaster(role));
    const row = screen.getAllByTestId("server-row")[1]!;
    expect(within(row).getAllByRole("button").map((b) => b.textContent)).toEqual(["Ready", "Drain", "Maint"]);
    expect(within(row).getByRole("button", { name: "Drain app/s2" })).toBeEnabled();
    expect(screen.getByRole("columnheader", { name: "Set on every node" })).toBeInTheDocument();
  });

  it("shows a viewer the servers and their status, without the actions", async () => {
    await renderSignedIn(<ClusterServersTable cluster="edge" servers={SERVERS} />, fakeMaster("viewer"));
    expect(screen.getAllByTestId("server-row")).toHaveLength(2);
    expect(screen.getAllByText("UP on 2 of 2")).toHaveLength(2);
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
    expect(screen.queryByRole("columnheader", { name: "Set on every node" })).not.toBeInTheDocument();
  });

  it("asks first, saying it applies to every node until the next deployment; Cancel sends nothing", async () => {
    const master = fakeMaster("operator", answers);
    await renderSignedIn(<ClusterServersTable cluster="edge" servers={SERVERS} />, master);
    await userEvent.click(screen.getByRole("button", { name: "Maint app/s1" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Maint app/s1 on every node?" });
    expect(dialog).toHaveTextContent(/On every node of edge, app\/s1 gets no traffic at all and its health checks stop\./);
    expect(dialog).toHaveTextContent(/without a reload\. It lasts until the next deployment/);
    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(stateRequests(master)).toEqual([]);
  });

  it("sends the state once confirmed and shows what each node answered", async () => {
    const master = fakeMaster("operator", answers);
    await renderSignedIn(<ClusterServersTable cluster="edge" servers={SERVERS} />, master);
    await userEvent.click(screen.getByRole("button", { name: "Drain app/s2" }));
    const dialog = await screen.findByRole("alertdialog");
    await userEvent.click(within(dialog).getByRole("button", { name: "Drain on every node" }));

    const results = await within(dialog).findByTestId("server-state-results");
    expect(dialog).toHaveAccessibleName("Drain app/s2: each node's answer");
    expect(results).toHaveTextContent("app/s2 is draining on 1 of 3 nodes");
    const rows = within(results).getAllByRole("row").slice(1).map((r) => Array.from((r as HTMLTableRowElement).cells, (c) => c.textContent));
    expect(rows).toEqual([
      ["lb1", "ok", "HAProxy took it."],
      ["lb2", "offline", "Not sent: the node is offline; its HAProxy was not changed."],
      ["lb3", "failed", "No such server."],
    ]);
    expect(stateRequests(master).map((r) => r.body)).toEqual([{ backend: "app", server: "s2", state: "drain" }]);
    expect(within(dialog).getByRole("button", { name: "Done" })).toHaveFocus();
    await userEvent.click(within(dialog).getByRole("button", { name: "Done" }));
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
  });

  it("shows a refusal in the dialog with its request id, and can try again", async () => {
    let refuse = true;
    const master = fakeMaster("operator", (req) =>
      refuse && req.path.endsWith("/server-state") ? apiError(400, "bad_request", "server: HAProxy names are letters, digits and - _ . :") : answers(req),
    );
    await renderSignedIn(<ClusterServersTable cluster="edge" servers={SERVERS} />, master);
    await userEvent.click(screen.getByRole("button", { name: "Ready app/s1" }));
    const dialog = await screen.findByRole("alertdialog");
    await userEvent.click(within(dialog).getByRole("button", { name: "Ready on every node" }));
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("Could not set the state: server: HAProxy names are letters, digits and - _ . :");
    expect(alert).toHaveTextContent(/Request id: req-\d+/);
    expect(within(alert).getByRole("button", { name: "Copy id" })).toBeInTheDocument();

    refuse = false;
    await userEvent.click(within(dialog).getByRole("button", { name: "Ready on every node" }));
    expect(await within(dialog).findByTestId("server-state-results")).toHaveTextContent("app/s1 is ready on 1 of 3 nodes");
    expect(within(dialog).queryByRole("alert")).not.toBeInTheDocument();
  });
});
