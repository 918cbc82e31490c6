import { Badge, type BadgeVariant } from "@/components/ui/badge";
import type { Deployment, DeploymentTarget } from "./deployment-queries";

const DEPLOYMENT_VARIANT: Record<Deployment["status"], BadgeVariant> = {
  pending: "muted",
  running: "default",
  succeeded: "success",
  failed: "destructive",
  rolled_back: "warning",
  cancelled: "muted",
};

const TARGET_VARIANT: Record<DeploymentTarget["status"], BadgeVariant> = {
  pending: "muted",
  skipped: "secondary",
  applying: "default",
  succeeded: "success",
  failed: "destructive",
  rolling_back: "warning",
  rolled_back: "warning",
  cancelled: "muted",
};

const label = (status: string) => status.replace("_", " ");

export function DeploymentStatusBadge({ status }: { status: Deployment["status"] }) {
  return (
    <Badge variant={DEPLOYMENT_VARIANT[status]} data-testid="deployment-status">
      {label(status)}
    </Badge>
  );
}

export function TargetStatusBadge({ status }: { status: DeploymentTarget["status"] }) {
  return <Badge variant={TARGET_VARIANT[status]}>{label(status)}</Badge>;
}

/** Done / total as a bar: succeeded and skipped green, failed red, applying blue. */
export function DeploymentProgress({ counts }: { counts: Deployment["counts"] }) {
  const total = Math.max(1, counts.total);
  const done = counts.succeeded + counts.skipped;
  const part = (n: number) => `${(n / total) * 100}%`;
  return (
    <div className="flex flex-col gap-1">
      <div
        role="progressbar"
        aria-label="Nodes done"
        aria-valuemin={0}
        aria-valuemax={counts.total}
        aria-valuenow={done}
        className="flex h-2 w-full overflow-hidden rounded-full bg-muted"
      >
        <div className="bg-success" style={{ width: part(done) }} />
        <div className="bg-primary" style={{ width: part(counts.applying) }} />
        <div className="bg-destructive" style={{ width: part(counts.failed) }} />
        <div className="bg-warning" style={{ width: part(counts.rolledBack) }} />
      </div>
      <p className="text-xs text-muted-foreground">
        {done} of {counts.total} done
        {counts.skipped > 0 && ` (${counts.skipped} already up to date)`}
        {counts.applying > 0 && `, ${counts.applying} applying`}
        {counts.failed > 0 && `, ${counts.failed} failed`}
        {counts.rolledBack > 0 && `, ${counts.rolledBack} rolled back`}
        {counts.pending > 0 && `, ${counts.pending} waiting`}
      </p>
    </div>
  );
}
