import type { FleetNode } from "@/features/nodes/node-queries";
import { isBackendRow } from "@/features/nodes/node-state";

/** A node as a server's row names it; an offline node's report is its last heartbeat's. */
export interface ReportingNode {
  name: string;
  online: boolean;
}

/** One backend server across the nodes of a cluster, as their heartbeats report it. */
export interface ClusterServer {
  backend: string;
  server: string;
  /** Each status HAProxy reports for it with the nodes reporting it, most common on online nodes first. */
  statuses: { status: string; nodes: ReportingNode[] }[];
  /** Nodes of the cluster that do not report it (another config applied, or no report yet). */
  missing: ReportingNode[];
  /** Current sessions on it, summed over the online nodes (an offline node's count is stale). */
  sessions: number;
}

const online = (nodes: readonly ReportingNode[]) => nodes.filter((n) => n.online).length;

/**
 * The servers of a cluster's backends, one row each, from the heartbeats of its nodes (revoked
 * ones left out), backends in the order the nodes report them. A server whose status differs
 * between nodes has more than one status, or nodes that do not report it.
 */
export function clusterServers(nodes: readonly FleetNode[]): ClusterServer[] {
  const live = nodes.filter((n) => !n.revokedAt);
  const rows = new Map<string, { backend: string; server: string; sessions: number; byStatus: Map<string, ReportingNode[]>; seen: Set<string> }>();
  for (const node of live) {
    for (const s of node.servers) {
      if (isBackendRow(s)) continue;
      const key = `${s.proxy}/${s.server}`;
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { backend: s.proxy, server: s.server, sessions: 0, byStatus: new Map(), seen: new Set() }));
      if (row.seen.has(node.id)) continue;
      row.seen.add(node.id);
      if (node.online) row.sessions += s.currentSessions;
      row.byStatus.set(s.status, [...(row.byStatus.get(s.status) ?? []), { name: node.name, online: node.online }]);
    }
  }
  const backendOrder = [...new Set([...rows.values()].map((r) => r.backend))];
  return [...rows.values()]
    .sort((a, b) => backendOrder.indexOf(a.backend) - backendOrder.indexOf(b.backend))
    .map(({ backend, server, sessions, byStatus, seen }) => ({
      backend,
      server,
      sessions,
      statuses: [...byStatus]
        .map(([status, reporting]) => ({ status, nodes: reporting }))
        .sort((a, b) => online(b.nodes) - online(a.nodes) || b.nodes.length - a.nodes.length || a.status.localeCompare(b.status)),
      missing: live.filter((n) => !seen.has(n.id)).map((n) => ({ name: n.name, online: n.online })),
    }));
}

/** A node's name as a status lists it: "lb2 (offline)" when its report is its last one. */
export function nodeLabel(node: ReportingNode): string {
  return node.online ? node.name : `${node.name} (offline)`;
}

/** The states an operator can set at run time; `what` completes "On every node, app/s1 …". */
export const SERVER_ACTIONS = {
  ready: { label: "Ready", now: "ready", what: "takes traffic again (out of drain or maintenance)" },
  drain: { label: "Drain", now: "draining", what: "gets no new traffic except persistent sessions; its sessions finish and its health checks go on" },
  maint: { label: "Maint", now: "in maintenance", what: "gets no traffic at all and its health checks stop" },
} as const;
export type ServerAction = keyof typeof SERVER_ACTIONS;
export const SERVER_ACTION_NAMES = Object.keys(SERVER_ACTIONS) as ServerAction[];
