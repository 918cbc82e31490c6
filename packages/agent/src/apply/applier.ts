import type { BundleFile } from "@ha-master/shared";
import type { ServerStat } from "../haproxy/show-stat.js";

/** A bundle as the master pushed it in a Desired message. */
export interface Bundle {
  /** The master's bundle hash (checked against the files before anything is written). */
  hash: string;
  files: BundleFile[];
  version: number;
  deploymentId: string;
  nonce: string;
}

/** What a node runs: the hash of the last bundle applied successfully and the hash of the files on disk. */
export interface AppliedState {
  /** "" when nothing was ever applied. */
  hash: string;
  /** bundleHash of the files in the current release as they are now; differs from `hash` on drift. */
  diskHash: string;
}

/** The step of an apply that failed, as a Nack names it. */
export type ApplyStage = "receive" | "write" | "validate" | "switch" | "reload" | "verify";

/** One error HAProxy reported at a line of a bundle file. */
export interface ApplyErrorLine {
  file: string;
  line: number;
  message: string;
}

/** The outcome of an apply: an Ack or the content of a Nack. */
export type ApplyResult =
  | { ok: true; durationMs: number; reloaded: boolean }
  | { ok: false; stage: ApplyStage; error: string; lines: ApplyErrorLine[]; durationMs: number };

/** Runtime facts a heartbeat carries. */
export interface RuntimeStatus {
  haproxyRunning: boolean;
  haproxyVersion: string;
  failedReloads: number;
  workerUptimeSeconds: number;
  servers: ServerStat[];
}

/** The answer to a runtime command. */
export interface CommandOutcome {
  ok: boolean;
  output: string;
  error: string;
}

/** How HAProxy is run: started and reloaded by the agent, or by someone else (systemd). */
export type AgentMode = "supervised" | "external";

/**
 * The apply engine the stream client drives. The HAProxy implementation writes releases and
 * reloads a real HAProxy; InMemoryApplier only remembers hashes, for simulations with thousands
 * of agents in one process. Implementations serialise `apply` themselves.
 */
export interface Applier {
  readonly mode: AgentMode;
  /** Recovers local state (leftover temp releases, a running HAProxy) before the first stream. */
  start(): Promise<void>;
  /** The applied and on-disk hashes; reads the disk, so drift is seen as it happens. */
  current(): Promise<AppliedState>;
  /** Applies a bundle whose hash and paths were already checked. Never throws for a failed apply. */
  apply(bundle: Bundle): Promise<ApplyResult>;
  /** Heartbeat facts: HAProxy up, version, reload failures, worker uptime, servers. */
  status(): Promise<RuntimeStatus>;
  /** HAProxy's version for Hello ("" when unknown). */
  haproxyVersion(): Promise<string>;
  /** `set server <proxy>/<server> state <state>` on the runtime API. */
  setServerState(proxy: string, server: string, state: string): Promise<CommandOutcome>;
  /** Stops background work (watchers). Never stops HAProxy. */
  close(): Promise<void>;
}
