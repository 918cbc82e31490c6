// npm run bench:reload — continuous HTTP load through one agent's real HAProxy while 20
// deployments in a row change its config. Reports requests sent and failed, and the latency of
// each deployment from the API call to the node's ACK (the master's own timestamps).
//
// One master (embedded database), one `ha-agent run --mode supervised` process driving its own
// HAProxy, two backend HTTP servers in this process; every deployment changes the config (the
// servers' weights and a response header carrying the version), so each one really reloads
// HAProxy. Load: BENCH_RELOAD_CLIENTS keep-alive clients plus the same number of clients that
// open a new connection per request, all on loopback. BENCH_RELOAD_IDLE_CLOSE=0 leaves out
// `option idle-close-on-response` to show what it is for.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import { promisify } from "node:util";
import { freePort, machine, MASTER_BIN, masterEnv, ms, percentile, ROOT, startProcess, writeSection } from "./lib.mjs";

const DEPLOYMENTS = Number(process.env.BENCH_RELOAD_DEPLOYMENTS ?? 20);
const CLIENTS = Number(process.env.BENCH_RELOAD_CLIENTS ?? 8);
const IDLE_CLOSE = process.env.BENCH_RELOAD_IDLE_CLOSE !== "0";
const AGENT_BIN = `${ROOT}packages/agent/dist/main.js`;
const PASSWORD = "bench admin password";
const sleep = (t) => new Promise((r) => setTimeout(r, t));
const run = promisify(execFile);

const scratch = mkdtempSync(joinPath(tmpdir(), "ha-master-reload-"));
const [httpPort, grpcPort, lbPort, backendA, backendB] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
const url = `http://127.0.0.1:${httpPort}`;

// Two backends answering with their name.
const backends = [backendA, backendB].map((port, i) => {
  const server = http.createServer((req, res) => {
    res.setHeader("content-type", "text/plain");
    res.end(`backend-${i}\n`);
  });
  server.keepAliveTimeout = 30_000;
  server.listen(port, "127.0.0.1");
  return server;
});

