/** One Server-Sent Event. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Reads a `text/event-stream` body (https://html.spec.whatwg.org/#event-stream-interpretation):
 * events end at a blank line, `data:` lines are joined with newlines, comments (`:`) are skipped,
 * and CRLF, CR or LF all end a line, even split across chunks.
 */
export async function* readSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  let event = "";
  let data: string[] = [];
  let id: string | undefined;
  const dispatch = (): SseEvent | undefined => {
    const out = data.length > 0 ? { event: event || "message", data: data.join("\n"), ...(id === undefined ? {} : { id }) } : undefined;
    event = "";
    data = [];
    return out;
  };
  const lines = function* (final: boolean): Generator<string> {
    for (;;) {
      const match = /\r\n|\r|\n/.exec(buffer);
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (!match || (match[0] === "\r" && match.index === buffer.length - 1 && !final)) return;
      yield buffer.slice(0, match.index);
      buffer = buffer.slice(match.index + match[0].length);
    }
  };
  const handle = (line: string): SseEvent | undefined => {
    if (line === "") return dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
    else if (field === "id") id = value;
    return undefined;
  };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (const line of lines(false)) {
      const out = handle(line);
      if (out) yield out;
    }
  }
  buffer += decoder.decode();
  for (const line of lines(true)) {
    const out = handle(line);
    if (out) yield out;
  }
  // An event not closed by a blank line when the stream ends is dropped, as the spec says.
}
