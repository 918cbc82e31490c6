import { InMemoryApplier, join, MemoryStateStore, silentLogger, startAgent, type AgentEvent, type AgentHandle, type InMemoryApplierOptions } from "@ha-master/agent";
import type { TestMaster } from "@ha-master/master/testing";

/** An in-process agent with an in-memory applier, enrolled with a real token over real TLS. */
export interface SimAgent {
  name: string;
  nodeId: string;
  store: MemoryStateStore;
  applier: InMemoryApplier;
  events: AgentEvent[];
  handle: AgentHandle | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createToken(master: TestMaster, cluster: string, uses = 1, ttlSeconds = 3600) {
  const res = await master.request("admin", "POST", "/api/v1/enrollment-tokens", { clusterId: cluster, uses, ttlSeconds });
  if (res.status !== 201) throw new Error(`token: ${JSON.stringify(res.body)}`);
  return res.body as { id: string; token: string; joinCommand: string };
}

/** The `--ca-hash` of a join command. */
export function caHashOf(joinCommand: string): string {
  return /--ca-hash (\S+)/.exec(joinCommand)![1]!;
}

export async function enrollAgent(
  master: TestMaster,
  token: { token: string; joinCommand: string },
  name: string,
  applierOptions: InMemoryApplierOptions = {},
): Promise<SimAgent> {
  const store = new MemoryStateStore();
  const identity = await join({ master: master.grpcAddress, token: token.token, caHash: caHashOf(token.joinCommand), store, name, log: silentLogger() });
  const applier = new InMemoryApplier(applierOptions);
  const agent: SimAgent = {
    name,
    nodeId: identity.nodeId,
    store,
    applier,
    events: [],
    handle: undefined,
    async start() {
      agent.handle = await startAgent({
        master: master.grpcAddress,
        credentials: (await store.readCredentials())!,
        applier,
        log: silentLogger(),
        hostname: name,
        backoff: { baseMs: 50, capMs: 500 },
        onRenewed: (c) => store.saveRenewed(c),
        onEvent: (e) => agent.events.push(e),
      });
    },
    async stop() {
      await agent.handle?.stop();
      agent.handle = undefined;
    },
  };
  await agent.start();
  return agent;
}

/** Polls until `check` holds. */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
