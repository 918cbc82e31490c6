import { afterAll, describe, expect, it } from "vitest";
import { InMemoryApplier } from "../apply/in-memory-applier.js";
import { makeBundle } from "../testing/haproxy-fixture.js";
import { TestMaster } from "../testing/test-master.js";
import { startAgent, type AgentHandle } from "./agent.js";

describe("startAgent as a library", () => {
  const agents: AgentHandle[] = [];
  let master: TestMaster | undefined;
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await master?.close();
  });

  it("runs many simulated agents in one process, each on its own mTLS stream, all converging", async () => {
    master = await TestMaster.start({ heartbeatIntervalMs: 5_000 });
    const n = 100;
    const appliers = Array.from({ length: n }, () => new InMemoryApplier({ applyDelayMs: () => Math.random() * 20 }));
    for (let i = 0; i < n; i++) {
      const node = await master.ca.issueNode(`sim-${i}`);
      agents.push(
        await startAgent({
          master: master.address,
          credentials: { keyPem: node.keyPem, certPem: node.certPem, caPem: master.ca.certPem },
          applier: appliers[i]!,
          hostname: `sim-${i}`,
        }),
      );
    }
    const streams = await Promise.all(Array.from({ length: n }, (_, i) => master!.stream(i + 1, 20_000)));
    expect(new Set(streams.map((s) => s.peer.subjectCn)).size).toBe(n);

    const b = makeBundle({ "haproxy.cfg": "global\n" });
    for (const s of streams) s.send({ case: "desired", value: { nonce: `${s.peer.subjectCn}-1`, bundleHash: b.hash, files: b.files, version: 1, deploymentId: "d" } });
    await Promise.all(streams.map((s) => s.waitFor((x) => x.of("ack").length === 1, 20_000)));
    expect(appliers.every((a) => a.history.length === 1 && a.history[0] === b.hash)).toBe(true);
    expect(agents.every((a) => a.connected)).toBe(true);
  });
});
