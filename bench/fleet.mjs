// npm run bench:fleet — 1,000 and then 5,000 simulated agents (real agent stream clients over real
// mTLS to a real master process; in-memory apply) on this machine. Measures the time from the
// deployment call to the last ACK of an all-at-once deployment (p50/p99 of per-node ACK times),
// the master's memory per 1,000 streams, and the heartbeat load on the database.
import "reflect-metadata";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import { InMemoryApplier, join, MemoryStateStore, silentLogger, startAgent } from "../packages/agent/dist/index.js";
import { httpConfig } from "../packages/master/dist/testing/fixtures.js";
import { freePort, machine, MASTER_BIN, masterEnv, ms, percentile, startProcess, writeSection } from "./lib.mjs";

const STEPS = (process.env.BENCH_FLEET_SIZES ?? "1000,5000").split(",").map(Number);
const HEARTBEAT_SECONDS = Number(process.env.BENCH_HEARTBEAT_SECONDS ?? 10);
const PASSWORD = "bench admin password";
const sleep = (t) => new Promise((r) => setTimeout(r, t));

const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) * 1024;
const mib = (b) => (b / 1048576).toFixed(0);

const dataDir = mkdtempSync(joinPath(tmpdir(), "ha-master-fleet-"));
const httpPort = await freePort();
const grpcPort = await freePort();
const url = `http://127.0.0.1:${httpPort}`;
// BENCH_MASTER_NODE_FLAGS: extra node flags for the master (e.g. --cpu-prof to profile it).
const startMaster = () =>
  startProcess(
    [...(process.env.BENCH_MASTER_NODE_FLAGS?.split(" ").filter(Boolean) ?? []), MASTER_BIN],
    {
      ...masterEnv({ dataDir, httpPort, grpcPort, adminPassword: PASSWORD }),
      HEARTBEAT_INTERVAL_SECONDS: String(HEARTBEAT_SECONDS),
      DEPLOY_ACK_TIMEOUT_SECONDS: "120",
      LOGIN_RATE_LIMIT_PER_MINUTE: "1000",
    },
    async () => (await fetch(`${url}/ready`)).ok,
  );
