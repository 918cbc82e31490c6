import { describe, expect, it } from "vitest";
import { bindAddresses, splitConfigWords } from "./bind-fns.js";
import { listeningInodes } from "../haproxy/listeners.js";

describe("bindAddresses", () => {
  it("reads bind lines with their line numbers, wildcards, lists and ranges", () => {
    const cfg = [
      "frontend a",
      "  bind :80",
      "  bind 10.0.0.1:443,10.0.0.2:443 ssl crt certs/site.pem # two",
      "listen b",
      "  bind ipv6@:::8443",
      "  bind *:9000-9001",
    ].join("\n");
    expect(bindAddresses(cfg, {}).map(({ host, port, line }) => `${line} ${host} ${port}`)).toEqual([
      "2 0.0.0.0 80",
      "3 10.0.0.1 443",
      "3 10.0.0.2 443",
      "5 :: 8443",
      "6 0.0.0.0 9000",
      "6 0.0.0.0 9001",
    ]);
  });

  it("expands ${VAR} inside double quotes from the HAProxy environment", () => {
    expect(bindAddresses('  bind "${NODE_BIND}:443" ssl', { NODE_BIND: "192.0.2.7" })).toMatchObject([{ host: "192.0.2.7", port: 443, text: "192.0.2.7:443" }]);
  });

  it("leaves out non-TCP addresses, transparent/freebind binds and comments", () => {
    const cfg = ["  bind unix@/run/x.sock", "  bind /run/y.sock", "  bind abns@z", "  bind 10.9.9.9:80 transparent", "  # bind :81", "  bind quic4@:443"].join("\n");
    expect(bindAddresses(cfg, {})).toEqual([]);
  });

  it("splits words like HAProxy: quotes, escapes, comments", () => {
    expect(splitConfigWords(`  http-request return string "a # b" 'c$X' \\# # tail`, { X: "no" })).toEqual(["http-request", "return", "string", "a # b", "c$X", "#"]);
  });
});

describe("listeningInodes", () => {
  it("finds LISTEN sockets on a port in /proc/net/tcp", () => {
    const table = [
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1",
      "   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 12346 1",
      "   2: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 999 1",
    ].join("\n");
    expect([...listeningInodes(table, 8080)]).toEqual(["12345"]);
  });
});
