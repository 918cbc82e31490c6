import { describe, expect, it } from "vitest";
import { haproxyProblems } from "./check-output.js";
import { lintConfig } from "./lint.js";
import { parseConfig } from "./parse.js";
import { checkWithHaproxy } from "./testdata/haproxy-check.mjs";

const cfg = (...lines: string[]) => lines.join("\n") + "\n";
const lint = (text: string) => lintConfig(parseConfig(text));
/** What the real HAProxy says about the same text, as {line, message} pairs. */
const haproxy = (text: string) => haproxyProblems(checkWithHaproxy(text).output);
// Lines 1-5 of most cases: timeouts set, so that only the rule under test speaks.
const DEFAULTS = ["defaults", "    mode http", "    timeout client 5s", "    timeout connect 5s", "    timeout server 5s"];

describe("lintConfig keywords", () => {
  it("reports an unknown keyword on its own line with a suggestion", () => {
    const text = cfg("global", "    maxconn 100", "    mayconn 200");
    expect(lint(text)).toEqual([
      {
        line: 3,
        column: 5,
        severity: "error",
        code: "unknown-keyword",
        message: "unknown keyword 'mayconn' in 'global' section; did you mean 'maxconn' maybe ?",
      },
    ]);
    expect(haproxy(text)).toContainEqual(
      expect.objectContaining({ line: 3, message: "unknown keyword 'mayconn' in 'global' section; did you mean 'maxconn' maybe ?" }),
    );
  });

  it("reports unknown proxy keywords, options and second words where HAProxy does", () => {
    const text = cfg(...DEFAULTS, "frontend fe", "    bnd :80", "    option htttplog", "    timeout clinet 5s", "    tcp-request inspect-dalay 5s");
    expect(lint(text).map((d) => [d.line, d.column, d.code, d.message])).toEqual([
      [7, 5, "unknown-keyword", "unknown keyword 'bnd' in 'frontend' section; did you mean 'bind' maybe ?"],
      [8, 12, "unknown-keyword", "unknown option 'htttplog'; did you mean 'httplog' maybe ?"],
      [9, 13, "unknown-keyword", "unknown keyword 'timeout clinet' in 'frontend' section; did you mean 'timeout client' maybe ?"],
      [10, 17, "unknown-keyword", "unknown keyword 'tcp-request inspect-dalay' in 'frontend' section; did you mean 'tcp-request inspect-delay' maybe ?"],
    ]);
    const said = haproxy(text);
    expect(said).toContainEqual(expect.objectContaining({ line: 7, message: expect.stringContaining("unknown keyword 'bnd' in 'frontend' section") }));
    expect(said).toContainEqual(expect.objectContaining({ line: 8, message: expect.stringContaining("unknown option 'htttplog'") }));
    expect(said).toContainEqual(expect.objectContaining({ line: 9, message: expect.stringContaining("'timeout' supports") }));
    expect(said).toContainEqual(expect.objectContaining({ line: 10, message: expect.stringContaining("'tcp-request' expects") }));
  });

  it("accepts multi-word keywords, prefixes and rule actions of valid configurations", () => {
    const text = cfg(
      ...DEFAULTS,
      "    no option http-server-close",
      "    option httpchk GET /health",
      "frontend fe",
      "    bind :80",
      "    tcp-request inspect-delay 5s",
      "    tcp-request content accept if { req_ssl_hello_type 1 }",
      "    http-request set-var(txn.host) req.hdr(host)",
      "    stick-table type ip size 1k store http_req_rate(10s)",
      "    http-request track-sc0 src",
      "    http-response set-header X-A b",
      "    stats uri /s",
      "    use_backend be",
      "backend be",
      "    http-check send meth GET uri /",
      "    http-check set-var(check.port) int(8080)",
      "    server s 127.0.0.1:80 check inter 2s ssl verify none sni str(x)",
    );
    expect(lint(text)).toEqual([]);
    expect(checkWithHaproxy(text).valid).toBe(true);
  });

  it("reports unknown rule actions with a suggestion", () => {
    const text = cfg(...DEFAULTS, "frontend fe", "    bind :80", "    http-request set-heder X 1", "    tcp-request content acept");
    expect(lint(text).map((d) => [d.line, d.column, d.code, d.message])).toEqual([
      [8, 18, "unknown-action", "unknown action 'set-heder' for 'http-request'; did you mean 'set-header' maybe ?"],
      [9, 25, "unknown-action", "unknown action 'acept' for 'tcp-request content'; did you mean 'accept' maybe ?"],
    ]);
    // HAProxy stops at the first bad rule, so each one is shown to it alone.
    expect(haproxy(text)).toContainEqual(expect.objectContaining({ line: 8, message: expect.stringContaining("but got 'set-heder'") }));
    const second = text.replace("http-request set-heder X 1", "http-request set-header X 1");
    expect(haproxy(second)).toContainEqual(expect.objectContaining({ line: 9, message: expect.stringContaining("(got 'acept')") }));
  });

  it("repeats HAProxy's advice for removed keywords", () => {
    const text = cfg("global", "    nbproc 2", ...DEFAULTS, "backend be", "    reqadd X-A:\\ b");
    expect(lint(text).map((d) => [d.line, d.code, d.message])).toEqual([
      [2, "removed-keyword", "nbproc is not supported any more since HAProxy 2.5. Threads will automatically be used on multi-processor machines if available."],
      [9, "removed-keyword", "The 'reqadd' directive is not supported anymore since HAProxy 2.1. Use 'http-request add-header' instead."],
    ]);
    const said = haproxy(text);
    expect(said).toContainEqual(expect.objectContaining({ line: 2, message: expect.stringContaining("nbproc is not supported") }));
    expect(said).toContainEqual(expect.objectContaining({ line: 9, message: expect.stringContaining("'reqadd' directive is not supported") }));
  });

  it("refuses keywords where HAProxy refuses them and warns where it ignores them", () => {
    const text = cfg(
      "defaults",
      "    bind :80",
      "    http-request deny",
      "frontend fe",
      "    bind :81",
      "    balance roundrobin",
      "    server s1 127.0.0.1:80",
    );
    expect(lint(text).filter((d) => d.code !== "missing-timeouts").map((d) => [d.line, d.severity, d.message])).toEqual([
      [2, "error", "'bind' not allowed in 'defaults' section."],
      [3, "error", "'http-request' not allowed in anonymous 'defaults' section: name the section ('defaults <name>') to use it there."],
      [6, "warning", "'balance' ignored because frontend 'fe' has no backend capability."],
      [7, "error", "'server' not allowed because frontend 'fe' has no backend capability."],
    ]);
    const said = haproxy(text);
    expect(said).toContainEqual(expect.objectContaining({ line: 2, severity: "alert", message: "'bind' not allowed in 'defaults' section." }));
    expect(said).toContainEqual(expect.objectContaining({ line: 3, severity: "alert", message: expect.stringContaining("anonymous 'defaults' section") }));
    expect(said).toContainEqual(expect.objectContaining({ line: 6, severity: "warning", message: expect.stringContaining("'balance' ignored") }));
    expect(said).toContainEqual(expect.objectContaining({ line: 7, severity: "alert", message: expect.stringContaining("'server' not allowed") }));
  });

  it("refuses 'no' before keywords that cannot be negated", () => {
    const text = cfg("global", "    no maxconn 3", "defaults", "    no option httplog");
    expect(lint(text).map((d) => [d.line, d.column, d.code])).toEqual([
      [2, 5, "negation-unsupported"],
      [4, 15, "negation-unsupported"],
    ]);
    const said = haproxy(text);
    expect(said).toContainEqual(expect.objectContaining({ line: 2, message: expect.stringContaining("negation/default currently supported only for") }));
    expect(said).toContainEqual(expect.objectContaining({ line: 4, message: "negation/default is not supported for option 'httplog'." }));
  });

  it("warns about the 'default' prefix, which 2.6 mangles", () => {
    const text = cfg("defaults", "    default option dontlognull");
    expect(lint(text).map((d) => [d.line, d.severity, d.code])).toEqual([[2, "warning", "default-prefix"]]);
    expect(haproxy(text)).toContainEqual(expect.objectContaining({ line: 2, message: "'option dontlognull' cannot handle unexpected argument 'dontlognull'." }));
  });

  it("reports unknown server and bind options, with a suggestion", () => {
    const text = cfg(...DEFAULTS, "frontend fe", "    bind :80 v4v6 alpnn h2", "    default_backend be", "backend be", "    server s1 127.0.0.1:80 inter 2s chek");
    expect(lint(text).map((d) => [d.line, d.column, d.code, d.message])).toEqual([
      [7, 19, "unknown-option", "'bind :80' : unknown keyword 'alpnn'; did you mean 'alpn' maybe ?"],
      [10, 37, "unknown-option", "'server be/s1' : unknown keyword 'chek'; did you mean 'check' maybe ?"],
    ]);
    const said = haproxy(text);
    expect(said).toContainEqual(expect.objectContaining({ line: 7, message: expect.stringContaining("unknown keyword 'alpnn'") }));
    expect(said).toContainEqual(expect.objectContaining({ line: 10, message: expect.stringContaining("unknown keyword 'chek'") }));
  });

  it("stops checking options after one whose arguments it cannot count", () => {
    // `source` takes a variable number of words; what follows is not judged.
    const text = cfg(...DEFAULTS, "backend be", "    server s1 127.0.0.1:80 source 0.0.0.0 usesrc clientip check");
    expect(lint(text)).toEqual([]);
  });

  it("reports unknown keywords in the smaller sections", () => {
    const text = cfg("resolvers dns", "    namserver ns1 127.0.0.1:53", "userlist u", "    usr bob insecure-password x");
    expect(lint(text).map((d) => [d.line, d.message])).toEqual([
      [2, "unknown keyword 'namserver' in 'resolvers' section; did you mean 'nameserver' maybe ?"],
      [4, "unknown keyword 'usr' in 'userlist' section; did you mean 'user' maybe ?"],
    ]);
    const said = haproxy(text);
    expect(said).toContainEqual(expect.objectContaining({ line: 2, message: expect.stringContaining("unknown keyword 'namserver'") }));
    expect(said).toContainEqual(expect.objectContaining({ line: 4, message: expect.stringContaining("unknown keyword 'usr'") }));
  });

  it("does not judge keywords inside conditional blocks, which may target another version", () => {
    const text = cfg("global", ".if version_atleast(3.0)", "    tune.quic.frontend.max-idle-timeout 30s", ".endif", "    maxconn 10");
    expect(lint(text)).toEqual([]);
    expect(checkWithHaproxy(text).valid).toBe(true);
  });
});

