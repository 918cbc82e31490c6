import { RocketIcon } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { LoadingRows } from "@/components/loading";
import { PageHeader } from "@/components/page-header";
import { QueryError } from "@/components/query-error";
import { Card } from "@/components/ui/card";
import { useLatestDeployments } from "./deployment-queries";
import { DeploymentsTable } from "./deployments-table";

export default function DeploymentsPage() {
  const deployments = useLatestDeployments(50);
  return (
    <>
      <PageHeader title="Deployments" description="The latest rollouts of every cluster. Start one from a cluster's Deployments tab or its config history." />
      {deployments.isPending ? (
        <LoadingRows />
      ) : deployments.isError ? (
        <QueryError error={deployments.error} onRetry={() => void deployments.refetch()} what="the deployments" />
      ) : deployments.data.length === 0 ? (
        <EmptyState icon={RocketIcon} title="No deployments yet">
          Save a config version in a cluster, then deploy it to the cluster's nodes.
        </EmptyState>
      ) : (
        <Card>
          <DeploymentsTable deployments={deployments.data} />
        </Card>
      )}
    </>
  );
}
