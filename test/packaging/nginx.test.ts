import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { InMemoryApplier, join as joinMaster, MemoryStateStore, silentLogger, startAgent, type AgentHandle } from "@ha-master/agent";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMaster, type MasterProcess } from "../support/master-process.js";
import { freePort } from "../support/processes.js";
import { env, parseDockerfile, stage } from "./support/dockerfile.js";
import { answeringConfig, clusterWithToken, deployConfig, waitForNode } from "./support/fleet.js";
import { nginxTest, prepareNginx, requireWebDist, startNginx, TEMPLATE, templateVariables, type NginxInstance } from "./support/nginx.js";
import { ROOT } from "./support/paths.js";

/** An event stream read as it arrives: each chunk with the time it came, relative to the request. */
interface Stream {
  status: number;
  contentType: string | null;
  chunks: { at: number; text: string }[];
  closedAt: number | undefined;
  text(): string;
  cancel(): Promise<void>;
}

async function openStream(url: string, headers: Record<string, string> = {}): Promise<Stream> {
  const started = performance.now();
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: controller.signal });
  const stream: Stream = {
    status: res.status,
    contentType: res.headers.get("content-type"),
    chunks: [],
    closedAt: undefined,
    text: () => stream.chunks.map((c) => c.text).join(""),
    async cancel() {
      controller.abort();
    },
  };
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        stream.chunks.push({ at: performance.now() - started, text: decoder.decode(chunk, { stream: true }) });
      }
    } catch {
      // aborted by the test
    }
    stream.closedAt = performance.now() - started;
  })();
  return stream;
}

