import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "@ha-master/shared";
import { EDGE_CONFIG, httpConfig } from "../testing/fixtures.js";
import { startTestMaster, type TestMaster } from "../testing/test-master.js";
import { DATABASES } from "../testing/test-store.js";

describe.each(DATABASES)("config versions on %s", (kind) => {
  let m: TestMaster;
  let n = 0;
  beforeAll(async () => {
    m = await startTestMaster(kind);
  });
  afterAll(async () => {
    await m?.close();
  });

  async function newCluster(): Promise<string> {
    const res = await m.request("operator", "POST", "/api/v1/clusters", { name: `edge-${kind}-${++n}` });
    expect(res.status).toBe(201);
    return res.body.name as string;
  }
  const save = (cluster: string, content: string, baseVersion: number, message = "change") =>
    m.request("operator", "POST", `/api/v1/clusters/${cluster}/configs`, { content, message, baseVersion });

  it("stores a first version with its hash, author and no parent", async () => {
    const cluster = await newCluster();
    const res = await save(cluster, EDGE_CONFIG, 0, "initial edge layer");
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ version: 1, hash: sha256Hex(EDGE_CONFIG), author: "operator", parentVersion: null, created: true });
    const got = await m.request("viewer", "GET", `/api/v1/clusters/${cluster}/configs/1`);
    expect(got.body.content).toBe(EDGE_CONFIG);
  });

  it("shows each cluster's newest version in the cluster list and the cluster", async () => {
    const cluster = await newCluster();
    const empty = await m.request("viewer", "GET", `/api/v1/clusters/${cluster}`);
    expect(empty.body).toMatchObject({ latestVersion: 0, nodeCount: 0 });
    for (let v = 0; v < 2; v++) expect((await save(cluster, httpConfig({ port: 8100 + v }), v)).status).toBe(201);
    const other = await newCluster();
    expect((await save(other, httpConfig(), 0)).status).toBe(201);
    const list = (await m.request("viewer", "GET", "/api/v1/clusters")).body.items as { name: string; latestVersion: number }[];
    expect(list.find((c) => c.name === cluster)?.latestVersion).toBe(2);
    expect(list.find((c) => c.name === other)?.latestVersion).toBe(1);
    expect((await m.request("viewer", "GET", `/api/v1/clusters/${cluster}`)).body.latestVersion).toBe(2);
  });

  it("numbers versions 1, 2, 3 with each parent, and lists them newest first", async () => {
    const cluster = await newCluster();
    for (let v = 0; v < 3; v++) expect((await save(cluster, httpConfig({ port: 8000 + v }), v)).status).toBe(201);
    const list = await m.request("viewer", "GET", `/api/v1/clusters/${cluster}/configs`);
    expect(list.body.items.map((i: { version: number; parentVersion: number | null }) => [i.version, i.parentVersion])).toEqual([
      [3, 2],
      [2, 1],
      [1, null],
    ]);
    const page = await m.request("viewer", "GET", `/api/v1/clusters/${cluster}/configs?limit=2`);
    expect(page.body.nextBefore).toBe(2);
    const rest = await m.request("viewer", "GET", `/api/v1/clusters/${cluster}/configs?limit=2&before=2`);
    expect(rest.body.items.map((i: { version: number }) => i.version)).toEqual([1]);
    expect((await m.request("viewer", "GET", `/api/v1/clusters/${cluster}/configs/latest`)).body.version).toBe(3);
  });

  it("answers 409 with the current version when the base is stale, and keeps the history", async () => {
    const cluster = await newCluster();
    await save(cluster, httpConfig({ port: 8001 }), 0);
    await save(cluster, httpConfig({ port: 8002 }), 1, "alice's change");
    const res = await save(cluster, httpConfig({ port: 8003 }), 1, "bob's change from v1");
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "stale_base", details: { baseVersion: 1, currentVersion: 2, currentAuthor: "operator" } });
    expect(res.body.error.message).toContain("alice's change");
    expect((await m.request("viewer", "GET", `/api/v1/clusters/${cluster}/configs/latest`)).body.version).toBe(2);
  });

  it("treats saving identical content as a no-op that says so", async () => {
    const cluster = await newCluster();
    await save(cluster, httpConfig(), 0);
    const res = await save(cluster, httpConfig(), 1);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: false, version: 1 });
    expect(res.body.note).toMatch(/identical to version 1/);
  });

  it("refuses a structurally broken config with 422 and the right line number", async () => {
    const cluster = await newCluster();
    const broken = httpConfig().replace("    balance roundrobin", "    balance roundrobin\n    sever web9 198.18.1.9:80");
    const line = broken.split("\n").findIndex((l) => l.includes("sever web9")) + 1;
    const res = await save(cluster, broken, 0);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("config_invalid");
    expect(res.body.error.details.errors[0]).toMatchObject({ line, severity: "error", source: "parser" });
    expect(res.body.error.message).toContain(`line ${line}`);
    expect((await m.request("viewer", "GET", `/api/v1/clusters/${cluster}/configs`)).body.items).toEqual([]);
  });

  it("refuses what only HAProxy itself catches, with HAProxy's message at its line", async () => {
    const cluster = await newCluster();
    const bad = httpConfig().replace("balance roundrobin", "balance roundrobinx");
    const line = bad.split("\n").findIndex((l) => l.includes("roundrobinx")) + 1;
    const res = await save(cluster, bad, 0);
    expect(res.status).toBe(422);
    const problem = res.body.error.details.errors.find((e: { source: string }) => e.source === "haproxy" || e.source === "parser");
    expect(problem.line).toBe(line);
    expect(res.body.error.details.haproxy.version === null || typeof res.body.error.details.haproxy.version === "string").toBe(true);
  });

  it("checks configs using node variables with stand-ins, and leaves what only the nodes can check to them, as warnings", async () => {
    const cluster = await newCluster();
    const content = httpConfig().replace("bind :8080", 'bind "${NODE_BIND}:${NODE_PORT}"');
    const checked = await m.request("viewer", "POST", `/api/v1/clusters/${cluster}/configs/validate`, { content });
    expect(checked.body).toMatchObject({ valid: true, errors: [] });
    expect(checked.body.haproxy).toMatchObject({ checked: true, note: expect.stringMatching(/stand-in values for \$\{NODE_BIND\}, \$\{NODE_PORT\}/) });
    // A line HAProxy refuses even with the stand-ins is the nodes' to judge: a warning naming the variables.
    const odd = content.replace('bind "${NODE_BIND}:${NODE_PORT}"', 'bind "${NODE_BIND}:${NODE_PORT}" ssl crt /etc/haproxy/ha-master-absent/${NODE_CERT}');
    const res = await save(cluster, odd, 0);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const line = odd.split("\n").findIndex((l) => l.includes("NODE_PORT")) + 1;
    expect(res.body.warnings).toContainEqual(
      expect.objectContaining({ line, message: expect.stringMatching(/not verifiable on the master \(the line uses \$\{NODE_BIND\}, \$\{NODE_PORT\}, \$\{NODE_CERT\}/) }),
    );
  });

  it("checks the whole config even when a line uses node variables: errors after it are caught on the master", async () => {
    const cluster = await newCluster();
    const content = httpConfig()
      .replace("bind :8080", 'bind "127.0.0.1:${NODE_PORT}"')
      .replace("    default_backend web", "    default_backend web\n    http-request set-var(txn.x) str(a)\n    stick-table type ip size 1k expire 10s store http_req_rate(10s)\n    http-request track-sc0 src table be_absent");
    const res = await m.request("viewer", "POST", `/api/v1/clusters/${cluster}/configs/validate`, { content });
    expect(res.body.valid, JSON.stringify(res.body)).toBe(false);
    expect(res.body.errors.some((e: any) => e.source === "haproxy" && /be_absent/.test(e.message))).toBe(true);
  });

  it("leaves files that live on the nodes to the nodes, as warnings", async () => {
    const cluster = await newCluster();
    const content = httpConfig().replace("    default_backend web", "    default_backend web\n    errorfile 503 /etc/haproxy/ha-master-absent/503.http");
    const res = await save(cluster, content, 0);
    expect(res.status).toBe(201);
    const line = content.split("\n").findIndex((l) => l.includes("errorfile")) + 1;
    expect(res.body.warnings).toContainEqual(expect.objectContaining({ line, message: expect.stringMatching(/the file lives on the nodes/) }));
  });

  it("validates without saving", async () => {
    const cluster = await newCluster();
    const ok = await m.request("viewer", "POST", `/api/v1/clusters/${cluster}/configs/validate`, { content: EDGE_CONFIG });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ valid: true, errors: [], haproxy: { checked: true } });
    const bad = await m.request("viewer", "POST", `/api/v1/clusters/${cluster}/configs/validate`, {
      content: "frontend f\n    bind :80\n    default_backend missing\n",
    });
    expect(bad.body.valid).toBe(false);
    expect(bad.body.errors[0].line).toBe(3);
  });

  it("diffs two versions as a unified diff and a structured summary", async () => {
    const cluster = await newCluster();
    await save(cluster, httpConfig({ servers: 2 }), 0);
    await save(cluster, httpConfig({ servers: 3, extra: "    http-request set-header X-Edge 1\n" }), 1);
    const res = await m.request("viewer", "GET", `/api/v1/clusters/${cluster}/configs/diff?from=1&to=2`);
    expect(res.status).toBe(200);
    expect(res.body.unified).toContain("+    server web3 198.18.1.3:8080 check");
    expect(res.body.unified).toMatch(/^--- v1/m);
    expect(res.body.summary.servers.added).toEqual(["web/web3"]);
    expect(res.body.summary.frontends.changed).toEqual(["www"]);
    expect(res.body.stats).toEqual({ added: 2, removed: 0 });
    expect(res.body.summary.others).toEqual({ added: [], removed: [], changed: [] });
    await save(cluster, `${httpConfig({ servers: 3, extra: "    http-request set-header X-Edge 1\n" })}\nuserlist ops\n    user alice insecure-password secret\n`, 2);
    const withUserlist = await m.request("viewer", "GET", `/api/v1/clusters/${cluster}/configs/diff?from=2&to=3`);
    expect(withUserlist.body.summary.others.added).toEqual(["userlist ops"]);
    const same = await m.request("viewer", "GET", `/api/v1/clusters/${cluster}/configs/diff?from=3&to=latest`);
    expect(same.body.unified).toBe("");
  });

  it("imports an existing file as text, byte for byte", async () => {
    const cluster = await newCluster();
    const file = EDGE_CONFIG.replaceAll("\n", "\r\n").replace("maxconn 20000", "maxconn 20000 # 'quotes' \"and\" $HOME");
    const res = await m.request("operator", "POST", `/api/v1/clusters/${cluster}/configs/import?baseVersion=0&message=from%20node1`, file, {
      "content-type": "text/plain",
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ source: "import", message: "from node1", hash: sha256Hex(file) });
    expect((await m.request("viewer", "GET", `/api/v1/clusters/${cluster}/configs/1`)).body.content).toBe(file);
    const latin1 = Buffer.from([0x67, 0x6c, 0x6f, 0x62, 0x61, 0x6c, 0x0a, 0xe9, 0x0a]);
    const bad = await m.request("operator", "POST", `/api/v1/clusters/${cluster}/configs/import?baseVersion=1`, latin1, { "content-type": "text/plain" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/UTF-8/);
  });

  it("stores SQL-looking text verbatim", async () => {
    const cluster = await newCluster();
    const message = "'); DROP TABLE config_versions; -- \\x00 ' OR 1=1";
    const content = httpConfig({ extra: "    # '; DELETE FROM audit_log WHERE '1'='1\n" });
    const res = await save(cluster, content, 0, message);
    expect(res.status).toBe(201);
    const got = await m.request("viewer", "GET", `/api/v1/clusters/${cluster}/configs/1`);
    expect(got.body).toMatchObject({ message, content });
  });

  it("answers 404 for an unknown cluster or version", async () => {
    expect((await m.request("viewer", "GET", "/api/v1/clusters/nope/configs")).status).toBe(404);
    expect((await m.request("viewer", "GET", "/api/v1/clusters/00000000-0000-4000-8000-000000000000/configs/1")).status).toBe(404);
    const cluster = await newCluster();
    const res = await m.request("viewer", "GET", `/api/v1/clusters/${cluster}/configs/7`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain("7");
  });

  it("audits every saved version with its diff summary, in the same transaction", async () => {
    const cluster = await newCluster();
    await save(cluster, httpConfig({ servers: 1 }), 0, "first");
    await save(cluster, httpConfig({ servers: 2 }), 1, "add web2");
    const res = await m.request("viewer", "GET", `/api/v1/audit?action=config.*&targetType=cluster&limit=10`);
    const mine = res.body.items.filter((r: { targetName: string }) => r.targetName === cluster);
    expect(mine.map((r: { action: string }) => r.action)).toEqual(["config.create", "config.create"]);
    expect(mine[0].summary.after).toMatchObject({ version: 2, message: "add web2", summary: { servers: { added: ["web/web2"] } } });
    expect(mine[0]).toMatchObject({ actorName: "operator", requestId: expect.any(String), clientIp: expect.any(String) });
  });
});
