// npm run bench:api — REST API latency with 100 clusters × 100 versions of a realistic ~300-line
// config, on the embedded database and on PostgreSQL, plus cold start to /health and /ready.
// The dataset is seeded straight into the database (creating 10,000 versions through the API
// would spend minutes in `haproxy -c`); every measured request goes over HTTP to a real master.
import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { sha256Hex } from "@ha-master/shared";
import { openStore } from "../packages/master/dist/db/store.js";
import { clusters, configVersions } from "../packages/master/dist/db/schema.js";
import { largeConfig } from "../packages/master/dist/testing/fixtures.js";
import { freePort, machine, MASTER_BIN, ms, percentile, startProcess, writeSection } from "./lib.mjs";

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 100);
const VERSIONS = Number(process.env.BENCH_VERSIONS ?? 100);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const CREATES = Number(process.env.BENCH_CREATES ?? 50);
const PG_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const PASSWORD = "bench admin password";

async function seed(store) {
  const started = performance.now();
  const contents = Array.from({ length: VERSIONS }, (_, v) => largeConfig(v));
  const hashes = contents.map(sha256Hex);
  for (let c = 0; c < CLUSTERS; c++) {
    await store.db.transaction(async (tx) => {
      const [cluster] = await tx.insert(clusters).values({ name: `bench-${String(c).padStart(3, "0")}` }).returning();
      const rows = contents.map((content, v) => ({
        clusterId: cluster.id,
        version: v + 1,
        content,
        hash: hashes[v],
        message: `change ${v + 1}`,
        parentVersion: v === 0 ? null : v,
        authorName: "bench",
      }));
      for (let i = 0; i < rows.length; i += 25) await tx.insert(configVersions).values(rows.slice(i, i + 25));
    });
  }
  return performance.now() - started;
}

async function timed(fn) {
  const t = performance.now();
  const res = await fn();
  const elapsed = performance.now() - t;
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
  return elapsed;
}

async function measure(url, token) {
  const auth = { authorization: `Bearer ${token}` };
  const pick = (n) => Math.floor(Math.random() * n);
  const cluster = () => `bench-${String(pick(CLUSTERS)).padStart(3, "0")}`;
  const get = (path) => fetch(url + path, { headers: auth });
  // Warm up connections and caches a little, as a running master would be.
  for (let i = 0; i < 20; i++) await timed(() => get(`/api/v1/clusters/${cluster()}/configs?limit=100`));
  const results = {};
  const run = async (name, n, fn) => {
    const samples = [];
    for (let i = 0; i < n; i++) samples.push(await timed(fn));
    results[name] = { p50: percentile(samples, 50), p99: percentile(samples, 99), n };
  };
  await run("list versions (100 per page)", SAMPLES, () => get(`/api/v1/clusters/${cluster()}/configs?limit=100`));
  await run("read one version", SAMPLES, () => get(`/api/v1/clusters/${cluster()}/configs/${1 + pick(VERSIONS)}`));
  await run("diff two versions", SAMPLES, () => get(`/api/v1/clusters/${cluster()}/configs/diff?from=${1 + pick(VERSIONS)}&to=${1 + pick(VERSIONS)}`));
  const next = new Map();
  await run("create a version (parser + haproxy -c + insert + audit)", CREATES, () => {
    const name = cluster();
    const base = next.get(name) ?? VERSIONS;
    next.set(name, base + 1);
    return fetch(`${url}/api/v1/clusters/${name}/configs`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      // Unique per request, so no cached validation flatters the figure.
      body: JSON.stringify({ content: `${largeConfig(1000 + base)}# ${name} v${base + 1}\n`, message: "bench", baseVersion: base }),
    });
  });
  return results;
}

async function benchDatabase(kind) {
  let dataDir;
  let dbName;
  let env;
  if (kind === "embedded") {
    dataDir = mkdtempSync(join(tmpdir(), "ha-master-bench-"));
    env = { HAMASTER_DATA_DIR: dataDir };
  } else {
    dbName = `hamaster_bench_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.pathname = `/${dbName}`;
    env = { DATABASE_URL: u.toString(), JWT_SECRET: randomBytes(32).toString("hex"), CERT_ENCRYPTION_KEY: randomBytes(32).toString("hex") };
  }
  const store = openStore(kind === "embedded" ? { kind: "embedded", dataDir } : { kind: "postgres", url: env.DATABASE_URL });
  await store.opened;
  const seedMs = await seed(store);
  await store.close();
  process.stderr.write(`${kind}: seeded ${CLUSTERS * VERSIONS} versions in ${(seedMs / 1000).toFixed(1)} s\n`);

  const port = await freePort();
  const started = performance.now();
  let health;
  const master = await startProcess(
    [MASTER_BIN],
    { ...env, HTTP_PORT: String(port), HTTP_HOST: "127.0.0.1", GRPC_PORT: String(await freePort()), LOG_LEVEL: "warn", HAMASTER_ADMIN_PASSWORD: PASSWORD, LOGIN_RATE_LIMIT_PER_MINUTE: "1000" },
    async () => {
      if (health === undefined && (await fetch(`http://127.0.0.1:${port}/health`)).ok) health = performance.now() - started;
      return (await fetch(`http://127.0.0.1:${port}/ready`)).ok;
    },
  );
  const ready = performance.now() - started;
  const url = `http://127.0.0.1:${port}`;
  const login = await fetch(`${url}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: PASSWORD }) });
  const { accessToken } = await login.json();
  const results = await measure(url, accessToken);
  await master.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (dbName) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`drop database ${dbName} with (force)`);
    await admin.end();
  }
  return { results, health, ready };
}

const out = {};
for (const kind of ["embedded", "postgres"]) out[kind] = await benchDatabase(kind);
const names = Object.keys(out.embedded.results);
const rows = names.map((n) => {
  const e = out.embedded.results[n];
  const p = out.postgres.results[n];
  return `| ${n} | ${e.n} | ${ms(e.p50)} | ${ms(e.p99)} | ${ms(p.p50)} | ${ms(p.p99)} |`;
});
const table = [
  "## REST API (`npm run bench:api`)",
  "",
  `${CLUSTERS} clusters × ${VERSIONS} versions of a ${largeConfig(0).split("\n").length - 1}-line config (20 backends × 8 servers, Host routing), seeded into the database; requests one at a time over HTTP to a real \`ha-master\` process. Latency in ms. ${machine()}; ${new Date().toISOString().slice(0, 10)}.`,
  "",
  "| request | samples | embedded p50 | embedded p99 | PostgreSQL p50 | PostgreSQL p99 |",
  "|---|---:|---:|---:|---:|---:|",
  ...rows,
  "",
  `Start of the master on the seeded database, from spawning the process: \`/health\` answers after ${ms(out.embedded.health)} ms (embedded) and ${ms(out.postgres.health)} ms (PostgreSQL); \`/ready\` (database open and migrated, admin checked) after ${ms(out.embedded.ready)} ms and ${ms(out.postgres.ready)} ms.`,
];
writeSection("bench:api", table.join("\n"));
console.log(table.join("\n"));
