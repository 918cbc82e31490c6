import { describe, expect, it } from "vitest";
import { colours } from "./colour.js";
import { formatProblem, formatProblems, problemsOfDetails } from "./problems.js";

const plain = colours(false);

describe("formatProblem", () => {
  it("prints FILE:LINE: severity: message like a compiler", () => {
    expect(formatProblem("haproxy.cfg", { line: 12, severity: "error", source: "parser", message: 'unknown keyword "bnid"' }, plain)).toBe(
      'haproxy.cfg:12: error: unknown keyword "bnid"',
    );
  });

  it("leaves out the line when there is none and marks what HAProxy found", () => {
    expect(formatProblem("edge.cfg", { line: null, severity: "warning", source: "haproxy", message: "missing timeouts" }, plain)).toBe(
      "edge.cfg: warning: missing timeouts (haproxy -c)",
    );
  });
});

describe("formatProblems", () => {
  it("puts errors before warnings, each by line", () => {
    const text = formatProblems(
      "f.cfg",
      [
        { line: 3, severity: "warning", message: "w3" },
        { line: 9, severity: "error", message: "e9" },
        { line: 2, severity: "error", message: "e2" },
      ],
      plain,
    );
    expect(text).toBe("f.cfg:2: error: e2\nf.cfg:9: error: e9\nf.cfg:3: warning: w3\n");
  });
});

describe("problemsOfDetails", () => {
  it("reads the errors and warnings of a config_invalid answer and ignores anything else", () => {
    const details = { valid: false, errors: [{ line: 4, severity: "error", source: "parser", message: "bad" }, { nonsense: true }], warnings: [] };
    expect(problemsOfDetails(details)).toEqual([{ line: 4, severity: "error", source: "parser", message: "bad" }]);
    expect(problemsOfDetails("text")).toEqual([]);
  });
});
