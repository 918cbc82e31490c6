import { X509Certificate } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { InMemoryApplier } from "../apply/in-memory-applier.js";
import { makeBundle } from "../testing/haproxy-fixture.js";
import { TestMaster } from "../testing/test-master.js";
import type { Credentials } from "../state/state-store.js";
import { startAgent, type AgentEvent, type AgentHandle, type StartAgentOptions } from "./agent.js";

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(master: TestMaster, extra: Partial<StartAgentOptions> = {}) {
  const node = await master.ca.issueNode("node-1");
  const credentials: Credentials = { keyPem: node.keyPem, certPem: node.certPem, caPem: master.ca.certPem };
  const applier = (extra.applier as InMemoryApplier | undefined) ?? new InMemoryApplier({ servers: [{ proxy: "be", server: "s1", status: "UP", weight: 1, checkStatus: "L4OK", currentSessions: 0 }] });
  const events: AgentEvent[] = [];
  const agent: AgentHandle = await startAgent({
    master: master.address,
    credentials,
    applier,
    hostname: "test-host",
    backoff: { baseMs: 20, capMs: 200 },
    onEvent: (e) => events.push(e),
    ...extra,
  });
  cleanup.push(() => agent.stop());
  return { agent, applier, events, credentials };
}

async function startMaster(opts: Parameters<typeof TestMaster.start>[0] = {}) {
  const master = await TestMaster.start(opts);
  cleanup.push(() => master.close());
  return master;
}

const desired = (b: ReturnType<typeof makeBundle>) =>
  ({ case: "desired", value: { nonce: b.nonce, bundleHash: b.hash, files: b.files, version: b.version, deploymentId: b.deploymentId } }) as const;

