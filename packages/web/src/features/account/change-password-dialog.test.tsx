import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router";
import { describe, expect, it } from "vitest";
import { apiError, fakeMaster, type Handler } from "@/test/fake-master";
import { renderSignedIn } from "@/test/render";
import { ChangePasswordDialog } from "./change-password-dialog";

const CURRENT = "the current passphrase";

const passwordRoute: Handler = ({ method, path, body }) => {
  if (method !== "POST" || path !== "/api/v1/users/me/password") return undefined;
  const { currentPassword } = body as { currentPassword: string };
  return currentPassword === CURRENT ? { status: 204 } : apiError(403, "forbidden", "currentPassword: the current password is wrong; nothing was changed");
};

async function open(master = fakeMaster("viewer", passwordRoute)) {
  await renderSignedIn(
    <Routes>
      <Route path="/" element={<ChangePasswordDialog open onOpenChange={() => undefined} />} />
      <Route path="/login" element={<p>login page</p>} />
    </Routes>,
    master,
  );
  return master;
}

async function fill(current: string, next: string, again = next) {
  await userEvent.type(screen.getByLabelText("Current password"), current);
  await userEvent.type(screen.getByLabelText("New password"), next);
  await userEvent.type(screen.getByLabelText("New password again"), again);
  await userEvent.click(screen.getByRole("button", { name: "Change password" }));
}

describe("changing one's own password", () => {
  it("checks the new password here before sending anything", async () => {
    const master = await open();
    await fill(CURRENT, "short");
    expect(screen.getByText("At least 12 characters.")).toBeInTheDocument();
    await userEvent.clear(screen.getByLabelText("New password"));
    await userEvent.type(screen.getByLabelText("New password"), "long enough passphrase");
    await userEvent.clear(screen.getByLabelText("New password again"));
    await userEvent.type(screen.getByLabelText("New password again"), "another passphrase!!");
    await userEvent.click(screen.getByRole("button", { name: "Change password" }));
    expect(screen.getByText("The two new passwords differ.")).toBeInTheDocument();
    expect(master.requests.some((r) => r.path === "/api/v1/users/me/password")).toBe(false);
  });

  it("shows a wrong current password at its field, with the request id", async () => {
    await open();
    await fill("not it", "long enough passphrase");
    expect(await screen.findByText(/^the current password is wrong; nothing was changed \(request id req-\d+\)$/)).toBeInTheDocument();
    expect(screen.getByLabelText("Current password")).toHaveAttribute("aria-invalid", "true");
  });

  it("changes it, ends the session and goes to the login page", async () => {
    const master = await open();
    await fill(CURRENT, "long enough passphrase");
    expect(await screen.findByText("login page")).toBeInTheDocument();
    expect(master.requests.find((r) => r.path === "/api/v1/users/me/password")?.body).toEqual({ currentPassword: CURRENT, newPassword: "long enough passphrase" });
    expect(master.requests.some((r) => r.path === "/auth/logout")).toBe(true);
  });
});
