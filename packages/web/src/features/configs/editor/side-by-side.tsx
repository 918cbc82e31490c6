import { MergeView } from "@codemirror/merge";
import { EditorState, type Extension } from "@codemirror/state";
import { EditorView, lineNumbers } from "@codemirror/view";
import { useEffect, useRef } from "react";
import { editorTheme } from "./editor-theme";
import { haproxy } from "./haproxy-language";

interface Side {
  text: string;
  label: string;
}

function sideExtensions(label: string, editable: boolean, onChange?: (text: string) => void): Extension[] {
  return [
    lineNumbers(),
    haproxy(),
    editorTheme,
    EditorView.contentAttributes.of({ "aria-label": label }),
    EditorState.phrases.of({ "$ unchanged lines": "$ unchanged lines (click to show them)" }),
    EditorView.editable.of(editable),
    EditorState.readOnly.of(!editable),
    ...(onChange ? [EditorView.updateListener.of((u) => u.docChanged && onChange(u.state.doc.toString()))] : []),
  ];
}

/**
 * Two configs side by side with their differences marked (@codemirror/merge). Read-only for
 * comparing versions; with `onLeftChange` the left side is editable and arrows copy chunks from
 * the right into it (merging by hand).
 */
export function SideBySide({
  left,
  right,
  onLeftChange,
  collapseUnchanged = false,
  maxHeight = "65vh",
}: {
  left: Side;
  right: Side;
  onLeftChange?: (text: string) => void;
  collapseUnchanged?: boolean;
  maxHeight?: string;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const onChange = useRef(onLeftChange);
  onChange.current = onLeftChange;
  const editable = onLeftChange !== undefined;
  // The left text is the view's own state while editing: recreate only when what is compared changes.
  const leftText = useRef(left.text);
  if (!editable) leftText.current = left.text;

  useEffect(() => {
    const view = new MergeView({
      a: { doc: leftText.current, extensions: sideExtensions(left.label, editable, editable ? (t) => onChange.current?.(t) : undefined) },
      b: { doc: right.text, extensions: sideExtensions(right.label, false) },
      parent: parent.current!,
      gutter: true,
      highlightChanges: true,
      ...(editable ? { revertControls: "b-to-a" as const } : {}),
      ...(collapseUnchanged ? { collapseUnchanged: { margin: 3, minSize: 8 } } : {}),
    });
    return () => view.destroy();
  }, [left.label, right.text, right.label, editable, collapseUnchanged, editable ? undefined : left.text]);

  return (
    <div>
      <div className="grid grid-cols-2 gap-px text-xs font-medium text-muted-foreground">
        <div className="px-2 pb-1">{left.label}</div>
        <div className="px-2 pb-1">{right.label}</div>
      </div>
      <div ref={parent} className="overflow-auto rounded-lg border [&_.cm-editor]:border-0" style={{ maxHeight }} data-testid="side-by-side" />
    </div>
  );
}
