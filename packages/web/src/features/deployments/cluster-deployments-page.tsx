import { RocketIcon } from "lucide-react";
import { useSearchParams } from "react-router";
import { EmptyState } from "@/components/empty-state";
import { LoadingRows } from "@/components/loading";
import { QueryError } from "@/components/query-error";
import { SectionHeader } from "@/components/section-header";
import { Card } from "@/components/ui/card";
import { useClusterContext } from "@/features/clusters/cluster-layout";
import { useClusterDeployments } from "./deployment-queries";
import { DeploymentsTable } from "./deployments-table";
import { NewDeploymentForm } from "./new-deployment-form";

export default function ClusterDeploymentsPage() {
  const cluster = useClusterContext();
  const [params] = useSearchParams();
  const deployments = useClusterDeployments(cluster.name);
  const requested = Number(params.get("deploy")) || undefined;

  return (
    <div className="flex flex-col gap-6">
      {cluster.latestVersion > 0 ? (
        <NewDeploymentForm cluster={cluster} initialVersion={requested} />
      ) : (
        <EmptyState icon={RocketIcon} title="Nothing to deploy yet">
          Save a first config version for {cluster.name}; then deploy it from here.
        </EmptyState>
      )}
      <section>
        <SectionHeader title="Deployments" />
        {deployments.isPending ? (
          <LoadingRows />
        ) : deployments.isError ? (
          <QueryError error={deployments.error} onRetry={() => void deployments.refetch()} what="the deployments" />
        ) : deployments.data.length === 0 ? (
          <p className="rounded-lg border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">No deployments yet.</p>
        ) : (
          <Card>
            <DeploymentsTable deployments={deployments.data} showCluster={false} />
          </Card>
        )}
      </section>
    </div>
  );
}
