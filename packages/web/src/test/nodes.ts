import type { FleetNode, NodeServer } from "@/features/nodes/node-queries";

/**
 * A node of cluster "edge" as GET /api/v1/nodes lists it, online and in sync, reporting
 * `servers` (each an UP server "app/s1" unless told otherwise). Ids follow the name's last digit.
 */
export function fleetNode(name: string, servers: Partial<NodeServer>[], extra: Partial<FleetNode> = {}): FleetNode {
  return {
    id: `00000000-0000-4000-8000-00000000000${name.at(-1)}`,
    name,
    clusterId: "22222222-2222-4222-8222-222222222222",
    clusterName: "edge",
    online: true,
    lastSeenAt: new Date().toISOString(),
    enrolledAt: "2025-01-01T00:00:00Z",
    revokedAt: null,
    certNotAfter: "2030-01-01T00:00:00Z",
    agentVersion: "0.1.0",
    haproxyVersion: "2.6.12",
    mode: "supervised",
    haproxyRunning: true,
    failedReloads: 0,
    appliedHash: "",
    appliedVersion: 1,
    diskHash: "",
    drift: false,
    desiredVersion: 1,
    inSync: true,
    servers: servers.map((s) => ({ proxy: "app", server: "s1", status: "UP", weight: 1, checkStatus: "L7OK", currentSessions: 0, ...s })),
    ...extra,
  };
}
