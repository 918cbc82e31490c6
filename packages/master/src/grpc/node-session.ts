import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Logger } from "pino";
import { MasterMessageSchema, type MasterMessage } from "@ha-master/protocol";
import { Outbox } from "@ha-master/shared";
import type { RuntimeCommand } from "../bus/event-bus.js";
import type { DesiredPush, NodeRollout, SentDesired } from "../deployments/node-rollout.js";

/**
 * One node's stream on this replica. It remembers the last desired state it sent (the only
 * nonce an answer is accepted for: older answers are stale) and sends a node nothing it already
 * runs. Pushes are serialised: one computation at a time, a request during it runs once after.
 */
export class NodeSession {
  readonly outbox = new Outbox<MasterMessage>();
  sent: SentDesired | undefined;
  appliedHash: string;
  lastMessageAt = Date.now();
  closeError: ConnectError | undefined;
  /** Runtime commands sent and not answered yet: an answer to anything else is dropped. */
  private readonly commands = new Set<string>();
  private pushing: Promise<void> | undefined;
  private pushAgain = false;

  constructor(
    readonly node: { id: string; clusterId: string; name: string },
    appliedHash: string,
    private readonly rollout: Pick<NodeRollout, "desiredFor">,
    private readonly log: Logger,
  ) {
    this.appliedHash = appliedHash;
  }

  send(msg: MessageInitShape<typeof MasterMessageSchema>["msg"]): void {
    this.outbox.push(create(MasterMessageSchema, { msg }));
  }

  /** Ends the stream; with `error`, the agent sees that status. */
  close(error?: ConnectError): void {
    this.closeError ??= error;
    this.outbox.close();
  }

  get closed(): boolean {
    return this.outbox.isClosed;
  }

  /** Works out what the node should run and sends it if it is new. */
  push(): Promise<void> {
    if (this.pushing) {
      this.pushAgain = true;
      return this.pushing;
    }
    this.pushing = (async () => {
      do {
        this.pushAgain = false;
        try {
          const desired = await this.rollout.desiredFor({ id: this.node.id, clusterId: this.node.clusterId, appliedHash: this.appliedHash });
          if (desired && !this.alreadySent(desired)) this.sendDesired(desired);
        } catch (err) {
          this.log.error({ err, nodeId: this.node.id }, "computing desired state failed");
        }
      } while (this.pushAgain && !this.closed);
    })().finally(() => (this.pushing = undefined));
    return this.pushing;
  }

  /** Sends a desired state worked out elsewhere (a whole batch at once), unless already sent. */
  offer(desired: DesiredPush): void {
    if (!this.closed && !this.alreadySent(desired)) this.sendDesired(desired);
  }

  /** Sends a runtime command; its answer is accepted once. */
  sendCommand(id: string, command: RuntimeCommand): void {
    if (this.closed) return;
    this.commands.add(id);
    this.send({
      case: "command",
      value: { id, cmd: { case: "setServerState", value: { proxy: command.backend, server: command.server, state: command.state } } },
    });
  }

  /** Whether `id` is a command this stream is waiting for an answer to; forgets it. */
  takeCommand(id: string): boolean {
    return this.commands.delete(id);
  }

  /** The answer to `nonce`, if it is the one awaited; clears it. */
  answer(nonce: string): SentDesired | undefined {
    if (!this.sent || this.sent.nonce !== nonce) return undefined;
    const sent = this.sent;
    this.sent = undefined;
    return sent;
  }

  private alreadySent(desired: DesiredPush): boolean {
    if (!this.sent) return false;
    if (this.sent.nonce === desired.nonce) return true;
    // A convergence push gets a new nonce each time: do not resend the bundle while one is in flight.
    return this.sent.deploymentId === null && desired.deploymentId === null && this.sent.bundleHash === desired.bundleHash;
  }

  private sendDesired(desired: DesiredPush): void {
    const { files, ...sent } = desired;
    this.sent = sent;
    this.send({
      case: "desired",
      value: {
        nonce: desired.nonce,
        bundleHash: desired.bundleHash,
        version: desired.version,
        deploymentId: desired.deploymentId ?? "",
        files: files.map((f) => ({ path: f.path, content: f.content, mode: f.mode })),
      },
    });
  }
}

/** The streams this replica holds, by node id. */
export class NodeSessions {
  private readonly byNode = new Map<string, NodeSession>();

  get size(): number {
    return this.byNode.size;
  }

  get(nodeId: string): NodeSession | undefined {
    return this.byNode.get(nodeId);
  }

  /** Registers a new stream; an older one of the same node is closed (the agent reconnected). */
  open(session: NodeSession): void {
    this.byNode.get(session.node.id)?.close(new ConnectError("replaced by a newer connection of the same node", Code.Aborted));
    this.byNode.set(session.node.id, session);
  }

  /** Forgets a stream, unless a newer one of the same node replaced it. Returns whether it was current. */
  remove(session: NodeSession): boolean {
    if (this.byNode.get(session.node.id) !== session) return false;
    this.byNode.delete(session.node.id);
    return true;
  }

  all(): IterableIterator<NodeSession> {
    return this.byNode.values();
  }
}
