import { describe, expect, it } from "vitest";
import { parseConfig, serializeConfig } from "./parse.js";
import { checkWithHaproxy, prng, testConfig } from "./testdata/haproxy-check.mjs";

const REALISTIC = ["large-site", "web-tls", "edge-sni", "k8s-api", "named-defaults", "resolvers-dns"];

describe("parseConfig", () => {
  it("keeps every line with its number, text and line ending", () => {
    const parsed = parseConfig("global\r\n  daemon\n\n# c\n  maxconn 10");
    expect(parsed.lines.map((l) => [l.number, l.raw, l.eol, l.kind])).toEqual([
      [1, "global", "\r\n", "section"],
      [2, "  daemon", "\n", "directive"],
      [3, "", "\n", "blank"],
      [4, "# c", "\n", "comment"],
      [5, "  maxconn 10", "", "directive"],
    ]);
    expect(parsed.lines[1]).toMatchObject({ keyword: "daemon", args: [], columns: [3] });
  });

  it("groups directives into sections with names and header arguments", () => {
    const parsed = parseConfig(
      "global\n  daemon\n\ndefaults base\n  mode http\nfrontend fe from base\n  bind :80 # web\n\n# tail\n",
    );
    expect(parsed.sections.map((s) => [s.type, s.name, s.line, s.endLine, s.extraArgs, s.directives.map((d) => d.number)])).toEqual([
      ["global", undefined, 1, 3, [], [2]],
      ["defaults", "base", 4, 5, [], [5]],
      ["frontend", "fe", 6, 9, ["from", "base"], [7]],
    ]);
    expect(parsed.lines[6]).toMatchObject({ keyword: "bind", args: [":80"], comment: " web" });
    expect(parsed.diagnostics).toEqual([]);
  });

  it("reports a directive before any section on its line, as HAProxy does", () => {
    const text = "# header\n  daemon\nglobal\n";
    expect(parseConfig(text).diagnostics).toEqual([
      expect.objectContaining({ line: 2, column: 3, code: "outside-section", severity: "error" }),
    ]);
    expect(checkWithHaproxy(text).output).toContain("[haproxy.cfg:2]: unknown keyword 'daemon' out of section");
  });

  it("reports an unterminated quote with its column and does not start a section from it", () => {
    const text = 'global\n  log-tag "abc\nfrontend "fe\n';
    const parsed = parseConfig(text);
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({ line: 2, column: 11, code: "syntax-quote", message: "unmatched quote at position 11" }),
      expect.objectContaining({ line: 3, column: 10, code: "syntax-quote" }),
    ]);
    expect(parsed.sections.map((s) => s.type)).toEqual(["global"]);
    const out = checkWithHaproxy(text).output;
    expect(out).toContain("[haproxy.cfg:2]: unmatched quote at position 11");
    expect(out).toContain("[haproxy.cfg:3]: unmatched quote at position 10");
  });

  it("reports a stray NUL and a last line without line feed, which HAProxy refuses", () => {
    const text = "global\n  maxconn 1\u0000 0\n  daemon";
    expect(parseConfig(text).diagnostics.map((d) => [d.line, d.column, d.code])).toEqual([
      [2, 12, "nul-character"],
      [3, 9, "missing-final-newline"],
    ]);
    expect(checkWithHaproxy(text).output).toContain("[haproxy.cfg:2]: Stray NUL character at position 12");
    expect(checkWithHaproxy("global\n  daemon").output).toContain("Missing LF on last line, file might have been truncated at position 9");
  });

  it("skips a line whose first word is empty, as HAProxy does", () => {
    const parsed = parseConfig('global\n  "" maxconn 3\n');
    expect(parsed.lines[1]!.kind).toBe("blank");
    expect(checkWithHaproxy('global\n  "" foo\n').valid).toBe(true);
  });

  it("does not treat conditional blocks before the first section as stray text", () => {
    expect(parseConfig('.if defined(X)\n.notice "x"\n.endif\nglobal\n').diagnostics).toEqual([]);
  });
});

describe("serializeConfig", () => {
  it("round-trips 3000 random strings byte for byte", () => {
    const pieces = ["\n", "\r\n", "\r", "\t", " ", '"', "'", "\\", "#", "$", "{", "}", "\u0000", "é", "😀", "x", "\\x4", "frontend ", "server s ", "global", "${A}"];
    const random = prng(42);
    for (let i = 0; i < 3000; i++) {
      let text = "";
      const n = Math.floor(random() * 40);
      for (let j = 0; j < n; j++) text += pieces[Math.floor(random() * pieces.length)];
      const parsed = parseConfig(text);
      expect(serializeConfig(parsed)).toBe(text);
      expect(parsed.lines.length).toBe(text.split("\n").length - (text.endsWith("\n") || text === "" ? 1 : 0));
    }
  });

  it("round-trips random line-based configurations with every kind of line ending", () => {
    const random = prng(7);
    const lineKinds = ["global", "  maxconn 100", "frontend fe", '  bind "${IP}:80" # x', "", "# comment", "\t  server s 1.2.3.4:80 check", "  http-request set-header X 'a b'", "  bad \"quote", "backend be"];
    const endings = ["\n", "\r\n", ""];
    for (let i = 0; i < 500; i++) {
      let text = "";
      const n = 1 + Math.floor(random() * 30);
      for (let j = 0; j < n; j++) {
        text += lineKinds[Math.floor(random() * lineKinds.length)];
        text += j === n - 1 ? endings[Math.floor(random() * 3)] : endings[Math.floor(random() * 2)];
      }
      expect(serializeConfig(parseConfig(text))).toBe(text);
    }
  });

  it("round-trips realistic configurations as LF, CRLF and without the final newline", () => {
    for (const name of REALISTIC) {
      const text = testConfig(name);
      for (const variant of [text, text.replaceAll("\n", "\r\n"), text.trimEnd(), text.replaceAll("    ", "\t")]) {
        expect(serializeConfig(parseConfig(variant))).toBe(variant);
      }
    }
  });
});
