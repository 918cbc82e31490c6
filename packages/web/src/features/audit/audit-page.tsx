import { ChevronLeftIcon, ChevronRightIcon, ScrollTextIcon } from "lucide-react";
import { useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { EmptyState } from "@/components/empty-state";
import { LoadingRows } from "@/components/loading";
import { PageHeader } from "@/components/page-header";
import { QueryError } from "@/components/query-error";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { AuditDetailDialog } from "./audit-detail-dialog";
import { AuditFilters, NO_FILTERS, type AuditFilterValues } from "./audit-filters";
import { useAuditPage, type AuditQuery, type AuditRecord } from "./audit-queries";

const PAGE_SIZE = 50;
const FILTER_KEYS = Object.keys(NO_FILTERS) as (keyof AuditFilterValues)[];

function toQuery(filters: AuditFilterValues, cursor: number | undefined): AuditQuery {
  const query: AuditQuery = { limit: PAGE_SIZE };
  if (filters.actor) query.actor = filters.actor.trim();
  if (filters.action) query.action = filters.action.trim();
  if (filters.targetType) query.targetType = filters.targetType.trim();
  if (filters.targetId) query.targetId = filters.targetId.trim();
  if (filters.from) query.from = new Date(filters.from).toISOString();
  if (filters.to) query.to = new Date(filters.to).toISOString();
  if (cursor) query.cursor = cursor;
  return query;
}

/** Who did what to which, when: filterable (kept in the URL), newest first, a page at a time. */
export default function AuditPage() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(
    () => Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ""])) as unknown as AuditFilterValues,
    [params],
  );
  // Cursors of the pages before this one; the first page has none.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const page = useAuditPage(toQuery(filters, cursor));
  const [open, setOpen] = useState<AuditRecord>();

  function apply(next: AuditFilterValues) {
    setCursors([undefined]);
    setParams(new URLSearchParams(Object.entries(next).filter(([, v]) => v)), { replace: true });
  }

  return (
    <>
      <PageHeader title="Audit log" description="Every change and login, with who made it, from where, and the state before and after." />
      <AuditFilters value={filters} onApply={apply} />
      {page.isPending ? (
        <LoadingRows rows={8} label="Loading the audit log" />
      ) : page.isError ? (
        <QueryError error={page.error} onRetry={() => void page.refetch()} what="the audit log" />
      ) : page.data.items.length === 0 ? (
        <EmptyState icon={ScrollTextIcon} title="No entries match">
          Change or clear the filters.
        </EmptyState>
      ) : (
        <Card className={page.isPlaceholderData ? "opacity-60" : undefined}>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>When</TableHead>
                <TableHead>Actor</TableHead>
                <TableHead>Action</TableHead>
                <TableHead>Target</TableHead>
                <TableHead>Client</TableHead>
                <TableHead className="text-right">
                  <span className="sr-only">Details</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.data.items.map((record) => (
                <TableRow key={record.id} data-testid="audit-row">
                  <TableCell className="whitespace-nowrap">
                    <RelativeTime iso={record.at} />
                  </TableCell>
                  <TableCell>{record.actorName}</TableCell>
                  <TableCell>
                    <Badge variant={record.action.endsWith("_failed") || record.action.includes("reuse") ? "destructive" : "secondary"} className="font-mono">
                      {record.action}
                    </Badge>
                  </TableCell>
                  <TableCell className="max-w-xs truncate">
                    <span className="text-muted-foreground">{record.targetType}</span> {record.targetName ?? record.targetId ?? ""}
                  </TableCell>
                  <TableCell className="font-mono text-xs text-muted-foreground">{record.clientIp ?? "—"}</TableCell>
                  <TableCell className="text-right">
                    <Button variant="ghost" size="sm" onClick={() => setOpen(record)} aria-label={`Details of entry ${record.id}: ${record.action}`}>
                      Details
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}
      <nav aria-label="Pages" className="mt-3 flex items-center justify-end gap-2">
        <span className="text-sm text-muted-foreground">Page {cursors.length}</span>
        <Button variant="outline" size="sm" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          <ChevronLeftIcon /> Newer
        </Button>
        <Button
          variant="outline"
          size="sm"
          disabled={!page.data?.nextCursor || page.isPlaceholderData}
          onClick={() => page.data?.nextCursor && setCursors((c) => [...c, page.data.nextCursor ?? undefined])}
        >
          Older <ChevronRightIcon />
        </Button>
      </nav>
      <AuditDetailDialog record={open} onClose={() => setOpen(undefined)} />
    </>
  );
}
