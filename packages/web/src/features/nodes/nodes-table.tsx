import { Link } from "react-router";
import { RelativeTime } from "@/components/relative-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { FleetNode } from "./node-queries";
import { ConnectionBadge, HaproxyState, ServersSummary, SyncBadges } from "./node-badges";

/** The fleet at a glance: one row per node with its connection, versions, sync state and servers. */
export function NodesTable({ nodes, showCluster = true }: { nodes: readonly FleetNode[]; showCluster?: boolean }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Node</TableHead>
          {showCluster && <TableHead>Cluster</TableHead>}
          <TableHead>Status</TableHead>
          <TableHead>Last heartbeat</TableHead>
          <TableHead>HAProxy</TableHead>
          <TableHead>Agent</TableHead>
          <TableHead>Applied</TableHead>
          <TableHead>Sync</TableHead>
          <TableHead>Servers</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {nodes.map((node) => (
          <TableRow key={node.id} data-testid="node-row">
            <TableCell className="font-medium">
              <Link to={`/nodes/${node.id}`} className="text-primary hover:underline">
                {node.name}
              </Link>
            </TableCell>
            {showCluster && (
              <TableCell>
                <Link to={`/clusters/${node.clusterName}`} className="hover:underline">
                  {node.clusterName}
                </Link>
              </TableCell>
            )}
            <TableCell>
              <ConnectionBadge node={node} />
            </TableCell>
            <TableCell className="whitespace-nowrap">
              <RelativeTime iso={node.lastSeenAt} />
            </TableCell>
            <TableCell>
              <HaproxyState node={node} />
            </TableCell>
            <TableCell className="text-muted-foreground">{node.agentVersion || "—"}</TableCell>
            <TableCell>{node.appliedVersion !== null ? `v${node.appliedVersion}` : <span className="text-muted-foreground">none</span>}</TableCell>
            <TableCell>
              <SyncBadges node={node} />
            </TableCell>
            <TableCell>
              <ServersSummary node={node} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
