import type { paths } from "@ha-master/api-client";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useApiContext } from "@/api/api-context";
import { newRequestId } from "@/api/request-id";
import { readSse } from "@/lib/sse";
import { deploymentKeys, isFinal, type Deployment } from "./deployment-queries";

/** Whether the page is following the live stream. */
export type LiveState = "connecting" | "live" | "ended" | "reconnecting";

const EVENTS_PATH = "/api/v1/clusters/{cluster}/deployments/{id}/events" satisfies keyof paths;
const MAX_BACKOFF_MS = 15_000;

/**
 * Follows a deployment's Server-Sent Events (snapshot, update, end) and writes each state into
 * the query cache, so every view of it is live. Uses fetch streaming because the stream needs
 * the Authorization header, which EventSource cannot send. Reconnects with backoff until the
 * deployment is final; a 401 renews the token first.
 */
export function useDeploymentEvents(cluster: string, id: string, enabled: boolean): LiveState {
  const { baseUrl, fetch, session } = useApiContext();
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>(enabled ? "connecting" : "ended");

  useEffect(() => {
    if (!enabled) {
      setState("ended");
      return;
    }
    const abort = new AbortController();
    const url = baseUrl + EVENTS_PATH.replace("{cluster}", encodeURIComponent(cluster)).replace("{id}", encodeURIComponent(id));
    let attempt = 0;

    const apply = (deployment: Deployment) => {
      queryClient.setQueryData(deploymentKeys.one(id), deployment);
      if (isFinal(deployment)) void queryClient.invalidateQueries({ queryKey: ["nodes"] });
    };

    async function follow(): Promise<void> {
      while (!abort.signal.aborted) {
        try {
          const response = await fetch(
            new Request(url, {
              headers: { accept: "text/event-stream", authorization: `Bearer ${session.accessToken() ?? ""}`, "x-request-id": newRequestId() },
              signal: abort.signal,
            }),
          );
          if (response.status === 401 && (await session.refresh())) continue;
          if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
          attempt = 0;
          setState("live");
          for await (const event of readSse(response.body)) {
            if (event.event === "snapshot" || event.event === "update") apply(JSON.parse(event.data) as Deployment);
            if (event.event === "end") {
              setState("ended");
              void queryClient.invalidateQueries({ queryKey: deploymentKeys.all });
              return;
            }
          }
        } catch {
          if (abort.signal.aborted) return;
        }
        // The stream broke before the end: fetch the state once more, then reconnect.
        setState("reconnecting");
        const current = queryClient.getQueryData<Deployment>(deploymentKeys.one(id));
        if (current && isFinal(current)) return setState("ended");
        await new Promise((r) => setTimeout(r, Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt++) * (0.5 + Math.random() / 2)));
      }
    }
    void follow();
    return () => abort.abort();
  }, [baseUrl, fetch, session, queryClient, cluster, id, enabled]);

  return state;
}
