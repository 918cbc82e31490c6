import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isProcessAlive, readPidFile } from "../haproxy/proc-fns.js";
import {
  freePort,
  httpGet,
  killHard,
  makeBundle,
  proxyConfig,
  requireHaproxyBinary,
  startBackend,
  tempDir,
  type Backend,
} from "../testing/haproxy-fixture.js";
import { TestMaster } from "../testing/test-master.js";

requireHaproxyBinary();
const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "main.ts");

/** Runs the real CLI from source in a child process (tsx, workspace packages from source). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess & { out: () => string; err: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", MAIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return Object.assign(child, { out: () => out, err: () => err, exited });
}

describe("the ha-agent command line (real processes, real HAProxy)", () => {
  let master: TestMaster;
  let state: { dir: string; remove(): Promise<void> };
  let backend: Backend;
  let agent: ReturnType<typeof cli> | undefined;

  beforeAll(async () => {
    master = await TestMaster.start({
      heartbeatIntervalMs: 200,
      onEnroll: async (req, ca) => ({ nodeId: "node-cli", clusterId: "c1", certificatePem: await ca.signCsr(req.csrPem, "node-cli") }),
    });
    state = await tempDir();
    backend = await startBackend("from-cli");
  });

  afterAll(async () => {
    if (agent && agent.exitCode === null) agent.kill("SIGKILL");
    await killHard(await readPidFile(path.join(state.dir, "run", "haproxy.pid")));
    await master.close();
    await backend.close();
    await state.remove();
  });

  it("prints errors as one line with a non-zero exit code", async () => {
    const p = cli(["run", "--state-dir", state.dir]);
    expect(await p.exited).toBe(1);
    expect(p.err()).toBe(`ha-agent: this node is not enrolled (no agent.json in ${state.dir}); run "ha-agent join" first\n`);
  });

  it("joins, runs, applies a pushed bundle, and on SIGTERM exits 0 leaving HAProxy serving", async () => {
    const join = cli(["join", "--master", master.address, "--ca-hash", master.ca.pin, "--state-dir", state.dir, "--name", "edge-1"], {
      HA_AGENT_TOKEN: "t0k3n",
    });
    expect(await join.exited).toBe(0);
    expect(join.out()).toContain("enrolled as node node-cli in cluster c1");

    agent = cli(["run", "--state-dir", state.dir, "--log-level", "info"]);
    const stream = await master.stream(1, 15_000);
    expect(stream.of("hello")[0]).toMatchObject({ mode: "supervised", appliedHash: "" });

    const port = await freePort();
    const bundle = makeBundle({ "haproxy.cfg": proxyConfig({ listen: `127.0.0.1:${port}`, backendPort: backend.port }) });
    stream.send({ case: "desired", value: { nonce: bundle.nonce, bundleHash: bundle.hash, files: bundle.files, version: 1, deploymentId: "d1" } });
    await stream.waitFor((s) => s.of("ack").length === 1, 15_000);
    expect((await httpGet(port)).body).toBe("from-cli");
    await stream.waitFor((s) => s.of("heartbeat").some((h) => h.haproxyRunning && h.appliedHash === bundle.hash));

    const haproxyPid = await readPidFile(path.join(state.dir, "run", "haproxy.pid"));
    agent.kill("SIGTERM");
    expect(await agent.exited).toBe(0);
    const logs = agent.out().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { msg: string });
    expect(logs.map((l) => l.msg)).toContain("stopping; haproxy keeps running");
    expect(agent.out()).not.toContain("PRIVATE KEY");
    expect(await isProcessAlive(haproxyPid!)).toBe(true);
    expect((await httpGet(port)).body).toBe("from-cli");

    const status = cli(["status", "--state-dir", state.dir, "--json"]);
    expect(await status.exited).toBe(0);
    expect(JSON.parse(status.out())).toMatchObject({
      enrolled: true,
      nodeId: "node-cli",
      appliedHash: bundle.hash,
      drift: false,
      haproxy: { running: true, pid: haproxyPid },
    });
    expect(await readFile(path.join(state.dir, "agent.json"), "utf8")).toContain(master.address);
  });
});
