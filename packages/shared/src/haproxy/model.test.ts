import { describe, expect, it } from "vitest";
import { certificateRefs, summarizeConfig } from "./model.js";
import { parseConfig } from "./parse.js";
import { testConfig } from "./testdata/haproxy-check.mjs";

const cfg = (...lines: string[]) => lines.join("\n") + "\n";

describe("summarizeConfig", () => {
  it("lists frontends and backends with modes, binds, routing and servers", () => {
    const summary = summarizeConfig(parseConfig(testConfig("edge-sni")));
    expect(summary.frontends.map((f) => f.name)).toEqual(["edge_tls", "edge_plain"]);
    expect(summary.frontends[0]).toEqual({
      name: "edge_tls",
      kind: "frontend",
      line: 20,
      mode: "tcp",
      binds: [":443", ":::443"],
      defaultBackend: "web_default",
      useBackends: ["vault", "gitlab", "%[req_ssl_sni,lower,map(maps/sni.map,web_default)]"],
    });
    expect(summary.frontends[1]).toMatchObject({ name: "edge_plain", mode: "http", defaultBackend: "acme" });
    const vault = summary.backends.find((b) => b.name === "vault")!;
    expect(vault).toMatchObject({ kind: "backend", mode: "tcp", balance: "source" });
    expect(vault.servers).toEqual([
      { name: "vault1", address: "10.0.1.11:8200", options: ["check", "inter", "5s"], line: 41 },
      { name: "vault2", address: "10.0.1.12:8200", options: ["check", "inter", "5s"], line: 42 },
      { name: "vault3", address: "10.0.1.13:8200", options: ["check", "inter", "5s", "backup"], line: 43 },
    ]);
  });

  it("counts listen sections as both frontend and backend, and inherits through 'from'", () => {
    const summary = summarizeConfig(parseConfig(testConfig("named-defaults")));
    const listen = { name: "postgres", kind: "listen", mode: "tcp" };
    expect(summary.frontends).toContainEqual(expect.objectContaining({ ...listen, binds: [":5432"] }));
    expect(summary.backends).toContainEqual(expect.objectContaining({ ...listen, servers: expect.arrayContaining([expect.objectContaining({ name: "pg2" })]) }));
    expect(summary.frontends.find((f) => f.name === "public")!.mode).toBe("http");
  });

  it("takes mode, balance and default backend from the defaults a proxy inherits", () => {
    const text = cfg("defaults", "    mode http", "    balance leastconn", "    default_backend web", "frontend fe", "    bind :80", "backend web", "    server s 10.0.0.1:80", "defaults", "backend raw");
    const summary = summarizeConfig(parseConfig(text));
    expect(summary.frontends[0]).toMatchObject({ mode: "http", defaultBackend: "web" });
    expect(summary.backends.map((b) => [b.name, b.mode, b.balance])).toEqual([
      ["web", "http", "leastconn"],
      ["raw", "tcp", undefined],
    ]);
  });
});

describe("certificateRefs", () => {
  it("finds crt, ca-file and crl-file on bind, server and default-server lines", () => {
    const refs = certificateRefs(parseConfig(testConfig("mtls-backend")));
    expect(refs.map((r) => [r.line, r.keyword, r.path])).toEqual([
      [15, "crt", "certs/site.pem"],
      [15, "ca-file", "certs/ca.pem"],
      [15, "crl-file", "certs/ca.pem"],
      [21, "ca-file", "certs/internal-ca.pem"],
      [21, "crt", "certs/client.pem"],
    ]);
    expect(refs[0]!.column).toBe(24);
  });

  it("finds several crt options, crt-list and the global base directories", () => {
    const text = cfg(
      "global",
      "    crt-base /etc/ssl/private",
      "    ca-base /etc/ssl/certs",
      "frontend fe",
      "    bind :443 ssl crt certs/a.pem crt certs/b.pem crt-list certs/list.txt alpn h2",
      "peers mesh",
      "    bind :10000 ssl crt certs/peer.pem",
      "    server a",
    );
    expect(certificateRefs(parseConfig(text)).map((r) => [r.line, r.keyword, r.path])).toEqual([
      [2, "crt-base", "/etc/ssl/private"],
      [3, "ca-base", "/etc/ssl/certs"],
      [5, "crt", "certs/a.pem"],
      [5, "crt", "certs/b.pem"],
      [5, "crt-list", "certs/list.txt"],
      [7, "crt", "certs/peer.pem"],
    ]);
  });

  it("still finds certificates written after an option it does not know", () => {
    const text = cfg("frontend fe", "    bind :443 ssl frobnicate crt certs/a.pem");
    expect(certificateRefs(parseConfig(text)).map((r) => r.path)).toEqual(["certs/a.pem"]);
  });
});
