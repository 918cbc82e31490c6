import { readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "../testing/haproxy-fixture.js";
import { createTestCa, type TestCa } from "../testing/pki.js";
import { FileStateStore } from "./file-state-store.js";

let ca: TestCa;
let state: { dir: string; remove(): Promise<void> };
let store: FileStateStore;
beforeAll(async () => {
  ca = await createTestCa();
});
beforeEach(async () => {
  state = await tempDir();
  store = new FileStateStore(state.dir);
});
afterEach(() => state.remove());

const identity = { master: "m:1", nodeId: "n1", clusterId: "c1", caHash: "sha256:x", enrolledAt: "2026-01-01T00:00:00.000Z" };

describe("FileStateStore", () => {
  it("stores an enrolment with the key at 0600 and leaves no temp files", async () => {
    const node = await ca.issueNode("n1");
    await store.saveEnrolment(identity, { keyPem: node.keyPem, certPem: node.certPem, caPem: ca.certPem });
    expect(await store.isEnrolled()).toBe(true);
    expect(await store.readIdentity()).toEqual(identity);
    expect((await stat(path.join(state.dir, "key.pem"))).mode & 0o777).toBe(0o600);
    expect((await readdir(state.dir)).sort()).toEqual(["agent.json", "ca.pem", "cert.pem", "key.pem"]);
  });

  it("is not enrolled while agent.json is missing (a join interrupted before its last write)", async () => {
    const node = await ca.issueNode("n1");
    await store.saveEnrolment(identity, { keyPem: node.keyPem, certPem: node.certPem, caPem: ca.certPem });
    await rm(path.join(state.dir, "agent.json"));
    expect(await store.isEnrolled()).toBe(false);
  });

  it("reports a corrupt agent.json in one line that says how to re-enrol", async () => {
    await writeFile(path.join(state.dir, "agent.json"), "{");
    await expect(store.readIdentity()).rejects.toThrow(/not valid JSON; re-enrol with "ha-agent join --force"/);
  });

  it("completes a renewal interrupted between the key and the certificate rename", async () => {
    const old = await ca.issueNode("n1");
    await store.saveEnrolment(identity, { keyPem: old.keyPem, certPem: old.certPem, caPem: ca.certPem });
    const fresh = await ca.issueNode("n1");
    // The crash: new key already renamed into place, new certificate still in cert.pem.next.
    await writeFile(path.join(state.dir, "key.pem"), fresh.keyPem, { mode: 0o600 });
    await writeFile(path.join(state.dir, "cert.pem.next"), fresh.certPem);
    const creds = await store.readCredentials();
    expect(creds).toMatchObject({ keyPem: fresh.keyPem, certPem: fresh.certPem });
    expect(await readdir(state.dir)).not.toContain("cert.pem.next");
  });

  it("drops a renewal that crashed before its pair was complete", async () => {
    const old = await ca.issueNode("n1");
    await store.saveEnrolment(identity, { keyPem: old.keyPem, certPem: old.certPem, caPem: ca.certPem });
    const fresh = await ca.issueNode("n1");
    await writeFile(path.join(state.dir, "key.pem.next"), fresh.keyPem, { mode: 0o600 });
    expect(await store.readCredentials()).toMatchObject({ keyPem: old.keyPem, certPem: old.certPem });
    expect(await readdir(state.dir)).not.toContain("key.pem.next");
  });

  it("replaces key and certificate together on renewal", async () => {
    const old = await ca.issueNode("n1");
    await store.saveEnrolment(identity, { keyPem: old.keyPem, certPem: old.certPem, caPem: ca.certPem });
    const fresh = await ca.issueNode("n1");
    await store.saveRenewed({ keyPem: fresh.keyPem, certPem: fresh.certPem, caPem: ca.certPem });
    expect(await store.readCredentials()).toEqual({ keyPem: fresh.keyPem, certPem: fresh.certPem, caPem: ca.certPem });
    expect((await stat(path.join(state.dir, "key.pem"))).mode & 0o777).toBe(0o600);
  });
});
