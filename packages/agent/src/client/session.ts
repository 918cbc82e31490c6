import { Code, ConnectError, type Client } from "@connectrpc/connect";
import type { AgentMessage, AgentService, Command, Desired, Welcome } from "@ha-master/protocol";
import type { Applier, ApplyResult } from "../apply/applier.js";
import type { AgentLogger } from "../log.js";
import { jittered } from "./backoff.js";
import { handleDesired } from "./desired-handler.js";
import { bundleFromDesired, commandResultMessage, heartbeatMessage, helloMessage, resultMessage } from "./messages.js";
import { Outbox } from "@ha-master/shared";

/** Heartbeat interval when a Welcome carries none. */
export const DEFAULT_HEARTBEAT_MS = 15_000;

/** Something that happened on a stream, for callers that watch agents (benchmarks, tests). */
export type SessionEvent =
  | { type: "welcome"; welcome: Welcome }
  | { type: "applied"; nonce: string; hash: string; result: ApplyResult; answered: boolean };

/** What one stream needs. */
export interface SessionOptions {
  client: Client<typeof AgentService>;
  applier: Applier;
  hostname: string;
  agentVersion: string;
  log: AgentLogger;
  random: () => number;
  onEvent: (e: SessionEvent) => void;
}

/**
 * One `Connect` stream: Hello, Welcome, then Desired bundles applied one at a time (only the
 * latest pending one is kept), runtime commands, and jittered heartbeats. The stream ends on
 * a transport error, when the master ends it, or on `close`. An apply in progress is never
 * cut short by the stream ending: it runs to the end and `idle()` waits for it.
 */
export class StreamSession {
  private readonly outbox = new Outbox<AgentMessage>();
  private readonly abort = new AbortController();
  private pending: Desired | undefined;
  private worker: Promise<void> | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatBusy = false;
  private heartbeatAgain = false;
  private closeReason: string | undefined;
  /** When the Welcome arrived (ms), undefined before. */
  welcomedAt: number | undefined;

  constructor(private readonly opts: SessionOptions) {}

  /** Why `close` was called; undefined when the stream ended by itself. */
  get closedBy(): string | undefined {
    return this.closeReason;
  }

  /** Runs the stream until it ends; throws the error that ended it (ConnectError). */
  async run(): Promise<void> {
    const { applier, log } = this.opts;
    try {
      const [applied, haproxyVersion] = await Promise.all([applier.current(), applier.haproxyVersion()]);
      this.outbox.push(
        helloMessage({ agentVersion: this.opts.agentVersion, haproxyVersion, applied, mode: applier.mode, hostname: this.opts.hostname }),
      );
      const responses = this.opts.client.connect(this.outbox, { signal: this.abort.signal });
      for await (const message of responses) {
        const m = message.msg;
        if (this.welcomedAt === undefined) {
          if (m.case !== "welcome") throw new ConnectError(`expected Welcome first, got ${m.case ?? "an empty message"}`, Code.Internal);
          this.onWelcome(m.value);
          continue;
        }
        if (m.case === "desired") this.onDesired(m.value);
        else if (m.case === "command") this.onCommand(m.value);
        else log.warn({ case: m.case }, "unexpected message from master ignored");
      }
      if (this.welcomedAt === undefined) throw new ConnectError("the master closed the stream before Welcome", Code.Unavailable);
      if (this.closeReason === undefined) throw new ConnectError("the master ended the stream", Code.Unavailable);
    } finally {
      this.shutdown();
    }
  }

  /** Ends the stream from this side (renewal, stop); `run` then settles. */
  close(reason: string): void {
    this.closeReason ??= reason;
    this.abort.abort();
    this.shutdown();
  }

  /** Resolves when no apply from this stream is running. */
  async idle(): Promise<void> {
    while (this.worker) await this.worker;
  }

  private shutdown(): void {
    clearTimeout(this.heartbeatTimer);
    this.outbox.close();
    // Bundles not started yet are dropped: the master sends Desired again on the next stream.
    this.pending = undefined;
  }

  private onWelcome(w: Welcome): void {
    this.welcomedAt = Date.now();
    this.opts.log.info({ nodeId: w.nodeId, clusterId: w.clusterId, heartbeatMs: w.heartbeatIntervalMs }, "connected to master");
    this.opts.onEvent({ type: "welcome", welcome: w });
    const every = w.heartbeatIntervalMs > 0 ? w.heartbeatIntervalMs : DEFAULT_HEARTBEAT_MS;
    const tick = () => {
      this.heartbeatTimer = setTimeout(() => {
        void this.heartbeat();
        tick();
      }, jittered(every, 0.1, this.opts.random));
    };
    tick();
  }

  private onDesired(d: Desired): void {
    // Only the newest pending Desired matters; one replaced here is never answered, since the
    // master waits only for the nonce it sent last.
    this.pending = d;
    this.worker ??= this.drain().finally(() => (this.worker = undefined));
  }

  private async drain(): Promise<void> {
    while (this.pending && !this.abort.signal.aborted) {
      const d = this.pending;
      this.pending = undefined;
      const log = this.opts.log.child({ nonce: d.nonce, hash: d.bundleHash.slice(0, 12), version: d.version });
      log.info({ files: d.files.length, deploymentId: d.deploymentId }, "desired bundle received");
      const result = await handleDesired(this.opts.applier, bundleFromDesired(d)).catch(
        (err: unknown): ApplyResult => ({ ok: false, stage: "write", error: `internal error: ${(err as Error).message}`, lines: [], durationMs: 0 }),
      );
      const superseded = this.pending !== undefined;
      const answered = !superseded && this.outbox.push(resultMessage(d.nonce, d.bundleHash, result));
      if (result.ok) log.info({ durationMs: result.durationMs, reloaded: result.reloaded, answered }, "bundle acknowledged");
      else log.warn({ stage: result.stage, answered }, "bundle refused");
      this.opts.onEvent({ type: "applied", nonce: d.nonce, hash: d.bundleHash, result, answered });
      void this.heartbeat();
    }
  }

  private onCommand(c: Command): void {
    const reply = (o: { ok: boolean; output: string; error: string }) => this.outbox.push(commandResultMessage(c.id, o));
    if (c.cmd.case !== "setServerState") {
      reply({ ok: false, output: "", error: `unsupported command ${c.cmd.case ?? "(empty)"}` });
      return;
    }
    const { proxy, server, state } = c.cmd.value;
    this.opts.log.info({ commandId: c.id, proxy, server, state }, "set server state");
    void this.opts.applier
      .setServerState(proxy, server, state)
      .then(reply, (err: unknown) => reply({ ok: false, output: "", error: (err as Error).message }))
      // The next heartbeat carries the new state at once, not an interval later.
      .then(() => this.heartbeat());
  }

  private async heartbeat(): Promise<void> {
    if (this.heartbeatBusy) {
      // One more after the running one, so a heartbeat sent right after an apply carries its result.
      this.heartbeatAgain = true;
      return;
    }
    this.heartbeatBusy = true;
    try {
      do {
        this.heartbeatAgain = false;
        const [applied, status] = await Promise.all([this.opts.applier.current(), this.opts.applier.status()]);
        this.outbox.push(heartbeatMessage(applied, status));
      } while (this.heartbeatAgain && !this.outbox.isClosed);
    } catch (err) {
      this.opts.log.warn({ err }, "heartbeat could not be built");
    } finally {
      this.heartbeatBusy = false;
    }
  }
}
