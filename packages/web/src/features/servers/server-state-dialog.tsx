import { useState } from "react";
import { describeError } from "@/api/errors";
import { CopyButton } from "@/components/copy-button";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { SERVER_ACTIONS, type ServerAction } from "./cluster-servers";
import { ServerStateResults } from "./server-state-results";
import { useSetServerState, type ServerStateResult } from "./server-state-queries";

/**
 * Asks before setting a server's state on every node of a cluster (what it does, where, for how
 * long), then shows each node's answer in place of the question. A refused request is shown here
 * with its request id; the dialog stays open to try again or cancel.
 */
export function ServerStateDialog({
  cluster,
  backend,
  server,
  state,
  onClose,
}: {
  cluster: string;
  backend: string;
  server: string;
  state: ServerAction;
  onClose: () => void;
}) {
  const set = useSetServerState(cluster);
  const [result, setResult] = useState<ServerStateResult>();
  const [error, setError] = useState<unknown>();
  const action = SERVER_ACTIONS[state];
  const name = `${backend}/${server}`;

  async function confirm() {
    setError(undefined);
    try {
      setResult(await set.mutateAsync({ backend, server, state }));
    } catch (err) {
      setError(err);
    }
  }

  return (
    // While the request is out the dialog stays: its answer is the only report of what each node did.
    <AlertDialog open onOpenChange={(open) => !open && !set.isPending && onClose()}>
      <AlertDialogContent className="sm:max-w-xl">
        <AlertDialogHeader>
          <AlertDialogTitle>{result ? `${action.label} ${name}: each node's answer` : `${action.label} ${name} on every node?`}</AlertDialogTitle>
          <AlertDialogDescription>
            On every node of <strong className="font-medium text-foreground">{cluster}</strong>, {name} {action.what}. HAProxy applies it at once
            through its runtime API, without a reload. It lasts until the next deployment or HAProxy restart, which brings back what the config
            says (unless the config keeps server states across reloads).
          </AlertDialogDescription>
        </AlertDialogHeader>
        {result && <ServerStateResults result={result} />}
        {error !== undefined && <RequestError error={error} />}
        <AlertDialogFooter>
          {result ? (
            <Button onClick={onClose} autoFocus>
              Done
            </Button>
          ) : (
            <>
              <AlertDialogCancel disabled={set.isPending}>Cancel</AlertDialogCancel>
              <Button variant={state === "ready" ? "default" : "destructive"} disabled={set.isPending} onClick={() => void confirm()}>
                {set.isPending ? "Sending…" : `${action.label} on every node`}
              </Button>
            </>
          )}
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

/** The master's refusal (or why nothing reached it), with the request id to find it in its log. */
function RequestError({ error }: { error: unknown }) {
  const view = describeError(error);
  return (
    <div role="alert" className="flex items-start gap-3 rounded-md border border-destructive/40 bg-destructive/5 p-3 text-sm">
      <div className="min-w-0 flex-1">
        <p className="font-medium text-destructive">Could not set the state: {view.message}</p>
        <p className="mt-1 font-mono text-xs text-muted-foreground">Request id: {view.requestId ?? "none (the request was not sent)"}</p>
      </div>
      {view.requestId && <CopyButton text={view.requestId} label="Copy id" />}
    </div>
  );
}
