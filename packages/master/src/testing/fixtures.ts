/**
 * Realistic configs for tests and benchmarks, in the shapes DESIGN.md names. Backends use
 * addresses from 198.18.0.0/15 (benchmarking range): nothing here ever reaches a real host.
 */

/** The edge layer: TCP on 443 routed by SNI to Vault, Consul, an ingress and the Kubernetes API. */
export const EDGE_CONFIG = `global
    log stdout format raw local0
    maxconn 20000
    default-path config

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 5s
    timeout client 60s
    timeout server 60s

frontend tls_edge
    bind :8443
    tcp-request inspect-delay 5s
    tcp-request content accept if { req_ssl_hello_type 1 }
    use_backend vault if { req_ssl_sni -i vault.example.test }
    use_backend consul if { req_ssl_sni -i consul.example.test }
    use_backend kube_api if { req_ssl_sni -i api.k8s.example.test }
    default_backend ingress

backend vault
    option tcp-check
    server vault1 198.18.0.11:8200 check
    server vault2 198.18.0.12:8200 check
    server vault3 198.18.0.13:8200 check

backend consul
    server consul1 198.18.0.21:8501 check
    server consul2 198.18.0.22:8501 check

backend ingress
    balance roundrobin
    server ingress1 198.18.0.31:443 check
    server ingress2 198.18.0.32:443 check

backend kube_api
    option httpchk
    http-check connect ssl
    http-check send meth GET uri /healthz
    http-check expect status 200
    default-server inter 10s downinter 5s rise 2 fall 2 slowstart 60s maxconn 250 maxqueue 256 weight 100
    server master1 198.18.0.41:6443 check check-ssl verify none
    server master2 198.18.0.42:6443 check check-ssl verify none
    server master3 198.18.0.43:6443 check check-ssl verify none
`;

/** A small HTTP config, easy to change line by line in tests. */
export function httpConfig(options: { port?: number; servers?: number; extra?: string } = {}): string {
  const servers = Array.from(
    { length: options.servers ?? 2 },
    (_, i) => `    server web${i + 1} 198.18.1.${i + 1}:8080 check`,
  ).join("\n");
  return `global
    maxconn 1000

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend www
    bind :${options.port ?? 8080}
    default_backend web
${options.extra ?? ""}
backend web
    balance roundrobin
${servers}
`;
}

/**
 * A realistic ~300-line config: many frontends routing by Host to many backends (benchmarks).
 * `seed` changes a few servers so consecutive versions differ like real edits do.
 */
export function largeConfig(seed = 0): string {
  const lines = [
    "global",
    "    maxconn 50000",
    "    log stdout format raw local0",
    "    default-path config",
    "",
    "defaults",
    "    mode http",
    "    log global",
    "    option httplog",
    "    timeout connect 5s",
    "    timeout client 30s",
    "    timeout server 30s",
    "",
    "frontend public",
    "    bind :8080",
  ];
  const services = 20;
  for (let s = 0; s < services; s++) lines.push(`    use_backend svc${s} if { hdr(host) -i svc${s}.example.test }`);
  lines.push("    default_backend svc0", "");
  for (let s = 0; s < services; s++) {
    lines.push(`backend svc${s}`, "    balance roundrobin", "    option httpchk GET /healthz", "    http-check expect status 200");
    for (let n = 0; n < 8; n++) {
      const host = (s * 8 + n + seed) % 250;
      lines.push(`    server s${n} 198.18.${2 + (s % 4)}.${host + 1}:8080 check inter 5s`);
    }
    lines.push("");
  }
  return lines.join("\n") + "\n";
}
