import { EditorView } from "@codemirror/view";

/** The editor's chrome in the console's colours (CSS variables: light and dark follow the system). */
export const editorTheme = EditorView.theme({
  "&": {
    backgroundColor: "var(--background)",
    color: "var(--foreground)",
    fontSize: "13px",
    border: "1px solid var(--border)",
    borderRadius: "var(--radius)",
  },
  "&.cm-focused": { outline: "2px solid var(--ring)", outlineOffset: "1px" },
  ".cm-scroller": { fontFamily: "var(--font-mono)", lineHeight: "1.55" },
  ".cm-content": { caretColor: "var(--foreground)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--foreground)" },
  ".cm-gutters": {
    backgroundColor: "var(--editor-gutter)",
    color: "var(--muted-foreground)",
    borderRight: "1px solid var(--border)",
    borderTopLeftRadius: "var(--radius)",
    borderBottomLeftRadius: "var(--radius)",
  },
  ".cm-activeLine": { backgroundColor: "color-mix(in oklch, var(--accent) 55%, transparent)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--accent)", color: "var(--foreground)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "color-mix(in oklch, var(--primary) 25%, transparent) !important",
  },
  ".cm-tooltip": { backgroundColor: "var(--popover)", color: "var(--popover-foreground)", border: "1px solid var(--border)" },
  ".cm-panels": { backgroundColor: "var(--muted)", color: "var(--foreground)" },
  ".cm-lintRange-error": { backgroundImage: "none", textDecoration: "underline wavy var(--destructive)", textUnderlineOffset: "3px" },
  ".cm-lintRange-warning": { backgroundImage: "none", textDecoration: "underline wavy var(--warning)", textUnderlineOffset: "3px" },
  ".cm-lint-marker": { width: "1em", height: "1em" },
  ".cm-diagnostic-error": { borderLeftColor: "var(--destructive)" },
  ".cm-diagnostic-warning": { borderLeftColor: "var(--warning)" },
  // @codemirror/merge draws "⦚" around collapsed runs (a glyph most fonts lack) on a fixed light
  // or dark background; use the console's colours and an arrow every font has.
  ".cm-collapsedLines": {
    color: "var(--muted-foreground)",
    background: "var(--muted) !important",
    fontFamily: "var(--font-sans)",
    fontSize: "12px",
    "&:before": { content: '"↕"' },
    "&:after": { content: '""' },
    "&:hover": { color: "var(--foreground)" },
  },
  ".cm-changedLine": { backgroundColor: "color-mix(in oklch, var(--success) 10%, transparent) !important" },
  ".cm-deletedChunk": { backgroundColor: "color-mix(in oklch, var(--destructive) 10%, transparent) !important" },
  ".cm-changedText": { background: "color-mix(in oklch, var(--success) 30%, transparent) !important" },
  ".cm-deletedText, .cm-deletedChunk .cm-deletedText": { background: "color-mix(in oklch, var(--destructive) 30%, transparent) !important" },
});
