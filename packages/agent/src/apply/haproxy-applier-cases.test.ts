import { stat } from "node:fs/promises";
import https from "node:https";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../log.js";
import { freePort, httpGet, killHard, makeBundle, proxyConfig, requireHaproxyBinary, startBackend, tempDir } from "../testing/haproxy-fixture.js";
import { createTestCa } from "../testing/pki.js";
import { HaproxyApplier } from "./haproxy-applier.js";

// Single-apply scenarios, each with its own state dir and HAProxy (the sequence of applies
// on one HAProxy is in haproxy-applier.test.ts).
const bin = requireHaproxyBinary();

describe("HaproxyApplier with haproxyEnv (real HAProxy)", () => {
  it("validates and runs the config with the configured environment, so one config binds per-node addresses", async () => {
    const state = await tempDir();
    const backend = await startBackend("env");
    const applier = new HaproxyApplier({
      stateDir: state.dir,
      mode: "supervised",
      haproxyBin: bin,
      haproxyEnv: { NODE_BIND: "127.0.0.1" },
      keepReleases: 5,
      watchIntervalMs: 0,
      log: silentLogger(),
    });
    try {
      await applier.start();
      const port = await freePort();
      const cfg = proxyConfig({ listen: `"\${NODE_BIND}:${port}"`, backendPort: backend.port });
      expect(await applier.apply(makeBundle({ "haproxy.cfg": cfg }))).toMatchObject({ ok: true });
      expect((await httpGet(port)).body).toBe("env");
    } finally {
      await applier.close();
      await killHard(applier.supervisor?.masterPid);
      await backend.close();
      await state.remove();
    }
  });
});

describe("HaproxyApplier's first apply (real HAProxy)", () => {
  it("leaves no current release and HAProxy stopped when the first bundle cannot start", async () => {
    const state = await tempDir();
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, "127.0.0.1", r));
    const taken = (squatter.address() as net.AddressInfo).port;
    const applier = new HaproxyApplier({
      stateDir: state.dir,
      mode: "supervised",
      haproxyBin: bin,
      haproxyEnv: {},
      keepReleases: 5,
      watchIntervalMs: 0,
      bindPreflight: false,
      log: silentLogger(),
    });
    try {
      await applier.start();
      const result = await applier.apply(makeBundle({ "haproxy.cfg": proxyConfig({ listen: `127.0.0.1:${taken}`, backendPort: 9 }) }));
      expect(result).toMatchObject({ ok: false, stage: "reload" });
      if (!result.ok) expect(result.error).toMatch(/cannot bind socket/);
      expect(await applier.current()).toEqual({ hash: "", diskHash: "" });
      expect(await applier.releases.list()).toEqual([]);
      expect((await applier.status()).haproxyRunning).toBe(false);
    } finally {
      await applier.close();
      await killHard(applier.supervisor?.masterPid);
      await new Promise((r) => squatter.close(r));
      await state.remove();
    }
  });
});

describe("HaproxyApplier with bundle certificates (real HAProxy)", () => {
  it("serves TLS with a certificate the config references as certs/<name>.pem next to it", async () => {
    const state = await tempDir();
    const backend = await startBackend("tls");
    const ca = await createTestCa();
    const leaf = await ca.issueServer({ ip: ["127.0.0.1"] });
    const applier = new HaproxyApplier({ stateDir: state.dir, mode: "supervised", haproxyBin: bin, haproxyEnv: {}, keepReleases: 5, watchIntervalMs: 0, log: silentLogger() });
    try {
      await applier.start();
      const port = await freePort();
      const cfg = proxyConfig({ listen: `127.0.0.1:${port} ssl crt certs/site.pem`, backendPort: backend.port });
      const bundle = makeBundle({ "haproxy.cfg": cfg, "certs/site.pem": { text: `${leaf.certPem}${leaf.keyPem}`, mode: 0o600 } });
      expect(await applier.apply(bundle)).toMatchObject({ ok: true });
      expect((await stat(path.join(state.dir, "current", "certs", "site.pem"))).mode & 0o777).toBe(0o600);
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get({ host: "127.0.0.1", port, path: "/", ca: ca.certPem, agent: false }, (res) => {
            let text = "";
            res.on("data", (d: Buffer) => (text += d.toString()));
            res.on("end", () => resolve(text));
          })
          .on("error", reject);
      });
      expect(body).toBe("tls");
      // A second apply re-reads the config through the `current` symlink and finds its certs again.
      expect(await applier.apply(makeBundle({ "haproxy.cfg": `${cfg}# v2\n`, "certs/site.pem": { text: `${leaf.certPem}${leaf.keyPem}`, mode: 0o600 } }, 2))).toMatchObject({ ok: true });
    } finally {
      await applier.close();
      await killHard(applier.supervisor?.masterPid);
      await backend.close();
      await state.remove();
    }
  });
});

describe("HaproxyApplier keeping runtime server states across a reload (real HAProxy)", () => {
  const withStateFile = (cfg: string, file: string) =>
    cfg.replace("global\n", `global\n  server-state-file ${file}\n`).replace("defaults\n", "defaults\n  load-server-state-from-file global\n");

  it.each([
    ["with server-state-file: the new worker keeps MAINT", true, "MAINT"],
    ["without it: the new worker starts from the config", false, "UP"],
  ] as const)("%s", async (_name, stateFile, after) => {
    const state = await tempDir();
    const backend = await startBackend("states");
    const applier = new HaproxyApplier({ stateDir: state.dir, mode: "supervised", haproxyBin: bin, haproxyEnv: {}, keepReleases: 5, watchIntervalMs: 0, log: silentLogger() });
    const status = async () => (await applier.status()).servers.find((s) => s.proxy === "be" && s.server === "s1")?.status;
    try {
      await applier.start();
      const port = await freePort();
      const file = path.join(state.dir, "server-state");
      const config = (extra: string) => {
        const cfg = proxyConfig({ listen: `127.0.0.1:${port}`, backendPort: backend.port, extra });
        return stateFile ? withStateFile(cfg, file) : cfg;
      };
      expect(await applier.apply(makeBundle({ "haproxy.cfg": config("  http-response set-header x-v 1") }))).toMatchObject({ ok: true });
      await expect.poll(status, { timeout: 10_000 }).toMatch(/^UP/);
      expect(await applier.setServerState("be", "s1", "maint")).toMatchObject({ ok: true });
      expect(await status()).toBe("MAINT");
      expect(await applier.apply(makeBundle({ "haproxy.cfg": config("  http-response set-header x-v 2") }, 2))).toMatchObject({ ok: true });
      await expect.poll(status, { timeout: 10_000 }).toMatch(new RegExp(`^${after}`));
      if (stateFile) expect((await stat(file)).mode & 0o777).toBe(0o600);
    } finally {
      await applier.close();
      await killHard(applier.supervisor?.masterPid);
      await backend.close();
      await state.remove();
    }
  });
});
