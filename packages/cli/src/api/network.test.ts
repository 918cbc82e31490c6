import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { UnreachableError } from "../errors.js";
import { networkFailureReason, reachableFetch } from "./network.js";

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("reachableFetch", () => {
  it("turns a refused connection into UnreachableError naming the server", async () => {
    const server = `http://127.0.0.1:${await closedPort()}`;
    const err = await reachableFetch(server)(`${server}/health`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toBe(`cannot reach the server at ${server}: connection refused`);
  });

  it("answers as fetch does when the server answers, even with an error status", async () => {
    const inner = (async () => new Response("{}", { status: 503 })) as typeof fetch;
    expect((await reachableFetch("http://x", inner)("http://x/ready")).status).toBe(503);
  });
});

describe("networkFailureReason", () => {
  it("reads undici's cause codes and leaves other errors alone", () => {
    const failed = (code: string) => new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) });
    expect(networkFailureReason(failed("ENOTFOUND"))).toBe("host not found");
    expect(networkFailureReason(failed("CERT_HAS_EXPIRED"))).toBe("TLS: the server's certificate has expired");
    expect(networkFailureReason(new DOMException("timed out", "TimeoutError"))).toBe("no answer in time");
    expect(networkFailureReason(new TypeError("x is not a function"))).toBeUndefined();
    expect(networkFailureReason("fetch failed")).toBeUndefined();
  });
});
