import { EditorView } from "@codemirror/view";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { apiError, fakeMaster, type FakeResponse, type Handler } from "@/test/fake-master";
import { renderSignedIn } from "@/test/render";
import { ConfigEditor } from "./config-editor";

const V1 = ["global", "    maxconn 1000", "", "frontend web", "    bind :80", "    default_backend app", "", "backend app", "    server s1 10.0.0.1:8080 check", ""].join("\n");
// Bob's version 2 adds a server at the end.
const V2 = V1.replace("server s1 10.0.0.1:8080 check\n", "server s1 10.0.0.1:8080 check\n    server s2 10.0.0.2:8080 check\n");

function editorText(): string {
  const el = document.querySelector(".cm-editor") as HTMLElement;
  return EditorView.findFromDOM(el)!.state.doc.toString();
}

function typeInEditor(search: string, replacement: string) {
  const view = EditorView.findFromDOM(document.querySelector(".cm-editor") as HTMLElement)!;
  const from = view.state.doc.toString().indexOf(search);
  view.dispatch({ changes: { from, to: from + search.length, insert: replacement }, userEvent: "input.type" });
}

/** The master with version 2 (by bob) already saved: saves based on 1 are stale, based on 2 succeed. */
function masterWithNewerVersion(saves: { baseVersion: number; content: string; message: string }[], theirs = V2): Handler {
  return ({ method, path, body }): FakeResponse | undefined => {
    if (method === "GET" && path === "/api/v1/clusters/edge/configs/2") {
      return { body: { id: "v2", clusterId: "c", version: 2, hash: "h2", message: "add s2", parentVersion: 1, source: "api", author: "bob", createdAt: "2025-01-01T00:00:00Z", size: theirs.length, content: theirs } };
    }
    if (method === "POST" && path === "/api/v1/clusters/edge/configs") {
      const save = body as { baseVersion: number; content: string; message: string };
      saves.push(save);
      if (save.baseVersion !== 2) {
        return apiError(409, "stale_base", "version 2 was saved since version 1", { baseVersion: save.baseVersion, currentVersion: 2, currentAuthor: "bob", currentMessage: "add s2" });
      }
      return { status: 201, body: { id: "v3", clusterId: "c", version: 3, hash: "h3", message: save.message, parentVersion: 2, source: "api", author: "operator-user", createdAt: "2025-01-01T00:01:00Z", size: 1, created: true, warnings: [] } };
    }
    return undefined;
  };
}

async function saveWithMessage(message: string) {
  await userEvent.click(screen.getByRole("button", { name: /save…/i }));
  const field = screen.getByLabelText("Message");
  await userEvent.clear(field);
  await userEvent.type(field, message);
  await userEvent.click(screen.getByRole("button", { name: "Save version" }));
}

describe("saving on a stale base", () => {
  it("shows who saved first and what they changed, then re-applies the user's edits on top and saves on the new base", async () => {
    const saves: { baseVersion: number; content: string; message: string }[] = [];
    await renderSignedIn(<ConfigEditor clusterName="edge" initialBase={{ version: 1, content: V1 }} initialDraft={V1} />, fakeMaster("operator", masterWithNewerVersion(saves)));
    typeInEditor("maxconn 1000", "maxconn 4000");

    await saveWithMessage("more connections");

    const dialog = await screen.findByTestId("stale-base-dialog");
    expect(dialog).toHaveTextContent("Someone else saved first");
    expect(dialog).toHaveTextContent("Version 2 was saved since by bob: “add s2”");
    expect(within(dialog).getByLabelText("Changes from version 1 to 2")).toHaveTextContent(/\+\s+server s2 10\.0\.0\.2:8080 check/);
    expect(saves).toHaveLength(1);

    await userEvent.click(within(dialog).getByRole("button", { name: /re-apply my edits on v2/i }));

    await waitFor(() => expect(screen.queryByTestId("stale-base-dialog")).toBeNull());
    expect(editorText()).toBe(V2.replace("maxconn 1000", "maxconn 4000"));
    expect(screen.getByText(/Editing on top of/)).toHaveTextContent("Editing on top of version 2 by bob — “add s2”");

    await saveWithMessage("more connections");
    await waitFor(() => expect(saves).toHaveLength(2));
    expect(saves[1]).toEqual({ baseVersion: 2, content: V2.replace("maxconn 1000", "maxconn 4000"), message: "more connections" });
    expect(await screen.findByText("Saved version 3")).toBeInTheDocument();
  });

  it("never overwrites: when both changed the same lines it offers only a merge by hand, side by side", async () => {
    const saves: { baseVersion: number; content: string; message: string }[] = [];
    // Bob raised maxconn to 2000 while this user raised it to 4000.
    const theirs = V1.replace("maxconn 1000", "maxconn 2000");
    await renderSignedIn(<ConfigEditor clusterName="edge" initialBase={{ version: 1, content: V1 }} initialDraft={V1} />, fakeMaster("operator", masterWithNewerVersion(saves, theirs)));
    typeInEditor("maxconn 1000", "maxconn 4000");

    await saveWithMessage("more connections");
    const dialog = await screen.findByTestId("stale-base-dialog");
    expect(dialog).toHaveTextContent("Your edits and theirs change the same lines");
    expect(within(dialog).queryByRole("button", { name: /re-apply/i })).toBeNull();

    await userEvent.click(within(dialog).getByRole("button", { name: /start from v2, compare with mine/i }));

    const merge = await screen.findByRole("region", { name: "Merge by hand" });
    const sides = merge.querySelectorAll(".cm-content");
    expect(sides).toHaveLength(2);
    expect(sides[0]!.getAttribute("aria-label")).toMatch(/^Version 2 \+ your merge/);
    expect(sides[1]!.getAttribute("aria-label")).toBe("Your edits (made on version 1)");
    expect(sides[0]).toHaveTextContent("maxconn 2000");
    expect(sides[1]).toHaveTextContent("maxconn 4000");
    expect(editorText()).toBe(theirs);
    expect(saves).toHaveLength(1);
  });

  it("keeps editing on the old base when the user closes the dialog; the next save is refused again", async () => {
    const saves: { baseVersion: number; content: string; message: string }[] = [];
    await renderSignedIn(<ConfigEditor clusterName="edge" initialBase={{ version: 1, content: V1 }} initialDraft={V1} />, fakeMaster("operator", masterWithNewerVersion(saves)));
    typeInEditor("maxconn 1000", "maxconn 10");
    await saveWithMessage("tiny");
    await userEvent.click(within(await screen.findByTestId("stale-base-dialog")).getByRole("button", { name: "Keep editing" }));
    expect(editorText()).toContain("maxconn 10\n");
    await saveWithMessage("tiny");
    expect(await screen.findByTestId("stale-base-dialog")).toBeInTheDocument();
    expect(saves.map((s) => s.baseVersion)).toEqual([1, 1]);
  });
});
