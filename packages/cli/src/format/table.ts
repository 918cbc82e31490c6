import { visibleLength } from "./colour.js";

/** One column of a table: its header and how to show a row's cell. */
export interface Column<T> {
  header: string;
  cell: (row: T) => string;
  align?: "left" | "right";
  /** Longer cells are cut with an ellipsis; the last column is never padded. */
  maxWidth?: number;
}

const GAP = "  ";

/**
 * A plain-text table in the style of kubectl and docker: upper-case headers, columns separated
 * by two spaces, no borders, no trailing spaces. Cells with newlines are flattened.
 */
export function renderTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const cells = rows.map((row) => columns.map((c) => fit(flatten(c.cell(row)), c.maxWidth)));
  const headers = columns.map((c) => c.header.toUpperCase());
  const widths = columns.map((_, i) => Math.max(visibleLength(headers[i]!), ...cells.map((r) => visibleLength(r[i]!))));
  const line = (values: string[]) =>
    values
      .map((v, i) => {
        const last = i === values.length - 1;
        const pad = " ".repeat(widths[i]! - visibleLength(v));
        if (columns[i]!.align === "right") return pad + v;
        return last ? v : v + pad;
      })
      .join(GAP)
      .trimEnd();
  return [line(headers), ...cells.map(line)].join("\n") + "\n";
}

/** `key: value` lines with the keys aligned, for showing one object. */
export function renderFields(fields: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(0, ...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${flatten(v)}`.trimEnd()).join("\n") + "\n";
}

function flatten(value: string): string {
  return value.replace(/\r?\n|\r/g, " ");
}

function fit(value: string, max: number | undefined): string {
  if (max === undefined || visibleLength(value) <= max) return value;
  return [...value].slice(0, Math.max(0, max - 1)).join("") + "…";
}
