import type { FleetNode } from "@/features/nodes/node-queries";
import { isBackendRow } from "@/features/nodes/node-state";

/** One backend server across the nodes of a cluster, as their heartbeats report it. */
export interface ClusterServer {
  backend: string;
  server: string;
  /** Each status HAProxy reports for it, with the nodes that report it, most common first. */
  statuses: { status: string; nodes: string[] }[];
  /** Current sessions on it, summed over the nodes. */
  sessions: number;
  /** The nodes that report it. */
  reportedBy: number;
}

/**
 * The servers of a cluster's backends, one row each, from the heartbeats of its nodes (revoked
 * ones left out). A server whose status differs between nodes has more than one status entry.
 */
export function clusterServers(nodes: readonly FleetNode[]): ClusterServer[] {
  const byKey = new Map<string, ClusterServer & { byStatus: Map<string, string[]> }>();
  for (const node of nodes) {
    if (node.revokedAt) continue;
    for (const s of node.servers) {
      if (isBackendRow(s)) continue;
      const key = `${s.proxy}/${s.server}`;
      let row = byKey.get(key);
      if (!row) {
        row = { backend: s.proxy, server: s.server, statuses: [], sessions: 0, reportedBy: 0, byStatus: new Map() };
        byKey.set(key, row);
      }
      row.sessions += s.currentSessions;
      row.reportedBy += 1;
      row.byStatus.set(s.status, [...(row.byStatus.get(s.status) ?? []), node.name]);
    }
  }
  return [...byKey.values()].map(({ byStatus, ...row }) => ({
    ...row,
    statuses: [...byStatus].map(([status, names]) => ({ status, nodes: names })).sort((a, b) => b.nodes.length - a.nodes.length),
  }));
}

/** The states an operator can set at run time, and what each does, for the confirmation. */
export const SERVER_ACTIONS = {
  ready: { label: "Ready", what: "takes traffic again" },
  drain: { label: "Drain", what: "finishes the sessions it has and takes no new ones" },
  maint: { label: "Maint", what: "takes no traffic at all; its health checks stop" },
} as const;
export type ServerAction = keyof typeof SERVER_ACTIONS;
