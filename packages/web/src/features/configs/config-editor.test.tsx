import { forEachDiagnostic } from "@codemirror/lint";
import { EditorView } from "@codemirror/view";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { apiError, fakeMaster, type Handler } from "@/test/fake-master";
import { renderSignedIn } from "@/test/render";
import { ConfigEditor } from "./config-editor";

const BASE = [
  "global",
  "    maxconn 1000",
  "",
  "frontend web",
  "    bind :80",
  "    default_backend app",
  "",
  "backend app",
  "    server s1 10.0.0.1:8080 check",
  "",
].join("\n");

function editorView(): EditorView {
  const view = EditorView.findFromDOM(document.querySelector(".cm-editor") as HTMLElement);
  if (!view) throw new Error("no editor");
  return view;
}

/** Types into CodeMirror the way a keystroke would: a user transaction on the view. */
function replaceInEditor(search: string, replacement: string) {
  const view = editorView();
  const from = view.state.doc.toString().indexOf(search);
  if (from < 0) throw new Error(`"${search}" not in the editor`);
  view.dispatch({ changes: { from, to: from + search.length, insert: replacement }, userEvent: "input.type" });
}

function markedLines(): { line: number; severity: string }[] {
  const view = editorView();
  const out: { line: number; severity: string }[] = [];
  forEachDiagnostic(view.state, (d, from) => out.push({ line: view.state.doc.lineAt(from).number, severity: d.severity }));
  return out.sort((a, b) => a.line - b.line);
}

const validationWithProblems: Handler = ({ method, path }) =>
  method === "POST" && path === "/api/v1/clusters/edge/configs/validate"
    ? {
        body: {
          valid: false,
          errors: [{ line: 5, severity: "error", source: "haproxy", message: "unknown keyword 'bnd' in 'frontend' section" }],
          warnings: [
            { line: 2, severity: "warning", source: "parser", message: "maxconn is low", code: "low-maxconn" },
            { line: null, severity: "warning", source: "bundle", message: "no certificates referenced" },
          ],
          haproxy: { checked: true, version: "2.6.12" },
        },
      }
    : undefined;

describe("the config editor's validation", () => {
  it("marks each problem at the line the master reports, and lists the ones without a line", async () => {
    const master = fakeMaster("operator", validationWithProblems);
    await renderSignedIn(<ConfigEditor clusterName="edge" initialBase={{ version: 1, content: BASE }} initialDraft={BASE} />, master);
    replaceInEditor("bind :80", "bnd :80");

    await userEvent.click(screen.getByRole("button", { name: /validate/i }));

    const panel = await screen.findByTestId("problems-panel");
    expect(within(panel).getByRole("heading")).toHaveTextContent("1 error, 2 warnings");
    expect(master.requests.find((r) => r.path.endsWith("/validate"))?.body).toEqual({ content: BASE.replace("bind :80", "bnd :80") });
    await waitFor(() => expect(markedLines()).toEqual([{ line: 2, severity: "warning" }, { line: 5, severity: "error" }]));
    expect(document.querySelector(".cm-gutter-lint .cm-lint-marker-error")).not.toBeNull();
    expect(document.querySelector(".cm-lintRange-error")?.textContent).toBe("    bnd :80");
    const rows = within(panel).getAllByTestId("problem");
    expect(rows.map((r) => r.dataset.line)).toEqual(["5", "2", ""]);
    expect(rows[2]).toHaveTextContent("no certificates referenced");
  });

  it("keeps a marker on its line while lines are inserted above it, and jumps to it from the list", async () => {
    const master = fakeMaster("operator", validationWithProblems);
    await renderSignedIn(<ConfigEditor clusterName="edge" initialBase={{ version: 1, content: BASE }} initialDraft={BASE} />, master);
    await userEvent.click(screen.getByRole("button", { name: /validate/i }));
    await waitFor(() => expect(markedLines()).toHaveLength(2));

    replaceInEditor("global\n", "# edge layer\nglobal\n");
    expect(markedLines()).toEqual([{ line: 3, severity: "warning" }, { line: 6, severity: "error" }]);
    expect(await screen.findByText("edited since this check")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "line 5" }));
    expect(editorView().state.doc.lineAt(editorView().state.selection.main.head).number).toBe(5);
  });

  it("shows the errors of a save the master refused as invalid, with the request id", async () => {
    const master = fakeMaster("operator", ({ method, path }) =>
      method === "POST" && path === "/api/v1/clusters/edge/configs"
        ? apiError(422, "config_invalid", "the config has 1 error", {
            valid: false,
            errors: [{ line: 9, severity: "error", source: "parser", message: "server s1 has no address" }],
            warnings: [],
            haproxy: { checked: false, version: null, note: "stopped at the parser's errors" },
          })
        : undefined,
    );
    await renderSignedIn(<ConfigEditor clusterName="edge" initialBase={{ version: 1, content: BASE }} initialDraft={BASE} />, master);
    replaceInEditor("10.0.0.1:8080 check", "check");
    await userEvent.click(screen.getByRole("button", { name: /save/i }));
    await userEvent.type(screen.getByLabelText("Message"), "drop the address");
    await userEvent.click(screen.getByRole("button", { name: "Save version" }));

    const panel = await screen.findByTestId("problems-panel");
    expect(panel).toHaveTextContent("Save refused: 1 error");
    expect(panel).toHaveTextContent(/Request id: req-\d+/);
    await waitFor(() => expect(markedLines()).toEqual([{ line: 9, severity: "error" }]));
  });
});
