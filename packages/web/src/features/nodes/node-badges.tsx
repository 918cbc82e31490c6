import { Badge } from "@/components/ui/badge";
import type { FleetNode } from "./node-queries";
import { connectionOf, isBehind, serverCounts } from "./node-state";

export function ConnectionBadge({ node }: { node: FleetNode }) {
  const state = connectionOf(node);
  const variant = state === "online" ? "success" : state === "offline" ? "destructive" : "muted";
  return (
    <Badge variant={variant}>
      <span className={`size-1.5 rounded-full ${state === "online" ? "bg-success" : state === "offline" ? "bg-destructive" : "bg-muted-foreground"}`} aria-hidden />
      {state}
    </Badge>
  );
}

/** Applied version against what the cluster's last deployment wants, and drift on disk. */
export function SyncBadges({ node }: { node: FleetNode }) {
  return (
    <span className="flex flex-wrap gap-1">
      {node.drift && (
        <Badge variant="warning" title="The files on disk differ from what was applied (edited by hand)">
          drift
        </Badge>
      )}
      {isBehind(node) ? (
        <Badge variant="warning" title={`The cluster's last deployment set version ${node.desiredVersion}`}>
          behind v{node.desiredVersion}
        </Badge>
      ) : node.desiredVersion !== null && !node.drift ? (
        <Badge variant="success">in sync</Badge>
      ) : null}
      {node.desiredVersion === null && !node.drift && <span className="text-xs text-muted-foreground">no deployment yet</span>}
    </span>
  );
}

export function HaproxyState({ node }: { node: FleetNode }) {
  return (
    <span className="flex flex-wrap items-center gap-1">
      <span>{node.haproxyVersion || "—"}</span>
      {!node.haproxyRunning && <Badge variant="destructive">stopped</Badge>}
      {node.failedReloads > 0 && (
        <Badge variant="destructive" title="HAProxy refused a reload and kept the previous config">
          {node.failedReloads} failed {node.failedReloads === 1 ? "reload" : "reloads"}
        </Badge>
      )}
    </span>
  );
}

export function ServersSummary({ node }: { node: FleetNode }) {
  const { up, total } = serverCounts(node);
  if (total === 0) return <span className="text-muted-foreground">—</span>;
  return <Badge variant={up === total ? "success" : up === 0 ? "destructive" : "warning"}>{up}/{total} up</Badge>;
}
