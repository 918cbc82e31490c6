// Test support: runs the installed HAProxy on a configuration, to compare the linter with it.
// Plain JavaScript so that it stays out of the package build (tsc compiles only .ts files).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
export const HAPROXY = process.env.HAPROXY_BIN ?? "/usr/sbin/haproxy";

function requireBinary(path, what) {
  if (!existsSync(path)) {
    throw new Error(
      `${what} not found at ${path}. These tests compare the linter with the real program: ` +
        `install it (Debian: apt-get install haproxy openssl) or set HAPROXY_BIN.`,
    );
  }
}

let pem;
/** A throw-away self-signed certificate and key in one PEM, made once per test process. */
export function testPem() {
  if (pem) return pem;
  requireBinary("/usr/bin/openssl", "openssl");
  const dir = mkdtempSync(join(tmpdir(), "ha-pem-"));
  try {
    const r = spawnSync("/usr/bin/openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
      "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem"), "-days", "3650", "-subj", "/CN=test",
    ]);
    if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
    pem = readFileSync(join(dir, "c.pem"), "utf8") + readFileSync(join(dir, "k.pem"), "utf8");
    return pem;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Files the test configurations refer to, written next to the configuration. */
export function bundleFiles() {
  const cert = testPem();
  return {
    "certs/site.pem": cert,
    "certs/wildcard.pem": cert,
    "certs/client.pem": cert,
    "certs/ca.pem": cert,
    "certs/internal-ca.pem": cert,
    "errors/503.http": "HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\nunavailable\n",
    "maps/sni.map": "app.example.com web_default\n",
  };
}

/**
 * Runs `haproxy -c` on a configuration in a fresh directory holding `files`. HAProxy is
 * started from that directory, or with `fromElsewhere` from another one, as a node's service
 * manager would, so that relative paths resolve differently.
 */
export function checkWithHaproxy(config, files = {}, { fromElsewhere = false } = {}) {
  requireBinary(HAPROXY, "HAProxy");
  const dir = mkdtempSync(join(tmpdir(), "ha-check-"));
  try {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    writeFileSync(join(dir, "haproxy.cfg"), config);
    const [cwd, file] = fromElsewhere ? [tmpdir(), join(dir, "haproxy.cfg")] : [dir, "haproxy.cfg"];
    const r = spawnSync(HAPROXY, ["-c", "-f", file], { cwd, encoding: "utf8", timeout: 20_000 });
    const output = `${r.stdout ?? ""}${r.stderr ?? ""}`;
    // Exit 2 means "valid but nothing to listen on", which is still a valid configuration.
    return { valid: (r.status === 0 || r.status === 2) && !output.includes("[ALERT]"), status: r.status, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of a configuration kept under testdata/. */
export function testConfig(name) {
  return readFileSync(join(HERE, `${name}.cfg`), "utf8");
}

/** Small deterministic PRNG (mulberry32), so that a failing random case reproduces. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
