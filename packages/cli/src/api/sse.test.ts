import { describe, expect, it } from "vitest";
import { readSse, type SseEvent } from "./sse.js";

async function collect(chunks: string[]): Promise<SseEvent[]> {
  const encoder = new TextEncoder();
  async function* body() {
    for (const c of chunks) yield encoder.encode(c);
  }
  const out: SseEvent[] = [];
  for await (const e of readSse(body())) out.push(e);
  return out;
}

describe("readSse", () => {
  it("reads named events and skips comments", async () => {
    const events = await collect(['event: snapshot\ndata: {"a":1}\n\n', ": keep-alive\n\n", "event: end\ndata: {}\n\n"]);
    expect(events).toEqual([
      { event: "snapshot", data: '{"a":1}' },
      { event: "end", data: "{}" },
    ]);
  });

  it("joins an event split anywhere across chunks, with CRLF line ends", async () => {
    const text = "event: update\r\ndata: line one\r\ndata: line two\r\n\r\n";
    const chunks = [...text].map((ch) => ch); // one character per chunk, CR and LF apart
    expect(await collect(chunks)).toEqual([{ event: "update", data: "line one\nline two" }]);
  });

  it("decodes UTF-8 split inside a character and defaults the event name", async () => {
    const bytes = new TextEncoder().encode("data: café\n\n");
    async function* body() {
      yield bytes.slice(0, 9);
      yield bytes.slice(9);
    }
    const out: SseEvent[] = [];
    for await (const e of readSse(body())) out.push(e);
    expect(out).toEqual([{ event: "message", data: "café" }]);
  });

  it("drops an event the stream cut off before its blank line", async () => {
    expect(await collect(["event: update\ndata: {}\n"])).toEqual([]);
  });
});
