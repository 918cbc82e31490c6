import { describe, expect, it } from "vitest";
import { tokenizeLine } from "./tokenize.js";
import { checkWithHaproxy, prng } from "./testdata/haproxy-check.mjs";

const words = (raw: string) => tokenizeLine(raw).words;

describe("tokenizeLine", () => {
  it("splits on spaces and tabs after skipping the indentation", () => {
    expect(tokenizeLine("\t  timeout  client\t30s").words).toEqual(["timeout", "client", "30s"]);
    expect(tokenizeLine("\t  timeout  client\t30s").columns).toEqual([4, 13, 20]);
  });

  it("resolves double quotes, single quotes and backslash escapes like HAProxy", () => {
    expect(words(`log-format "%ci %cp"`)).toEqual(["log-format", "%ci %cp"]);
    expect(words(`acl x path_reg '^/a b\\d+$'`)).toEqual(["acl", "x", "path_reg", "^/a b\\d+$"]);
    expect(words(`realm HAProxy\\ Statistics`)).toEqual(["realm", "HAProxy Statistics"]);
    expect(words(`x a\\#b \\x41\\"\\'`)).toEqual(["x", "a#b", "A\"'"]);
    expect(words(`x "it's" 'say "hi"'`)).toEqual(["x", "it's", 'say "hi"']);
    expect(words(`x "a"'b'c`)).toEqual(["x", "abc"]);
    expect(words(`x \\1 \\\\`)).toEqual(["x", "\\1", "\\"]);
  });

  it("starts a comment at an unquoted # even inside a word", () => {
    expect(tokenizeLine("mode http # or tcp")).toMatchObject({ words: ["mode", "http"], comment: " or tcp" });
    expect(tokenizeLine("abc#def").words).toEqual(["abc"]);
    expect(tokenizeLine(`x "#not" '#either'`).words).toEqual(["x", "#not", "#either"]);
  });

  it("leaves environment variables unexpanded, as they expand on the node", () => {
    expect(words(`bind "\${NODE_BIND}:8080"`)).toEqual(["bind", "${NODE_BIND}:8080"]);
    expect(words(`log "\${SYSLOG-127.0.0.1}:514" local0`)).toEqual(["log", "${SYSLOG-127.0.0.1}:514", "local0"]);
    expect(words(`x "$HOME" "\\$HOME" $HOME`)).toEqual(["x", "$HOME", "$HOME", "$HOME"]);
  });

  it("keeps empty quoted words except at the end of the line", () => {
    expect(words(`x "" y`)).toEqual(["x", "", "y"]);
    expect(words(`x y ""`)).toEqual(["x", "y"]);
    expect(words(`x y   `)).toEqual(["x", "y"]);
  });

  it("ends the statement at a CR met where a word could continue, not after a separator", () => {
    expect(words("maxconn 100\rzzzz")).toEqual(["maxconn", "100"]);
    expect(words("maxconn 100 \rzzzz")).toEqual(["maxconn", "100", "zzzz"]);
    expect(words("\r daemon")).toEqual(["daemon"]);
  });

  it("reports unmatched quotes, bad escapes and bad variables at HAProxy's position", () => {
    expect(tokenizeLine(`  maxconn "100`).error).toMatchObject({ code: "syntax-quote", column: 11 });
    expect(tokenizeLine(`  log-tag "a\\xZZ"`).error).toMatchObject({ code: "syntax-escape", column: 13 });
    expect(tokenizeLine(`  log-tag "\${1X}"`).error).toMatchObject({ code: "syntax-variable", column: 14 });
    expect(tokenizeLine(`  log-tag "\${X"`).error).toMatchObject({ code: "syntax-variable", column: 13 });
    expect(tokenizeLine(`  x "\${A[x]}"`).error).toMatchObject({ code: "syntax-variable", column: 9 });
  });

  it("reads a [scope] line as one word outside the word parser", () => {
    expect(tokenizeLine("  [ssl]")).toMatchObject({ words: ["[ssl]"], scope: true });
  });

  it("cuts 400 random words exactly as HAProxy does (checked with .notice)", () => {
    // `.notice <word>` makes HAProxy print the word as it tokenized it, one line per word.
    const alphabet = ["a", "b", " ", "\t", '"', "'", "\\", "#", "x", "4", "1", "t", "é", "\r", "-"];
    const random = prng(2026);
    const seen = { word: 0, split: 0, error: 0 };
    for (let batch = 0; batch < 10; batch++) {
      const lines: string[] = [];
      for (let i = 0; i < 40; i++) {
        let w = "a";
        const len = 1 + Math.floor(random() * 8);
        for (let j = 0; j < len; j++) w += alphabet[Math.floor(random() * alphabet.length)];
        lines.push(`.notice ${w}`);
      }
      const { output } = checkWithHaproxy(lines.join("\n") + "\n");
      const said = new Map<number, string>();
      for (const l of output.split("\n")) {
        const m = /\[(NOTICE|ALERT)\].*?parsing \[haproxy\.cfg:(\d+)\]: (.*)$/.exec(l);
        if (m) said.set(Number(m[2]), `${m[1]} ${m[3]}`);
      }
      lines.forEach((line, i) => {
        const tok = tokenizeLine(line);
        const heard = said.get(i + 1) ?? "";
        const context = `line ${JSON.stringify(line)}: HAProxy said ${JSON.stringify(heard)}`;
        if (tok.error) {
          // HAProxy counts bytes, columns count characters.
          const bytes = Buffer.byteLength(line.slice(0, tok.error.column - 1)) + 1;
          expect(heard, context).toContain(`at position ${bytes}`);
          seen.error++;
        } else if (tok.words.length > 2) {
          expect(heard, context).toContain("Unexpected argument");
          seen.split++;
        } else {
          expect(heard, context).toBe(`NOTICE '${tok.words[1]}'.`);
          seen.word++;
        }
      });
    }
    // Every branch was exercised, so the comparison means something.
    expect(Math.min(seen.word, seen.split, seen.error)).toBeGreaterThan(30);
  });
});
