import { describe, expect, it } from "vitest";
import { serverStateFilePath } from "./server-state-file.js";

const config = (global: string) => `global\n${global}\ndefaults\n  load-server-state-from-file global\n`;

describe("serverStateFilePath", () => {
  it("takes an absolute server-state-file as it is", () => {
    expect(serverStateFilePath(config("  server-state-file /var/lib/haproxy/state"), "/state")).toBe("/var/lib/haproxy/state");
  });

  it("puts a relative one under server-state-base, else under HAProxy's working directory", () => {
    expect(serverStateFilePath(config("  server-state-base /var/lib/haproxy\n  server-state-file state"), "/state")).toBe("/var/lib/haproxy/state");
    expect(serverStateFilePath(config("  server-state-file state"), "/var/lib/ha-agent")).toBe("/var/lib/ha-agent/state");
    // External mode: HAProxy's working directory is not the agent's to know.
    expect(serverStateFilePath(config("  server-state-file state"), undefined)).toBeUndefined();
  });

  it("finds none when the config names none, or names it through a node variable", () => {
    expect(serverStateFilePath(config("  maxconn 10"), "/state")).toBeUndefined();
    expect(serverStateFilePath(config('  server-state-file "${STATE_FILE}"'), "/state")).toBeUndefined();
    expect(serverStateFilePath("frontend fe\n  server-state-file /x\n", "/state")).toBeUndefined();
  });
});
