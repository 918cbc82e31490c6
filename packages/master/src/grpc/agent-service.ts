import { randomUUID } from "node:crypto";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { Logger } from "pino";
import type { AgentMessage, AgentService } from "@ha-master/protocol";
import { AppError } from "@ha-master/shared";
import type { Db } from "../db/store.js";
import { insertAudit } from "../audit/audit-dal.js";
import type { EventBus } from "../bus/event-bus.js";
import type { CertificateAuthority } from "../ca/ca-service.js";
import type { EnrollmentService } from "../enrollment/enrollment-service.js";
import type { NodeRollout } from "../deployments/node-rollout.js";
import type { RequestContext } from "../lib/context.js";
import { insertNode, markConnected, markDisconnected, setNodeCertificate } from "../nodes/nodes-dal.js";
import type { HeartbeatWriter } from "./heartbeat-writer.js";
import { NodeSession, type NodeSessions } from "./node-session.js";
import { PEER, requireNode } from "./peer.js";

export interface AgentServiceDeps {
  store: { readonly db: Db };
  ca: Pick<CertificateAuthority, "signNode" | "certPem">;
  enrollment: Pick<EnrollmentService, "spend">;
  rollout: NodeRollout;
  sessions: NodeSessions;
  bus: Pick<EventBus, "publish">;
  heartbeats: HeartbeatWriter;
  log: Logger;
  /** This replica's name, recorded on the nodes whose streams it holds. */
  replica: string;
  heartbeatMs: number;
  certTtlMs: number;
  onStreamCountChange?: (count: number) => void;
}

/** Room enough for HAProxy's answer to one command, small enough for a NOTIFY payload. */
const clip = (text: string, max = 1000) => (text.length > max ? `${text.slice(0, max)}…` : text);

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The context audit records of agent calls carry: the node acts, from its address. */
function nodeContext(node: { id: string; name: string }, ctx: HandlerContext): RequestContext {
  return { actor: { id: null, username: `node:${node.name}`, role: "viewer" }, requestId: null, clientIp: ctx.values.get(PEER)?.address ?? null };
}

/**
 * The master's side of the agent protocol: enrolment with a one-time token and a CSR, renewal
 * over mutual TLS, and the Connect stream (Hello → Welcome, then Desired pushes answered by ACK
 * or NACK, heartbeats, runtime command results).
 */
