import { describe, expect, it } from "vitest";
import { haproxyProblems } from "./check-output.js";
import { lintConfig } from "./lint.js";
import { parseConfig } from "./parse.js";
import { checkWithHaproxy } from "./testdata/haproxy-check.mjs";

const cfg = (...lines: string[]) => lines.join("\n") + "\n";
const lint = (text: string) => lintConfig(parseConfig(text));
const haproxy = (text: string) => haproxyProblems(checkWithHaproxy(text).output);
const brief = (text: string) => lint(text).map((d) => [d.line, d.severity, d.code]);
const DEFAULTS = ["defaults", "    mode http", "    timeout client 5s", "    timeout connect 5s", "    timeout server 5s"];

describe("lintConfig section headers", () => {
  it("reports a section that needs a name without one", () => {
    const text = cfg(...DEFAULTS, "backend", "    server s 127.0.0.1:80");
    expect(lint(text)).toEqual([
      { line: 6, column: 1, severity: "error", code: "section-name-missing", message: "'backend' expects a name: 'backend <name>'." },
    ]);
    expect(haproxy(text)).toContainEqual(expect.objectContaining({ line: 6, message: "'backend' expects an <id> argument" }));
  });

  it("reports header words other than 'from <defaults>'", () => {
    const text = cfg("global x", ...DEFAULTS, "backend be be2", "    server s 127.0.0.1:80");
    expect(lint(text).map((d) => [d.line, d.column, d.code])).toEqual([
      [1, 8, "unexpected-argument"],
      [7, 12, "unexpected-argument"],
    ]);
    expect(haproxy(text)).toContainEqual(expect.objectContaining({ line: 1, message: "'global' cannot handle unexpected argument 'x'." }));
    expect(checkWithHaproxy(cfg(...DEFAULTS, "backend be be2", "    server s 127.0.0.1:80")).valid).toBe(false);
  });

  it("reports 'from' naming a defaults section that is missing or declared later", () => {
    const text = cfg("frontend fe from base", "    bind :80", "defaults base", "    mode http");
    expect(lint(text).filter((d) => d.code === "defaults-not-found")).toEqual([
      {
        line: 1,
        column: 18,
        severity: "error",
        code: "defaults-not-found",
        message: "defaults section 'base' not found for frontend 'fe'. It must be declared above the sections that use it.",
      },
    ]);
    expect(haproxy(text)).toContainEqual(expect.objectContaining({ line: 1, message: "defaults section 'base' not found for frontend 'fe'." }));
  });
});