// The first start creates the embedded database (initdb), whose memory the process keeps; a master
// runs from its second start on, so the baseline is taken after a restart.
await (await startMaster()).stop();
const master = await startMaster();
const pid = master.child.pid;
const login = await (await fetch(`${url}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: PASSWORD }) })).json();
const auth = { authorization: `Bearer ${login.accessToken}`, "content-type": "application/json" };
const api = async (method, path, body) => {
  const res = await fetch(url + path, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
  return json;
};
const metric = async (name) => {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
};

await api("POST", "/api/v1/clusters", { name: "fleet" });
let version = 0;
const agents = [];
// When each simulated agent was handed its bundle (agent side), to split the ACK time into
// "push reached the agent" and "ACK recorded by the master".
let received = [];
let applied = [];
class TimedApplier extends InMemoryApplier {
  apply(bundle) {
    received.push(Date.now());
    return super.apply(bundle).finally(() => applied.push(Date.now()));
  }
}
const rss0 = rssOf(pid);

async function enrolMany(count) {
  const tokens = [];
  for (let left = count; left > 0; left -= 1000) tokens.push(await api("POST", "/api/v1/enrollment-tokens", { clusterId: "fleet", uses: Math.min(1000, left) }));
  const caHash = /--ca-hash (\S+)/.exec(tokens[0].joinCommand)[1];
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const store = new MemoryStateStore();
      const name = `sim-${String(agents.length + i).padStart(5, "0")}`;
      await join({ master: `127.0.0.1:${grpcPort}`, token: tokens[Math.floor(i / 1000)].token, caHash, store, name, log: silentLogger() });
      const handle = await startAgent({ master: `127.0.0.1:${grpcPort}`, credentials: await store.readCredentials(), applier: new TimedApplier({ servers: [{ proxy: "be_app", server: "s1", status: "UP", weight: 1, checkStatus: "L4OK", currentSessions: 0 }] }), log: silentLogger(), hostname: name });
      agents.push(handle);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return performance.now() - started;
}

async function waitConnected(total) {
  const deadline = Date.now() + 600_000;
  while ((await metric("hamaster_agent_streams")) < total) {
    if (Date.now() > deadline) throw new Error("agents did not all connect");
    await sleep(200);
  }
}

async function deployAll(total) {
  version++;
  await api("POST", "/api/v1/clusters/fleet/configs", { content: httpConfig({ servers: 2 + version }), message: `v${version}`, baseVersion: version - 1 });
  received = [];
  applied = [];
  const t0 = Date.now();
  const created = await api("POST", "/api/v1/clusters/fleet/deployments", { version, batchSize: total });
  const callMs = Date.now() - t0;
  for (;;) {
    const [d] = (await api("GET", "/api/v1/clusters/fleet/deployments?limit=1")).items;
    if (!["pending", "running"].includes(d.status)) break;
    // ACK times come from the master's own timestamps: polling only notices the end, gently.
    await sleep(250);
  }
  const d = await api("GET", `/api/v1/clusters/fleet/deployments/${created.id}`);
  const acks = d.targets.filter((t) => t.status === "succeeded").map((t) => Date.parse(t.finishedAt) - t0);
  const pushed = received.map((t) => t - t0);
  if (process.env.BENCH_FLEET_DEBUG) {
    const batches = new Map();
    for (const t of d.targets) batches.set(t.finishedAt, (batches.get(t.finishedAt) ?? 0) + 1);
    const done = applied.map((t) => t - t0);
    const started = d.targets.map((t) => Date.parse(t.startedAt) - t0).filter(Number.isFinite);
    process.stderr.write(`targets started ${Math.min(...started)}..${Math.max(...started)}; `);
    process.stderr.write(`received first ${Math.min(...pushed)} p50 ${percentile(pushed, 50)}; applied p50 ${percentile(done, 50)} last ${Math.max(...done)}; ACK batches (ms after call: nodes) ${[...batches].map(([at, n]) => `${Date.parse(at) - t0}:${n}`).join(" ")}\n`);
  }
  return { pushP50: percentile(pushed, 50), pushLast: Math.max(...pushed), status: d.status, callMs, nodes: d.targets.length, acked: acks.length, p50: percentile(acks, 50), p99: percentile(acks, 99), last: Math.max(...acks) };
}

/** A runtime command to every node (drain, then ready, five times each): the API call waits for all answers. */
async function serverStateAll(total) {
  const times = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const r = await api("POST", "/api/v1/clusters/fleet/server-state", { backend: "be_app", server: "s1", state: i % 2 === 0 ? "drain" : "ready" });
    times.push(performance.now() - t0);
    const ok = r.nodes.filter((n) => n.status === "ok").length;
    if (ok !== total) throw new Error(`server-state: ${ok} of ${total} nodes answered ok`);
  }
  return { statePs50: percentile(times, 50), stateMax: Math.max(...times) };
}

async function heartbeatLoad(total) {
  const windowMs = Math.max(20_000, 2 * HEARTBEAT_SECONDS * 1000);
  const before = await metric("hamaster_heartbeat_flushes_total");
  await sleep(windowMs);
  const after = await metric("hamaster_heartbeat_flushes_total");
  return { statementsPerSecond: ((after - before) * 1000) / windowMs, heartbeatsPerSecond: total / HEARTBEAT_SECONDS };
}

const rows = [];
for (const total of STEPS) {
  const enrolMs = await enrolMany(total - agents.length);
  await waitConnected(total);
  await sleep(3000);
  const rss = rssOf(pid);
  const deploy = await deployAll(total);
  const state = await serverStateAll(total);
  const hb = await heartbeatLoad(total);
  const previous = rows.at(-1) ?? { total: 0, rss: rss0 };
  const row = { total, enrolMs, rss, perThousand: ((rss - previous.rss) / (total - previous.total)) * 1000, ...deploy, ...state, ...hb };
  rows.push(row);
  process.stderr.write(`${JSON.stringify(row)}\n`);
  if (process.env.BENCH_FLEET_DEBUG) {
    const heap = await metric("hamaster_nodejs_heap_size_used_bytes");
    const external = await metric("hamaster_nodejs_external_memory_bytes");
    process.stderr.write(`master heap used ${mib(heap)} MiB, external ${mib(external)} MiB, RSS ${mib(rssOf(pid))} MiB\n`);
  }
}
await Promise.all(agents.map((a) => a.stop()));
await master.stop();
rmSync(dataDir, { recursive: true, force: true });

const table = [
  "## Fleet (`npm run bench:fleet`)",
  "",
  `Simulated agents: the real agent stream client (\`startAgent\`) with an in-memory applier, each enrolled with a token and holding its own mTLS stream to one \`ha-master\` process on the embedded database; all agents in one process beside it. All-at-once deployment: one canary, then every other node in one batch. Heartbeats every ${HEARTBEAT_SECONDS} s. ${machine()}; ${new Date().toISOString().slice(0, 10)}.`,
  "",
  "| agents | enrolment of all (s) | deployment call (ms) | bundle received by agents p50 / last (ms) | per-node ACK p50 (ms) | p99 (ms) | last ACK (ms) | outcome | server state on every node p50 / max (ms) | master RSS (MiB) | RSS per 1,000 streams, since the previous row (MiB) | heartbeats/s | heartbeat DB statements/s |",
  "|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
  ...rows.map(
    (r) =>
      `| ${r.total} | ${(r.enrolMs / 1000).toFixed(1)} | ${r.callMs} | ${ms(r.pushP50)} / ${ms(r.pushLast)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.last)} | ${r.status}, ${r.acked}/${r.nodes} ACKed | ${ms(r.statePs50)} / ${ms(r.stateMax)} | ${mib(r.rss)} | ${mib(r.perThousand)} | ${r.heartbeatsPerSecond.toFixed(0)} | ${r.statementsPerSecond.toFixed(2)} |`,
  ),
  "",
  `Master RSS before any agent: ${mib(rss0)} MiB. ACK times are measured from the deployment call to the moment the master recorded each node's ACK. Server state: \`POST …/server-state\` (drain, then ready, 10 calls), timed from the call to the answer, which comes once every node has answered through its stream.`,
];
writeSection("bench:fleet", table.join("\n"));
console.log(table.join("\n"));
process.exit(0);
