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
export function serverHealth(server: NodeServer): "up" | "down" | "maint" | "other" {
  const status = server.status.toUpperCase();
  if (status.startsWith("UP")) return "up";
  if (status.startsWith("DOWN")) return "down";
  if (status.startsWith("MAINT") || status.startsWith("DRAIN")) return "maint";
  return "other";
}

export function serverCounts(node: FleetNode): { up: number; total: number } {
  return { up: node.servers.filter((s) => serverHealth(s) === "up").length, total: node.servers.length };
}
