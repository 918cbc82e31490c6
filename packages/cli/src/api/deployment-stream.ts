import { unwrap } from "@ha-master/api-client";
import { CliError, UnreachableError } from "../errors.js";
import { isFinal, type Deployment } from "../format/deployment.js";
import type { Session } from "../session/session.js";
import { readSse } from "./sse.js";

/** How a lost event stream is picked up again. */
export interface FollowOptions {
  /** Consecutive failed attempts before giving up (default 5). */
  attempts?: number;
  /** Wait before the first retry, doubled after each failure (default 500 ms). */
  retryDelayMs?: number;
}

/**
 * Every state of a deployment until it is final, from its Server-Sent Events
 * (`snapshot`, `update`…, `end`). A stream that drops before `end` (a proxy timeout, a master
 * restart) is opened again and starts over with a fresh snapshot; the deployment itself goes on
 * on the server whatever happens here.
 */
export async function* followDeployment(session: Session, cluster: string, id: string, options: FollowOptions = {}): AsyncGenerator<Deployment> {
  const attempts = options.attempts ?? 5;
  let delay = options.retryDelayMs ?? 500;
  const path = `/api/v1/clusters/${encodeURIComponent(cluster)}/deployments/${encodeURIComponent(id)}/events`;
  let failures = 0;
  let lastError: unknown;
  for (;;) {
    let last: Deployment | undefined;
    try {
      const response = await session.authorizedFetch(path, { headers: { accept: "text/event-stream" } });
      if (!response.ok || !response.body) {
        // The one error shape of the API, read like any other answer.
        const error = await response.json().catch(() => undefined);
        unwrap({ error: error ?? {}, response });
      }
      for await (const event of readSse(response.body!)) {
        if (event.event === "snapshot" || event.event === "update") {
          last = JSON.parse(event.data) as Deployment;
          failures = 0;
          yield last;
        } else if (event.event === "end") {
          return;
        } else if (event.event === "error") {
          throw new CliError(`the server stopped the progress stream: ${messageOf(event.data)}`);
        }
      }
      lastError = new Error("the stream ended early");
    } catch (err) {
      // Errors the server answered with (404, 403, a bad id) do not get better by retrying.
      if (!(err instanceof UnreachableError) && !isDroppedStream(err)) throw err;
      lastError = err;
    }
    if (last && isFinal(last.status)) return;
    failures++;
    if (failures >= attempts) {
      const why = lastError instanceof Error ? lastError.message : String(lastError);
      throw new UnreachableError(`lost the deployment's progress stream (${why}); it goes on on the server: hactl deployments watch -c ${cluster} ${id}`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 5000);
  }
}

/** A body read that failed mid-stream: undici reports it as TypeError("terminated") and the like. */
function isDroppedStream(err: unknown): boolean {
  return err instanceof TypeError || (err instanceof Error && (err.name === "AbortError" || (err as { code?: string }).code === "ECONNRESET"));
}

function messageOf(data: string): string {
  try {
    const parsed = JSON.parse(data) as { message?: unknown };
    return typeof parsed.message === "string" ? parsed.message : data;
  } catch {
    return data;
  }
}
