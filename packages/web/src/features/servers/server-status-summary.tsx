import { TriangleAlertIcon } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { WithTooltip } from "@/components/ui/tooltip";
import { HEALTH_VARIANT, serverHealth } from "@/features/nodes/node-state";
import { nodeLabel, type ClusterServer, type ReportingNode } from "./cluster-servers";


const names = (nodes: readonly ReportingNode[]) => nodes.map(nodeLabel).join(", ");

/**
 * A server's status on the nodes in one glance: one badge per status ("UP on 3 of 3"; a status
 * only offline nodes last reported says so), the nodes on hover (and for screen readers), and a
 * marker when the nodes disagree, whose tooltip (reachable with Tab) says which node reports what.
 */
export function ServerStatusSummary({ row }: { row: ClusterServer }) {
  const total = row.statuses.reduce((n, s) => n + s.nodes.length, 0) + row.missing.length;
  const differs = row.statuses.length + (row.missing.length > 0 ? 1 : 0) > 1;
  return (
    <span className="flex flex-wrap items-center gap-1.5">
      {row.statuses.map((s) => (
        <Badge key={s.status} variant={HEALTH_VARIANT[serverHealth(s)]} title={names(s.nodes)} data-testid="server-status">
          {`${s.status} on ${s.nodes.length} of ${total}${s.nodes.every((n) => !n.online) ? ", offline" : ""}`}
          <span className="sr-only"> ({names(s.nodes)})</span>
        </Badge>
      ))}
      {row.missing.length > 0 && (
        <Badge variant="outline" title={names(row.missing)} data-testid="server-status">
          {`not reported by ${row.missing.length} of ${total}`}
          <span className="sr-only"> ({names(row.missing)})</span>
        </Badge>
      )}
      {differs && (
        <WithTooltip content={<PerNode row={row} />}>
          <span tabIndex={0} className="inline-flex items-center gap-1 rounded-sm text-xs font-medium text-[color-mix(in_oklch,var(--warning)_70%,var(--foreground))] focus-visible:outline-2 focus-visible:outline-ring">
            <TriangleAlertIcon className="size-3.5 text-warning" aria-hidden />
            differs between nodes
          </span>
        </WithTooltip>
      )}
    </span>
  );
}

function PerNode({ row }: { row: ClusterServer }) {
  const lines = [...row.statuses.flatMap((s) => s.nodes.map((n) => [nodeLabel(n), s.status])), ...row.missing.map((n) => [nodeLabel(n), "not reported"])];
  return (
    <ul>
      {lines.sort(([a = ""], [b = ""]) => a.localeCompare(b)).map(([node, status]) => (
        <li key={node}>
          {node}: {status}
        </li>
      ))}
    </ul>
  );
}
