import { FileCode2Icon, PencilIcon } from "lucide-react";
import { Link } from "react-router";
import { LoadingRows } from "@/components/loading";
import { QueryError } from "@/components/query-error";
import { SectionHeader } from "@/components/section-header";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useClusterDeployments } from "@/features/deployments/deployment-queries";
import { DeploymentsTable } from "@/features/deployments/deployments-table";
import { useNodes } from "@/features/nodes/node-queries";
import { NoNodes } from "@/features/nodes/no-nodes";
import { NodesTable } from "@/features/nodes/nodes-table";
import { ClusterServersSection } from "@/features/servers/cluster-servers-section";
import { useClusterContext } from "./cluster-layout";

/** A cluster's nodes, its config, its backend servers and its last deployments. */
export default function ClusterOverviewPage() {
  const cluster = useClusterContext();
  const nodes = useNodes(cluster.id);
  const deployments = useClusterDeployments(cluster.name);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-3 rounded-lg border px-4 py-3 text-sm">
        <FileCode2Icon className="size-4 text-muted-foreground" aria-hidden />
        {cluster.latestVersion > 0 ? (
          <span>
            Config at <strong>version {cluster.latestVersion}</strong>.
          </span>
        ) : (
          <span>No config yet.</span>
        )}
        <Button size="sm" variant="outline" asChild className="ml-auto">
          <Link to={`/clusters/${cluster.name}/configs`}>
            <PencilIcon /> {cluster.latestVersion > 0 ? "Edit the config" : "Write the first config"}
          </Link>
        </Button>
      </div>
      <section>
        <SectionHeader title="Nodes" description="Refreshed every 5 seconds." />
        {nodes.isPending ? (
          <LoadingRows rows={3} />
        ) : nodes.isError ? (
          <QueryError error={nodes.error} onRetry={() => void nodes.refetch()} what="the nodes" />
        ) : nodes.data.length === 0 ? (
          <NoNodes clusterName={cluster.name} />
        ) : (
          <Card>
            <NodesTable nodes={nodes.data} showCluster={false} />
          </Card>
        )}
      </section>
      {nodes.data && nodes.data.some((n) => !n.revokedAt) && <ClusterServersSection cluster={cluster.name} nodes={nodes.data} />}
      <section>
        <SectionHeader
          title="Recent deployments"
          actions={
            <Button variant="ghost" size="sm" asChild>
              <Link to={`/clusters/${cluster.name}/deployments`}>Deploy or see all</Link>
            </Button>
          }
        />
        {deployments.isPending ? (
          <LoadingRows rows={2} />
        ) : deployments.isError ? (
          <QueryError error={deployments.error} onRetry={() => void deployments.refetch()} what="the deployments" />
        ) : deployments.data.length === 0 ? (
          <p className="rounded-lg border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">No deployments yet.</p>
        ) : (
          <Card>
            <DeploymentsTable deployments={deployments.data.slice(0, 5)} showCluster={false} />
          </Card>
        )}
      </section>
    </div>
  );
}