const master = await startProcess(
  [MASTER_BIN],
  { ...masterEnv({ dataDir: joinPath(scratch, "master"), httpPort, grpcPort, adminPassword: PASSWORD }), HEARTBEAT_INTERVAL_SECONDS: "2" },
  async () => (await fetch(`${url}/ready`)).ok,
);
const login = await (await fetch(`${url}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: PASSWORD }) })).json();
const headers = { authorization: `Bearer ${login.accessToken}`, "content-type": "application/json" };
const api = async (method, path, body) => {
  const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
  return json;
};

await api("POST", "/api/v1/clusters", { name: "edge" });
const token = await api("POST", "/api/v1/enrollment-tokens", { clusterId: "edge", uses: 1 });
const caHash = /--ca-hash (\S+)/.exec(token.joinCommand)[1];
const stateDir = joinPath(scratch, "agent");
await run(process.execPath, [AGENT_BIN, "join", "--master", `127.0.0.1:${grpcPort}`, "--token", token.token, "--ca-hash", caHash, "--state-dir", stateDir, "--name", "lb1"]);
const agent = await startProcess([AGENT_BIN, "run", "--state-dir", stateDir, "--mode", "supervised", "--log-level", "warn"], {}, async () => (await api("GET", "/api/v1/nodes")).items[0]?.online === true);

function config(version) {
  // Weights move between the two servers; the header says which version answered.
  const weightA = 1 + (version % 5) * 20;
  return `global
    maxconn 2000

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout http-keep-alive 30s
${IDLE_CLOSE ? "    option idle-close-on-response\n" : ""}
frontend www
    bind 127.0.0.1:${lbPort}
    http-response set-header X-Config-Version ${version}
    default_backend app

backend app
    balance roundrobin
    server a 127.0.0.1:${backendA} weight ${weightA}
    server b 127.0.0.1:${backendB} weight ${101 - weightA}
`;
}

let version = 0;
async function deploy() {
  version++;
  await api("POST", "/api/v1/clusters/edge/configs", { content: config(version), message: `v${version}`, baseVersion: version - 1 });
  const t0 = Date.now();
  const created = await api("POST", "/api/v1/clusters/edge/deployments", { version });
  for (;;) {
    const d = await api("GET", `/api/v1/clusters/edge/deployments/${created.id}`);
    if (!["pending", "running"].includes(d.status)) {
      if (d.status !== "succeeded") throw new Error(`deployment of v${version} ${d.status}: ${d.error}`);
      return Date.parse(d.targets[0].finishedAt) - t0;
    }
    await sleep(20);
  }
}

// v1 first, without load: HAProxy starts.
await deploy();

// The load: every request must answer 200 from a backend.
const stats = { sent: 0, failed: 0, errors: new Map(), versions: new Set() };
let loading = true;
function get(agentOption) {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port: lbPort, path: "/", agent: agentOption }, (res) => {
      res.resume();
      res.on("end", () => resolve({ ok: res.statusCode === 200, why: `HTTP ${res.statusCode}`, version: res.headers["x-config-version"] }));
      res.on("error", (err) => resolve({ ok: false, why: err.code ?? err.message }));
    });
    req.setTimeout(5000, () => req.destroy(new Error("timeout")));
    req.on("error", (err) => resolve({ ok: false, why: err.code ?? err.message }));
  });
}
async function client(agentOption) {
  while (loading) {
    const r = await get(agentOption);
    stats.sent++;
    if (r.version) stats.versions.add(r.version);
    if (!r.ok) {
      stats.failed++;
      stats.errors.set(r.why, (stats.errors.get(r.why) ?? 0) + 1);
    }
  }
}
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
const clients = [
  ...Array.from({ length: CLIENTS }, () => client(keepAlive)),
  ...Array.from({ length: CLIENTS }, () => client(false)),
];

await sleep(1000);
const latencies = [];
for (let i = 0; i < DEPLOYMENTS; i++) {
  latencies.push(await deploy());
  process.stderr.write(`deployment ${i + 1}/${DEPLOYMENTS}: ${latencies.at(-1)} ms (requests ${stats.sent}, failed ${stats.failed})\n`);
  await sleep(250);
}
await sleep(1000);
loading = false;
await Promise.all(clients);
keepAlive.destroy();

const node = (await api("GET", "/api/v1/nodes")).items[0];
await agent.stop();
await master.stop();
// The supervised HAProxy outlives its agent by design: stop it too.
await run("sh", ["-c", `kill $(cat ${stateDir}/run/haproxy.pid) 2>/dev/null || true`]);
for (const s of backends) s.close();
rmSync(scratch, { recursive: true, force: true });

const section = [
  IDLE_CLOSE ? "## Reloads under load (`npm run bench:reload`)" : "## Reloads under load, without `option idle-close-on-response` (`BENCH_RELOAD_IDLE_CLOSE=0 npm run bench:reload`)",
  "",
  `One real agent (\`ha-agent run --mode supervised\`) driving HAProxy ${node.haproxyVersion}; ${DEPLOYMENTS} deployments in a row, each changing the config (server weights and a response header), under continuous load: ${CLIENTS} keep-alive clients and ${CLIENTS} clients opening a connection per request, through HAProxy to two backends, all on loopback. Config ${IDLE_CLOSE ? "with" : "**without**"} \`option idle-close-on-response\`. ${machine()}; ${new Date().toISOString().slice(0, 10)}.`,
  "",
  "| requests sent | failed | config versions seen by clients | deployment API call → ACK p50 (ms) | min | max |",
  "|---:|---:|---:|---:|---:|---:|",
  `| ${stats.sent} | ${stats.failed}${stats.failed ? ` (${[...stats.errors].map(([why, n]) => `${why}: ${n}`).join(", ")})` : ""} | ${stats.versions.size} | ${ms(percentile(latencies, 50))} | ${ms(Math.min(...latencies))} | ${ms(Math.max(...latencies))} |`,
  "",
  `Each deployment, API call → ACK (ms): ${latencies.join(", ")}.`,
].join("\n");
writeSection(IDLE_CLOSE ? "bench:reload" : "bench:reload-without-idle-close", section);
console.log(section);
process.exit(stats.failed === 0 ? 0 : 1);
