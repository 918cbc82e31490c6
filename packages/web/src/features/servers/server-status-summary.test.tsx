import { render, screen } from "@testing-library/react";
import { TooltipProvider } from "@/components/ui/tooltip";
import { describe, expect, it } from "vitest";
import { fleetNode } from "@/test/nodes";
import { clusterServers } from "./cluster-servers";
import { ServerStatusSummary } from "./server-status-summary";

function renderSummary(...nodes: Parameters<typeof clusterServers>[0]) {
  const [row] = clusterServers(nodes);
  return render(
    <TooltipProvider>
      <ServerStatusSummary row={row!} />
    </TooltipProvider>,
  );
}

const badges = () => screen.getAllByTestId("server-status");

describe("a server's status across the nodes", () => {
  it("is one badge when every node agrees", () => {
    renderSummary(fleetNode("lb1", [{}]), fleetNode("lb2", [{}]), fleetNode("lb3", [{}]));
    expect(badges().map((b) => b.firstChild?.textContent)).toEqual(["UP on 3 of 3"]);
    expect(badges()[0]).toHaveAttribute("title", "lb1, lb2, lb3");
    expect(screen.queryByText("differs between nodes")).not.toBeInTheDocument();
  });

  it("shows each status with its nodes, and says the nodes disagree", () => {
    renderSummary(fleetNode("lb1", [{ status: "DRAIN" }]), fleetNode("lb2", [{ status: "UP 1/3" }]), fleetNode("lb3", [{ status: "DRAIN" }], { online: false }));
    const [drain, up] = badges();
    expect(drain).toHaveTextContent("DRAIN on 2 of 3 (lb1, lb3 (offline))");
    expect(drain).toHaveAttribute("title", "lb1, lb3 (offline)");
    expect(up).toHaveTextContent("UP 1/3 on 1 of 3 (lb2)");
    const marker = screen.getByText("differs between nodes");
    expect(marker).toHaveAttribute("tabindex", "0");
  });

  it("puts what the online nodes report first, and marks a status only offline nodes last reported", () => {
    renderSummary(fleetNode("lb1", [{ status: "DRAIN" }], { online: false }), fleetNode("lb2", [{ status: "UP" }]));
    expect(badges().map((b) => b.firstChild?.textContent)).toEqual(["UP on 1 of 2", "DRAIN on 1 of 2, offline"]);
  });

  it("counts a node that does not report the server as a difference", () => {
    renderSummary(fleetNode("lb1", [{}]), fleetNode("lb2", []));
    expect(badges().map((b) => b.firstChild?.textContent)).toEqual(["UP on 1 of 2", "not reported by 1 of 2"]);
    expect(badges()[1]).toHaveAttribute("title", "lb2");
    expect(screen.getByText("differs between nodes")).toBeInTheDocument();
  });
});
