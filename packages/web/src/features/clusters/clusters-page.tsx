import { BoxesIcon } from "lucide-react";
import { Link } from "react-router";
import { EmptyState } from "@/components/empty-state";
import { LoadingRows } from "@/components/loading";
import { PageHeader } from "@/components/page-header";
import { QueryError } from "@/components/query-error";
import { RelativeTime } from "@/components/relative-time";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { plural } from "@/lib/format";
import { useClusters } from "./cluster-queries";
import { CreateClusterDialog } from "./create-cluster-dialog";

export default function ClustersPage() {
  const clusters = useClusters();
  return (
    <>
      <PageHeader title="Clusters" description="Each cluster is a set of HAProxy nodes that run one configuration." actions={<CreateClusterDialog />} />
      {clusters.isPending ? (
        <LoadingRows />
      ) : clusters.isError ? (
        <QueryError error={clusters.error} onRetry={() => void clusters.refetch()} what="the clusters" />
      ) : clusters.data.length === 0 ? (
        <EmptyState icon={BoxesIcon} title="No clusters yet">
          Create a cluster, write its HAProxy configuration, then enrol nodes into it.
        </EmptyState>
      ) : (
        <Card>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Description</TableHead>
                <TableHead>Config version</TableHead>
                <TableHead>Nodes</TableHead>
                <TableHead>Created</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {clusters.data.map((cluster) => (
                <TableRow key={cluster.id}>
                  <TableCell className="font-medium">
                    <Link to={`/clusters/${cluster.name}`} className="text-primary hover:underline">
                      {cluster.name}
                    </Link>
                  </TableCell>
                  <TableCell className="max-w-md truncate text-muted-foreground">{cluster.description || "—"}</TableCell>
                  <TableCell>{cluster.latestVersion > 0 ? `v${cluster.latestVersion}` : <span className="text-muted-foreground">none yet</span>}</TableCell>
                  <TableCell>{plural(cluster.nodeCount, "node")}</TableCell>
                  <TableCell>
                    <RelativeTime iso={cluster.createdAt} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}
    </>
  );
}
