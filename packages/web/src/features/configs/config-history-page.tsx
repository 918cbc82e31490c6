import { GitCompareArrowsIcon, HistoryIcon, PencilIcon, RocketIcon } from "lucide-react";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { EmptyState } from "@/components/empty-state";
import { LoadingRows } from "@/components/loading";
import { QueryError } from "@/components/query-error";
import { RelativeTime } from "@/components/relative-time";
import { RoleButton } from "@/components/role-button";
import { SectionHeader } from "@/components/section-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useClusterContext } from "@/features/clusters/cluster-layout";
import { formatBytes, shortHash } from "@/lib/format";
import { useConfigVersions, type ConfigVersion } from "./config-queries";

/** Every version of the cluster's config: who, when, why; compare any two, reuse or deploy one. */
export default function ConfigHistoryPage() {
  const cluster = useClusterContext();
  const versions = useConfigVersions(cluster.name);
  const navigate = useNavigate();
  const [from, setFrom] = useState<number>();
  const [to, setTo] = useState<number>();

  if (versions.isPending) return <LoadingRows rows={6} label="Loading the history" />;
  if (versions.isError) return <QueryError error={versions.error} onRetry={() => void versions.refetch()} what="the history" />;
  const items = versions.data.pages.flatMap((p) => p.items);
  if (items.length === 0) {
    return (
      <EmptyState
        icon={HistoryIcon}
        title="No versions yet"
        action={
          <Button asChild>
            <Link to={`/clusters/${cluster.name}/configs`}>Write the first config</Link>
          </Button>
        }
      >
        Every save creates a version with its author and message; they will be listed here.
      </EmptyState>
    );
  }
  const fromVersion = from ?? items[1]?.version;
  const toVersion = to ?? items[0]?.version;
  const canCompare = fromVersion !== undefined && toVersion !== undefined && fromVersion !== toVersion;

  return (
    <>
      <SectionHeader
        title="History"
        description="Choose two versions in the From and To columns to compare them."
        actions={
          <Button
            variant="outline"
            disabled={!canCompare}
            onClick={() => navigate(`/clusters/${cluster.name}/configs/diff?from=${fromVersion}&to=${toVersion}`)}
          >
            <GitCompareArrowsIcon /> Compare v{fromVersion ?? "?"} → v{toVersion ?? "?"}
          </Button>
        }
      />
      <Card>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead className="w-14">From</TableHead>
              <TableHead className="w-14">To</TableHead>
              <TableHead>Version</TableHead>
              <TableHead>Message</TableHead>
              <TableHead>Author</TableHead>
              <TableHead>Saved</TableHead>
              <TableHead>Size</TableHead>
              <TableHead className="text-right">Actions</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((v) => (
              <VersionRow
                key={v.id}
                version={v}
                clusterName={cluster.name}
                latest={v.version === cluster.latestVersion}
                from={fromVersion === v.version}
                to={toVersion === v.version}
                onFrom={() => setFrom(v.version)}
                onTo={() => setTo(v.version)}
              />
            ))}
          </TableBody>
        </Table>
      </Card>
      {versions.hasNextPage && (
        <div className="mt-3 flex justify-center">
          <Button variant="outline" onClick={() => void versions.fetchNextPage()} disabled={versions.isFetchingNextPage}>
            {versions.isFetchingNextPage ? "Loading…" : "Older versions"}
          </Button>
        </div>
      )}
    </>
  );
}

function VersionRow({
  version: v,
  clusterName,
  latest,
  from,
  to,
  onFrom,
  onTo,
}: {
  version: ConfigVersion;
  clusterName: string;
  latest: boolean;
  from: boolean;
  to: boolean;
  onFrom: () => void;
  onTo: () => void;
}) {
  return (
    <TableRow data-state={from || to ? "selected" : undefined}>
      <TableCell>
        <input type="radio" name="diff-from" checked={from} onChange={onFrom} aria-label={`Compare from version ${v.version}`} className="size-4 accent-primary" />
      </TableCell>
      <TableCell>
        <input type="radio" name="diff-to" checked={to} onChange={onTo} aria-label={`Compare to version ${v.version}`} className="size-4 accent-primary" />
      </TableCell>
      <TableCell className="font-medium whitespace-nowrap">
        v{v.version} {latest && <Badge variant="secondary">latest</Badge>}{" "}
        {v.source === "import" && <Badge variant="outline">imported</Badge>}
        <span className="block font-mono text-[11px] font-normal text-muted-foreground" title={v.hash}>
          {shortHash(v.hash)}
        </span>
      </TableCell>
      <TableCell className="max-w-sm">
        <span className="line-clamp-2 break-words">{v.message}</span>
      </TableCell>
      <TableCell>{v.author}</TableCell>
      <TableCell className="whitespace-nowrap">
        <RelativeTime iso={v.createdAt} />
      </TableCell>
      <TableCell className="whitespace-nowrap text-muted-foreground">{formatBytes(v.size)}</TableCell>
      <TableCell>
        <div className="flex justify-end gap-1">
          {v.parentVersion !== null && (
            <Button variant="ghost" size="sm" asChild>
              <Link to={`/clusters/${clusterName}/configs/diff?from=${v.parentVersion}&to=${v.version}`} aria-label={`Changes in version ${v.version}`}>
                <GitCompareArrowsIcon /> Changes
              </Link>
            </Button>
          )}
          {!latest && (
            <Button variant="ghost" size="sm" asChild>
              <Link to={`/clusters/${clusterName}/configs?from=${v.version}`} aria-label={`Edit from version ${v.version}`}>
                <PencilIcon /> Edit from here
              </Link>
            </Button>
          )}
          <RoleButton role="operator" variant="ghost" size="sm" asChild>
            <Link to={`/clusters/${clusterName}/deployments?deploy=${v.version}`} aria-label={`Deploy version ${v.version}`}>
              <RocketIcon /> Deploy
            </Link>
          </RoleButton>
        </div>
      </TableCell>
    </TableRow>
  );
}
