import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { plural } from "@/lib/format";
import { SERVER_ACTIONS } from "./cluster-servers";
import type { NodeServerStateResult, ServerStateResult } from "./server-state-queries";

const STATUS_VARIANT = { ok: "success", failed: "destructive", offline: "warning", timeout: "warning" } as const;

/** What a node's answer means when the master sent no text with it. */
const STATUS_DETAIL: Record<NodeServerStateResult["status"], string> = {
  ok: "HAProxy took it.",
  failed: "Refused.",
  offline: "Not sent: the node is offline; its HAProxy was not changed.",
  timeout: "Sent, but no answer in time: its state there is unknown.",
};

/** The answer of every node to a server-state command: a summary line, then one row per node. */
export function ServerStateResults({ result }: { result: ServerStateResult }) {
  const name = `${result.backend}/${result.server}`;
  const done = result.nodes.filter((n) => n.status === "ok").length;
  const now = SERVER_ACTIONS[result.state].now;
  return (
    <div role="status" className="flex flex-col gap-2" data-testid="server-state-results">
      <p className="text-sm font-medium">
        {result.ok
          ? `${name} is ${now} on ${result.nodes.length === 1 ? "the cluster's one node" : `all ${result.nodes.length} nodes`}.`
          : `${name} is ${now} on ${done} of ${plural(result.nodes.length, "node")}; see what the others answered.`}{" "}
        <span className="font-normal text-muted-foreground">The table shows it with the nodes' next reports.</span>
      </p>
      <div className="rounded-md border">
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Node</TableHead>
              <TableHead>Result</TableHead>
              <TableHead>Answer</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {result.nodes.map((n) => (
              <TableRow key={n.nodeId}>
                <TableCell className="font-medium">{n.nodeName}</TableCell>
                <TableCell>
                  <Badge variant={STATUS_VARIANT[n.status]}>{n.status}</Badge>
                </TableCell>
                <TableCell className="break-words whitespace-pre-wrap text-muted-foreground">{(n.error || n.output).trim() || STATUS_DETAIL[n.status]}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </div>
  );
}
