import { describe, expect, it } from "vitest";
import { readSse, type SseEvent } from "./sse";

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const e of readSse(stream)) out.push(e);
  return out;
}

describe("readSse", () => {
  it("reads named events split across chunks and skips keep-alive comments", async () => {
    const events = await collect(streamOf('event: snapshot\ndata: {"a"', ":1}\n\n: keep-alive\n\nevent: end\r\n", 'data: {"status":"succeeded"}\r', "\n\r\n"));
    expect(events).toEqual([
      { event: "snapshot", data: '{"a":1}' },
      { event: "end", data: '{"status":"succeeded"}' },
    ]);
  });

  it("joins multi-line data and defaults the event name to message", async () => {
    expect(await collect(streamOf("data: one\ndata: two\n\n"))).toEqual([{ event: "message", data: "one\ntwo" }]);
  });
});
