import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { createClient } from "@connectrpc/connect";
import { AgentService, type Welcome } from "@ha-master/protocol";
import type { Applier, ApplyResult } from "../apply/applier.js";
import { parseMasterAddress, type MasterAddress } from "../enroll/master-address.js";
import { silentLogger, type AgentLogger } from "../log.js";
import type { Credentials } from "../state/state-store.js";
import { AGENT_VERSION } from "../version.js";
import { backoffDelay, DEFAULT_BACKOFF, jittered, type BackoffPolicy } from "./backoff.js";
import { certValidity, MAX_TIMER_MS, renewAt, renewCredentials } from "./renewal.js";
import { classifyError } from "./retry-policy.js";
import { StreamSession, type SessionEvent } from "./session.js";
import { createMtlsTransport, type TransportFactory } from "./transport.js";

/** What an embedding program (the CLI, a benchmark, a test) observes of an agent. */
export type AgentEvent =
  | { type: "connected"; welcome: Welcome }
  | { type: "disconnected"; kind: "transient" | "refused" | "unexpected" | "closed"; code: string; message: string; retryInMs: number }
  | { type: "applied"; nonce: string; hash: string; result: ApplyResult; answered: boolean }
  | { type: "renewed"; notAfter: number };

/** Everything `startAgent` takes; only master, credentials and applier are required. */
export interface StartAgentOptions {
  /** `HOST:PORT` or a parsed address. */
  master: string | MasterAddress;
  credentials: Credentials;
  applier: Applier;
  log?: AgentLogger;
  hostname?: string;
  agentVersion?: string;
  /** Builds the transport for each connection attempt (default: gRPC over HTTP/2 with mTLS). */
  transportFactory?: TransportFactory;
  /** Persists renewed credentials before they are used (the CLI writes key.pem/cert.pem). */
  onRenewed?: (credentials: Credentials) => Promise<void>;
  onEvent?: (event: AgentEvent) => void;
  backoff?: BackoffPolicy;
  /** A stream up this long resets the backoff (default 30 s). */
  stableAfterMs?: number;
  /** Delay before retrying a failed renewal (default 60 s, jittered). */
  renewRetryMs?: number;
  /** Calls `applier.start()` first and `applier.close()` on stop (default true). */
  manageApplier?: boolean;
  random?: () => number;
}

/** A running agent. */
export interface AgentHandle {
  /** Closes the stream, waits for an apply in progress, stops background work. HAProxy keeps running. */
  stop(): Promise<void>;
  /** True between Welcome and the end of that stream. */
  readonly connected: boolean;
  /** The node id from the last Welcome. */
  readonly nodeId: string | undefined;
  /** The credentials in use (they change on renewal). */
  readonly credentials: Credentials;
}

/**
 * Starts an agent: one outbound mTLS stream to the master, reconnected with exponential backoff
 * and full jitter, the certificate renewed before expiry. Library entry point: a benchmark
 * starts thousands in one process, each with its own credentials and an InMemoryApplier.
 */
export async function startAgent(opts: StartAgentOptions): Promise<AgentHandle> {
  const agent = new Agent(opts);
  if (opts.manageApplier ?? true) await opts.applier.start();
  agent.launch();
  return agent;
}