export function agentServiceImpl(deps: AgentServiceDeps): ServiceImpl<typeof AgentService> {
  const { store, log } = deps;

  async function onMessage(session: NodeSession, message: AgentMessage): Promise<void> {
    session.lastMessageAt = Date.now();
    const node = session.node;
    switch (message.msg.case) {
      case "heartbeat": {
        const hb = message.msg.value;
        session.appliedHash = hb.appliedHash;
        deps.heartbeats.record({
          nodeId: node.id,
          seenAt: new Date(),
          appliedHash: hb.appliedHash,
          diskHash: hb.diskHash,
          haproxyRunning: hb.haproxyRunning,
          haproxyVersion: hb.haproxyVersion,
          failedReloads: hb.failedReloads,
          servers: hb.servers.map((s) => ({
            proxy: s.proxy,
            server: s.server,
            status: s.status,
            weight: s.weight,
            checkStatus: s.checkStatus,
            currentSessions: Number(s.currentSessions),
          })),
        });
        return;
      }
      case "ack": {
        const sent = session.answer(message.msg.value.nonce);
        if (!sent) return; // stale: only the last push's answer counts
        session.appliedHash = sent.bundleHash;
        await deps.rollout.onAck(node, sent);
        return;
      }
      case "nack": {
        const nack = message.msg.value;
        const sent = session.answer(nack.nonce);
        if (!sent) return;
        await deps.rollout.onNack(node, sent, {
          stage: nack.stage,
          error: nack.error,
          lines: nack.lines.map((l) => ({ file: l.file, line: l.line, message: l.message })),
        });
        return;
      }
      case "commandResult": {
        const result = message.msg.value;
        if (!session.takeCommand(result.commandId)) return; // not asked, or answered already
        await deps.bus.publish({
          type: "command-result",
          commandId: result.commandId,
          nodeId: node.id,
          ok: result.ok,
          output: clip(result.output),
          error: clip(result.error),
        });
        return;
      }
      case "hello":
        throw new AppError("bad_request", "Hello may only be the first message of a stream");
      default:
        return;
    }
  }

  return {
    async enroll(req, ctx) {
      if (!req.token) throw new AppError("unauthenticated", "an enrolment token is required");
      if (!req.csrPem) throw new AppError("bad_request", "csr_pem is required");
      const name = req.nodeName || "node";
      if (!NODE_NAME.test(name)) throw new AppError("bad_request", `node name ${JSON.stringify(name)}: use letters, digits, . _ - (up to 100)`);
      const nodeId = randomUUID();
      const result = await store.db.transaction(async (tx) => {
        const token = await deps.enrollment.spend(tx, req.token);
        const issued = await deps.ca.signNode(req.csrPem, nodeId, deps.certTtlMs);
        const node = await insertNode(tx, {
          id: nodeId,
          clusterId: token.clusterId,
          name,
          enrollmentTokenId: token.id,
          certSerial: issued.serial,
          certNotAfter: issued.notAfter,
          agentVersion: req.agentVersion,
          haproxyVersion: req.haproxyVersion,
        });
        await insertAudit(tx, nodeContext(node, ctx), {
          action: "node.enroll",
          targetType: "node",
          targetId: node.id,
          targetName: node.name,
          after: { clusterId: node.clusterId, tokenId: token.id, certSerial: issued.serial, notAfter: issued.notAfter.toISOString() },
        });
        return { node, issued };
      });
      log.info({ nodeId, name, clusterId: result.node.clusterId }, "node enrolled");
      return {
        nodeId,
        clusterId: result.node.clusterId,
        certificatePem: result.issued.certPem,
        caPem: deps.ca.certPem,
        notAfterUnixMs: BigInt(result.issued.notAfter.getTime()),
      };
    },

    async renew(req, ctx) {
      const node = await requireNode(store.db, ctx);
      const issued = await deps.ca.signNode(req.csrPem, node.id, deps.certTtlMs);
      await store.db.transaction(async (tx) => {
        // The certificate it renewed with stays good until it connects with the new one.
        await setNodeCertificate(tx, node.id, issued.serial, issued.notAfter, ctx.values.get(PEER)?.serial ?? null);
        await insertAudit(tx, nodeContext(node, ctx), {
          action: "node.renew",
          targetType: "node",
          targetId: node.id,
          targetName: node.name,
          before: { certSerial: node.certSerial },
          after: { certSerial: issued.serial, notAfter: issued.notAfter.toISOString() },
        });
      });
      return { certificatePem: issued.certPem, caPem: deps.ca.certPem, notAfterUnixMs: BigInt(issued.notAfter.getTime()) };
    },

    async *connect(requests, ctx) {
      const node = await requireNode(store.db, ctx);
      const iterator = requests[Symbol.asyncIterator]();
      const first = await iterator.next();
      if (first.done || first.value.msg.case !== "hello") {
        throw new AppError("bad_request", "the first message of a stream must be Hello");
      }
      const hello = first.value.msg.value;
      const session = new NodeSession({ id: node.id, clusterId: node.clusterId, name: node.name }, hello.appliedHash, deps.rollout, log);
      deps.sessions.open(session);
      deps.onStreamCountChange?.(deps.sessions.size);
      await markConnected(store.db, node.id, deps.replica, {
        agentVersion: hello.agentVersion,
        haproxyVersion: hello.haproxyVersion,
        mode: hello.mode,
        appliedHash: hello.appliedHash,
        diskHash: hello.diskHash,
      });
      const certTtlMs = node.certNotAfter.getTime() - Date.now();
      session.send({
        case: "welcome",
        value: {
          nodeId: node.id,
          clusterId: node.clusterId,
          heartbeatIntervalMs: deps.heartbeatMs,
          renewAfterUnixMs: BigInt(node.certNotAfter.getTime() - Math.floor(Math.max(certTtlMs, 0) / 3)),
        },
      });
      log.info({ nodeId: node.id, name: node.name, appliedHash: hello.appliedHash }, "node connected");
      void session.push();

      // Reads the agent's messages while the generator below writes the master's.
      const reading = (async () => {
        try {
          for (;;) {
            const next = await iterator.next();
            if (next.done || session.closed) break;
            await onMessage(session, next.value);
          }
        } catch (err) {
          if (!session.closed) log.info({ nodeId: node.id, err: (err as Error).message }, "node stream read ended");
        } finally {
          session.close();
        }
      })();
      try {
        yield* session.outbox;
        if (session.closeError) throw session.closeError;
      } finally {
        session.close();
        await reading.catch(() => undefined);
        if (deps.sessions.remove(session)) {
          deps.onStreamCountChange?.(deps.sessions.size);
          await markDisconnected(store.db, node.id, deps.replica).catch((err: unknown) => log.warn({ err }, "mark disconnected failed"));
          await deps.rollout.onDisconnect(session.node).catch((err: unknown) => log.warn({ err }, "release targets failed"));
          log.info({ nodeId: node.id, name: node.name }, "node disconnected");
        }
      }
    },
  };
}

/** A stream was refused or closed because the node was revoked. */
export const revokedError = (nodeId: string) => new ConnectError(`node ${nodeId} was revoked`, Code.PermissionDenied);
