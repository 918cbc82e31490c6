import { ApiError } from "@ha-master/api-client";
import { toast } from "sonner";
import { copyText } from "@/lib/clipboard";

/** The parts of any error the console shows: a message and, whenever there is one, the request id. */
export interface ErrorView {
  message: string;
  code: string;
  status: number;
  requestId: string | undefined;
}

export function describeError(err: unknown): ErrorView {
  if (err instanceof ApiError) return { message: err.message, code: err.code, status: err.status, requestId: err.requestId };
  const message = err instanceof Error ? err.message : String(err);
  return { message, code: "internal", status: 0, requestId: undefined };
}

/** True for an ApiError with this code. */
export function isApiError(err: unknown, code?: string): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}

function RequestIdLine({ requestId }: { requestId: string | undefined }) {
  return (
    <span className="mt-1 block font-mono text-xs text-muted-foreground" data-testid="toast-request-id">
      Request id: {requestId ?? "none (the request was not sent)"}
    </span>
  );
}

/** An error toast; it always names the request id so the master's log entry can be found. */
export function toastError(err: unknown, title = "Request failed"): void {
  const view = describeError(err);
  toast.error(title, {
    description: (
      <span>
        <span className="block">{view.message}</span>
        <RequestIdLine requestId={view.requestId} />
      </span>
    ),
    duration: 10_000,
    ...(view.requestId ? { action: { label: "Copy id", onClick: () => void copyText(view.requestId!) } } : {}),
  });
}
