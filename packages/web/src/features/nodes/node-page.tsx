import { BanIcon } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Link, useParams } from "react-router";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { LoadingRows } from "@/components/loading";
import { PageHeader } from "@/components/page-header";
import { QueryError } from "@/components/query-error";
import { RelativeTime } from "@/components/relative-time";
import { RoleButton } from "@/components/role-button";
import { SectionHeader } from "@/components/section-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDateTime, shortHash } from "@/lib/format";
import { useNode, useRevokeNode, type FleetNode, type NodeServer } from "./node-queries";
import { ConnectionBadge, HaproxyState, SyncBadges } from "./node-badges";
import { groupByBackend, HEALTH_VARIANT, isBackendRow, serverHealth } from "./node-state";

export default function NodePage() {
  const { node: id = "" } = useParams();
  const node = useNode(id);
  if (node.isPending) return <LoadingRows rows={6} label="Loading the node" />;
  if (node.isError) return <QueryError error={node.error} onRetry={() => void node.refetch()} what="the node" />;
  return <NodeView node={node.data} />;
}

function NodeView({ node }: { node: FleetNode }) {
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-sm text-muted-foreground">
        <Link to="/nodes" className="hover:underline">
          Nodes
        </Link>{" "}
        / <span className="text-foreground">{node.name}</span>
      </nav>
      <PageHeader
        title={node.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <ConnectionBadge node={node} />
            <span>
              in{" "}
              <Link to={`/clusters/${node.clusterName}`} className="text-primary hover:underline">
                {node.clusterName}
              </Link>
              , last heartbeat <RelativeTime iso={node.lastSeenAt} />
            </span>
          </span>
        }
        actions={!node.revokedAt && <RevokeNodeButton node={node} />}
      />
      <Card className="mb-6">
        <CardContent className="pt-4">
          <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm md:grid-cols-4">
            <Item label="HAProxy">
              <HaproxyState node={node} />
            </Item>
            <Item label="Agent">{node.agentVersion || "—"}</Item>
            <Item label="Mode">{node.mode || "—"}</Item>
            <Item label="Sync">
              <SyncBadges node={node} />
            </Item>
            <Item label="Applied version">
              {node.appliedVersion !== null ? `v${node.appliedVersion}` : "none"}{" "}
              <span className="font-mono text-xs text-muted-foreground" title={node.appliedHash}>
                {shortHash(node.appliedHash)}
              </span>
            </Item>
            <Item label="Desired version">{node.desiredVersion !== null ? `v${node.desiredVersion}` : "none (no deployment yet)"}</Item>
            <Item label="On disk">
              <span className="font-mono text-xs" title={node.diskHash}>
                {shortHash(node.diskHash)}
              </span>
            </Item>
            <Item label="Enrolled">{formatDateTime(node.enrolledAt)}</Item>
            <Item label="Certificate valid until">{formatDateTime(node.certNotAfter)}</Item>
            {node.revokedAt && <Item label="Revoked">{formatDateTime(node.revokedAt)}</Item>}
          </dl>
        </CardContent>
      </Card>
      <SectionHeader title="Backends and servers" description="As the node's HAProxy last reported them." />
      {node.servers.length === 0 ? (
        <p className="rounded-lg border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">
          {node.online ? "The node reports no servers." : "No report: the node is offline."}
        </p>
      ) : (
        <Card>
          <ServersTable servers={node.servers} />
        </Card>
      )}
    </>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="mt-0.5 break-words">{children}</dd>
    </div>
  );
}


function ServersTable({ servers }: { servers: readonly NodeServer[] }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Backend</TableHead>
          <TableHead>Server</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Check</TableHead>
          <TableHead>Weight</TableHead>
          <TableHead>Sessions</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {groupByBackend(servers).map((s) => (
          <TableRow key={`${s.proxy}/${s.server}`} className={isBackendRow(s) ? "bg-muted/40" : undefined}>
            <TableCell className={isBackendRow(s) ? "font-medium" : "text-muted-foreground"}>{s.proxy}</TableCell>
            <TableCell className="font-medium">
              {isBackendRow(s) ? <span className="font-normal text-muted-foreground">whole backend</span> : s.server}
            </TableCell>
            <TableCell>
              <Badge variant={HEALTH_VARIANT[serverHealth(s)]}>{s.status}</Badge>
            </TableCell>
            <TableCell className="text-muted-foreground">{s.checkStatus || "—"}</TableCell>
            <TableCell>{s.weight}</TableCell>
            <TableCell>{s.currentSessions}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function RevokeNodeButton({ node }: { node: FleetNode }) {
  const [open, setOpen] = useState(false);
  const revoke = useRevokeNode();
  return (
    <>
      <RoleButton role="admin" variant="destructive" onClick={() => setOpen(true)}>
        <BanIcon /> Revoke
      </RoleButton>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Revoke ${node.name}?`}
        description="Its certificate is revoked and its stream closed at once; the agent can no longer connect. HAProxy on the host keeps running its last config. To bring the host back, enrol it again with a new token."
        confirmLabel="Revoke node"
        destructive
        onConfirm={() => revoke.mutate(node.id)}
      />
    </>
  );
}
