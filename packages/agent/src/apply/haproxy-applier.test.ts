import { readlink, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../log.js";
import { handleDesired } from "../client/desired-handler.js";
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
import { HaproxyApplier } from "./haproxy-applier.js";

const bin = requireHaproxyBinary();

describe("HaproxyApplier in supervised mode (real HAProxy)", () => {
  let state: { dir: string; remove(): Promise<void> };
  let backendA: Backend;
  let backendB: Backend;
  let port: number;
  let applier: HaproxyApplier;
  const pids = new Set<number>();
  const appliers: HaproxyApplier[] = [];

  const newApplier = (watchIntervalMs = 0, bindPreflight = true) => {
    const a = new HaproxyApplier({
      bindPreflight,
      stateDir: state.dir,
      mode: "supervised",
      haproxyBin: bin,
      haproxyEnv: {},
      keepReleases: 3,
      watchIntervalMs,
      log: silentLogger(),
    });
    appliers.push(a);
    return a;
  };
  const masterPid = async (a: HaproxyApplier) => {
    const pid = await a.supervisor!.find();
    if (pid !== undefined) pids.add(pid);
    return pid;
  };
  const workerPid = async (a: HaproxyApplier) => (await a.supervisor!.showProc())?.workers[0]?.pid;
  /** Requests in a loop over fresh connections until stopped; collects bodies and errors. */
  const requestLoop = (loops = 4) => {
    let stop = false;
    const seen = { ok: 0, bodies: new Set<string>(), errors: [] as string[] };
    const one = async () => {
      while (!stop) {
        try {
          const r = await httpGet(port);
          if (r.status === 200) (seen.ok++, seen.bodies.add(r.body));
          else seen.errors.push(`${r.status} ${r.body}`);
        } catch (err) {
          seen.errors.push((err as Error).message);
        }
      }
    };
    const running = Array.from({ length: loops }, one);
    return {
      stop: async () => {
        stop = true;
        await Promise.all(running);
        return seen;
      },
    };
  };
  const cfgA = () => proxyConfig({ listen: `127.0.0.1:${port}`, backendPort: backendA.port });
  const cfgB = () => proxyConfig({ listen: `127.0.0.1:${port}`, backendPort: backendB.port });

  beforeAll(async () => {
    state = await tempDir();
    backendA = await startBackend("A");
    backendB = await startBackend("B");
    port = await freePort();
    applier = newApplier();
    await applier.start();
  });

  afterAll(async () => {
    for (const a of appliers) await a.close();
    for (const a of appliers) {
      const pid = a.supervisor?.masterPid;
      if (pid !== undefined) pids.add(pid);
    }
    for (const pid of pids) await killHard(pid);
    await backendA.close();
    await backendB.close();
    await state.remove();
  });

  it("reports no HAProxy before the first bundle", async () => {
    expect((await applier.status()).haproxyRunning).toBe(false);
    expect(await applier.current()).toEqual({ hash: "", diskHash: "" });
  });

  it("applies a bundle and serves a real HTTP response through HAProxy", async () => {
    const bundle = makeBundle({ "haproxy.cfg": cfgA() });
    const result = await applier.apply(bundle);
    expect(result).toMatchObject({ ok: true });
    expect(await masterPid(applier)).toBeGreaterThan(0);
    expect(await httpGet(port)).toEqual({ status: 200, body: "A" });
    expect(await applier.current()).toEqual({ hash: bundle.hash, diskHash: bundle.hash });
    const status = await applier.status();
    expect(status.haproxyRunning).toBe(true);
    expect(status.servers).toContainEqual(expect.objectContaining({ proxy: "be", server: "s1" }));
  });

  it("serves the changed response after a reload, with zero failed requests during it", async () => {
    const before = await masterPid(applier);
    const probe = requestLoop();
    await new Promise((r) => setTimeout(r, 200));
    const result = await applier.apply(makeBundle({ "haproxy.cfg": cfgB() }, 2));
    await new Promise((r) => setTimeout(r, 300));
    const seen = await probe.stop();

    expect(result).toMatchObject({ ok: true });
    expect(seen.errors).toEqual([]);
    expect(seen.ok).toBeGreaterThan(20);
    expect(seen.bodies).toEqual(new Set(["A", "B"]));
    expect((await httpGet(port)).body).toBe("B");
    expect(await masterPid(applier)).toBe(before);
  });

  it("nacks a config that fails haproxy -c with its line number; the old config keeps serving and current is unchanged", async () => {
    const currentBefore = await readlink(path.join(state.dir, "current"));
    const broken = cfgB().replace("  default_backend be", "  default_backend be\n  no-such-keyword here");
    const line = broken.split("\n").indexOf("  no-such-keyword here") + 1;
    const result = await applier.apply(makeBundle({ "haproxy.cfg": broken }, 3));

    expect(result).toMatchObject({ ok: false, stage: "validate" });
    if (result.ok) return;
    expect(result.lines).toContainEqual({ file: "haproxy.cfg", line, message: expect.stringContaining("no-such-keyword") });
    expect(result.error).toContain("no-such-keyword");
    expect(await readlink(path.join(state.dir, "current"))).toBe(currentBefore);
    expect((await httpGet(port)).body).toBe("B");
  });

  it("refuses before reloading a bind on an address another program holds; the old config serves without a gap", async () => {
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, "127.0.0.1", r));
    const taken = (squatter.address() as net.AddressInfo).port;
    const probe = requestLoop();
    try {
      const currentBefore = await readlink(path.join(state.dir, "current"));
      const workerBefore = await workerPid(applier);
      const conflict = proxyConfig({ listen: `127.0.0.1:${taken}`, backendPort: backendA.port });
      const line = conflict.split("\n").indexOf(`  bind 127.0.0.1:${taken}`) + 1;
      const result = await applier.apply(makeBundle({ "haproxy.cfg": conflict }, 4));

      expect(result).toMatchObject({ ok: false, stage: "reload" });
      if (!result.ok) expect(result.lines).toEqual([{ file: "haproxy.cfg", line, message: expect.stringMatching(/address in use by pid \d+/) }]);
      expect(await readlink(path.join(state.dir, "current"))).toBe(currentBefore);
      expect(await workerPid(applier)).toBe(workerBefore);
      expect((await applier.status()).failedReloads).toBe(0);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
    const seen = await probe.stop();
    expect(seen.errors).toEqual([]);
    expect(seen.bodies).toEqual(new Set(["B"]));
  });

  it("nacks at stage reload a bind conflict that haproxy -c accepts and HAProxy's reload rejects; the old worker keeps serving", async () => {
    const raw = newApplier(0, false);
    await raw.start();
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, "127.0.0.1", r));
    const taken = (squatter.address() as net.AddressInfo).port;
    try {
      const currentBefore = await readlink(path.join(state.dir, "current"));
      const workerBefore = await workerPid(raw);
      const conflict = proxyConfig({ listen: `127.0.0.1:${taken}`, backendPort: backendA.port });
      const result = await raw.apply(makeBundle({ "haproxy.cfg": conflict }, 4));

      expect(result).toMatchObject({ ok: false, stage: "reload" });
      if (!result.ok) expect(result.error).toMatch(/cannot bind socket.*127\.0\.0\.1:\d+/);
      expect(await readlink(path.join(state.dir, "current"))).toBe(currentBefore);
      expect((await httpGet(port)).body).toBe("B");
      expect(await workerPid(raw)).toBe(workerBefore);
      expect((await raw.status()).failedReloads).toBe(1);
    } finally {
      await new Promise((r) => squatter.close(r));
      await raw.close();
    }
  });

  it("acknowledges the same bundle again without reloading (worker pid unchanged)", async () => {
    const bundle = makeBundle({ "haproxy.cfg": cfgA() }, 5);
    expect(await handleDesired(applier, bundle)).toMatchObject({ ok: true, reloaded: true });
    const worker = await workerPid(applier);
    const again = await handleDesired(applier, { ...bundle, nonce: "again" });
    expect(again).toMatchObject({ ok: true, reloaded: false });
    expect(await workerPid(applier)).toBe(worker);
    expect((await applier.status()).failedReloads).toBe(0);
  });

  it("sees drift: the disk hash changes when someone edits the current release by hand", async () => {
    const { hash, diskHash } = await applier.current();
    expect(diskHash).toBe(hash);
    await writeFile(path.join(state.dir, "current", "haproxy.cfg"), `${cfgA()}# edited by hand\n`);
    const after = await applier.current();
    expect(after.hash).toBe(hash);
    expect(after.diskHash).not.toBe(hash);
    // A drifted node is re-applied, not acknowledged as is.
    const bundle = makeBundle({ "haproxy.cfg": cfgA() }, 6);
    expect(bundle.hash).toBe(hash);
    expect(await handleDesired(applier, bundle)).toMatchObject({ ok: true, reloaded: true });
    expect((await applier.current()).diskHash).toBe(hash);
  });

  it("finds the running HAProxy again after an agent restart and keeps it (same pid)", async () => {
    const pid = await masterPid(applier);
    await applier.close();
    const restarted = newApplier();
    await restarted.start();
    expect(restarted.supervisor!.masterPid).toBe(pid);
    expect((await restarted.status()).haproxyRunning).toBe(true);
    expect((await httpGet(port)).body).toBe("A");
    applier = restarted;
  });

  it("rolls current back at start when an apply was interrupted between the switch and the reload", async () => {
    const applied = await applier.current();
    // The crash: a complete, validated release made current, HAProxy never reloaded.
    const orphan = await applier.releases.write(makeBundle({ "haproxy.cfg": cfgB() }, 99));
    await applier.releases.switchTo(orphan.name);
    await applier.close();
    const restarted = newApplier();
    await restarted.start();
    expect(await restarted.current()).toEqual(applied);
    expect((await httpGet(port)).body).toBe("A");
    applier = restarted;
  });

  it("restarts HAProxy when it died, with the current release", async () => {
    const pid = await masterPid(applier);
    await killHard(pid);
    await applier.close();
    const watched = newApplier(100);
    await watched.start();
    const deadline = Date.now() + 10_000;
    let answered = "";
    while (Date.now() < deadline && answered !== "A") {
      answered = await httpGet(port, 500).then((r) => r.body, () => "");
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(answered).toBe("A");
    const newPid = await masterPid(watched);
    expect(newPid).not.toBe(pid);
    applier = watched;
  });

  it("keeps only keepReleases releases, never the current or previous one", async () => {
    for (const v of [7, 8, 9, 10]) {
      const cfg = v % 2 ? cfgA() : cfgB();
      expect(await applier.apply(makeBundle({ "haproxy.cfg": `${cfg}# v${v}\n` }, v))).toMatchObject({ ok: true });
    }
    const names = (await applier.releases.list()).map((r) => r.name);
    expect(names).toHaveLength(3);
    const current = await applier.releases.current();
    const previous = await applier.releases.previous();
    expect(names).toContain(current!.name);
    expect(names).toContain(previous!.name);
    expect(current!.meta.version).toBe(10);
    expect(previous!.meta.version).toBe(9);
  });
});
