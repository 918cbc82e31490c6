import { create } from "@bufbuild/protobuf";
import { AgentMessageSchema, type AgentMessage, type Desired } from "@ha-master/protocol";
import type { AppliedState, ApplyResult, Bundle, CommandOutcome, RuntimeStatus } from "../apply/applier.js";

/** The Bundle an applier takes, from a Desired message. */
export function bundleFromDesired(d: Desired): Bundle {
  return {
    hash: d.bundleHash,
    files: d.files.map((f) => ({ path: f.path, content: f.content, mode: f.mode })),
    version: d.version,
    deploymentId: d.deploymentId,
    nonce: d.nonce,
  };
}

/** The first message of every stream. */
export function helloMessage(h: {
  agentVersion: string;
  haproxyVersion: string;
  applied: AppliedState;
  mode: string;
  hostname: string;
}): AgentMessage {
  return create(AgentMessageSchema, {
    msg: {
      case: "hello",
      value: {
        agentVersion: h.agentVersion,
        haproxyVersion: h.haproxyVersion,
        appliedHash: h.applied.hash,
        diskHash: h.applied.diskHash,
        mode: h.mode,
        hostname: h.hostname,
      },
    },
  });
}

/** A heartbeat from what the applier reports now. */
export function heartbeatMessage(applied: AppliedState, status: RuntimeStatus): AgentMessage {
  return create(AgentMessageSchema, {
    msg: {
      case: "heartbeat",
      value: {
        appliedHash: applied.hash,
        diskHash: applied.diskHash,
        haproxyRunning: status.haproxyRunning,
        haproxyVersion: status.haproxyVersion,
        workerUptimeSeconds: BigInt(status.workerUptimeSeconds),
        failedReloads: status.failedReloads,
        servers: status.servers.map((s) => ({
          proxy: s.proxy,
          server: s.server,
          status: s.status,
          weight: s.weight,
          checkStatus: s.checkStatus,
          currentSessions: BigInt(s.currentSessions),
        })),
      },
    },
  });
}

/** The Ack or Nack answering the Desired with `nonce`. */
export function resultMessage(nonce: string, bundleHash: string, r: ApplyResult): AgentMessage {
  if (r.ok) {
    return create(AgentMessageSchema, {
      msg: { case: "ack", value: { nonce, bundleHash, applyDurationMs: BigInt(r.durationMs) } },
    });
  }
  return create(AgentMessageSchema, {
    msg: {
      case: "nack",
      value: {
        nonce,
        bundleHash,
        stage: r.stage,
        error: r.error,
        lines: r.lines.map((l) => ({ file: l.file, line: l.line, message: l.message })),
      },
    },
  });
}

/** The answer to a runtime command. */
export function commandResultMessage(commandId: string, o: CommandOutcome): AgentMessage {
  return create(AgentMessageSchema, {
    msg: { case: "commandResult", value: { commandId, ok: o.ok, output: o.output, error: o.error } },
  });
}
