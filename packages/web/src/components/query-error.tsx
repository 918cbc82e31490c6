import { AlertTriangleIcon, RotateCwIcon } from "lucide-react";
import { describeError } from "@/api/errors";
import { Button } from "@/components/ui/button";

/** A failed load, in place of the data: what went wrong, its request id, and a retry. */
export function QueryError({ error, onRetry, what = "this" }: { error: unknown; onRetry?: () => void; what?: string }) {
  const view = describeError(error);
  return (
    <div role="alert" className="flex items-start gap-3 rounded-lg border border-destructive/40 bg-destructive/5 p-4 text-sm">
      <AlertTriangleIcon className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
      <div className="min-w-0 flex-1">
        <p className="font-medium">Could not load {what}</p>
        <p className="mt-1 text-muted-foreground">{view.message}</p>
        <p className="mt-1 font-mono text-xs text-muted-foreground">Request id: {view.requestId ?? "none (the request was not sent)"}</p>
      </div>
      {onRetry && (
        <Button variant="outline" size="sm" onClick={onRetry}>
          <RotateCwIcon /> Retry
        </Button>
      )}
    </div>
  );
}
