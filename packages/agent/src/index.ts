/**
 * ha-agent as a library: the stream client (`startAgent`), the appliers, the state stores and
 * the enrolment, so a benchmark can run thousands of simulated agents in one process over real
 * mTLS streams, and tests can drive each part alone.
 */
export { startAgent, type AgentEvent, type AgentHandle, type StartAgentOptions } from "./client/agent.js";
export { createMtlsTransport, createEnrollTransport, type ClosableTransport, type TransportFactory } from "./client/transport.js";
export { backoffDelay, jittered, DEFAULT_BACKOFF, type BackoffPolicy } from "./client/backoff.js";
export { classifyError, RETRYABLE_CODES, REFUSED_CODES, type RetryClass } from "./client/retry-policy.js";
export { handleDesired, receiveProblem } from "./client/desired-handler.js";
export type {
  Applier,
  AgentMode,
  AppliedState,
  ApplyErrorLine,
  ApplyResult,
  ApplyStage,
  Bundle,
  CommandOutcome,
  RuntimeStatus,
} from "./apply/applier.js";
export { InMemoryApplier, type InMemoryApplierOptions } from "./apply/in-memory-applier.js";
export { HaproxyApplier, type HaproxyApplierOptions } from "./apply/haproxy-applier.js";
export { ReleaseStore, type Release, type ReleaseMeta } from "./apply/release-store.js";
export { FileStateStore, DEFAULT_STATE_DIR } from "./state/file-state-store.js";
export { MemoryStateStore, NotEnrolledError, type AgentIdentity, type Credentials, type StateStore } from "./state/state-store.js";
export { join, JoinError, type JoinOptions } from "./enroll/join.js";
export { generateKeyAndCsr, type KeyAndCsr } from "./enroll/csr.js";
export { parseMasterAddress, type MasterAddress } from "./enroll/master-address.js";
export { createLogger, silentLogger, type AgentLogger } from "./log.js";
export { AGENT_VERSION } from "./version.js";
