import { Link } from "react-router";
import { cn } from "@/lib/utils";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { DeploymentTarget } from "./deployment-queries";
import { TargetStatusBadge } from "./deployment-status";

/** Each node's progress, in batch order, with the error a NACK carried and the config line it names. */
export function TargetsTable({ targets, configLines }: { targets: readonly DeploymentTarget[]; configLines: string[] | undefined }) {
  const sorted = [...targets].sort((a, b) => a.batch - b.batch || a.nodeName.localeCompare(b.nodeName));
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Batch</TableHead>
          <TableHead>Node</TableHead>
          <TableHead>Status</TableHead>
          <TableHead className="w-1/2">Error</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {sorted.map((t) => (
          <TableRow key={t.nodeId} data-testid="target-row" className="align-top">
            <TableCell className="text-muted-foreground">{t.batch === 0 ? "canary" : t.batch}</TableCell>
            <TableCell className="font-medium">
              <Link to={`/nodes/${t.nodeId}`} className="text-primary hover:underline">
                {t.nodeName}
              </Link>
            </TableCell>
            <TableCell>
              <TargetStatusBadge status={t.status} />
            </TableCell>
            <TableCell>
              <TargetError target={t} configLines={configLines} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function TargetError({ target, configLines }: { target: DeploymentTarget; configLines: string[] | undefined }) {
  if (!target.error && target.errorLines.length === 0) return <span className="text-muted-foreground">—</span>;
  // With the failing lines known, they lead; the node's full output stays one click away.
  if (target.errorLines.length === 0) return <LongError text={target.error ?? ""} className="text-sm text-destructive" />;
  return (
    <div className="flex flex-col gap-2 text-sm">
      {target.errorLines.map((e, i) => (
        <div key={i} className="rounded-md border bg-muted/30" data-testid="nack-line">
          <p className="border-b px-2 py-1 text-xs">
            <span className="font-mono">
              {e.file}:{e.line}
            </span>{" "}
            — {e.message}
          </p>
          {e.file === "haproxy.cfg" && configLines?.[e.line - 1] !== undefined && <LineExcerpt lines={configLines} line={e.line} />}
        </div>
      ))}
      {target.error && (
        <details className="text-xs text-muted-foreground">
          <summary className="cursor-pointer select-none hover:text-foreground">The node's full output</summary>
          <p className="mt-1 break-words whitespace-pre-wrap">{target.error}</p>
        </details>
      )}
    </div>
  );
}

/**
 * An error that can run to HAProxy's whole output: the part before the first ": " (when short,
 * e.g. "the canary edge-1 refused version 6") is shown, the rest folds away.
 */
export function LongError({ text, className }: { text: string; className?: string }) {
  const cut = text.indexOf(": ");
  if (text.length <= 240 || cut <= 0 || cut > 160) return <p className={cn("break-words", className)}>{text}</p>;
  return (
    <div className={className}>
      <p className="break-words">{text.slice(0, cut)}.</p>
      <details className="mt-1 text-xs">
        <summary className="cursor-pointer select-none opacity-80 hover:opacity-100">Full output</summary>
        <p className="mt-1 break-words whitespace-pre-wrap">{text.slice(cut + 2)}</p>
      </details>
    </div>
  );
}

function LineExcerpt({ lines, line }: { lines: string[]; line: number }) {
  const first = Math.max(1, line - 1);
  const last = Math.min(lines.length, line + 1);
  return (
    <pre className="overflow-x-auto py-1 font-mono text-xs">
      {Array.from({ length: last - first + 1 }, (_, i) => first + i).map((n) => (
        <div key={n} className={n === line ? "bg-destructive/10 text-foreground" : "text-muted-foreground"}>
          <span className="inline-block w-10 pr-2 text-right select-none">{n}</span>
          {lines[n - 1]}
        </div>
      ))}
    </pre>
  );
}
