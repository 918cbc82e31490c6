import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InMemoryApplier, join as joinMaster, MemoryStateStore, silentLogger, startAgent, type AgentHandle } from "@ha-master/agent";
import { httpConfig, startTestMaster, TEST_PASSWORD, type TestMaster } from "@ha-master/master/testing";
import { Hactl, lines, listen } from "./hactl.js";

/**
 * `hactl token`, `deploy`, `rollback`, `deployments` and `nodes` against a real master with three
 * agents enrolled over real mTLS (in this process, with appliers that keep what they applied in
 * memory). node-c refuses version 2 with a line-numbered error, as HAProxy would.
 */
describe("hactl: join tokens, deployments, rollback, nodes", () => {
  let m: TestMaster;
  let url: string;
  const op = new Hactl();
  const agents: Array<{ name: string; handle: AgentHandle; applier: InMemoryApplier }> = [];

  beforeAll(async () => {
    m = await startTestMaster("postgres");
    url = await listen(m);
    await op.login(url, "admin", TEST_PASSWORD);
    await m.request("operator", "POST", "/api/v1/clusters", { name: "fleet" });
    for (let v = 1; v <= 3; v++) {
      const res = await m.request("operator", "POST", "/api/v1/clusters/fleet/configs", { content: httpConfig({ port: 8000 + v }), message: `v${v}`, baseVersion: v - 1 });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.handle.stop()));
    await m?.close();
  });

  const nodes = async () => (await m.request("viewer", "GET", "/api/v1/nodes?clusterId=fleet")).body.items as Array<{ name: string; online: boolean; appliedVersion: number | null; revokedAt: string | null }>;
  const until = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + 15_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it("creates a join token and prints the join command alone on stdout; three agents join with it", async () => {
    const r = await op.run(["token", "create", "-c", "fleet", "--uses", "3", "--ttl", "10m", "--description", "e2e nodes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Join token [0-9a-f]{8} for cluster fleet: up to 3 nodes, valid for 10m \(until .*\)\. Run this on each HAProxy host \(shown once\):\n$/);
    const [, token, caHash] = /^ha-agent join --master \S+ --token (\S+) --ca-hash (sha256:[0-9a-f]{64})\n$/.exec(r.stdout) ?? [];
    expect(token).toBeDefined();
    for (const name of ["node-a", "node-b", "node-c"]) {
      const store = new MemoryStateStore();
      await joinMaster({ master: m.grpcAddress, token: token!, caHash: caHash!, store, name, log: silentLogger() });
      const applier = new InMemoryApplier({
        applyDelayMs: 200,
        servers: [{ proxy: "be_app", server: "s1", status: "UP", weight: 1, checkStatus: "L4OK", currentSessions: 0 }],
        outcome: (bundle) =>
          bundle.version === 2 && name === "node-c"
            ? { ok: false, stage: "validate", error: "haproxy -c: 1 error", lines: [{ file: "haproxy.cfg", line: 12, message: "unknown keyword 'bnid'" }], durationMs: 1 }
            : undefined,
      });
      const handle = await startAgent({
        master: m.grpcAddress,
        credentials: (await store.readCredentials())!,
        applier,
        log: silentLogger(),
        hostname: name,
        backoff: { baseMs: 50, capMs: 500 },
      });
      agents.push({ name, handle, applier });
    }
    await until("three nodes online", async () => (await nodes()).filter((n) => n.online).length === 3);
    const list = await op.run(["token", "list", "-c", "fleet", "--all"]);
    expect(list.stdout).toMatch(/^[0-9a-f]{8} +fleet +used up +3\/3 +.* e2e nodes$/m);
  });

  it("deploys with a progress display and exits 0 when every node has it", async () => {
    const r = await op.run(["deploy", "-c", "fleet", "1", "--batch-size", "1"]);
    expect(r.code, r.stderr).toBe(0);
    const err = lines(r.stderr);
    expect(err[0]).toMatch(/^Deploying version 1 to fleet: 3 nodes, canary first, then batches of 1; auto-rollback on \(deployment [0-9a-f-]{36}\)$/);
    expect(err).toContain("canary node-a: succeeded");
    expect(err).toContain("batch 1 node-b: succeeded");
    expect(err).toContain("batch 2 node-c: succeeded");
    // The bar grows node by node, one line each time another node is done.
    const bars = err.filter((l) => l.startsWith("["));
    expect(bars.at(-1)).toBe("[####################] 3/3 nodes  canary 1/1, batch 1 1/1, batch 2 1/1");
    expect(bars.some((l) => /^\[#{6,7}-{13,14}\] 1\/3 nodes/.test(l))).toBe(true);
    expect(err.indexOf("canary node-a: succeeded")).toBeLessThan(err.indexOf("batch 2 node-c: succeeded"));
    expect(r.stdout).toBe("Deployment of version 1 succeeded on 3 nodes: 3 succeeded\n");
    expect((await nodes()).map((n) => n.appliedVersion)).toEqual([1, 1, 1]);
  });

  it("exits 1 when a node refuses the version, with its error lines, and the rest rolled back", async () => {
    const r = await op.run(["deploy", "-c", "fleet", "2", "--batch-size", "1"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const err = lines(r.stderr);
    expect(err, r.stderr).toContain("batch 2 node-c: failed: validate: haproxy -c: 1 error");
    expect(err, r.stderr).toContain("    haproxy.cfg:12: unknown keyword 'bnid'");
    expect(err.at(-1)).toMatch(/^hactl: Deployment of version 2 rolled back on 3 nodes: 0 succeeded, 1 failed, 2 rolled back: .*node-c/);
    await until("all back on v1", async () => (await nodes()).every((n) => n.appliedVersion === 1));
  });

  it("says when there is nothing to do", async () => {
    const r = await op.run(["deploy", "-c", "fleet", "1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Deployment of version 1 succeeded on 3 nodes: 0 succeeded, 3 skipped \(already there\) \(every node already runs version 1/);
  });

  it("rolls the latest deployment back in one command", async () => {
    const deployed = await op.run(["deploy", "-c", "fleet", "--output", "json"]);
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(JSON.parse(deployed.stdout)).toMatchObject({ version: 3, status: "succeeded" });
    const r = await op.run(["rollback", "-c", "fleet"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Rolling back the latest deployment, [0-9a-f]{8} \(version 3, succeeded\)\.$/m);
    expect(r.stderr).toMatch(/^Rolling back fleet to version 1: 3 nodes/m);
    expect(r.stdout).toBe("Rollback to version 1 succeeded on 3 nodes: 3 succeeded\n");
    expect((await nodes()).map((n) => n.appliedVersion)).toEqual([1, 1, 1]);
  });

  it("lists and shows deployments", async () => {
    const list = await op.run(["deployments", "list", "-c", "fleet"]);
    const rows = lines(list.stdout);
    expect(rows[0]).toMatch(/^ID +CLUSTER +VERSION +KIND +STATUS +NODES +BY +STARTED +TOOK +ERROR \/ NOTE$/);
    expect(rows.slice(1).map((l) => l.split(/\s+/).slice(2, 5))).toEqual([
      ["v1", "rollback", "succeeded"],
      ["v3", "deploy", "succeeded"],
      ["v1", "deploy", "succeeded"],
      ["v2", "deploy", "rolled"],
      ["v1", "deploy", "succeeded"],
    ]);
    const failedId = rows[4]!.split(/\s+/)[0]!;
    const show = await op.run(["deployments", "show", "-c", "fleet", failedId]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^status: +rolled back$/m);
    expect(show.stdout).toMatch(/^node-c +batch 2 +failed +\S+ +validate: haproxy -c: 1 error$/m);
    expect(show.stdout).toContain("node-c: haproxy.cfg:12: unknown keyword 'bnid'");
    // Watching a deployment that already failed tells the outcome once, as the error, and exits 1.
    const watch = await op.run(["deployments", "watch", "-c", "fleet", failedId]);
    expect(watch.code).toBe(1);
    expect(watch.stdout).toBe("");
    expect(lines(watch.stderr)).toEqual([expect.stringMatching(/^hactl: Deployment of version 2 rolled back on 3 nodes: /)]);
  });

  it("drains a server on every node, and exits 1 when a node does not take a state", async () => {
    const r = await op.run(["server", "drain", "be_app/s1", "-c", "fleet"]);
    expect(r.code, r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(/^NODE +RESULT +DETAIL$/);
    expect(out.slice(1, 4).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ["node-a", "ok"],
      ["node-b", "ok"],
      ["node-c", "ok"],
    ]);
    expect(out.at(-1)).toBe("be_app/s1 is drain on all 3 node(s). It stays so until HAProxy next reloads (a deployment).");
    for (const a of agents) expect((await a.applier.status()).servers[0]?.status).toBe("DRAIN");

    const missing = await op.run(["server", "maint", "be_app/nope", "-c", "fleet"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/^node-a +failed +No such server\.$/m);
    expect(lines(missing.stderr).at(-1)).toBe("hactl: not every node of fleet took maint for be_app/nope");

    const bad = await op.run(["server", "ready", "be_app", "-c", "fleet"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('hactl: "be_app": expected BACKEND/SERVER, names of letters, digits and - _ . :\n');
    const json = await op.run(["server", "ready", "be_app/s1", "-c", "fleet", "--output", "json"]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ backend: "be_app", server: "s1", state: "ready", ok: true });
  });

  it("lists nodes and revokes one", async () => {
    const list = await op.run(["nodes", "list", "-c", "fleet"]);
    expect(lines(list.stdout).slice(1).map((l) => l.split(/\s+/).slice(0, 5)), list.stdout + list.stderr).toEqual([
      ["node-a", "fleet", "ok", "v1", "v1"],
      ["node-b", "fleet", "ok", "v1", "v1"],
      ["node-c", "fleet", "ok", "v1", "v1"],
    ]);
    const no = await op.run(["nodes", "revoke", "node-c"], { stdin: "" });
    expect(no.code).toBe(1);
    expect(lines(no.stderr).at(-1)).toBe("hactl: no answer; nothing was revoked (add --yes to go ahead without asking)");
    const r = await op.run(["nodes", "revoke", "node-c", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Revoked node node-c of fleet\./);
    await until("node-c offline", async () => (await nodes()).some((n) => n.name === "node-c" && n.revokedAt && !n.online));
    const after = await op.run(["nodes", "list", "-c", "fleet"]);
    expect(after.stdout).not.toContain("node-c");
    const again = await op.run(["nodes", "revoke", "node-c", "--yes"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("hactl: no active node named node-c\n");
  });
});
