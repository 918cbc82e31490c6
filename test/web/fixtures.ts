import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../support/processes.js";

/**
 * A node's config: HTTP on the node's own port (NODE_PORT), routed to `app`, health-checked;
 * `default-path config` makes `certs/…` resolve next to the config, where the bundle puts them.
 */
export function edgeConfig(opts: { backendPort: number; deadPort: number; typo?: boolean; maxconn?: number; second?: boolean; tls?: string }): string {
  return `global
    maxconn ${opts.maxconn ?? 200}
    default-path config

defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend www
    ${opts.typo ? "bnd" : "bind"} "127.0.0.1:\${NODE_PORT}"
${opts.tls ? `    bind "127.0.0.1:\${NODE_TLS_PORT}" ssl crt ${opts.tls}\n` : ""}    default_backend app

backend app
    option httpchk GET /
    default-server inter 1s fall 2 rise 1
    server app1 127.0.0.1:${opts.backendPort} check
${opts.second ? `    server app2 127.0.0.1:${opts.deadPort} check\n` : ""}`;
}

/**
 * A node's config with one backend of two servers, app1 and app2, balanced in turn and
 * health-checked: both on 127.0.0.1, at the given ports.
 */
export function twoServerConfig(ports: { app1: number; app2: number }): string {
  return `global
    maxconn 200

defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend www
    bind "127.0.0.1:\${NODE_PORT}"
    default_backend app

backend app
    balance roundrobin
    option httpchk GET /
    default-server inter 1s fall 2 rise 1
    server app1 127.0.0.1:${ports.app1} check
    server app2 127.0.0.1:${ports.app2} check
`;
}

/** A self-signed EC certificate and key (openssl), valid `days` days: one PEM file with both. */
export function selfSignedPem(commonName: string, days: number): string {
  const dir = tempDir("web-cert");
  const key = join(dir, "key.pem");
  const cert = join(dir, "cert.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", key, "-out", cert, "-days", String(days), "-subj", `/CN=${commonName}`,
    "-addext", `subjectAltName=DNS:${commonName},DNS:www.${commonName}`,
  ], { stdio: "ignore" });
  return readFileSync(cert, "utf8") + readFileSync(key, "utf8");
}
