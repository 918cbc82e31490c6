import type { OutgoingHttpHeaders } from "node:http";
import type { FastifyReply } from "fastify";
import type { DeploymentView } from "./deployments-types.js";

const KEEP_ALIVE_MS = 15_000;
// Many ACKs arrive together in a large rollout: one update per burst, not one per ACK.
const COALESCE_MS = 100;

/**
 * Serves a deployment as Server-Sent Events: `snapshot` first, `update` after changes (coalesced),
 * `end` once it reaches a final status, and a comment every 15 s so proxies keep it open.
 */
export async function streamDeployment(
  reply: FastifyReply,
  source: {
    first: DeploymentView;
    final: (d: DeploymentView) => boolean;
    reload: () => Promise<DeploymentView>;
    subscribe: (onChange: () => void) => () => void;
  },
): Promise<void> {
  // Hijacked, the stream writes its own head: it keeps what the hooks set (request id, security
  // headers) and adds its own. no-transform keeps proxies from compressing (and so buffering) it.
  const headers = Object.fromEntries(Object.entries(reply.getHeaders()).filter(([, v]) => v !== undefined)) as OutgoingHttpHeaders;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...headers,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send("snapshot", source.first);
  if (source.final(source.first)) {
    send("end", { status: source.first.status });
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let closed = false;
    const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), KEEP_ALIVE_MS);
    const stop = () => {
      if (closed) return;
      closed = true;
      clearInterval(keepAlive);
      clearTimeout(timer);
      unsubscribe();
      res.end();
      resolve();
    };
    const refresh = async () => {
      timer = undefined;
      try {
        const d = await source.reload();
        if (closed) return;
        send("update", d);
        if (source.final(d)) {
          send("end", { status: d.status });
          stop();
        }
      } catch (err) {
        send("error", { message: (err as Error).message });
        stop();
      }
    };
    const unsubscribe = source.subscribe(() => {
      timer ??= setTimeout(() => void refresh(), COALESCE_MS);
    });
    res.on("close", stop);
    // A change between the first read and the subscription would otherwise be missed.
    void refresh();
  });
}
