import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { haproxyProblems } from "./check-output.js";
import { lintConfig } from "./lint.js";
import { parseConfig } from "./parse.js";
import { bundleFiles, checkWithHaproxy } from "./testdata/haproxy-check.mjs";

const cfg = (...lines: string[]) => lines.join("\n") + "\n";
const lint = (text: string) => lintConfig(parseConfig(text));
const haproxy = (text: string) => haproxyProblems(checkWithHaproxy(text).output);
const TIMEOUTS = ["    timeout client 5s", "    timeout connect 5s", "    timeout server 5s"];

describe("lintConfig timeouts", () => {
  it("warns about a frontend and a backend without the timeouts they need", () => {
    const text = cfg("defaults", "    mode http", "frontend fe", "    bind :80", "    default_backend be", "backend be", "    timeout connect 5s", "    server s 127.0.0.1:80");
    expect(lint(text).map((d) => [d.line, d.severity, d.code, d.message])).toEqual([
      [3, "warning", "missing-timeouts", expect.stringMatching(/^missing timeouts for frontend 'fe': set 'timeout client' in it or in its defaults section/)],
      [6, "warning", "missing-timeouts", expect.stringMatching(/^missing timeouts for backend 'be': set 'timeout server' /)],
    ]);
    const said = haproxy(text).map((p) => p.message);
    expect(said).toContainEqual(expect.stringContaining("missing timeouts for frontend 'fe'"));
    expect(said).toContainEqual(expect.stringContaining("missing timeouts for backend 'be'"));
  });

  it("takes timeouts from the defaults section a proxy inherits, and accepts 'timeout tunnel' in tcp mode", () => {
    const text = cfg(
      "defaults web",
      "    mode http",
      ...TIMEOUTS,
      "defaults",
      "    mode tcp",
      "    timeout client 1m",
      "    timeout connect 5s",
      "frontend fe from web",
      "    bind :80",
      "    default_backend be",
      "backend be from web",
      "    server s 127.0.0.1:80",
      "backend db",
      "    timeout tunnel 1h",
      "    server s 127.0.0.1:5432",
      "backend nothing",
    );
    expect(lint(text)).toEqual([]);
    expect(checkWithHaproxy(text).output).not.toContain("missing timeouts");
  });

  it("treats a zero timeout as none, as HAProxy does", () => {
    const text = cfg("defaults", "    mode http", ...TIMEOUTS, "frontend fe", "    bind :80", "    timeout client 0s", "    default_backend be", "backend be", "    server s 127.0.0.1:80");
    expect(lint(text).map((d) => [d.line, d.code])).toEqual([[6, "missing-timeouts"]]);
    expect(haproxy(text).map((p) => p.message)).toContainEqual(expect.stringContaining("missing timeouts for frontend 'fe'"));
  });
});

describe("lintConfig defaults sections with rules", () => {
  const RULES = ["defaults d", "    mode http", ...TIMEOUTS, "    http-request set-header X-A 1"];

  it("refuses a frontend and a backend sharing a defaults section that has rules", () => {
    const text = cfg(...RULES, "frontend fe", "    bind :80", "    default_backend be", "backend be", "    server s 127.0.0.1:80");
    expect(lint(text).map((d) => [d.line, d.code])).toEqual([[10, "defaults-rules-shared"]]);
    expect(haproxy(text)).toContainEqual(expect.objectContaining({ line: 10, message: expect.stringContaining("frontends and backends cannot inherit from the same defaults section") }));
  });

  it("refuses a listen section inheriting rules", () => {
    const text = cfg(...RULES, "listen app", "    bind :80", "    server s 127.0.0.1:80");
    expect(lint(text).map((d) => [d.line, d.code, d.message])).toEqual([
      [7, "defaults-rules-shared", "a listen section cannot inherit from a defaults section defining TCP/HTTP rules (defaults section at line 1)."],
    ]);
    expect(haproxy(text)).toContainEqual(expect.objectContaining({ line: 7, message: "a listen section cannot inherit from a defaults section defining TCP/HTTP rules." }));
  });

  it("warns when a named defaults section is used both implicitly and with 'from'", () => {
    const text = cfg("defaults d", "    mode http", ...TIMEOUTS, "frontend fe from d", "    bind :80", "    default_backend be", "backend be", "    server s 127.0.0.1:80");
    expect(lint(text).map((d) => [d.line, d.severity, d.code])).toEqual([[9, "warning", "defaults-mixed-use"]]);
    const result = checkWithHaproxy(text);
    expect(result.output).toContain("[haproxy.cfg:9] : defaults section 'd' (declared at haproxy.cfg:1) is explicitly referenced by another proxy and implicitly used here");
    expect(result.status).toBe(0); // an alert that does not fail the check
  });
});

describe("lintConfig certificate paths", () => {
  const FRONTEND = ["defaults", "    mode http", ...TIMEOUTS, "frontend fe", "    bind :443 ssl crt certs/site.pem", "    http-request return status 200"];

  it("warns that certs/ paths need 'default-path config', which HAProxy confirms from another directory", () => {
    const text = cfg("global", "    log stdout local0", ...FRONTEND);
    expect(lint(text)).toEqual([
      {
        line: 9,
        column: 23,
        severity: "warning",
        code: "cert-path-relative",
        message:
          "'crt certs/site.pem' is relative to the directory HAProxy was started from. Bundle files under certs/ resolve relative to the configuration only with 'default-path config' in the global section.",
      },
    ]);
    expect(checkWithHaproxy(text, bundleFiles(), { fromElsewhere: true }).output).toContain("unable to stat SSL certificate from file 'certs/site.pem'");
    const fixed = text.replace("global\n", "global\n    default-path config\n");
    expect(lint(fixed)).toEqual([]);
    expect(checkWithHaproxy(fixed, bundleFiles(), { fromElsewhere: true }).valid).toBe(true);
  });

  it("warns that crt-base moves certs/ paths out of the bundle", () => {
    const text = cfg("global", "    default-path config", "    crt-base /etc/ssl/private", ...FRONTEND);
    expect(lint(text).map((d) => [d.line, d.code, d.message])).toEqual([
      [10, "cert-path-base", "'crt certs/site.pem' resolves under crt-base '/etc/ssl/private', not in the configuration bundle. Remove 'crt-base' to use the bundle's certs/ directory."],
    ]);
    expect(checkWithHaproxy(text, bundleFiles()).output).toContain("'/etc/ssl/private/certs/site.pem'");
  });

  it("warns about absolute certificate paths, which name files outside the bundle", () => {
    // HAProxy itself is content as long as someone put the file there by hand.
    const dir = mkdtempSync(join(tmpdir(), "ha-abs-"));
    try {
      const path = join(dir, "site.pem");
      writeFileSync(path, bundleFiles()["certs/site.pem"]!);
      const text = cfg("global", "    default-path config", ...FRONTEND).replace("crt certs/site.pem", `crt ${path}`);
      expect(lint(text).map((d) => [d.line, d.column, d.code])).toEqual([[9, 23, "cert-path-absolute"]]);
      expect(checkWithHaproxy(text).valid).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