describe("lintConfig values", () => {
  it("reports an unknown mode and malformed timeouts as HAProxy does", () => {
    const text = cfg("defaults", "    mode htpp", "    timeout client 1.5s", "    timeout server 5sec", "    timeout connect", "    timeout queue 30s");
    expect(lint(text).map((d) => [d.line, d.column, d.severity, d.code])).toEqual([
      [2, 10, "error", "invalid-value"],
      [3, 20, "error", "invalid-value"],
      [4, 20, "warning", "invalid-value"],
      [5, 5, "error", "invalid-value"],
    ]);
    const said = haproxy(text);
    expect(said).toContainEqual(expect.objectContaining({ line: 2, message: "unknown proxy mode 'htpp'." }));
    expect(haproxy(cfg("defaults", "    timeout client 1.5s"))).toContainEqual(expect.objectContaining({ line: 2, message: "unexpected character '.' in 'timeout client'" }));
    expect(haproxy(cfg("defaults", "    timeout server 5sec"))).toContainEqual(expect.objectContaining({ severity: "warning", message: expect.stringContaining("unexpected character 'e' after the timer value '5sec'") }));
    expect(haproxy(cfg("defaults", "    timeout connect"))).toContainEqual(expect.objectContaining({ line: 2, message: "'timeout connect' expects an integer value (in milliseconds)" }));
  });
});
