import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { Prec } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import CodeMirror from "@uiw/react-codemirror";
import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef, useState } from "react";
import { editorTheme } from "./editor-theme";
import { toDiagnostics, type ConfigProblem } from "./diagnostics";
import { haproxy } from "./haproxy-language";

export interface HaproxyEditorHandle {
  /** Moves the cursor to a line, scrolls it into view and focuses the editor. */
  revealLine(line: number): void;
}

export interface HaproxyEditorProps {
  value: string;
  onChange?: (value: string) => void;
  /** Problems from the last validation; shown as markers in the gutter and underlines. */
  problems?: readonly ConfigProblem[];
  readOnly?: boolean;
  label: string;
  /** CSS height; by default the editor leaves room below it for the first problems on a laptop screen. */
  height?: string;
  /** Ctrl/Cmd-S. */
  onSaveShortcut?: () => void;
  /** Ctrl/Cmd-Enter. */
  onValidateShortcut?: () => void;
}

/** CodeMirror 6 with HAProxy highlighting, a lint gutter for validation problems and shortcuts. */
export const HaproxyEditor = forwardRef<HaproxyEditorHandle, HaproxyEditorProps>(function HaproxyEditor(
  { value, onChange, problems, readOnly = false, label, height = "max(18rem, calc(100vh - 22rem))", onSaveShortcut, onValidateShortcut },
  ref,
) {
  const [view, setView] = useState<EditorView>();
  // Shortcut handlers change every render; the keymap reads the latest through a ref.
  const shortcuts = useRef({ onSaveShortcut, onValidateShortcut });
  shortcuts.current = { onSaveShortcut, onValidateShortcut };

  const extensions = useMemo(
    () => [
      haproxy(),
      lintGutter(),
      EditorView.contentAttributes.of({ "aria-label": label }),
      Prec.highest(
        keymap.of([
          { key: "Mod-s", preventDefault: true, run: () => (shortcuts.current.onSaveShortcut?.(), true) },
          { key: "Mod-Enter", preventDefault: true, run: () => (shortcuts.current.onValidateShortcut?.(), true) },
        ]),
      ),
    ],
    [label],
  );

  useEffect(() => {
    if (!view) return;
    view.dispatch(setDiagnostics(view.state, toDiagnostics(view.state.doc, problems ?? [])));
  }, [view, problems]);

  useImperativeHandle(
    ref,
    () => ({
      revealLine(lineNumber: number) {
        if (!view) return;
        const line = view.state.doc.line(Math.min(Math.max(1, lineNumber), view.state.doc.lines));
        view.dispatch({ selection: { anchor: line.from }, effects: EditorView.scrollIntoView(line.from, { y: "center" }) });
        view.focus();
      },
    }),
    [view],
  );

  return (
    <CodeMirror
      value={value}
      onChange={onChange}
      readOnly={readOnly}
      editable={!readOnly}
      height={height}
      theme={editorTheme}
      extensions={extensions}
      onCreateEditor={setView}
      basicSetup={{ foldGutter: false, autocompletion: false, highlightActiveLine: !readOnly, tabSize: 4 }}
      data-testid="config-editor"
    />
  );
});
