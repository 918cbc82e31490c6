// Measures the time from spawning `ha-master` to its first 200 on /health and on /ready.
// Usage: node bench/cold-start.mjs [runs] [--postgres URL]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import http from "node:http";

const runs = Number(process.argv[2] ?? 5);
const pgIndex = process.argv.indexOf("--postgres");
const databaseUrl = pgIndex > 0 ? process.argv[pgIndex + 1] : undefined;

function get(port, path) {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path, timeout: 200 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("error", () => resolve(0));
    req.on("timeout", () => req.destroy());
  });
}

async function once(port, fresh) {
  const dataDir = fresh.dir;
  const env = {
    ...process.env,
    HTTP_PORT: String(port),
    GRPC_PORT: String(port + 1),
    HAMASTER_DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    HAMASTER_ADMIN_PASSWORD: "bench-password-123",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, JWT_SECRET: "x".repeat(40), CERT_ENCRYPTION_KEY: "ab".repeat(32) } : {}),
  };
  const t0 = performance.now();
  const child = spawn(process.execPath, ["packages/master/dist/main.js"], { env, stdio: "ignore" });
  let health, ready;
  while (performance.now() - t0 < 30_000 && ready === undefined) {
    if (health === undefined && (await get(port, "/health")) === 200) health = performance.now() - t0;
    if (health !== undefined && (await get(port, "/ready")) === 200) ready = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  return { health, ready };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dir = mkdtempSync(join(tmpdir(), "ha-master-cold-"));
const results = { first: await once(19080, { dir }) };
const later = [];
for (let i = 0; i < runs; i++) later.push(await once(19080, { dir }));
rmSync(dir, { recursive: true, force: true });
results.health_median_ms = Math.round(median(later.map((r) => r.health)));
results.ready_median_ms = Math.round(median(later.map((r) => r.ready)));
results.first = { health_ms: Math.round(results.first.health), ready_ms: Math.round(results.first.ready) };
console.log(JSON.stringify({ database: databaseUrl ? "postgres" : "embedded", runs, ...results }));
