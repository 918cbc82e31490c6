import { readlink } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../log.js";
import { readPidFile } from "../haproxy/proc-fns.js";
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

describe("HaproxyApplier in external mode (real HAProxy run by a stand-in service manager)", () => {
  let state: { dir: string; remove(): Promise<void> };
  let backendA: Backend;
  let backendB: Backend;
  let port: number;
  let applier: HaproxyApplier;
  let pidFile: string;
  let statsSocket: string;

  // The config a service manager's HAProxy reads: the bundle's, with a stats socket the agent
  // uses as its runtimeSocket.
  const cfg = (backendPort: number, listen = `127.0.0.1:${port}`) =>
    proxyConfig({ listen, backendPort }).replace("global\n", `global\n  stats socket ${statsSocket} level admin\n`);

  beforeAll(async () => {
    state = await tempDir();
    backendA = await startBackend("A");
    backendB = await startBackend("B");
    port = await freePort();
    pidFile = path.join(state.dir, "service.pid");
    statsSocket = path.join(state.dir, "stats.sock");
    // Like `systemctl reload-or-restart haproxy`: reload when running, start otherwise.
    const reloadCommand = [
      `if [ -f ${pidFile} ] && kill -0 "$(cat ${pidFile})" 2>/dev/null;`,
      `then kill -USR2 "$(cat ${pidFile})";`,
      `else ${bin} -W -D -f ${path.join(state.dir, "current", "haproxy.cfg")} -p ${pidFile}; fi`,
    ].join(" ");
    applier = new HaproxyApplier({
      stateDir: state.dir,
      mode: "external",
      haproxyBin: bin,
      haproxyEnv: {},
      keepReleases: 5,
      reloadCommand,
      runtimeSocket: statsSocket,
      reloadTimeoutMs: 5_000,
      // Off so that HAProxy's own reload failure is what the verify step has to catch.
      bindPreflight: false,
      log: silentLogger(),
    });
    await applier.start();
  });

  afterAll(async () => {
    await applier.close();
    await killHard(await readPidFile(pidFile));
    await backendA.close();
    await backendB.close();
    await state.remove();
  });

  it("runs the reload command, waits for HAProxy to answer on the runtime socket, and serves", async () => {
    expect(await applier.apply(makeBundle({ "haproxy.cfg": cfg(backendA.port) }))).toMatchObject({ ok: true });
    expect((await httpGet(port)).body).toBe("A");
    const status = await applier.status();
    expect(status.haproxyRunning).toBe(true);
    expect(status.servers).toContainEqual(expect.objectContaining({ proxy: "be", server: "s1" }));
  });

  it("confirms a reload by the new worker pid on the runtime socket", async () => {
    expect(await applier.apply(makeBundle({ "haproxy.cfg": cfg(backendB.port) }, 2))).toMatchObject({ ok: true });
    expect((await httpGet(port)).body).toBe("B");
  });

  it("nacks at stage verify a reload whose new config could not start (old worker still answering), and switches back", async () => {
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, "127.0.0.1", r));
    try {
      const before = await readlink(path.join(state.dir, "current"));
      const taken = (squatter.address() as net.AddressInfo).port;
      const result = await applier.apply(makeBundle({ "haproxy.cfg": cfg(backendA.port, `127.0.0.1:${taken}`) }, 3));
      expect(result).toMatchObject({ ok: false, stage: "verify" });
      if (!result.ok) expect(result.error).toMatch(/still runs the old worker/);
      expect(await readlink(path.join(state.dir, "current"))).toBe(before);
      expect((await httpGet(port)).body).toBe("B");
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it("changes a server's state through the runtime socket", async () => {
    expect(await applier.setServerState("be", "s1", "drain")).toEqual({ ok: true, output: "", error: "" });
    expect((await applier.status()).servers.find((s) => s.server === "s1")?.status).toBe("DRAIN");
    expect(await applier.setServerState("be", "nope", "ready")).toMatchObject({ ok: false });
  });

  it("nacks at stage reload when the reload command fails, with its exit status and output", async () => {
    const failing = new HaproxyApplier({
      stateDir: state.dir,
      mode: "external",
      haproxyBin: bin,
      haproxyEnv: {},
      keepReleases: 5,
      reloadCommand: "echo 'unit haproxy.service not loaded' >&2; exit 3",
      log: silentLogger(),
    });
    const before = await readlink(path.join(state.dir, "current"));
    const result = await failing.apply(makeBundle({ "haproxy.cfg": cfg(backendA.port) }, 4));
    expect(result).toMatchObject({ ok: false, stage: "reload" });
    if (!result.ok) expect(result.error).toMatch(/exited with 3: unit haproxy.service not loaded/);
    expect(await readlink(path.join(state.dir, "current"))).toBe(before);
  });
});
