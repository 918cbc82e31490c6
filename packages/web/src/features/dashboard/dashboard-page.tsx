import { BoxesIcon, GitBranchIcon, ServerIcon, ShieldAlertIcon } from "lucide-react";
import { Link } from "react-router";
import { EmptyState } from "@/components/empty-state";
import { LoadingRows } from "@/components/loading";
import { PageHeader } from "@/components/page-header";
import { QueryError } from "@/components/query-error";
import { SectionHeader } from "@/components/section-header";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useCertificates } from "@/features/certificates/certificate-queries";
import { ExpiryBadge } from "@/features/certificates/expiry-badge";
import { useClusters } from "@/features/clusters/cluster-queries";
import { useLatestDeployments } from "@/features/deployments/deployment-queries";
import { DeploymentsTable } from "@/features/deployments/deployments-table";
import { useNodes } from "@/features/nodes/node-queries";
import { NoNodes } from "@/features/nodes/no-nodes";
import { NodesTable } from "@/features/nodes/nodes-table";
import { isBehind, needsAttention } from "@/features/nodes/node-state";
import { StatCard } from "./stat-card";

const EXPIRY_WINDOW_DAYS = 30;

/** The fleet's health on one screen: what is offline, out of date, failing, or about to expire. */
export function DashboardPage() {
  const clusters = useClusters();
  const nodes = useNodes();
  const deployments = useLatestDeployments(8);
  const certificates = useCertificates();

  const live = nodes.data?.filter((n) => !n.revokedAt) ?? [];
  const online = live.filter((n) => n.online).length;
  const outOfDate = live.filter((n) => n.drift || isBehind(n));
  const attention = live.filter(needsAttention);
  const expiring = certificates.data?.filter((c) => c.daysLeft <= EXPIRY_WINDOW_DAYS).sort((a, b) => a.daysLeft - b.daysLeft);
  const ready = clusters.isSuccess && nodes.isSuccess && deployments.isSuccess && certificates.isSuccess;

  return (
    <div data-testid={ready ? "dashboard-ready" : "dashboard-loading"}>
      <PageHeader title="Dashboard" description="The fleet right now; nodes refresh every 5 seconds." />
      <div className="mb-6 grid grid-cols-2 gap-4 xl:grid-cols-4">
        <StatCard icon={BoxesIcon} label="Clusters" value={clusters.data?.length} to="/clusters" />
        <StatCard
          icon={ServerIcon}
          label="Nodes online"
          value={nodes.data ? `${online} / ${live.length}` : undefined}
          detail={live.length - online > 0 ? `${live.length - online} offline` : live.length ? "all online" : "no nodes yet"}
          tone={live.length === 0 ? "default" : online === live.length ? "good" : "bad"}
          to="/nodes"
        />
        <StatCard
          icon={GitBranchIcon}
          label="Drifting or behind"
          value={nodes.data ? outOfDate.length : undefined}
          detail="files edited on the node, or not on the deployed version"
          tone={outOfDate.length ? "warn" : "default"}
          to="/nodes"
        />
        <StatCard
          icon={ShieldAlertIcon}
          label={`Certificates expiring ≤ ${EXPIRY_WINDOW_DAYS} days`}
          value={expiring?.length}
          detail={certificates.data ? `of ${certificates.data.length} stored` : undefined}
          tone={expiring?.some((c) => c.daysLeft < 0) ? "bad" : expiring?.length ? "warn" : "default"}
          to="/certificates"
        />
      </div>

      {clusters.data?.length === 0 && (
        <EmptyState
          icon={BoxesIcon}
          title="Start with a cluster"
          className="mb-6"
          action={
            <Button asChild>
              <Link to="/clusters">Create a cluster</Link>
            </Button>
          }
        >
          A cluster holds one HAProxy configuration and the nodes that run it.
        </EmptyState>
      )}

      <div className="grid gap-6 xl:grid-cols-2">
        <section aria-labelledby="attention-title" className="xl:col-span-2">
          <SectionHeader title={<span id="attention-title">Nodes needing attention</span>} description="Offline, drifting, behind the deployed version, or HAProxy failing." />
          {nodes.isPending ? (
            <LoadingRows rows={3} />
          ) : nodes.isError ? (
            <QueryError error={nodes.error} onRetry={() => void nodes.refetch()} what="the nodes" />
          ) : live.length === 0 ? (
            <NoNodes />
          ) : attention.length === 0 ? (
            <p className="rounded-lg border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">
              All {live.length} nodes are online and on their deployed version.
            </p>
          ) : (
            <Card>
              <NodesTable nodes={attention} />
            </Card>
          )}
        </section>

        <section aria-labelledby="deployments-title">
          <SectionHeader
            title={<span id="deployments-title">Recent deployments</span>}
            actions={
              <Button variant="ghost" size="sm" asChild>
                <Link to="/deployments">All deployments</Link>
              </Button>
            }
          />
          {deployments.isPending ? (
            <LoadingRows rows={3} />
          ) : deployments.isError ? (
            <QueryError error={deployments.error} onRetry={() => void deployments.refetch()} what="the deployments" />
          ) : deployments.data.length === 0 ? (
            <p className="rounded-lg border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">
              No deployments yet. Save a config version in a cluster and deploy it.
            </p>
          ) : (
            <Card>
              <DeploymentsTable deployments={deployments.data} compact />
            </Card>
          )}
        </section>

        <section aria-labelledby="certs-title">
          <SectionHeader title={<span id="certs-title">Certificates expiring within {EXPIRY_WINDOW_DAYS} days</span>} />
          {certificates.isPending ? (
            <LoadingRows rows={3} />
          ) : certificates.isError ? (
            <QueryError error={certificates.error} onRetry={() => void certificates.refetch()} what="the certificates" />
          ) : !expiring?.length ? (
            <p className="rounded-lg border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">
              {certificates.data.length ? `None of the ${certificates.data.length} certificates expires within ${EXPIRY_WINDOW_DAYS} days.` : "No certificates stored."}
            </p>
          ) : (
            <Card>
              <ul className="divide-y">
                {expiring.map((cert) => (
                  <li key={cert.id} className="flex items-center justify-between gap-3 px-4 py-2.5 text-sm">
                    <Link to={`/certificates/${cert.name}`} className="font-medium text-primary hover:underline">
                      {cert.name}
                    </Link>
                    <span className="min-w-0 flex-1 truncate text-muted-foreground">{cert.sans.join(", ")}</span>
                    <ExpiryBadge daysLeft={cert.daysLeft} notAfter={cert.notAfter} />
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </section>
      </div>
    </div>
  );
}
