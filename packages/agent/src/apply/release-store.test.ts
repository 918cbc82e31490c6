import { mkdir, readdir, readlink, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeBundle, tempDir } from "../testing/haproxy-fixture.js";
import { releaseName, selectPrunable } from "./release-fns.js";
import { ReleaseStore } from "./release-store.js";

let state: { dir: string; remove(): Promise<void> };
let store: ReleaseStore;
beforeEach(async () => {
  state = await tempDir();
  store = new ReleaseStore(state.dir);
  await store.init();
});
afterEach(() => state.remove());

describe("ReleaseStore", () => {
  it("writes the bundle files with their modes and a .bundle.json, outside current until switched", async () => {
    const b = makeBundle({ "haproxy.cfg": "global\n", "certs/site.pem": { text: "KEY", mode: 0o600 } });
    const r = await store.write(b, new Date("2026-11-23T09:30:05.123Z"));
    expect(r.name).toBe(`20261123T093005-${b.hash.slice(0, 12)}`);
    expect((await stat(path.join(r.dir, "certs/site.pem"))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(r.dir, "haproxy.cfg"))).mode & 0o777).toBe(0o644);
    expect(r.meta).toMatchObject({ hash: b.hash, nonce: b.nonce, version: 1, deploymentId: "dep-1" });
    expect(await store.current()).toBeUndefined();
    expect(await store.diskHash(r.dir)).toBe(b.hash);
  });

  it("switches current atomically to a relative symlink and back", async () => {
    const a = await store.write(makeBundle({ "haproxy.cfg": "a\n" }));
    const b = await store.write(makeBundle({ "haproxy.cfg": "b\n" }));
    await store.switchTo(a.name);
    expect(await readlink(store.currentLink)).toBe(`releases/${a.name}`);
    await store.switchTo(b.name);
    expect((await store.current())?.name).toBe(b.name);
    await store.switchTo(undefined);
    expect(await store.current()).toBeUndefined();
  });

  it("gives a second release of the same hash in the same second its own name", async () => {
    const b = makeBundle({ "haproxy.cfg": "a\n" });
    const at = new Date("2026-01-01T00:00:00Z");
    const r1 = await store.write(b, at);
    const r2 = await store.write(b, at);
    expect(r2.name).toBe(`${r1.name}-1`);
  });

  it("crash safety: removes leftover .tmp-* releases and temp links on start and never lists them", async () => {
    const good = await store.write(makeBundle({ "haproxy.cfg": "good\n" }));
    await store.switchTo(good.name);
    const half = path.join(store.releasesDir, ".tmp-deadbeef");
    await mkdir(half);
    await writeFile(path.join(half, "haproxy.cfg"), "half-writ");
    await symlink(`releases/.tmp-deadbeef`, path.join(state.dir, ".current.tmp-1234"));
    expect((await store.list()).map((r) => r.name)).toEqual([good.name]);

    const removed = await new ReleaseStore(state.dir).init();
    expect(removed.sort()).toEqual([".current.tmp-1234", "releases/.tmp-deadbeef"]);
    expect(await readdir(store.releasesDir)).toEqual([good.name]);
    expect((await store.current())?.name).toBe(good.name);
  });

  it("points current back at the last confirmed release after an interrupted apply", async () => {
    const a = await store.write(makeBundle({ "haproxy.cfg": "a\n" }));
    const b = await store.write(makeBundle({ "haproxy.cfg": "b\n" }));
    await store.switchTo(a.name);
    await store.markActive(a.name);
    expect(await store.recoverInterruptedApply()).toBeUndefined();
    await store.switchTo(b.name);
    expect(await store.recoverInterruptedApply()).toBe(b.name);
    expect((await store.current())?.name).toBe(a.name);
  });

  it("rejects unsafe paths at the last line even if a caller skipped the check", async () => {
    const b = makeBundle({ "haproxy.cfg": "x\n" });
    b.files.push({ path: "../../etc/passwd", content: new Uint8Array(), mode: 0o644 });
    await expect(store.write(b)).rejects.toThrow(/unsafe bundle path/);
    expect((await readdir(store.releasesDir)).filter((n) => n.startsWith(".tmp-"))).toEqual([]);
  });

  it("prunes to keepReleases, newest first, never the current or previous one", async () => {
    const names: string[] = [];
    for (let i = 0; i < 6; i++) {
      names.push((await store.write(makeBundle({ "haproxy.cfg": `v${i}\n` }), new Date(Date.UTC(2026, 0, 1, 0, 0, i)))).name);
    }
    await store.switchTo(names[1]);
    await store.setPrevious(names[0]);
    const pruned = await store.prune(2);
    expect(pruned.sort()).toEqual([names[2], names[3]].sort());
    expect((await store.list()).map((r) => r.name).sort()).toEqual([names[0], names[1], names[4], names[5]].sort());
  });

  it("sees a hand edit in the disk hash (drift), including a mode change", async () => {
    const b = makeBundle({ "haproxy.cfg": "global\n" });
    const r = await store.write(b);
    await writeFile(path.join(r.dir, "haproxy.cfg"), "global\n# edit\n");
    expect(await store.diskHash(r.dir)).not.toBe(b.hash);
  });
});

describe("release naming and pruning (pure)", () => {
  it("names releases <yyyymmddThhmmss>-<hash12> in UTC", () => {
    expect(releaseName(new Date("2026-03-04T05:06:07Z"), "abcdef0123456789")).toBe("20260304T050607-abcdef012345");
  });
  it("selects all but the newest N, minus protected ones", () => {
    const rs = [1, 2, 3, 4].map((t) => ({ name: `r${t}`, writtenAt: t }));
    expect(selectPrunable(rs, 2, new Set())).toEqual(["r2", "r1"]);
    expect(selectPrunable(rs, 2, new Set(["r1"]))).toEqual(["r2"]);
    expect(selectPrunable(rs, 10, new Set())).toEqual([]);
  });
});
