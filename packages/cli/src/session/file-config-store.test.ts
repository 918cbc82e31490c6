import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultConfigPath, FileConfigStore } from "./file-config-store.js";

const login = { username: "admin", refreshToken: "hmr_x", savedAt: "2026-11-23T10:00:00.000Z" };

function store(): { dir: string; s: FileConfigStore } {
  const dir = join(mkdtempSync(join(tmpdir(), "hactl-store-")), "hactl");
  return { dir, s: new FileConfigStore(join(dir, "config.json")) };
}

describe("FileConfigStore", () => {
  it("reads an empty config when there is no file yet", async () => {
    expect(await store().s.load()).toEqual({ logins: {} });
  });

  it("saves for its owner only (file 0600, directory 0700) and leaves no temporary file", async () => {
    const { dir, s } = store();
    await s.save({ currentServer: "http://a", logins: { "http://a": login } });
    expect(statSync(s.location).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual(["config.json"]);
    expect(await s.load()).toEqual({ currentServer: "http://a", logins: { "http://a": login } });
  });

  it("says a damaged file is damaged and how to recover", async () => {
    const { s } = store();
    await s.save({ logins: {} });
    writeFileSync(s.location, "{ not json");
    await expect(s.load()).rejects.toThrow(/config\.json is damaged \(.*\); delete it and log in again/);
    writeFileSync(s.location, JSON.stringify({ logins: { "http://a": { username: "x" } } }));
    await expect(s.load()).rejects.toThrow(/the login for http:\/\/a is incomplete/);
  });

  it("runs exclusive sections one at a time and removes its lock", async () => {
    const { s } = store();
    const order: string[] = [];
    const section = (name: string) =>
      s.exclusive(async () => {
        order.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 30));
        order.push(`${name} out`);
      });
    await Promise.all([section("a"), section("b")]);
    // Either may take the lock first; what matters is that neither enters while the other is in.
    const first = order[0]?.split(" ")[0];
    const second = first === "a" ? "b" : "a";
    expect(order).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
    expect(() => statSync(`${s.location}.lock`)).toThrow(/ENOENT/);
  });

  it("takes over a lock left behind by a process that no longer runs", async () => {
    const { s } = store();
    await s.save({ logins: {} });
    // Pids are below 2^22 on Linux: this one cannot be running.
    writeFileSync(`${s.location}.lock`, String(2 ** 22 + 7));
    expect(await s.exclusive(async () => "got it")).toBe("got it");
    expect(readFileSync(s.location, "utf8")).toContain("logins");
  });
});

describe("defaultConfigPath", () => {
  it("follows XDG_CONFIG_HOME when it is absolute, else ~/.config", () => {
    expect(defaultConfigPath({ XDG_CONFIG_HOME: "/x/cfg", HOME: "/home/a" })).toBe("/x/cfg/hactl/config.json");
    expect(defaultConfigPath({ XDG_CONFIG_HOME: "relative", HOME: "/home/a" })).toBe("/home/a/.config/hactl/config.json");
  });
});
