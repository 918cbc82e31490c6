// Test helpers for real-HAProxy tests: free loopback ports, tiny HTTP backends, bundles, temp
// state dirs, and cleanup of every HAProxy a test started. Not part of the package build.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { bundleHash } from "@ha-master/shared";
import type { Bundle } from "../apply/applier.js";

/** The HAProxy the tests run; they fail (not skip) with this message when it is missing. */
export const HAPROXY_BIN = process.env["HAPROXY_BIN"] ?? "/usr/sbin/haproxy";

/** Throws a clear error when HAProxy is not installed. */
export function requireHaproxyBinary(): string {
  if (!existsSync(HAPROXY_BIN)) {
    throw new Error(`HAProxy is required for these tests and was not found at ${HAPROXY_BIN} (install haproxy 2.6 or set HAPROXY_BIN)`);
  }
  return HAPROXY_BIN;
}

/** A loopback port nobody listens on right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A tiny HTTP backend answering `body` to every request. */
export interface Backend {
  port: number;
  close(): Promise<void>;
}

export async function startBackend(body: string): Promise<Backend> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** GET over a fresh connection each time (no keep-alive), returning status and body. */
export function httpGet(port: number, timeoutMs = 3_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", agent: false, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

/** A minimal valid HTTP proxy config: one frontend on `listen` to one backend server. */
export function proxyConfig(opts: { listen: string; backendPort: number; extra?: string }): string {
  return [
    "global",
    "  default-path config",
    "defaults",
    "  mode http",
    "  timeout connect 2s",
    "  timeout client 10s",
    "  timeout server 10s",
    "frontend fe",
    `  bind ${opts.listen}`,
    "  default_backend be",
    ...(opts.extra ? [opts.extra] : []),
    "backend be",
    `  server s1 127.0.0.1:${opts.backendPort} check inter 1s`,
    "",
  ].join("\n");
}

let nonceCounter = 0;

/** A bundle of text files with its hash computed the way the master does. */
export function makeBundle(files: Record<string, string | { text: string; mode: number }>, version = 1): Bundle {
  const list = Object.entries(files).map(([p, f]) => ({
    path: p,
    content: new TextEncoder().encode(typeof f === "string" ? f : f.text),
    mode: typeof f === "string" ? 0o644 : f.mode,
  }));
  return { hash: bundleHash(list), files: list, version, deploymentId: `dep-${version}`, nonce: `n-${++nonceCounter}` };
}

/** A fresh temp directory under os.tmpdir(); the returned function removes it. */
export async function tempDir(prefix = "ha-agent-test-"): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Kills an HAProxy the tests started, master and workers: the agent starts it in its own
 * session, so its pid is also its process group, and the whole group goes.
 */
export async function killHard(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      return;
    }
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
