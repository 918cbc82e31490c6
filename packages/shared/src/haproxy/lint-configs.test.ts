import { describe, expect, it } from "vitest";
import { haproxyProblems } from "./check-output.js";
import { lintConfig } from "./lint.js";
import { parseConfig } from "./parse.js";
import { bundleFiles, checkWithHaproxy, prng, testConfig } from "./testdata/haproxy-check.mjs";

// Realistic configurations, each accepted by `haproxy -c` (checked below, not assumed).
const CONFIGS = [
  "edge-sni",
  "k8s-api",
  "web-tls",
  "stats-sockets",
  "userlist-auth",
  "resolvers-dns",
  "peers-sticky",
  "named-defaults",
  "cache-compression",
  "mailers-checks",
  "tcp-services",
  "ring-logs",
  "mtls-backend",
  "large-site",
];

describe("lintConfig on valid configurations", () => {
  it.each(CONFIGS)("finds no error in %s, which HAProxy accepts", (name) => {
    const text = testConfig(name);
    const check = checkWithHaproxy(text, bundleFiles());
    expect(check.valid, check.output).toBe(true);
    expect(lintConfig(parseConfig(text)).filter((d) => d.severity === "error")).toEqual([]);
  });

  it("reports a misspelt keyword on the same line as HAProxy, anywhere in real configurations", () => {
    const random = prng(11);
    for (const name of CONFIGS) {
      const parsed = parseConfig(testConfig(name));
      const candidates = parsed.sections
        .filter((s) => s.type === "global" || s.type === "frontend" || s.type === "backend" || s.type === "listen" || s.type === "defaults")
        .flatMap((s) => s.directives);
      for (let k = 0; k < 3; k++) {
        const line = candidates[Math.floor(random() * candidates.length)]!;
        const lines = parsed.lines.map((l) => l.raw + l.eol);
        lines[line.number - 1] = line.raw.replace(line.keyword!, `${line.keyword}zz`) + line.eol;
        const text = lines.join("");
        const ours = lintConfig(parseConfig(text)).filter((d) => d.severity === "error").map((d) => d.line);
        const theirs = haproxyProblems(checkWithHaproxy(text, bundleFiles()).output)
          .filter((p) => p.severity === "alert" && p.line !== undefined)
          .map((p) => p.line);
        expect(ours, `${name}: ${line.keyword}zz at line ${line.number}`).toEqual([line.number]);
        expect(theirs, `${name}: ${line.keyword}zz at line ${line.number}`).toContain(line.number);
      }
    }
  });
});
