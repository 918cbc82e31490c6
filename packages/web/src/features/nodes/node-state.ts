import type { FleetNode, NodeServer } from "./node-queries";

export type Connection = "online" | "offline" | "revoked";

export function connectionOf(node: FleetNode): Connection {
  if (node.revokedAt) return "revoked";
  return node.online ? "online" : "offline";
}

/** Behind: the cluster's last deployment set a version this node has not applied. */
export function isBehind(node: FleetNode): boolean {
  return node.desiredVersion !== null && node.appliedVersion !== node.desiredVersion;
}

/** Needs a look: offline, drifting (files changed on disk), behind, or HAProxy down or failing reloads. */
export function needsAttention(node: FleetNode): boolean {
  if (node.revokedAt) return false;
  return !node.online || node.drift || isBehind(node) || !node.haproxyRunning || node.failedReloads > 0;
}

/** HAProxy's server states: UP, UP 1/3, DOWN, NOLB, MAINT, DRAIN... */
export function serverHealth(server: Pick<NodeServer, "status">): "up" | "down" | "maint" | "other" {
  const status = server.status.toUpperCase();
  if (status.startsWith("UP")) return "up";
  if (status.startsWith("DOWN")) return "down";
  if (status.startsWith("MAINT") || status.startsWith("DRAIN")) return "maint";
  return "other";
}

/** The badge colour of each kind of server status. */
export const HEALTH_VARIANT = { up: "success", down: "destructive", maint: "warning", other: "muted" } as const;

/** HAProxy's stats name a backend's aggregate row "BACKEND"; the agent reports it with the servers. */
export function isBackendRow(server: NodeServer): boolean {
  return server.server === "BACKEND";
}

/** Up / total over the real servers (a backend's aggregate row is not a server). */
export function serverCounts(node: FleetNode): { up: number; total: number } {
  const servers = node.servers.filter((s) => !isBackendRow(s));
  return { up: servers.filter((s) => serverHealth(s) === "up").length, total: servers.length };
}

/** Each backend's aggregate row first, then its servers, backends in the order reported. */
export function groupByBackend(servers: readonly NodeServer[]): NodeServer[] {
  const order = [...new Set(servers.map((s) => s.proxy))];
  return order.flatMap((proxy) => {
    const rows = servers.filter((s) => s.proxy === proxy);
    return [...rows.filter(isBackendRow), ...rows.filter((s) => !isBackendRow(s))];
  });
}
