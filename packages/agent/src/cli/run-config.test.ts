import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "../testing/haproxy-fixture.js";
import { readConfigFile, resolveRunConfig } from "./run-config.js";

describe("resolveRunConfig", () => {
  it("applies defaults", () => {
    expect(resolveRunConfig({}, {})).toEqual({
      stateDir: "/var/lib/ha-agent",
      mode: "supervised",
      haproxyBin: "/usr/sbin/haproxy",
      reloadCommand: undefined,
      runtimeSocket: undefined,
      keepReleases: 5,
      haproxyEnv: {},
      logLevel: "info",
      reloadTimeoutMs: 15_000,
    });
  });

  it("lets flags override the file, and --haproxy-env override the file's map key by key", () => {
    const cfg = resolveRunConfig(
      { keepReleases: 3, logLevel: "debug", haproxyEnv: { NODE_BIND: "10.0.0.1", DC: "a" } },
      { keepReleases: "7", haproxyEnv: ["NODE_BIND=10.0.0.2", "EXTRA=x=y"] },
    );
    expect(cfg.keepReleases).toBe(7);
    expect(cfg.logLevel).toBe("debug");
    expect(cfg.haproxyEnv).toEqual({ NODE_BIND: "10.0.0.2", DC: "a", EXTRA: "x=y" });
  });

  it("requires a reload command in external mode", () => {
    expect(() => resolveRunConfig({ mode: "external" }, {})).toThrow(/external mode needs a reload command/);
    expect(resolveRunConfig({ mode: "external" }, { reloadCommand: "systemctl reload haproxy" }).reloadCommand).toBe("systemctl reload haproxy");
  });

  it.each([
    [{ keepReleases: "zero" }, /--keep-releases/],
    [{ haproxyEnv: ["1BAD=x"] }, /--haproxy-env/],
    [{ mode: "sideways" }, /invalid flag: mode/],
  ])("refuses bad flags in one line (%j)", (flags, message) => {
    expect(() => resolveRunConfig({}, flags)).toThrow(message);
  });
});

describe("readConfigFile", () => {
  let dir: { dir: string; remove(): Promise<void> };
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.remove());

  it("reads a JSON config", async () => {
    const file = path.join(dir.dir, "agent.json");
    await writeFile(file, JSON.stringify({ mode: "external", reloadCommand: "systemctl reload haproxy", haproxyEnv: { NODE_BIND: "10.1.1.1" } }));
    expect(await readConfigFile(file)).toEqual({ mode: "external", reloadCommand: "systemctl reload haproxy", haproxyEnv: { NODE_BIND: "10.1.1.1" } });
  });

  it("names the file and the key that is wrong, and refuses unknown keys", async () => {
    const file = path.join(dir.dir, "agent.json");
    await writeFile(file, JSON.stringify({ keepReleases: "five" }));
    await expect(readConfigFile(file)).rejects.toThrow(new RegExp(`invalid config file ${file}: keepReleases`));
    await writeFile(file, JSON.stringify({ keepRelease: 5 }));
    await expect(readConfigFile(file)).rejects.toThrow(/invalid config file/);
  });
});
