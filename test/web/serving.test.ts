import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMaster, type MasterProcess } from "../support/master-process.js";

/**
 * How the built ha-master serves the built console (packages/web/dist), checked on the wire:
 * precompressed files, caching by file kind, the content security policy, client routes.
 */
describe("the master serving the web console", () => {
  let master: MasterProcess;

  beforeAll(async () => {
    master = await startMaster();
  });

  afterAll(async () => {
    await master?.stop();
  });

  it("sends Brotli or gzip, caches hashed assets for good, revalidates index.html, answers client routes with it, under a CSP", async () => {
    const raw = (path: string, encoding: string) =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        request(master.url + path, { headers: { "accept-encoding": encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c)).on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        })
          .on("error", reject)
          .end();
      });
    const index = await raw("/", "br, gzip");
    expect(index.status).toBe(200);
    expect(index.headers["cache-control"]).toBe("no-cache");
    expect(index.headers["content-security-policy"]).toContain("script-src 'self';");
    const html = index.headers["content-encoding"] === "br" ? brotliDecompressSync(index.body).toString() : index.body.toString();
    const entry = /<script type="module" crossorigin src="(\/assets\/index-[\w-]+\.js)">/.exec(html)?.[1];
    expect(entry).toBeDefined();

    const br = await raw(entry!, "gzip, deflate, br");
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const gz = await raw(entry!, "gzip");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    const plain = await raw(entry!, "identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);

    const route = await raw("/clusters/edge/configs", "identity");
    expect([route.status, route.headers["cache-control"], route.body.toString()]).toEqual([200, "no-cache", html]);
    expect(route.headers["content-security-policy"]).toBe(index.headers["content-security-policy"]);
    for (const res of [index, br, route]) {
      expect([res.headers["x-content-type-options"], res.headers["x-frame-options"], res.headers["referrer-policy"]]).toEqual(["nosniff", "DENY", "no-referrer"]);
    }
    const api = await raw("/api/v1/nope", "identity");
    expect([api.status, JSON.parse(api.body.toString()).error.code, api.headers["cache-control"]]).toEqual([404, "not_found", "no-store"]);
    // HEAD answers like GET, client routes included (monitors and link checkers use it).
    for (const path of ["/", "/clusters/edge/configs", entry!]) {
      const head = await fetch(master.url + path, { method: "HEAD" });
      expect([path, head.status, head.headers.get("content-type")]).toEqual([path, 200, expect.stringMatching(/html|javascript/)]);
    }
  });
});
