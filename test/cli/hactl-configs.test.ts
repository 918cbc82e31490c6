import { readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpConfig, makeCertificate, startTestMaster, TEST_PASSWORD, type TestMaster } from "@ha-master/master/testing";
import { freePort } from "../support/processes.js";
import { Hactl, lines, listen } from "./hactl.js";

/**
 * hactl as operators run it: the built binary as a real process, over real HTTP, against a real
 * master (in this process, on a loopback port, with a fresh database).
 */
describe("hactl: login, clusters, config versions, audit", () => {
  let m: TestMaster;
  let url: string;
  const admin = new Hactl();
  const dir = mkdtempSync(join(tmpdir(), "hactl-configs-"));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const v1 = httpConfig({ servers: 2 });
  const v2 = httpConfig({ servers: 3 });

  beforeAll(async () => {
    m = await startTestMaster("postgres");
    url = await listen(m);
  });
  afterAll(async () => {
    await m?.close();
  });

  it("refuses a wrong password with one line and exit code 3, and stores nothing", async () => {
    const r = await admin.run(["login", "--server", url, "--username", "admin", "--password-stdin"], { stdin: "not the password\n" });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^hactl: login failed: wrong user name or password \(request id [0-9a-f-]+\)$/)]);
    expect(() => statSync(admin.configPath)).toThrow(/ENOENT/);
  });

  it("logs in, keeping a refresh token (never the password) in a file only its owner can read", async () => {
    const r = await admin.run(["login", "--server", url, "--username", "admin", "--password-stdin"], { stdin: `${TEST_PASSWORD}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Logged in to ${url} as admin (admin)`);
    expect(statSync(admin.configPath).mode & 0o777).toBe(0o600);
    const stored = readFileSync(admin.configPath, "utf8");
    expect(stored).not.toContain(TEST_PASSWORD);
    expect(JSON.parse(stored)).toMatchObject({ currentServer: url, logins: { [url]: { username: "admin", refreshToken: expect.any(String) } } });
    const who = await admin.run(["whoami"]);
    expect(who.stdout).toMatch(/^user: +admin$/m);
  });

  it("creates and lists clusters", async () => {
    const created = await admin.run(["cluster", "create", "edge", "--description", "the edge layer"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toBe("Created cluster edge. Next: hactl config apply -c edge -f haproxy.cfg\n");
    const list = await admin.run(["cluster", "list"]);
    expect(lines(list.stdout)).toEqual([
      expect.stringMatching(/^NAME +LATEST +DEPLOYED +NODES +CREATED +DESCRIPTION$/),
      expect.stringMatching(/^edge +- +- +0 +(just now|\ds ago) +the edge layer$/),
    ]);
    const json = await admin.run(["cluster", "list", "--output", "json"]);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ name: "edge", latestVersion: 0, description: "the edge layer" })]);
    const dup = await admin.run(["cluster", "create", "edge"]);
    expect(dup.code).toBe(1);
    expect(lines(dup.stderr)).toEqual([expect.stringMatching(/^hactl: .*edge.* \(request id [0-9a-f-]+\)$/)]);
  });

  it("applies a first version with --yes, showing the diff", async () => {
    const r = await admin.run(["config", "apply", "-c", "edge", "-f", file("v1.cfg", v1), "--yes", "-m", "first version"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("+    server web2 198.18.1.2:8080 check\n");
    expect(r.stdout).toMatch(/servers: +\+web\/web1 \+web\/web2/);
    expect(r.stdout).toMatch(/^Saved version 1 of edge \(sha256 [0-9a-f]{12}\)\. Deploy it with: hactl deploy -c edge 1$/m);
  });

  it("shows the diff and asks; saves nothing on no, saves on yes", async () => {
    const path = file("v2.cfg", v2);
    const no = await admin.run(["config", "apply", "-c", "edge", "-f", path, "-m", "third server"], { stdin: "n\n" });
    expect(no.code).toBe(1);
    expect(no.stdout).toContain("+    server web3 198.18.1.3:8080 check\n");
    expect(no.stderr).toContain("Save as version 2 of edge? [y/N] n\n");
    expect(lines(no.stderr).at(-1)).toBe("hactl: not confirmed; nothing was saved");
    expect((await m.request("viewer", "GET", "/api/v1/clusters/edge")).body.latestVersion).toBe(1);

    const yes = await admin.run(["config", "apply", "-c", "edge", "-f", path, "-m", "third server"], { stdin: "y\n" });
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stdout).toContain("Cluster edge: version 1 → " + path + " (would be version 2)\n--- v1\n+++ " + path + "\n");
    expect(yes.stdout).toMatch(/servers: +\+web\/web3/);
    expect(yes.stdout).toMatch(/^Saved version 2 of edge/m);
    const saved = await m.request("viewer", "GET", "/api/v1/clusters/edge/configs/2");
    expect(saved.body).toMatchObject({ content: v2, message: "third server", author: "admin" });
  });

  it("says so when the file is what the cluster already has, and exits 0", async () => {
    const r = await admin.run(["config", "apply", "-c", "edge", "-f", file("same.cfg", v2), "--yes"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No changes: .*same\.cfg is identical to version 2 of edge; nothing to save\.$/m);
  });

  it("refuses an invalid config with the line number, FILE:LINE first, and exit code 1", async () => {
    const bad = v2.split("\n");
    const at = bad.indexOf("backend web") + 2; // the line after `backend web`, 1-based
    bad.splice(at - 1, 0, "    bnid :80");
    const path = file("bad.cfg", bad.join("\n"));
    const r = await admin.run(["config", "apply", "-c", "edge", "-f", path, "--yes"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const errLines = lines(r.stderr);
    expect(errLines[0]).toMatch(new RegExp(`^${path}:${at}: error: .*bnid`));
    expect(errLines.at(-1)).toMatch(new RegExp(`^hactl: ${path} is invalid: line ${at}: .*bnid.*; nothing was saved$`));
    const check = await admin.run(["config", "validate", "-c", "edge", "-f", path]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(`${path}:${at}: error:`);
    expect((await m.request("viewer", "GET", "/api/v1/clusters/edge")).body.latestVersion).toBe(2);
  });

  it("refuses a file edited from an older version (--base), naming who saved since", async () => {
    const r = await admin.run(["config", "apply", "-c", "edge", "-f", file("old.cfg", httpConfig({ servers: 4 })), "--base", "1", "--yes"]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(/^hactl: the config was edited from version 1, but the cluster is at version 2 \(saved by admin: "third server"\); nothing was saved/),
    ]);
  });

  it("refuses the save when someone else saved while the diff was being reviewed", async () => {
    const live = admin.start(["config", "apply", "-c", "edge", "-f", file("v3.cfg", httpConfig({ servers: 5 })), "-m", "mine"]);
    await live.waitForStderr(/Save as version 3 of edge\? \[y\/N\] $/);
    const other = await m.request("operator", "POST", "/api/v1/clusters/edge/configs", { content: httpConfig({ servers: 6 }), message: "theirs", baseVersion: 2 });
    expect(other.status).toBe(201);
    live.child.stdin!.end("y\n");
    const r = await live.done;
    expect(r.code).toBe(1);
    expect(lines(r.stderr).at(-1)).toMatch(/^hactl: the config was edited from version 2, but the cluster is at version 3 \(saved by operator: "theirs"\); nothing was saved/);
    const cluster = (await m.request("viewer", "GET", "/api/v1/clusters/edge")).body;
    expect(cluster.latestVersion).toBe(3);
  });

  it("diffs two versions as the server does", async () => {
    const server = (await m.request("viewer", "GET", "/api/v1/clusters/edge/configs/diff?from=1&to=2")).body;
    const patch = await admin.run(["config", "diff", "-c", "edge", "1", "2", "--patch"]);
    expect(patch.code).toBe(0);
    expect(patch.stdout).toBe(server.unified);
    const full = await admin.run(["config", "diff", "-c", "edge", "1", "v2"]);
    expect(full.stdout).toBe(`${server.unified}\nSummary: +1 -0 lines\n  backends:       ~web\n  servers:        +web/web3\n`);
    const exit = await admin.run(["config", "diff", "-c", "edge", "1", "2", "--exit-code"]);
    expect(exit.code).toBe(1);
    const same = await admin.run(["config", "diff", "-c", "edge", "2", "2", "--exit-code"]);
    expect(same.code).toBe(0);
    expect(same.stderr).toBe("No differences between v2 and v2.\n");
    const local = await admin.run(["config", "diff", "-c", "edge", "2", "-f", file("local.cfg", v1), "--patch"]);
    expect(local.stdout).toContain("-    server web3 198.18.1.3:8080 check\n");
  });

  it("dumps a version byte for byte, to stdout or a file", async () => {
    // Tabs, trailing spaces, a CRLF line and non-ASCII text must all survive the round trip.
    const tricky = v1.replace("global\n", "# edge — café ☕ \t\nglobal\r\n").replace("maxconn 1000", "maxconn\t1000   ");
    const applied = await admin.run(["config", "apply", "-c", "edge", "-f", file("tricky.cfg", tricky), "--yes", "-m", "tricky bytes"]);
    expect(applied.code, applied.stderr).toBe(0);
    const dump = await admin.run(["config", "dump", "-c", "edge"]);
    expect(dump.code).toBe(0);
    expect(dump.stdout).toBe(tricky);
    const out = join(dir, "dumped.cfg");
    const toFile = await admin.run(["config", "dump", "-c", "edge", "4", "-o", out]);
    expect(toFile.code).toBe(0);
    expect(readFileSync(out)).toEqual(Buffer.from(tricky, "utf8"));
    const old = await admin.run(["config", "dump", "-c", "edge", "1"]);
    expect(old.stdout).toBe(v1);
  });

  it("imports an existing file as it is", async () => {
    const content = httpConfig({ servers: 7 });
    const r = await admin.run(["config", "import", "-c", "edge", "-f", file("existing.cfg", content), "-m", "brought under management"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Saved version 5 of edge/);
    expect((await m.request("viewer", "GET", "/api/v1/clusters/edge/configs/5")).body).toMatchObject({ content, source: "import" });
  });

  it("lists the history, newest first", async () => {
    const r = await admin.run(["config", "history", "-c", "edge"]);
    expect(r.code).toBe(0);
    const rows = lines(r.stdout);
    expect(rows[0]).toMatch(/^VERSION +SAVED +AUTHOR +SOURCE +HASH +MESSAGE$/);
    expect(rows.slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(["v5", "v4", "v3", "v2", "v1"]);
    expect(rows[1]).toMatch(/ admin +import +[0-9a-f]{12} +brought under management$/);
    expect(rows[3]).toMatch(/ operator +api +[0-9a-f]{12} +theirs$/);
    const json = await admin.run(["config", "history", "-c", "edge", "-n", "2", "--output", "json"]);
    expect(JSON.parse(json.stdout).map((v: { version: number }) => v.version)).toEqual([5, 4]);
  });

  it("shows the audit log with filters", async () => {
    const configs = await admin.run(["audit", "--action", "config.*", "--output", "json"]);
    const records = JSON.parse(configs.stdout) as Array<{ action: string; actorName: string }>;
    expect(records.map((r) => r.action)).toEqual(["config.import", "config.create", "config.create", "config.create", "config.create"]);
    const byOperator = await admin.run(["audit", "--actor", "operator"]);
    expect(lines(byOperator.stdout)).toEqual([
      expect.stringMatching(/^TIME +ACTOR +ACTION +TARGET +DETAILS$/),
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ +operator +config\.create +cluster edge +v3 \+3 -0 "theirs"$/),
    ]);
    const logins = await admin.run(["audit", "--action", "auth.login_failed", "--since", "1h"]);
    expect(lines(logins.stdout)).toHaveLength(2);
    expect(logins.stdout).toContain('reason="wrong password"');
    const future = await admin.run(["audit", "--since", "2999-01-01"]);
    expect(future.stdout).toBe("No audit records match.\n");
    const cluster = await admin.run(["audit", "-c", "edge", "-n", "3", "--output", "json"]);
    expect(JSON.parse(cluster.stdout)).toHaveLength(3);
    const bad = await admin.run(["audit", "--since", "yesterday"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^hactl: --since must be a duration back from now/);
  });

  it("manages users, and a viewer's write is refused with one line", async () => {
    const created = await admin.run(["users", "create", "vera", "viewer", "--password-stdin"], { stdin: "vera's long password\n" });
    expect(created.code, created.stderr).toBe(0);
    const vera = new Hactl();
    await vera.login(url, "vera", "vera's long password");
    const denied = await vera.run(["config", "apply", "-c", "edge", "-f", file("v9.cfg", httpConfig({ servers: 9 })), "--yes"]);
    expect(denied.code).toBe(1);
    // The check's advice (warnings) comes first; the refusal is one line.
    expect(lines(denied.stderr).filter((l) => !/: warning: /.test(l))).toEqual([expect.stringMatching(/^hactl: .*(operator|role).* \(request id [0-9a-f-]+\)$/)]);
    const promoted = await admin.run(["users", "set-role", "vera", "operator"]);
    expect(promoted.stdout).toBe("vera is now operator.\n");
    const list = await admin.run(["users", "list"]);
    expect(list.stdout).toMatch(/^vera +operator +active /m);
    // Disabling a user ends their session: their next command says so (exit 3).
    expect((await admin.run(["users", "disable", "vera"])).stdout).toBe("vera is disabled.\n");
    const ended = await vera.run(["cluster", "list"]);
    expect(ended.code).toBe(3);
    expect(lines(ended.stderr)).toEqual([expect.stringMatching(new RegExp(`^hactl: session ended: .* \\(run hactl login --server ${url.replace(/\./g, "\\.")}\\)`))]);
    const short = await admin.run(["users", "create", "bob", "viewer", "--password-stdin"], { stdin: "short\n" });
    expect(short.code).toBe(2);
    expect(short.stderr).toBe("hactl: the password must be at least 12 characters long\n");
  });

  it("uploads and lists certificates; the key never comes back", async () => {
    const cert = await makeCertificate({ cn: "vault.example.test", sans: ["vault.example.test"] });
    const combined = file("vault.pem", cert.certPem + cert.keyPem);
    const up = await admin.run(["certs", "upload", "vault", "--cert", combined]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/^Uploaded certificate vault \(CN=vault\.example\.test, until .*\)\. Use it in a config as: crt certs\/vault\.pem$/m);
    const list = await admin.run(["certs", "list"]);
    expect(list.stdout).toMatch(/^vault +CN=vault\.example\.test +vault\.example\.test /m);
    const other = await makeCertificate({ cn: "other.example.test" });
    const mismatch = await admin.run(["certs", "upload", "wrong", "--cert", file("c.pem", cert.certPem), "--key", file("k.pem", other.keyPem)]);
    expect(mismatch.code).toBe(1);
    expect(lines(mismatch.stderr)).toEqual([expect.stringMatching(/^hactl: .*(match|key).*\(request id/)]);
    const shown = await admin.run(["certs", "show", "vault", "--output", "json"]);
    expect(shown.stdout).not.toContain("PRIVATE KEY");
  });

  it("logs out: the session ends on the server and is forgotten here", async () => {
    const before = JSON.parse(readFileSync(admin.configPath, "utf8")).logins[url].refreshToken as string;
    const r = await admin.run(["logout"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Logged out of ${url}.\n`);
    expect(JSON.parse(readFileSync(admin.configPath, "utf8"))).toEqual({ logins: {} });
    const refreshed = await m.request("anonymous", "POST", "/auth/refresh", { refreshToken: before });
    expect(refreshed.status).toBe(401);
    const after = await admin.run(["cluster", "list", "--server", url]);
    expect(after.code).toBe(3);
    await admin.login(url, "admin", TEST_PASSWORD);
  });

  it("changes one's own password: every session ends, this one is forgotten here", async () => {
    expect((await m.request("admin", "POST", "/api/v1/users", { username: "dora", password: "dora's first passphrase", role: "viewer" })).status).toBe(201);
    const dora = new Hactl();
    await dora.login(url, "dora", "dora's first passphrase");
    const wrong = await dora.run(["passwd", "--password-stdin"], { stdin: "not it\na new passphrase for dora\n" });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^hactl: currentPassword: the current password is wrong; nothing was changed \(request id [0-9a-f-]+\)\n$/);
    const r = await dora.run(["passwd", "--password-stdin"], { stdin: "dora's first passphrase\na new passphrase for dora\n" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("Password changed for dora. Every session of dora has ended, this one too: log in again with hactl login.\n");
    expect(JSON.parse(readFileSync(dora.configPath, "utf8")).logins).toEqual({});
    await dora.login(url, "dora", "a new passphrase for dora");
    const noTerminal = await dora.run(["passwd"]);
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toMatch(/--password-stdin/);
  });

  it("reports usage errors, a missing login and an unreachable server as one line each", async () => {
    const missing = await admin.run(["config", "apply", "-c", "edge"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("hactl: required option '-f, --file <path>' not specified (see hactl --help)\n");
    const version = await admin.run(["config", "dump", "-c", "edge", "seven"]);
    expect(version.code).toBe(2);
    expect(version.stderr).toBe('hactl: version must be a version number (7 or v7) or latest, not "seven"\n');
    const noFile = await admin.run(["config", "apply", "-c", "edge", "-f", join(dir, "nope.cfg"), "--yes"]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toBe(`hactl: cannot read ${join(dir, "nope.cfg")} (-f): no such file\n`);

    const stranger = new Hactl();
    const notLoggedIn = await stranger.run(["cluster", "list", "--server", url]);
    expect(notLoggedIn.code).toBe(3);
    expect(notLoggedIn.stderr).toBe(`hactl: not logged in to ${url}; run hactl login --server ${url}\n`);

    const dead = `http://127.0.0.1:${await freePort()}`;
    const login = await stranger.run(["login", "--server", dead, "--username", "admin", "--password-stdin"], { stdin: "whatever password\n" });
    expect(login.code).toBe(4);
    expect(login.stderr).toBe(`hactl: cannot reach the server at ${dead}: connection refused\n`);
    // A stored login for a server that has gone away.
    writeFileSync(stranger.configPath, JSON.stringify({ currentServer: dead, logins: { [dead]: { username: "admin", refreshToken: "x", savedAt: new Date().toISOString() } } }));
    const list = await stranger.run(["cluster", "list"]);
    expect(list.code).toBe(4);
    expect(list.stderr).toBe(`hactl: cannot reach the server at ${dead}: connection refused\n`);
  });
});
