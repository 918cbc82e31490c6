/** One backend server's state as the node's HAProxy reports it. */
export interface ServerStateView {
  proxy: string;
  server: string;
  status: string;
  weight: number;
  checkStatus: string;
  currentSessions: number;
}

/** A node as the API shows it. */
export interface NodeView {
  id: string;
  name: string;
  clusterId: string;
  clusterName: string;
  online: boolean;
  lastSeenAt: string | null;
  enrolledAt: string;
  revokedAt: string | null;
  certNotAfter: string;
  agentVersion: string;
  haproxyVersion: string;
  mode: string;
  haproxyRunning: boolean;
  failedReloads: number;
  appliedHash: string;
  appliedVersion: number | null;
  diskHash: string;
  /** The files on disk differ from what was applied: someone edited them by hand. */
  drift: boolean;
  desiredVersion: number | null;
  /** The node runs what its cluster should run. */
  inSync: boolean;
  servers: ServerStateView[];
}

/** The latest heartbeat of a node, as it is written to the database. */
export interface HeartbeatRecord {
  nodeId: string;
  seenAt: Date;
  appliedHash: string;
  diskHash: string;
  haproxyRunning: boolean;
  haproxyVersion: string;
  failedReloads: number;
  servers: ServerStateView[];
}
