import { describe, expect, it } from "vitest";
import { colours } from "./colour.js";
import { renderFields, renderTable } from "./table.js";

describe("renderTable", () => {
  const rows = [
    { name: "edge", nodes: 3, note: "the edge layer" },
    { name: "k8s-api", nodes: 12, note: "" },
  ];
  const columns = [
    { header: "name", cell: (r: (typeof rows)[number]) => r.name },
    { header: "nodes", cell: (r: (typeof rows)[number]) => String(r.nodes), align: "right" as const },
    { header: "note", cell: (r: (typeof rows)[number]) => r.note },
  ];

  it("aligns columns two spaces apart under upper-case headers, without trailing spaces", () => {
    expect(renderTable(columns, rows)).toBe(
      ["NAME     NODES  NOTE", "edge         3  the edge layer", "k8s-api     12"].join("\n") + "\n",
    );
  });

  it("prints only the headers when there are no rows", () => {
    expect(renderTable(columns, [])).toBe("NAME  NODES  NOTE\n");
  });

  it("does not count colour codes as width", () => {
    const c = colours(true);
    const table = renderTable([{ header: "a", cell: (r: string) => c.green(r) }, { header: "b", cell: () => "x" }], ["ok", "failed"]);
    const lines = table.split("\n");
    expect(lines[1]!.replace(/\u001b\[\d+m/g, "")).toBe("ok      x");
    expect(lines[2]!.replace(/\u001b\[\d+m/g, "")).toBe("failed  x");
  });

  it("cuts long cells with an ellipsis and flattens newlines", () => {
    const table = renderTable([{ header: "m", cell: (r: string) => r, maxWidth: 8 }], ["line one\nline two"]);
    expect(table).toBe("M\nline on…\n");
  });
});

describe("renderFields", () => {
  it("aligns the values after the longest key", () => {
    expect(renderFields([["name", "web"], ["not after", "2027-01-01"]])).toBe("name:      web\nnot after: 2027-01-01\n");
  });
});