class Agent implements AgentHandle {
  private readonly master: MasterAddress;
  private readonly log: AgentLogger;
  private readonly random: () => number;
  private readonly hostname: string;
  private creds: Credentials;
  private session: StreamSession | undefined;
  private welcome: Welcome | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private readonly stopping = new AbortController();
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly opts: StartAgentOptions) {
    this.master = typeof opts.master === "string" ? parseMasterAddress(opts.master) : opts.master;
    this.log = opts.log ?? silentLogger();
    this.random = opts.random ?? Math.random;
    this.hostname = opts.hostname ?? os.hostname();
    this.creds = opts.credentials;
  }

  get connected(): boolean {
    return this.session?.welcomedAt !== undefined && this.session.closedBy === undefined;
  }
  get nodeId(): string | undefined {
    return this.welcome?.nodeId;
  }
  get credentials(): Credentials {
    return this.creds;
  }

  launch(): void {
    this.loop = this.run().catch((err: unknown) => this.log.fatal({ err }, "agent loop crashed"));
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.renewTimer);
    this.session?.close("stopping");
    await this.loop;
    await this.session?.idle();
    if (this.opts.manageApplier ?? true) await this.opts.applier.close();
  }

  private async run(): Promise<void> {
    const policy = this.opts.backoff ?? DEFAULT_BACKOFF;
    const stableAfter = this.opts.stableAfterMs ?? 30_000;
    let attempt = 0;
    while (!this.stopping.signal.aborted) {
      // Hello must carry the outcome of an apply the previous stream left running.
      await this.session?.idle();
      const conn = (this.opts.transportFactory ?? createMtlsTransport)(this.master, this.creds);
      const session = new StreamSession({
        client: createClient(AgentService, conn.transport),
        applier: this.opts.applier,
        hostname: this.hostname,
        agentVersion: this.opts.agentVersion ?? AGENT_VERSION,
        log: this.log,
        random: this.random,
        onEvent: (e) => this.onSessionEvent(e),
      });
      this.session = session;
      let error: unknown;
      try {
        await session.run();
      } catch (err) {
        error = err;
      } finally {
        clearTimeout(this.renewTimer);
        conn.close();
      }
      if (this.stopping.signal.aborted) break;
      if (session.welcomedAt !== undefined && Date.now() - session.welcomedAt >= stableAfter) attempt = 0;
      if (session.closedBy === "renewed") {
        this.emit({ type: "disconnected", kind: "closed", code: "renewed", message: "reconnecting with the renewed certificate", retryInMs: 0 });
        attempt = 0;
        continue;
      }
      const c = classifyError(error);
      const delay = c.kind === "refused" ? policy.capMs : backoffDelay(attempt++, policy, this.random);
      if (c.kind === "refused") {
        this.log.error({ code: c.code, reason: c.message, retryInMs: delay }, "the master refused this node (revoked, expired or unknown certificate)");
      } else {
        this.log.warn({ code: c.code, reason: c.message, retryInMs: delay, unexpected: c.kind === "unexpected" }, "stream to master ended; reconnecting");
      }
      this.emit({ type: "disconnected", kind: c.kind, code: c.code, message: c.message, retryInMs: delay });
      await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => undefined);
    }
  }

  private onSessionEvent(e: SessionEvent): void {
    if (e.type === "welcome") {
      this.welcome = e.welcome;
      this.scheduleRenewal(Number(e.welcome.renewAfterUnixMs));
      this.emit({ type: "connected", welcome: e.welcome });
    } else {
      this.emit(e);
    }
  }

  private scheduleRenewal(renewAfterUnixMs: number): void {
    clearTimeout(this.renewTimer);
    let at: number;
    try {
      at = renewAt(certValidity(this.creds.certPem), renewAfterUnixMs);
    } catch (err) {
      this.log.error({ err }, "cannot read the node certificate; renewal not scheduled");
      return;
    }
    this.armRenewal(at - Date.now());
  }

  private armRenewal(delayMs: number): void {
    clearTimeout(this.renewTimer);
    const wait = Math.max(0, Math.min(delayMs, MAX_TIMER_MS));
    this.renewTimer = setTimeout(() => {
      if (wait < delayMs) return this.armRenewal(delayMs - wait);
      void this.renew();
    }, wait);
    this.renewTimer.unref();
  }

  private async renew(): Promise<void> {
    const conn = (this.opts.transportFactory ?? createMtlsTransport)(this.master, this.creds);
    try {
      const next = await renewCredentials(createClient(AgentService, conn.transport), this.creds, this.hostname);
      await this.opts.onRenewed?.(next);
      this.creds = next;
      const { notAfter } = certValidity(next.certPem);
      this.log.info({ notAfter: new Date(notAfter).toISOString() }, "certificate renewed");
      this.emit({ type: "renewed", notAfter });
      this.session?.close("renewed");
    } catch (err) {
      const retry = jittered(this.opts.renewRetryMs ?? 60_000, 0.1, this.random);
      this.log.warn({ reason: classifyError(err).message, retryInMs: retry }, "certificate renewal failed");
      if (!this.stopping.signal.aborted) this.armRenewal(retry);
    } finally {
      conn.close();
    }
  }

  private emit(e: AgentEvent): void {
    try {
      this.opts.onEvent?.(e);
    } catch (err) {
      this.log.warn({ err }, "agent event handler threw");
    }
  }
}
