/** What `agent.json` records about an enrolment. */
export interface AgentIdentity {
  /** The master's gRPC address, `HOST:PORT`. */
  master: string;
  nodeId: string;
  clusterId: string;
  /** The pin (`sha256:…`) the master's CA was checked against at join. */
  caHash: string;
  /** ISO time of the enrolment. */
  enrolledAt: string;
}

/** The node's TLS material. The key is generated on the node and never leaves it. */
export interface Credentials {
  keyPem: string;
  certPem: string;
  /** The CA that signs the master's server certificate and node certificates. */
  caPem: string;
}

/**
 * The agent's local state, behind an interface as in Nomad's client: the file implementation
 * for real nodes and an in-memory one for tests and in-process simulations.
 */
export interface StateStore {
  /** True when a complete enrolment is stored. */
  isEnrolled(): Promise<boolean>;
  readIdentity(): Promise<AgentIdentity | undefined>;
  readCredentials(): Promise<Credentials | undefined>;
  /** Stores a new enrolment: credentials first, identity last (its presence marks completion). */
  saveEnrolment(identity: AgentIdentity, credentials: Credentials): Promise<void>;
  /** Replaces key and certificate after a renewal so that they never end up mismatched. */
  saveRenewed(credentials: Credentials): Promise<void>;
}

/** Thrown when the state dir holds no (complete) enrolment and a command needs one. */
export class NotEnrolledError extends Error {
  override readonly name = "NotEnrolledError";
  constructor(stateDir: string) {
    super(`this node is not enrolled (no agent.json in ${stateDir}); run "ha-agent join" first`);
  }
}

/** A StateStore in memory: for tests and benchmarks running many agents in one process. */
export class MemoryStateStore implements StateStore {
  private identity: AgentIdentity | undefined;
  private credentials: Credentials | undefined;

  async isEnrolled(): Promise<boolean> {
    return this.identity !== undefined;
  }
  async readIdentity(): Promise<AgentIdentity | undefined> {
    return this.identity;
  }
  async readCredentials(): Promise<Credentials | undefined> {
    return this.credentials;
  }
  async saveEnrolment(identity: AgentIdentity, credentials: Credentials): Promise<void> {
    this.credentials = { ...credentials };
    this.identity = { ...identity };
  }
  async saveRenewed(credentials: Credentials): Promise<void> {
    this.credentials = { ...credentials };
  }
}
