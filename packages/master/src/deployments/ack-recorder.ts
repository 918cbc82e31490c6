import { sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Db } from "../db/store.js";
import { deploymentEvents, deploymentTargets, nodes } from "../db/schema.js";

/** One node's ACK of a deployment's push. */
export interface DeploymentAck {
  nodeId: string;
  clusterId: string;
  deploymentId: string;
  bundleHash: string;
  version: number;
}

/**
 * Records deployment ACKs in batches. A rollout's ACKs arrive in bursts — a thousand nodes answer
 * within a few hundred milliseconds — and one transaction per ACK would queue them behind each
 * other (the embedded database runs transactions one at a time, on this thread). A write starts
 * on the next turn of the event loop (setImmediate), after every stream whose data is already
 * waiting has been read, so an ACK never starts a transaction of its own while hundreds wait
 * behind it; whatever arrives while a batch is written goes into the next one. Three set-based
 * statements per batch.
 */
export function ackRecorder(deps: { store: { readonly db: Db }; log: Logger; onRecorded: (deployments: Map<string, string>) => Promise<void> }) {
  let queue: { ack: DeploymentAck; done: () => void; fail: (err: unknown) => void }[] = [];
  let writing = false;
  let scheduled = false;

  async function write(batch: typeof queue): Promise<void> {
    const rows = JSON.stringify(batch.map(({ ack }) => ({ node: ack.nodeId, deployment: ack.deploymentId, hash: ack.bundleHash, version: ack.version })));
    const changed = await deps.store.db.transaction(async (tx) => {
      await tx.execute(sql`
        update ${nodes} set applied_hash = x.hash, applied_version = x.version
        from jsonb_to_recordset(${rows}::jsonb) as x(node uuid, deployment uuid, hash text, version int)
        where ${nodes.id} = x.node`);
      const result = await tx.execute<{ node_id: string; deployment_id: string; status: string }>(sql`
        update ${deploymentTargets} t set
          status = case when t.status = 'rolling_back' then 'rolled_back' else 'succeeded' end,
          finished_at = now()
        from jsonb_to_recordset(${rows}::jsonb) as x(node uuid, deployment uuid, hash text, version int)
        where t.node_id = x.node and t.deployment_id = x.deployment and t.status in ('applying', 'rolling_back')
        returning t.node_id, t.deployment_id, t.status`);
      const updated = (result as unknown as { rows: { node_id: string; deployment_id: string; status: string }[] }).rows;
      if (updated.length > 0) {
        const versions = new Map(batch.map(({ ack }) => [`${ack.deploymentId}/${ack.nodeId}`, ack.version]));
        await tx.insert(deploymentEvents).values(
          updated.map((u) => ({
            deploymentId: u.deployment_id,
            nodeId: u.node_id,
            type: u.status === "rolled_back" ? "node.rolled_back" : "node.applied",
            data: { version: versions.get(`${u.deployment_id}/${u.node_id}`) },
          })),
        );
      }
      return updated;
    });
    const clusters = new Map(batch.map(({ ack }) => [ack.deploymentId, ack.clusterId]));
    await deps.onRecorded(new Map(changed.map((c) => [c.deployment_id, clusters.get(c.deployment_id)!])));
  }

  async function drain(): Promise<void> {
    if (writing) return;
    writing = true;
    try {
      while (queue.length > 0) {
        const batch = queue;
        queue = [];
        try {
          await write(batch);
          for (const item of batch) item.done();
        } catch (err) {
          deps.log.error({ err, count: batch.length }, "recording ACKs failed");
          for (const item of batch) item.fail(err);
        }
      }
    } finally {
      writing = false;
    }
  }

  return {
    /** Resolves once the ACK is stored. */
    record(ack: DeploymentAck): Promise<void> {
      return new Promise<void>((done, fail) => {
        queue.push({ ack, done, fail });
        if (scheduled || writing) return;
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          void drain();
        });
      });
    },
  };
}

export type AckRecorder = ReturnType<typeof ackRecorder>;
