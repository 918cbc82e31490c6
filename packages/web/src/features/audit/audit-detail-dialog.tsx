import type { ReactNode } from "react";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { formatDateTime } from "@/lib/format";
import type { AuditRecord } from "./audit-queries";

/** Everything one audit entry holds, including the state before and after the change. */
export function AuditDetailDialog({ record, onClose }: { record: AuditRecord | undefined; onClose: () => void }) {
  return (
    <Dialog open={!!record} onOpenChange={(open) => !open && onClose()}>
      {record && (
        <DialogContent className="sm:max-w-2xl">
          <DialogHeader>
            <DialogTitle className="font-mono">{record.action}</DialogTitle>
            <DialogDescription>
              Entry #{record.id}, {formatDateTime(record.at)}
            </DialogDescription>
          </DialogHeader>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5 text-sm">
            <Row label="Actor">{record.actorName}{record.actorId ? <span className="ml-1 font-mono text-xs text-muted-foreground">{record.actorId}</span> : null}</Row>
            <Row label="Target">
              {record.targetType} {record.targetName ?? ""}
              {record.targetId && <span className="ml-1 font-mono text-xs text-muted-foreground">{record.targetId}</span>}
            </Row>
            <Row label="Request id"><span className="font-mono text-xs">{record.requestId ?? "—"}</span></Row>
            <Row label="Client IP"><span className="font-mono text-xs">{record.clientIp ?? "—"}</span></Row>
          </dl>
          <div className="grid gap-3 md:grid-cols-2">
            <JsonBlock title="Before" value={record.summary.before} />
            <JsonBlock title="After" value={record.summary.after} />
          </div>
        </DialogContent>
      )}
    </Dialog>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

function JsonBlock({ title, value }: { title: string; value: unknown }) {
  return (
    <section>
      <h3 className="mb-1 text-xs font-medium text-muted-foreground">{title}</h3>
      <pre tabIndex={0} aria-label={title} className="max-h-72 overflow-auto rounded-md border bg-muted/30 p-2 font-mono text-xs">
        {value === undefined ? "—" : JSON.stringify(value, null, 2)}
      </pre>
    </section>
  );
}
