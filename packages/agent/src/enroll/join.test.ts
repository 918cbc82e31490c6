import { stat, readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { silentLogger } from "../log.js";
import { FileStateStore, certMatchesKey } from "../state/file-state-store.js";
import { createTestCa } from "../testing/pki.js";
import { tempDir } from "../testing/haproxy-fixture.js";
import { TestMaster } from "../testing/test-master.js";
import { join } from "./join.js";

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function fixture(opts: Parameters<typeof TestMaster.start>[0] = {}) {
  const seen: { token?: string; csrPem?: string } = {};
  const master = await TestMaster.start({
    onEnroll: async (req, ca) => {
      if (req.token !== "good-token") throw new ConnectError("invalid or expired enrolment token", Code.Unauthenticated);
      seen.token = req.token;
      seen.csrPem = req.csrPem;
      return { nodeId: "node-42", clusterId: "cluster-7", certificatePem: await ca.signCsr(req.csrPem, "node-42") };
    },
    ...opts,
  });
  const state = await tempDir();
  cleanup.push(() => master.close(), () => state.remove());
  return { master, state, store: new FileStateStore(state.dir), seen };
}

describe("join", () => {
  it("enrols with a key made here and stores key (0600), certificate, CA and agent.json", async () => {
    const { master, state, store, seen } = await fixture();
    const identity = await join({ master: master.address, token: "good-token", caHash: master.ca.pin, store, name: "edge-1", log: silentLogger() });

    expect(identity).toMatchObject({ master: master.address, nodeId: "node-42", clusterId: "cluster-7", caHash: master.ca.pin });
    expect(seen.csrPem).toContain("BEGIN CERTIFICATE REQUEST");
    expect(seen.csrPem).not.toContain("PRIVATE KEY");
    expect((await stat(path.join(state.dir, "key.pem"))).mode & 0o777).toBe(0o600);
    const creds = (await store.readCredentials())!;
    expect(certMatchesKey(creds.certPem, creds.keyPem)).toBe(true);
    expect(creds.caPem).toBe(master.ca.certPem);
    expect(JSON.parse(await readFile(path.join(state.dir, "agent.json"), "utf8"))).toMatchObject({ nodeId: "node-42", enrolledAt: expect.any(String) });
  });

  it("refuses a master whose chain holds no CA matching --ca-hash", async () => {
    const { master, store } = await fixture();
    const other = await createTestCa("someone else");
    await expect(join({ master: master.address, token: "good-token", caHash: other.pin, store, log: silentLogger() })).rejects.toThrow(
      `the master at ${master.address} presented no CA matching ${other.pin}; check the --ca-hash from the join command`,
    );
    expect(await store.isEnrolled()).toBe(false);
  });

  it("refuses to overwrite an existing enrolment unless forced", async () => {
    const { master, store } = await fixture();
    const opts = { master: master.address, token: "good-token", caHash: master.ca.pin, store, log: silentLogger() };
    await join(opts);
    await expect(join(opts)).rejects.toThrow(/already enrolled; pass --force/);
    await expect(join({ ...opts, force: true })).resolves.toMatchObject({ nodeId: "node-42" });
  });

  it("reports a refused token as one readable line", async () => {
    const { master, store } = await fixture();
    await expect(join({ master: master.address, token: "bad", caHash: master.ca.pin, store, log: silentLogger() })).rejects.toThrow(
      `the master at ${master.address} refused the enrolment: invalid or expired enrolment token`,
    );
  });
});
