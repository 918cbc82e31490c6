import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startEarlyListener, type EarlyListener } from "./early-listener.js";

describe("the early listener", () => {
  let early: EarlyListener | undefined;
  afterEach(async () => {
    early?.server.closeAllConnections();
    await new Promise((resolve) => early?.server.close(resolve));
  });

  async function started(holdMs: number): Promise<string> {
    early = startEarlyListener("127.0.0.1", 0, holdMs);
    await early.listening;
    return `http://127.0.0.1:${(early.server.address() as AddressInfo).port}`;
  }

  it("answers /health and a request held too long with the security headers", async () => {
    const url = await started(50);
    const health = await fetch(`${url}/health`);
    expect([health.status, await health.json()]).toEqual([200, { status: "ok" }]);
    const held = await fetch(`${url}/api/v1/clusters`);
    expect(held.status).toBe(503);
    for (const res of [health, held]) {
      expect([res.headers.get("x-content-type-options"), res.headers.get("x-frame-options"), res.headers.get("referrer-policy")]).toEqual([
        "nosniff",
        "DENY",
        "no-referrer",
      ]);
    }
    expect(held.headers.get("cache-control")).toBe("no-store");
  });
});
