import { useState } from "react";
import { useCan } from "@/auth/roles";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { SERVER_ACTION_NAMES, SERVER_ACTIONS, type ClusterServer, type ServerAction } from "./cluster-servers";
import { ServerStateDialog } from "./server-state-dialog";
import { ServerStatusSummary } from "./server-status-summary";

/**
 * The backend servers of a cluster with their status on its nodes. Operators and admins also get
 * Ready / Drain / Maint per server, which set it on every node at once; viewers do not see them
 * (three locked buttons on every row would only be noise; the section says who may).
 */
export function ClusterServersTable({ cluster, servers }: { cluster: string; servers: readonly ClusterServer[] }) {
  const canSet = useCan("operator");
  const [asked, setAsked] = useState<{ backend: string; server: string; state: ServerAction }>();
  return (
    <>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Backend</TableHead>
            <TableHead>Server</TableHead>
            <TableHead>Status on the nodes</TableHead>
            <TableHead className="text-right">Sessions</TableHead>
            {canSet && <TableHead className="text-right">Set on every node</TableHead>}
          </TableRow>
        </TableHeader>
        <TableBody>
          {servers.map((row) => (
            <TableRow key={`${row.backend}/${row.server}`} data-testid="server-row">
              <TableCell className="text-muted-foreground">{row.backend}</TableCell>
              <TableCell className="font-medium">{row.server}</TableCell>
              <TableCell>
                <ServerStatusSummary row={row} />
              </TableCell>
              <TableCell className="text-right tabular-nums">{row.sessions}</TableCell>
              {canSet && (
                <TableCell>
                  <span className="flex justify-end gap-1">
                    {SERVER_ACTION_NAMES.map((state) => (
                      <Button
                        key={state}
                        size="sm"
                        variant="outline"
                        aria-label={`${SERVER_ACTIONS[state].label} ${row.backend}/${row.server}`}
                        onClick={() => setAsked({ backend: row.backend, server: row.server, state })}
                      >
                        {SERVER_ACTIONS[state].label}
                      </Button>
                    ))}
                  </span>
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {asked && <ServerStateDialog cluster={cluster} {...asked} onClose={() => setAsked(undefined)} />}
    </>
  );
}
