import { BanIcon, RadioIcon, Undo2Icon } from "lucide-react";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { LoadingRows } from "@/components/loading";
import { QueryError } from "@/components/query-error";
import { RelativeTime } from "@/components/relative-time";
import { RoleButton } from "@/components/role-button";
import { SectionHeader } from "@/components/section-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent } from "@/components/ui/card";
import { useClusterContext } from "@/features/clusters/cluster-layout";
import { useConfigVersion } from "@/features/configs/config-queries";
import { shortHash } from "@/lib/format";
import { isFinal, useCancelDeployment, useDeployment, useRollbackDeployment, type Deployment } from "./deployment-queries";
import { DeploymentProgress, DeploymentStatusBadge } from "./deployment-status";
import { LongError, TargetsTable } from "./targets-table";
import { useDeploymentEvents, type LiveState } from "./use-deployment-events";

/** One deployment, live: per-node progress over Server-Sent Events, NACK errors at their lines, rollback. */
export default function DeploymentPage() {
  const cluster = useClusterContext();
  const { deployment: id = "" } = useParams();
  const deployment = useDeployment(cluster.name, id);
  const live = useDeploymentEvents(cluster.name, id, deployment.isSuccess && !isFinal(deployment.data));
  if (deployment.isPending) return <LoadingRows rows={6} label="Loading the deployment" />;
  if (deployment.isError) return <QueryError error={deployment.error} onRetry={() => void deployment.refetch()} what="the deployment" />;
  return <DeploymentView deployment={deployment.data} live={live} />;
}

function DeploymentView({ deployment: d, live }: { deployment: Deployment; live: LiveState }) {
  const config = useConfigVersion(d.clusterName, d.targets?.some((t) => t.errorLines.length > 0) ? d.version : undefined);
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="flex items-center gap-2 text-lg font-semibold">
            {d.kind === "rollback" ? "Rollback to" : "Deploy"} version {d.version}
            <DeploymentStatusBadge status={d.status} />
            <LiveIndicator state={live} />
          </h2>
          <p className="mt-1 text-sm text-muted-foreground">
            {d.previousVersion !== null ? `From version ${d.previousVersion}. ` : ""}Started by {d.createdBy} <RelativeTime iso={d.startedAt ?? d.createdAt} />
            {d.finishedAt && (
              <>
                , finished <RelativeTime iso={d.finishedAt} />
              </>
            )}
            . Batches of {d.batchSize} after one canary; automatic rollback {d.autoRollback ? "on" : "off"}.{" "}
            <span className="font-mono text-xs" title={d.bundleHash}>
              bundle {shortHash(d.bundleHash)}
            </span>
          </p>
          {d.rollbackOf && (
            <p className="text-sm text-muted-foreground">
              Rolls back{" "}
              <Link className="text-primary hover:underline" to={`/clusters/${d.clusterName}/deployments/${d.rollbackOf}`}>
                an earlier deployment
              </Link>
              .
            </p>
          )}
        </div>
        <div className="flex gap-2">
          {!isFinal(d) && <CancelButton deployment={d} />}
          {isFinal(d) && d.previousVersion !== null && <RollbackButton deployment={d} />}
        </div>
      </div>
      {d.note && <p className="rounded-md border bg-muted/40 px-4 py-2 text-sm">{d.note}</p>}
      {d.error && (
        <div role="alert" className="rounded-md border border-destructive/40 bg-destructive/5 px-4 py-2 text-sm">
          <LongError text={d.error} />
        </div>
      )}
      <Card>
        <CardContent className="pt-4">
          <DeploymentProgress counts={d.counts} />
        </CardContent>
      </Card>
      <section>
        <SectionHeader title="Nodes" description="The canary goes first; the others follow in batches once it succeeds." />
        {d.targets && d.targets.length > 0 ? (
          <Card>
            <TargetsTable targets={d.targets} configLines={config.data?.content.split("\n")} />
          </Card>
        ) : (
          <p className="rounded-lg border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">This deployment had no nodes to update.</p>
        )}
      </section>
    </div>
  );
}

function LiveIndicator({ state }: { state: LiveState }) {
  if (state === "ended") return null;
  return (
    <Badge variant={state === "live" ? "success" : "muted"} aria-live="polite">
      <RadioIcon aria-hidden /> {state === "live" ? "live" : state === "connecting" ? "connecting…" : "reconnecting…"}
    </Badge>
  );
}

function RollbackButton({ deployment: d }: { deployment: Deployment }) {
  const [open, setOpen] = useState(false);
  const rollback = useRollbackDeployment(d.clusterName);
  const navigate = useNavigate();
  return (
    <>
      <RoleButton role="operator" variant="outline" onClick={() => setOpen(true)}>
        <Undo2Icon /> Roll back to v{d.previousVersion}
      </RoleButton>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Roll ${d.clusterName} back to version ${d.previousVersion}?`}
        description={`A new deployment puts version ${d.previousVersion} back on every node of ${d.clusterName}, canary first, like any deployment.`}
        confirmLabel="Roll back"
        destructive
        onConfirm={() =>
          rollback.mutate(d.id, { onSuccess: (next) => navigate(`/clusters/${next.clusterName}/deployments/${next.id}`) })
        }
      />
    </>
  );
}

function CancelButton({ deployment: d }: { deployment: Deployment }) {
  const [open, setOpen] = useState(false);
  const cancel = useCancelDeployment(d.clusterName);
  return (
    <>
      <RoleButton role="operator" variant="outline" onClick={() => setOpen(true)}>
        <BanIcon /> Cancel
      </RoleButton>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title="Cancel this deployment?"
        description="Nodes not reached yet keep their current version; nodes already updated stay updated."
        confirmLabel="Cancel deployment"
        destructive
        onConfirm={() => cancel.mutate(d.id)}
      />
    </>
  );
}
