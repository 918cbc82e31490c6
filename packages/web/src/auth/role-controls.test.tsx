import { screen, within } from "@testing-library/react";
import { Route, Routes } from "react-router";
import { describe, expect, it } from "vitest";
import { SidebarNav } from "@/app/shell/sidebar-nav";
import CertificatesPage from "@/features/certificates/certificates-page";
import ClustersPage from "@/features/clusters/clusters-page";
import { ConfigEditor } from "@/features/configs/config-editor";
import NodePage from "@/features/nodes/node-page";
import UsersPage from "@/features/users/users-page";
import { fakeMaster, type Handler } from "@/test/fake-master";
import { renderSignedIn } from "@/test/render";
import type { Role } from "./roles";

const emptyLists: Handler = ({ method, path }) =>
  method === "GET" && ["/api/v1/clusters", "/api/v1/certificates", "/api/v1/users"].includes(path) ? { body: { items: [] } } : undefined;

const NODE = {
  id: "11111111-1111-4111-8111-111111111111",
  name: "edge-1",
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
  appliedHash: "a".repeat(64),
  appliedVersion: 3,
  diskHash: "a".repeat(64),
  drift: false,
  desiredVersion: 3,
  inSync: true,
  servers: [{ proxy: "app", server: "s1", status: "UP", weight: 1, checkStatus: "L7OK", currentSessions: 2 }],
};
const nodeHandler: Handler = ({ method, path }) => (method === "GET" && path === `/api/v1/nodes/${NODE.id}` ? { body: NODE } : undefined);

/** The control is there but cannot be used, and says which role it needs. */
function expectLocked(button: HTMLElement, role: Role) {
  expect(button).toBeDisabled();
  expect(button).toHaveAttribute("data-role-locked", role);
  expect(button).toHaveAttribute("title", `Needs the ${role} role`);
}

describe("controls follow the user's role", () => {
  it.each([
    ["viewer", false],
    ["operator", false],
    ["admin", true],
  ] as const)("the %s sees the admin pages in the navigation: %s", async (role, seesAdminPages) => {
    await renderSignedIn(<SidebarNav />, fakeMaster(role));
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).getByRole("link", { name: "Audit log" })).toBeInTheDocument();
    expect(within(nav).queryByRole("link", { name: "Users" }) !== null).toBe(seesAdminPages);
    expect(within(nav).queryByRole("link", { name: "Enrolment" }) !== null).toBe(seesAdminPages);
  });

  it("a viewer may validate a config but not save it", async () => {
    await renderSignedIn(<ConfigEditor clusterName="edge" initialBase={{ version: 1, content: "global\n" }} initialDraft={"global\n    maxconn 10\n"} />, fakeMaster("viewer"));
    expect(screen.getByRole("button", { name: /validate/i })).toBeEnabled();
    expectLocked(screen.getByRole("button", { name: /save/i }), "operator");
  });

  it("an operator may save a changed config", async () => {
    await renderSignedIn(<ConfigEditor clusterName="edge" initialBase={{ version: 1, content: "global\n" }} initialDraft={"global\n    maxconn 10\n"} />, fakeMaster("operator"));
    const save = screen.getByRole("button", { name: /save/i });
    expect(save).toBeEnabled();
    expect(save).not.toHaveAttribute("data-role-locked");
  });

  it.each([
    ["viewer", "operator"],
    ["operator", undefined],
  ] as const)("creating a cluster as %s", async (role, lockedFor) => {
    await renderSignedIn(<ClustersPage />, fakeMaster(role, emptyLists));
    const button = await screen.findByRole("button", { name: /new cluster/i });
    if (lockedFor) expectLocked(button, lockedFor);
    else expect(button).toBeEnabled();
  });

  it.each([
    ["operator", true],
    ["admin", false],
  ] as const)("uploading a certificate as %s is locked: %s", async (role, locked) => {
    await renderSignedIn(<CertificatesPage />, fakeMaster(role, emptyLists));
    const button = await screen.findByRole("button", { name: /upload certificate/i });
    if (locked) expectLocked(button, "admin");
    else expect(button).toBeEnabled();
  });

  it.each([
    ["operator", true],
    ["admin", false],
  ] as const)("revoking a node as %s is locked: %s", async (role, locked) => {
    await renderSignedIn(
      <Routes>
        <Route path="/nodes/:node" element={<NodePage />} />
      </Routes>,
      fakeMaster(role, nodeHandler),
      `/nodes/${NODE.id}`,
    );
    const button = await screen.findByRole("button", { name: /revoke/i });
    if (locked) expectLocked(button, "admin");
    else expect(button).toBeEnabled();
  });

  it("the users page tells a non-admin it is for admins, without asking the API", async () => {
    const master = fakeMaster("operator", emptyLists);
    await renderSignedIn(<UsersPage />, master);
    expect(screen.getByText("Admins only")).toBeInTheDocument();
    expect(master.requests.some((r) => r.path === "/api/v1/users")).toBe(false);
  });
});