describe("the stream client", () => {
  it("sends Hello first, then heartbeats at the Welcome's interval with jitter", async () => {
    const master = await startMaster({ heartbeatIntervalMs: 100 });
    await setup(master);
    const s = await master.stream(1);
    await s.waitFor((x) => x.of("heartbeat").length >= 3);
    expect(s.received[0]?.msg.case).toBe("hello");
    const hello = s.of("hello")[0]!;
    expect(hello).toMatchObject({ appliedHash: "", diskHash: "", mode: "supervised", hostname: "test-host", haproxyVersion: "2.6.12-simulated" });
    expect(s.of("heartbeat")[0]!.servers[0]).toMatchObject({ proxy: "be", server: "s1", status: "UP" });
  });

  it("applies a Desired, answers Ack with its nonce, and heartbeats the new hash right after", async () => {
    const master = await startMaster();
    const { applier } = await setup(master);
    const s = await master.stream(1);
    await s.waitFor((x) => x.of("hello").length === 1);
    const b = makeBundle({ "haproxy.cfg": "global\n" });
    s.send(desired(b));
    await s.waitFor((x) => x.of("ack").length === 1 && x.of("heartbeat").length >= 1);
    expect(s.of("ack")[0]).toMatchObject({ nonce: b.nonce, bundleHash: b.hash });
    expect(s.of("heartbeat").at(-1)).toMatchObject({ appliedHash: b.hash, diskHash: b.hash, haproxyRunning: true });
    expect(applier.history).toEqual([b.hash]);
  });

  it("nacks at stage receive a bundle whose files do not hash to its announced hash, or with an unsafe path", async () => {
    const master = await startMaster();
    const { applier } = await setup(master);
    const s = await master.stream(1);
    const b = makeBundle({ "haproxy.cfg": "global\n" });
    s.send(desired({ ...b, hash: "0".repeat(64) }));
    const evil = makeBundle({ "haproxy.cfg": "global\n", "../escape": "x" });
    s.send(desired(evil));
    await s.waitFor((x) => x.of("nack").length === 2);
    expect(s.of("nack").map((n) => n.stage)).toEqual(["receive", "receive"]);
    expect(s.of("nack")[0]!.error).toMatch(/hash/);
    expect(s.of("nack")[1]!.error).toMatch(/unsafe path/);
    expect(applier.appliedCount).toBe(0);
  });

  it("keeps only the latest Desired that arrives during an apply and answers only that one", async () => {
    const master = await startMaster();
    const { applier } = await setup(master, { applier: new InMemoryApplier({ applyDelayMs: 300 }) });
    const s = await master.stream(1);
    const [b1, b2, b3] = [1, 2, 3].map((v) => makeBundle({ "haproxy.cfg": `global\n# ${v}\n` }, v));
    s.send(desired(b1!));
    await new Promise((r) => setTimeout(r, 50));
    s.send(desired(b2!));
    s.send(desired(b3!));
    await s.waitFor((x) => x.of("ack").length >= 1);
    await new Promise((r) => setTimeout(r, 400));
    expect(s.of("ack").map((a) => a.nonce)).toEqual([b3!.nonce]);
    expect(applier.history).toEqual([b1!.hash, b3!.hash]);
  });

  it("acknowledges without applying when the bundle is already applied and on disk", async () => {
    const master = await startMaster();
    const applier = new InMemoryApplier();
    const b = makeBundle({ "haproxy.cfg": "global\n" });
    await applier.apply(b);
    await setup(master, { applier });
    const s = await master.stream(1);
    expect(s.of("hello")[0]).toMatchObject({ appliedHash: b.hash, diskHash: b.hash });
    s.send(desired({ ...b, nonce: "again" }));
    await s.waitFor((x) => x.of("ack").length === 1);
    expect(applier.appliedCount).toBe(1);
    applier.drift();
    s.send(desired({ ...b, nonce: "drifted" }));
    await s.waitFor((x) => x.of("ack").length === 2);
    expect(applier.appliedCount).toBe(2);
  });

  it("answers SetServerState with a CommandResult carrying the command id", async () => {
    const master = await startMaster();
    await setup(master);
    const s = await master.stream(1);
    s.send({ case: "command", value: { id: "c1", cmd: { case: "setServerState", value: { proxy: "be", server: "s1", state: "drain" } } } });
    s.send({ case: "command", value: { id: "c2", cmd: { case: "setServerState", value: { proxy: "be", server: "nope", state: "drain" } } } });
    await s.waitFor((x) => x.of("commandResult").length === 2);
    const results = s.of("commandResult").sort((a, b) => a.commandId.localeCompare(b.commandId));
    expect(results[0]).toMatchObject({ commandId: "c1", ok: true });
    expect(results[1]).toMatchObject({ commandId: "c2", ok: false });
  });

  it("reconnects after the master ends the stream and says hello with what it applied", async () => {
    const master = await startMaster();
    const { events } = await setup(master);
    const s1 = await master.stream(1);
    const b = makeBundle({ "haproxy.cfg": "global\n" });
    s1.send(desired(b));
    await s1.waitFor((x) => x.of("ack").length === 1);
    s1.end();
    const s2 = await master.stream(2);
    await s2.waitFor((x) => x.of("hello").length === 1);
    expect(s2.of("hello")[0]).toMatchObject({ appliedHash: b.hash });
    const gone = events.find((e) => e.type === "disconnected");
    expect(gone).toMatchObject({ kind: "transient", code: "unavailable" });
    if (gone?.type === "disconnected") expect(gone.retryInMs).toBeLessThan(200);
  });

  it("keeps retrying at the backoff cap when the master refuses the node as unauthenticated", async () => {
    const master = await startMaster({
      onConnect: () => {
        throw new ConnectError("node revoked", Code.Unauthenticated);
      },
    });
    const { events, agent } = await setup(master);
    const deadline = Date.now() + 3_000;
    while (events.filter((e) => e.type === "disconnected").length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const refusals = events.filter((e) => e.type === "disconnected");
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    for (const r of refusals) expect(r).toMatchObject({ kind: "refused", code: "unauthenticated", retryInMs: 200, message: "node revoked" });
    expect(agent.connected).toBe(false);
  });

  it("renews its certificate when the Welcome says so, persists it, and reconnects with it", async () => {
    const master = await startMaster({ renewAfterUnixMs: () => BigInt(Date.now() - 1) });
    const renewed: Credentials[] = [];
    const { agent, credentials } = await setup(master, { onRenewed: async (c) => void renewed.push(c) });
    const s2 = await master.stream(2);
    await s2.waitFor((x) => x.of("hello").length === 1);
    expect(renewed.length).toBeGreaterThanOrEqual(1);
    const oldSerial = new X509Certificate(credentials.certPem).serialNumber;
    const newSerial = new X509Certificate(renewed[0]!.certPem).serialNumber;
    expect(newSerial).not.toBe(oldSerial);
    expect(renewed[0]!.keyPem).not.toBe(credentials.keyPem);
    expect(s2.peer.serial.toUpperCase()).toBe(newSerial.toUpperCase());
    expect(agent.credentials.certPem).toBe(renewed[0]!.certPem);
  });

  it("stop closes the stream and leaves the applied state alone", async () => {
    const master = await startMaster();
    const { agent, applier } = await setup(master);
    const s = await master.stream(1);
    const b = makeBundle({ "haproxy.cfg": "global\n" });
    s.send(desired(b));
    await s.waitFor((x) => x.of("ack").length === 1);
    await agent.stop();
    await s.waitFor((x) => x.ended);
    expect(await applier.current()).toEqual({ hash: b.hash, diskHash: b.hash });
  });
});
