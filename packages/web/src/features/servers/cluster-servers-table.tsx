import { useState } from "react";
import { describeError } from "@/api/errors";
import { RoleButton } from "@/components/role-button";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { serverHealth } from "@/features/nodes/node-state";
import { SERVER_ACTIONS, type ClusterServer, type ServerAction } from "./cluster-servers";
import { useSetServerState, type ServerStateResult } from "./server-state-queries";

const HEALTH_VARIANT = { up: "success", down: "destructive", maint: "warning", other: "muted" } as const;
const RESULT_VARIANT = { ok: "success", failed: "destructive", offline: "warning", timeout: "warning" } as const;

/** Each status of a server across the nodes, with how many nodes report it (their names on hover). */
export function StatusSummary({ row, nodeCount }: { row: ClusterServer; nodeCount: number }) {
  const differs = row.statuses.length > 1;
  return (
    <span className="flex flex-wrap items-center gap-1.5">
      {row.statuses.map((s) => (
        <Badge key={s.status} variant={HEALTH_VARIANT[serverHealth(s)]} title={s.nodes.join(", ")}>
          {s.status} {differs || s.nodes.length !== nodeCount ? `on ${s.nodes.length} of ${nodeCount}` : `on all ${nodeCount}`}
        </Badge>
      ))}
      {differs && <span className="text-xs text-muted-foreground">differs between nodes</span>}
    </span>
  );
}

/**
 * The backend servers of a cluster with their state on its nodes; operators set a server ready,
 * draining or in maintenance on every node at once (HAProxy's runtime API, no reload).
 */
export function ClusterServersTable({ cluster, servers, nodeCount }: { cluster: string; servers: readonly ClusterServer[]; nodeCount: number }) {
  const [asked, setAsked] = useState<{ row: ClusterServer; state: ServerAction }>();
  return (
    <>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Backend</TableHead>
            <TableHead>Server</TableHead>
            <TableHead>Status on the nodes</TableHead>
            <TableHead className="text-right">Sessions</TableHead>
            <TableHead className="text-right">Set on every node</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {servers.map((row) => (
            <TableRow key={`${row.backend}/${row.server}`}>
              <TableCell className="text-muted-foreground">{row.backend}</TableCell>
              <TableCell className="font-medium">{row.server}</TableCell>
              <TableCell>
                <StatusSummary row={row} nodeCount={nodeCount} />
              </TableCell>
              <TableCell className="text-right tabular-nums">{row.sessions}</TableCell>
              <TableCell>
                <span className="flex justify-end gap-1">
                  {(Object.keys(SERVER_ACTIONS) as ServerAction[]).map((state) => (
                    <RoleButton
                      key={state}
                      role="operator"
                      size="sm"
                      variant="outline"
                      aria-label={`${SERVER_ACTIONS[state].label} ${row.backend}/${row.server}`}
                      onClick={() => setAsked({ row, state })}
                    >
                      {SERVER_ACTIONS[state].label}
                    </RoleButton>
                  ))}
                </span>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {asked && <ServerStateDialog cluster={cluster} row={asked.row} state={asked.state} onClose={() => setAsked(undefined)} />}
    </>
  );
}

/** Asks first, then shows what each node answered. */
function ServerStateDialog({ cluster, row, state, onClose }: { cluster: string; row: ClusterServer; state: ServerAction; onClose: () => void }) {
  const set = useSetServerState(cluster);
  const [result, setResult] = useState<ServerStateResult>();
  const [error, setError] = useState<string>();
  const name = `${row.backend}/${row.server}`;

  async function confirm() {
    setError(undefined);
    try {
      setResult(await set.mutateAsync({ backend: row.backend, server: row.server, state }));
    } catch (err) {
      const view = describeError(err);
      setError(`${view.message}${view.requestId ? ` (request id ${view.requestId})` : ""}`);
    }
  }

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            {SERVER_ACTIONS[state].label} {name}?
          </DialogTitle>
          <DialogDescription>
            On every node of {cluster}, {name} {SERVER_ACTIONS[state].what}. HAProxy applies it at once through its runtime API, without a
            reload; it lasts until the next deployment, which brings back what the config says.
          </DialogDescription>
        </DialogHeader>
        {result && (
          <div role="status" className="flex flex-col gap-2">
            <p className="text-sm font-medium">
              {result.ok
                ? `${name} is ${state} on all ${result.nodes.length} node(s).`
                : `${name} is ${state} on ${result.nodes.filter((n) => n.status === "ok").length} of ${result.nodes.length} node(s).`}
            </p>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Node</TableHead>
                  <TableHead>Result</TableHead>
                  <TableHead>Detail</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {result.nodes.map((n) => (
                  <TableRow key={n.nodeId}>
                    <TableCell className="font-medium">{n.nodeName}</TableCell>
                    <TableCell>
                      <Badge variant={RESULT_VARIANT[n.status]}>{n.status}</Badge>
                    </TableCell>
                    <TableCell className="text-muted-foreground">{(n.error || n.output).trim() || "—"}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
        {error && (
          <p role="alert" className="text-sm text-destructive">
            {error}
          </p>
        )}
        <DialogFooter>
          {result ? (
            <Button onClick={onClose} autoFocus>
              Done
            </Button>
          ) : (
            <>
              <Button variant="outline" onClick={onClose}>
                Cancel
              </Button>
              <Button variant={state === "ready" ? "default" : "destructive"} disabled={set.isPending} onClick={() => void confirm()}>
                {set.isPending ? "Sending…" : `${SERVER_ACTIONS[state].label} on every node`}
              </Button>
            </>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
