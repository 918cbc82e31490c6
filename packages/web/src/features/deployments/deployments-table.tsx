import { Link } from "react-router";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Deployment } from "./deployment-queries";
import { DeploymentStatusBadge } from "./deployment-status";

/**
 * Deployments, newest first. `compact` (the dashboard's half-width column) folds the cluster,
 * the previous version and the author into a second line under the deployment.
 */
export function DeploymentsTable({
  deployments,
  showCluster = true,
  compact = false,
}: {
  deployments: readonly Deployment[];
  showCluster?: boolean;
  compact?: boolean;
}) {
  if (compact) return <CompactDeploymentsTable deployments={deployments} />;
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Deployment</TableHead>
          {showCluster && <TableHead>Cluster</TableHead>}
          <TableHead>Status</TableHead>
          <TableHead>Nodes</TableHead>
          <TableHead>By</TableHead>
          <TableHead>Started</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {deployments.map((d) => (
          <TableRow key={d.id} data-testid="deployment-row">
            <TableCell className="font-medium whitespace-nowrap">
              <Link to={`/clusters/${d.clusterName}/deployments/${d.id}`} className="text-primary hover:underline">
                {d.kind === "rollback" ? "Rollback to" : "Deploy"} v{d.version}
              </Link>
              {d.previousVersion !== null && <span className="text-muted-foreground"> (from v{d.previousVersion})</span>}
              {d.kind === "rollback" && (
                <Badge variant="outline" className="ml-1">
                  rollback
                </Badge>
              )}
            </TableCell>
            {showCluster && <TableCell>{d.clusterName}</TableCell>}
            <TableCell>
              <DeploymentStatusBadge status={d.status} />
            </TableCell>
            <TableCell className="whitespace-nowrap text-muted-foreground">
              {d.counts.succeeded + d.counts.skipped}/{d.counts.total}
              {d.counts.failed > 0 && <span className="text-destructive"> · {d.counts.failed} failed</span>}
            </TableCell>
            <TableCell>{d.createdBy}</TableCell>
            <TableCell className="whitespace-nowrap">
              <RelativeTime iso={d.startedAt ?? d.createdAt} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function CompactDeploymentsTable({ deployments }: { deployments: readonly Deployment[] }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Deployment</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Nodes</TableHead>
          <TableHead>Started</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {deployments.map((d) => (
          <TableRow key={d.id} data-testid="deployment-row">
            <TableCell className="min-w-0">
              <Link to={`/clusters/${d.clusterName}/deployments/${d.id}`} className="font-medium whitespace-nowrap text-primary hover:underline">
                {d.kind === "rollback" ? "Rollback to" : "Deploy"} v{d.version}
              </Link>
              <span className="block text-xs text-muted-foreground">
                {d.clusterName}
                {d.previousVersion !== null && ` · from v${d.previousVersion}`} · by {d.createdBy}
              </span>
            </TableCell>
            <TableCell>
              <DeploymentStatusBadge status={d.status} />
            </TableCell>
            <TableCell className="whitespace-nowrap text-muted-foreground">
              {d.counts.succeeded + d.counts.skipped}/{d.counts.total}
              {d.counts.failed > 0 && <span className="text-destructive"> · {d.counts.failed} failed</span>}
            </TableCell>
            <TableCell className="whitespace-nowrap">
              <RelativeTime iso={d.startedAt ?? d.createdAt} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