/** When (ms after the request) the stream had first delivered `needle`. */
function arrival(stream: Stream, needle: string): number | undefined {
  let text = "";
  for (const c of stream.chunks) {
    text += c.text;
    if (text.includes(needle)) return c.at;
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the console's nginx (deploy/frontend/nginx.conf) in front of a real master", () => {
  let webDist: string;
  let master: MasterProcess;
  let nginx: NginxInstance;
  let token: string;

  beforeAll(async () => {
    webDist = requireWebDist();
    // Deployments wait as long as a node applies: the stream test holds one open for 64 s.
    master = await startMaster({ DEPLOY_ACK_TIMEOUT_SECONDS: "600", TRUST_PROXY_HOPS: "1" });
    token = await master.login();
    nginx = await startNginx({ port: await freePort(), upstream: `127.0.0.1:${master.httpPort}`, root: webDist });
  });

  afterAll(async () => {
    await nginx?.stop();
    await master?.stop();
  });

  it("passes nginx -t, and its variables are exactly those the image substitutes, with defaults", () => {
    const template = readFileSync(TEMPLATE, "utf8");
    const image = env(stage(parseDockerfile(join(ROOT, "Dockerfile.frontend")), "runtime"));
    const filter = new RegExp(image.NGINX_ENVSUBST_FILTER!);
    const used = templateVariables(template);
    expect(used).toEqual(["HAMASTER_UPSTREAM", "NGINX_PORT"]);
    for (const name of used) {
      expect(name).toMatch(filter);
      expect(image[name], `Dockerfile.frontend sets a default for ${name}`).toBeTruthy();
    }
    // Names the filter lets through that happen to be set must not touch nginx's own variables.
    expect("host").not.toMatch(filter);
    expect("uri").not.toMatch(filter);

    const { prefix, conf } = prepareNginx({ port: 8080, upstream: image.HAMASTER_UPSTREAM!.replace(/^[^:]+/, "127.0.0.1"), root: webDist });
    expect(() => nginxTest(prefix, conf)).not.toThrow();
  });

  it("serves the console, and index.html for client routes, assets with long caching", async () => {
    const index = readFileSync(join(webDist, "index.html"), "utf8");
    for (const path of ["/", "/clusters", "/clusters/edge/configs/3", "/deployments/42?tab=nodes"]) {
      const res = await fetch(nginx.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
      expect(res.headers.get("cache-control"), path).toBe("no-cache");
      expect(await res.text(), path).toBe(index);
    }
    const asset = readdirSync(join(webDist, "assets")).find((f) => f.endsWith(".js"))!;
    const js = await fetch(`${nginx.url}/assets/${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    // A stale asset URL is a 404, not the app's HTML served as JavaScript.
    expect((await fetch(`${nginx.url}/assets/gone-0000.js`)).status).toBe(404);
    expect((await fetch(`${nginx.url}/healthz`)).status).toBe(200);
  });

  it("proxies /auth/ and /api/ to the master: login, API calls, the API's own errors", async () => {
    const login = await fetch(`${nginx.url}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "e2e admin password" }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const clusters = await fetch(`${nginx.url}/api/v1/clusters`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(clusters.status).toBe(200);
    expect(await clusters.json()).toHaveProperty("items");
    expect(clusters.headers.get("cache-control")).toBe("no-store");
    // The security headers once each (fetch joins repeated headers with ", "), as the master sends them.
    expect([clusters.headers.get("referrer-policy"), clusters.headers.get("x-frame-options"), clusters.headers.get("x-content-type-options")]).toEqual([
      "no-referrer",
      "DENY",
      "nosniff",
    ]);

    const missing = await fetch(`${nginx.url}/api/v1/no-such-thing`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBeTruthy();
    const unauthenticated = await fetch(`${nginx.url}/api/v1/clusters`);
    expect(unauthenticated.status).toBe(401);
    expect((await fetch(`${nginx.url}/openapi.json`)).status).toBe(200);
  });

  it("holds the live deployment stream open past 60 s and passes every event through at once", async () => {
    // A node whose apply takes 64 s keeps a real deployment running for that long (a real agent
    // on a real mTLS stream; only its apply step is the agent library's in-memory one, with a delay).
    const cluster = `sse-${Date.now()}`;
    const join = await clusterWithToken(master, token, cluster);
    const store = new MemoryStateStore();
    await joinMaster({ master: join.master, token: join.token, caHash: join.caHash, store, name: "slow-node", log: silentLogger() });
    const applier = new InMemoryApplier({ applyDelayMs: 64_000 });
    const agent: AgentHandle = await startAgent({ master: join.master, credentials: (await store.readCredentials())!, applier, hostname: "slow-node" });

    // Besides the master (which sends a comment every 15 s), an upstream that stays silent for
    // 63 s: it is nginx's own timeouts that keep the stream open, not the master's keep-alives.
    const silent = http.createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write("event: first\ndata: {}\n\n");
      const t = setTimeout(() => res.end("event: late\ndata: {}\n\n"), 63_000);
      req.on("close", () => clearTimeout(t));
    });
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const silentNginx = await startNginx({ port: await freePort(), upstream: `127.0.0.1:${(silent.address() as { port: number }).port}`, root: webDist });

    try {
      await waitForNode(master, token, "slow-node");
      const deployment = await deployConfig(master, token, cluster, answeringConfig(await freePort()));
      const auth = { authorization: `Bearer ${token}` };
      const live = await openStream(`${nginx.url}/api/v1/clusters/${cluster}/deployments/${deployment.id}/events`, auth);
      const quiet = await openStream(`${silentNginx.url}/api/v1/clusters/x/deployments/y/events`);
      expect(live.status).toBe(200);
      expect(live.contentType).toMatch(/^text\/event-stream/);
      expect(quiet.status).toBe(200);

      await sleep(61_000);
      // Still open after a minute, both of them; nothing was held back in a buffer.
      expect(live.closedAt).toBeUndefined();
      expect(quiet.closedAt).toBeUndefined();
      expect(arrival(live, "event: snapshot")).toBeLessThan(2_000);
      expect(arrival(quiet, "event: first")).toBeLessThan(2_000);
      expect(live.text().match(/: keep-alive/g)?.length ?? 0).toBeGreaterThanOrEqual(3);

      // The apply finishes at ~64 s: the update and the end arrive through nginx as they happen.
      await waitUntil(() => live.closedAt !== undefined && quiet.closedAt !== undefined, 25_000);
      const end = arrival(live, "event: end")!;
      expect(end).toBeGreaterThan(60_000);
      expect(live.text()).toMatch(/event: update/);
      expect(arrival(quiet, "event: late")).toBeGreaterThan(62_000);
      console.log(
        `[packaging] SSE through nginx: snapshot after ${Math.round(arrival(live, "event: snapshot")!)} ms, ` +
          `end after ${Math.round(end)} ms; silent upstream's late event after ${Math.round(arrival(quiet, "event: late")!)} ms`,
      );
    } finally {
      await agent.stop();
      await silentNginx.stop();
      silent.closeAllConnections();
      silent.close();
    }
  }, 100_000);
});

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(100);
  }
}
