import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMaster, type MasterProcess } from "./support/master-process.js";
import { enrolAgentProcess, fetchThrough, joinProcess, type AgentProcess } from "./support/agent-process.js";
import { tempDir } from "./support/processes.js";
import { eventually } from "./support/fleet.js";

/** A config each node serves on its own port (NODE_PORT from the agent's haproxyEnv), answering `label`. */
function config(label: string, extra = ""): string {
  return `global
    maxconn 200

defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend www
    bind "127.0.0.1:\${NODE_PORT}"
${extra}    http-request return status 200 content-type text/plain string "${label}"
`;
}

/** An upstream on loopback that answers its own name. */
async function answering(name: string) {
  const server = createServer((_req, res) => res.end(name));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    name,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("a master, three agents and three real HAProxy processes", () => {
  let master: MasterProcess;
  let admin = "";
  const agents: AgentProcess[] = [];
  let version = 0;
  // Two upstreams for the runtime-state test; they answer until the end, as real backends would.
  let upstreams: Awaited<ReturnType<typeof answering>>[] = [];

  beforeAll(async () => {
    upstreams = await Promise.all(["old", "new"].map(answering));
    master = await startMaster({ HEARTBEAT_INTERVAL_SECONDS: "1", DEPLOY_ACK_TIMEOUT_SECONDS: "15" });
    admin = await master.login();
    expect((await master.api(admin, "POST", "/api/v1/clusters", { name: "edge" })).status).toBe(201);
    const token = (await master.api(admin, "POST", "/api/v1/enrollment-tokens", { clusterId: "edge", uses: 3 })).body;
    const [, address, , caHash] = /--master (\S+) --token (\S+) --ca-hash (\S+)/.exec(token.joinCommand)!;
    expect(address).toBe(`localhost:${master.grpcPort}`);
    for (const name of ["lb1", "lb2", "lb3"]) agents.push(await enrolAgentProcess(`127.0.0.1:${master.grpcPort}`, token.token, caHash!, name));
    await eventually("three nodes online", async () => (await nodes()).filter((n) => n.online).length === 3, 30_000);
  });
  afterAll(async () => {
    for (const a of agents) {
      await a.stop();
      a.killHaproxy();
    }
    await master?.stop();
    await Promise.all(upstreams.map((u) => u.close()));
  });

  const nodes = async () => (await master.api(admin, "GET", "/api/v1/nodes")).body.items as any[];
  const save = async (content: string) => {
    const res = await master.api(admin, "POST", "/api/v1/clusters/edge/configs", { content, message: `v${version + 1}`, baseVersion: version });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    version = res.body.version;
    return res.body;
  };
  const deploy = async (v: number, body: object = {}) => {
    const res = await master.api(admin, "POST", "/api/v1/clusters/edge/deployments", { version: v, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const finished = async (id: string) => {
    let d: any;
    await eventually(`deployment ${id}`, async () => {
      d = (await master.api(admin, "GET", `/api/v1/clusters/edge/deployments/${id}`)).body;
      return !["pending", "running"].includes(d.status);
    }, 60_000);
    return d;
  };
  const served = () => Promise.all(agents.map((a) => fetchThrough(a.port)));

  it("serves v1 on every node after the deployment", async () => {
    await save(config("v1"));
    const d = await finished(await deploy(1));
    expect(d.status).toBe("succeeded");
    expect(await served()).toEqual(["v1", "v1", "v1"]);
    await eventually("applied v1 reported", async () => (await nodes()).every((n) => n.appliedVersion === 1 && n.haproxyRunning && !n.drift));
  });

  it("rolls v2 out canary first, then in batches", async () => {
    await save(config("v2"));
    const d = await finished(await deploy(2, { batchSize: 1 }));
    expect(d.status).toBe("succeeded");
    expect(d.targets.map((t: any) => t.batch).sort()).toEqual([0, 1, 2]);
    const started = d.targets.map((t: any) => Date.parse(t.startedAt)).sort((a: number, b: number) => a - b);
    const byBatch = [...d.targets].sort((a: any, b: any) => a.batch - b.batch);
    // Each batch starts only after the one before it was acknowledged.
    for (let i = 1; i < byBatch.length; i++) expect(Date.parse(byBatch[i].startedAt)).toBeGreaterThanOrEqual(Date.parse(byBatch[i - 1].finishedAt));
    expect(started.length).toBe(3);
    expect(await served()).toEqual(["v2", "v2", "v2"]);
  });

  it("NACKs at the canary a config that passes the master but fails haproxy -c on the node; nobody else is touched", async () => {
    // A node-local file the master cannot see: its check warns, the node's refuses.
    const saved = await save(config("v3", "    errorfile 503 /nonexistent/ha-master-test/503.http\n"));
    expect(saved.warnings.some((w: any) => /not verifiable on the master/.test(w.message))).toBe(true);
    const line = config("v3", "    errorfile 503 /nonexistent/ha-master-test/503.http\n").split("\n").findIndex((l) => l.includes("errorfile")) + 1;
    const d = await finished(await deploy(3, { batchSize: 1 }));
    expect(d.status).toBe("failed");
    const canary = d.targets.find((t: any) => t.batch === 0);
    expect(canary.status).toBe("failed");
    expect(canary.errorLines[0]).toMatchObject({ file: "haproxy.cfg", line });
    expect(canary.error).toMatch(/validate/);
    expect(d.targets.filter((t: any) => t.batch > 0).map((t: any) => t.status)).toEqual(["cancelled", "cancelled"]);
    expect(await served()).toEqual(["v2", "v2", "v2"]);
    expect((await nodes()).every((n) => n.appliedVersion === 2)).toBe(true);
  });

  it("lets an agent killed mid-deployment converge when it is restarted, while its HAProxy keeps serving", async () => {
    const lb3 = agents[2]!;
    const haproxyPid = lb3.haproxyPid();
    await lb3.stop("SIGKILL");
    await eventually("lb3 offline", async () => !(await nodes()).find((n) => n.name === "lb3").online, 20_000);
    expect(await fetchThrough(lb3.port)).toBe("v2");
    await save(config("v4"));
    const d = await finished(await deploy(4));
    expect(d.status).toBe("succeeded");
    expect(d.targets.find((t: any) => t.nodeName === "lb3").status).toBe("pending");
    expect(await served()).toEqual(["v4", "v4", "v2"]);
    lb3.start();
    await eventually("lb3 serves v4", async () => (await fetchThrough(lb3.port)) === "v4", 30_000);
    expect(lb3.haproxyPid()).toBe(haproxyPid);
    await eventually("lb3's target converged", async () => {
      const after = (await master.api(admin, "GET", `/api/v1/clusters/edge/deployments/${d.id}`)).body;
      return after.targets.find((t: any) => t.nodeName === "lb3").status === "succeeded";
    });
  });

  it("resumes a rollout after the master is killed in the middle of it", async () => {
    const lb1 = agents[0]!;
    await save(config("v5"));
    // Freeze lb1's agent: its stream stays open, so it is the canary, but it cannot answer.
    lb1.proc!.child.kill("SIGSTOP");
    const id = await deploy(5, { batchSize: 1 });
    await eventually("canary applying", async () => {
      const d = (await master.api(admin, "GET", `/api/v1/clusters/edge/deployments/${id}`)).body;
      return d.status === "running" && d.targets.some((t: any) => t.status === "applying");
    });
    await master.stop("SIGKILL");
    master = await startMaster({
      HAMASTER_DATA_DIR: master.dataDir,
      HTTP_PORT: String(master.httpPort),
      GRPC_PORT: String(master.grpcPort),
      HEARTBEAT_INTERVAL_SECONDS: "1",
      DEPLOY_ACK_TIMEOUT_SECONDS: "15",
    });
    admin = await master.login();
    lb1.proc!.child.kill("SIGCONT");
    const d = await finished(id);
    expect(d.status).toBe("succeeded");
    await eventually("every node serves v5", async () => (await served()).every((body) => body === "v5"), 40_000);
  });

  it("takes a server out of rotation on every node and back through HAProxy's runtime API", async () => {
    await save(
      config("unused", "    default_backend be_app\n").replace(/ {4}http-request return.*\n/, "") +
        `\nbackend be_app\n    balance roundrobin\n${upstreams.map((u) => `    server ${u.name} 127.0.0.1:${u.port}\n`).join("")}`,
    );
    expect((await finished(await deploy(version))).status).toBe("succeeded");
    const answers = async () => (await Promise.all(agents.flatMap((a) => [1, 2, 3, 4].map(() => fetchThrough(a.port))))).sort();
    await eventually("both servers answer", async () => new Set(await answers()).size === 2, 20_000);

    const maint = await master.api(admin, "POST", "/api/v1/clusters/edge/server-state", { backend: "be_app", server: "old", state: "maint" });
    expect(maint.status, JSON.stringify(maint.body)).toBe(200);
    expect(maint.body.nodes.map((n: any) => [n.nodeName, n.status])).toEqual([
      ["lb1", "ok"],
      ["lb2", "ok"],
      ["lb3", "ok"],
    ]);
    expect(new Set(await answers())).toEqual(new Set(["new"]));
    await eventually("MAINT reported by every node", async () =>
      (await nodes()).every((n) => n.servers.find((s: any) => s.proxy === "be_app" && s.server === "old")?.status === "MAINT"),
    );

    const unknown = await master.api(admin, "POST", "/api/v1/clusters/edge/server-state", { backend: "be_app", server: "nope", state: "drain" });
    expect(unknown.body.ok).toBe(false);
    expect(unknown.body.nodes[0]).toMatchObject({ status: "failed", error: expect.stringMatching(/No such server/) });

    const ready = await master.api(admin, "POST", "/api/v1/clusters/edge/server-state", { backend: "be_app", server: "old", state: "ready" });
    expect(ready.body.ok).toBe(true);
    await eventually("both servers answer again", async () => new Set(await answers()).size === 2, 10_000);
  });

  it("refuses to reuse a spent token", async () => {
    const token = (await master.api(admin, "POST", "/api/v1/enrollment-tokens", { clusterId: "edge", uses: 1 })).body;
    const caHash = /--ca-hash (\S+)/.exec(token.joinCommand)![1]!;
    const first = await joinProcess({ master: `127.0.0.1:${master.grpcPort}`, token: token.token, caHash, stateDir: tempDir("j1"), name: "spare1" });
    expect(first.code).toBe(0);
    const second = await joinProcess({ master: `127.0.0.1:${master.grpcPort}`, token: token.token, caHash, stateDir: tempDir("j2"), name: "spare2" });
    expect(second.code).not.toBe(0);
    expect(second.output).toMatch(/enrolment token is used up/);
  });

  it("closes a revoked agent's stream and refuses it, while its HAProxy keeps serving", async () => {
    const lb2 = (await nodes()).find((n) => n.name === "lb2");
    expect(await fetchThrough(agents[1]!.port)).toMatch(/^(old|new)$/);
    expect((await master.api(admin, "POST", `/api/v1/nodes/${lb2.id}/revoke`)).status).toBe(200);
    await eventually("lb2 refused", () => /revoked/.test(agents[1]!.proc!.output()), 15_000);
    expect(await fetchThrough(agents[1]!.port)).toMatch(/^(old|new)$/);
  });
});
