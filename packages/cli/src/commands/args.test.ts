import { describe, expect, it } from "vitest";
import { CliError, UsageError } from "../errors.js";
import { isUuid, parseBase, parseCount, parseVersion, pickByRef } from "./args.js";

describe("parseVersion", () => {
  it("reads 7, v7 and latest", () => {
    expect(parseVersion("7")).toBe(7);
    expect(parseVersion("v12")).toBe(12);
    expect(parseVersion("LATEST")).toBe("latest");
  });

  it("refuses zero, negatives and words, naming what was expected", () => {
    for (const bad of ["0", "-1", "seven", "1.5", ""]) expect(() => parseVersion(bad, "A")).toThrow(UsageError);
    expect(() => parseVersion("x", "A")).toThrow('A must be a version number (7 or v7) or latest, not "x"');
  });
});

describe("parseBase and parseCount", () => {
  it("takes 0 as a base (a cluster without versions)", () => {
    expect(parseBase("0")).toBe(0);
    expect(parseBase("v3")).toBe(3);
    expect(() => parseBase("latest")).toThrow(/--base must be the version the file was edited from/);
  });

  it("takes whole numbers within bounds", () => {
    expect(parseCount("25", "--limit")).toBe(25);
    expect(() => parseCount("0", "--limit")).toThrow("--limit must be a whole number from 1 to 1000000");
    expect(() => parseCount("1001", "--uses", 1000)).toThrow(/from 1 to 1000, not "1001"/);
    expect(() => parseCount("2x", "--limit")).toThrow(UsageError);
  });
});

describe("pickByRef", () => {
  const items = [
    { id: "6f1c2d3e-0000-4000-8000-000000000001", name: "edge-1" },
    { id: "6f1c9999-0000-4000-8000-000000000002", name: "edge-2" },
    { id: "a0000000-0000-4000-8000-000000000003", name: "edge-2" },
  ];
  const name = (i: (typeof items)[number]) => i.name;

  it("finds by id, by name, or by an unambiguous id prefix", () => {
    expect(pickByRef(items, items[1]!.id, name, "node")).toBe(items[1]);
    expect(pickByRef(items, "edge-1", name, "node")).toBe(items[0]);
    expect(pickByRef(items, "a000", name, "node")).toBe(items[2]);
  });

  it("says what an ambiguous name or prefix matches, and when nothing does", () => {
    expect(() => pickByRef(items, "edge-2", name, "node")).toThrow(/2 nodes are named edge-2; give the id: 6f1c9999-.*, a0000000-/);
    expect(() => pickByRef(items, "6f1c", name, "node")).toThrow("6f1c is the start of 2 node ids (edge-1, edge-2); give more of it");
    expect(() => pickByRef(items, "edge-9", name, "node")).toThrow(CliError);
    expect(() => pickByRef(items, "edge-9", name, "node")).toThrow("no node named edge-9");
  });

  it("knows a UUID when it sees one", () => {
    expect(isUuid(items[0]!.id)).toBe(true);
    expect(isUuid("edge-1")).toBe(false);
  });
});