describe("lintConfig duplicate names", () => {
  it("refuses two frontends or two backends with one name but allows a frontend and a backend", () => {
    const text = cfg(...DEFAULTS, "frontend web", "    bind :80", "    default_backend web", "backend web", "    server s 127.0.0.1:80", "frontend web", "    bind :81");
    expect(brief(text)).toEqual([[11, "error", "duplicate-name"]]);
    expect(lint(text)[0]!.message).toBe("frontend 'web' has the same name as frontend 'web' declared at line 6.");
    expect(haproxy(text)).toContainEqual(expect.objectContaining({ line: 11, message: "frontend 'web' has the same name as frontend 'web' declared at haproxy.cfg:6." }));
  });

  it("refuses a backend after a listen of the same name but only warns about the reverse order, as 2.6 does", () => {
    const listenFirst = cfg(...DEFAULTS, "listen app", "    bind :80", "    server s 127.0.0.1:80", "backend app", "    server s 127.0.0.1:81");
    expect(brief(listenFirst)).toEqual([[9, "error", "duplicate-name"]]);
    expect(haproxy(listenFirst)).toContainEqual(expect.objectContaining({ line: 9, message: expect.stringContaining("backend 'app' has the same name as proxy 'app'") }));

    const backendFirst = cfg(...DEFAULTS, "backend app", "    server s 127.0.0.1:81", "listen app", "    bind :80", "    server s 127.0.0.1:80");
    expect(brief(backendFirst)).toEqual([[8, "warning", "duplicate-name"]]);
    expect(checkWithHaproxy(backendFirst).valid).toBe(true);
  });

  it("refuses a log-forward section named like any proxy", () => {
    const text = cfg(...DEFAULTS, "backend logs", "    server s 127.0.0.1:80", "log-forward logs", "    dgram-bind 127.0.0.1:5140");
    expect(brief(text)).toEqual([[8, "error", "duplicate-name"]]);
    expect(haproxy(text)).toContainEqual(expect.objectContaining({ line: 8, message: expect.stringContaining("has the same name as backend 'logs'") }));
  });

  it("refuses duplicate peers, resolvers and cache sections and ignores a duplicate userlist", () => {
    const peers = cfg("peers p", "    peer a 127.0.0.1:10000", "peers p", "    peer a 127.0.0.1:10001");
    expect(brief(peers)).toEqual([[3, "error", "duplicate-name"]]);
    expect(haproxy(peers)).toContainEqual(expect.objectContaining({ line: 3, message: expect.stringContaining("peers section 'p' has the same name") }));

    const cache = cfg("cache c", "    total-max-size 4", "cache c", "    total-max-size 4");
    expect(brief(cache)).toEqual([[3, "error", "duplicate-name"]]);
    expect(haproxy(cache)).toContainEqual(expect.objectContaining({ line: 3, message: "Duplicate cache name 'c'." }));

    const users = cfg("userlist u", "    user a insecure-password x", "userlist u", "    user b insecure-password y");
    expect(brief(users)).toEqual([[3, "warning", "duplicate-section"]]);
    expect(haproxy(users)).toContainEqual(expect.objectContaining({ line: 3, severity: "warning", message: "ignoring duplicated userlist 'u'." }));
  });

  it("reports the second server with a name already used in the backend", () => {
    const text = cfg(...DEFAULTS, "backend be", "    server s1 127.0.0.1:80", "    server s2 127.0.0.1:81", "    server s1 127.0.0.1:82");
    expect(lint(text)).toEqual([
      {
        line: 9,
        column: 12,
        severity: "error",
        code: "duplicate-server",
        message: "backend 'be', another server named 's1' was already defined at line 7, please use distinct names.",
      },
    ]);
    expect(haproxy(text)).toContainEqual(expect.objectContaining({ line: 9, message: "backend 'be', another server named 's1' was already defined at line 7, please use distinct names." }));
  });
});

describe("lintConfig references and servers", () => {
  it("reports default_backend and use_backend naming a missing backend, but not dynamic names", () => {
    const text = cfg(
      ...DEFAULTS,
      "frontend fe",
      "    bind :80",
      "    use_backend api if { path_beg /api }",
      "    use_backend be_%[req.hdr(host),lower] if { req.hdr(host) -m found }",
      "    default_backend web_default",
      "backend web",
      "    server s 127.0.0.1:80",
    );
    expect(lint(text).map((d) => [d.line, d.column, d.code, d.message])).toEqual([
      [8, 17, "backend-not-found", "unable to find required use_backend: 'api'"],
      [10, 21, "backend-not-found", "unable to find required default_backend: 'web_default'"],
    ]);
    const said = haproxy(text).map((p) => p.message);
    expect(said).toContain("Proxy 'fe': unable to find required use_backend: 'api'.");
    expect(said).toContain("Proxy 'fe': unable to find required default_backend: 'web_default'.");
  });

  it("checks a default_backend inherited from defaults where a frontend uses it", () => {
    const text = cfg(...DEFAULTS, "    default_backend missing", "frontend fe", "    bind :80", "backend web", "    server s 127.0.0.1:80");
    expect(lint(text).map((d) => [d.line, d.code, d.message])).toEqual([
      [6, "backend-not-found", "unable to find required default_backend: 'missing' (inherited by frontend 'fe')"],
    ]);
    expect(haproxy(text).map((p) => p.message)).toContain("Proxy 'fe': unable to find required default_backend: 'missing'.");
  });

  it("reports server lines without an address, including an option written in its place", () => {
    const text = cfg(...DEFAULTS, "backend be", "    server s1", "    server s2 check", "    server s3 127.0.0.1:80 check");
    expect(lint(text).map((d) => [d.line, d.column, d.code])).toEqual([
      [7, 5, "server-address-missing"],
      [8, 15, "server-address-missing"],
    ]);
    expect(lint(text)[1]!.message).toBe("'server be/s2' has no address: 'check' is an option. Write 'server s2 <addr>[:<port>] check ...'.");
    expect(haproxy(text)).toContainEqual(expect.objectContaining({ line: 7, message: "'server' expects <name> and <addr>[:<port>] as arguments." }));
    expect(checkWithHaproxy(cfg(...DEFAULTS, "backend be", "    server s2 check")).valid).toBe(false);
  });
});
