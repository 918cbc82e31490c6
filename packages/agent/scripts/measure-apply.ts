// Measures Desired -> Ack through the real stream client and a real HAProxy (supervised mode):
// write, haproxy -c, switch, reload, confirm the new worker. Prints the median of N applies.
// Run from the repository root:
//   node --conditions=source --import tsx packages/agent/scripts/measure-apply.ts [N]
import { HaproxyApplier } from "../src/apply/haproxy-applier.js";
import { startAgent } from "../src/client/agent.js";
import { silentLogger } from "../src/log.js";
import { freePort, killHard, makeBundle, proxyConfig, requireHaproxyBinary, startBackend, tempDir } from "../src/testing/haproxy-fixture.js";
import { TestMaster } from "../src/testing/test-master.js";

const n = Number(process.argv[2] ?? 10);
const bin = requireHaproxyBinary();
const master = await TestMaster.start();
const state = await tempDir();
const backend = await startBackend("x");
const port = await freePort();
const node = await master.ca.issueNode("bench");
const applier = new HaproxyApplier({ stateDir: state.dir, mode: "supervised", haproxyBin: bin, haproxyEnv: {}, keepReleases: 5, watchIntervalMs: 0, log: silentLogger() });
const agent = await startAgent({ master: master.address, credentials: { ...node, caPem: master.ca.certPem }, applier });
const stream = await master.stream(1);
const times: number[] = [];
const reported: number[] = [];
try {
  for (let i = 0; i <= n; i++) {
    const b = makeBundle({ "haproxy.cfg": `${proxyConfig({ listen: `127.0.0.1:${port}`, backendPort: backend.port })}# ${i}\n` }, i);
    const acks = stream.of("ack").length;
    const t0 = performance.now();
    stream.send({ case: "desired", value: { nonce: b.nonce, bundleHash: b.hash, files: b.files, version: i, deploymentId: "m" } });
    await stream.waitFor((s) => s.of("ack").length > acks || s.of("nack").length > 0, 30_000);
    if (stream.of("nack").length > 0) throw new Error(`nacked: ${stream.of("nack")[0]!.error}`);
    // The first apply starts HAProxy; the others are reloads, which is what is measured.
    if (i > 0) {
      times.push(performance.now() - t0);
      reported.push(Number(stream.of("ack").at(-1)!.applyDurationMs));
    }
  }
} finally {
  await agent.stop();
  await killHard(applier.supervisor?.masterPid);
  await master.close();
  await backend.close();
  await state.remove();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(JSON.stringify({ applies: n, medianDesiredToAckMs: Math.round(median(times)), medianApplyDurationMs: median(reported), minMs: Math.round(Math.min(...times)), maxMs: Math.round(Math.max(...times)) }));
