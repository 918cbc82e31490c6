import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_BACKOFF, jittered } from "./backoff.js";
import { renewAt } from "./renewal.js";

describe("backoffDelay", () => {
  it("is full jitter: 0 at the low end, just under base·2^attempt at the high end", () => {
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => 0)).toBe(0);
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => 0.999999)).toBe(499);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.5)).toBe(2_000);
  });

  it("never exceeds the cap, however many attempts failed", () => {
    for (const attempt of [6, 10, 50, 1_000, Number.MAX_SAFE_INTEGER]) {
      expect(backoffDelay(attempt, DEFAULT_BACKOFF, () => 0.999999)).toBeLessThan(30_000);
      expect(backoffDelay(attempt, DEFAULT_BACKOFF, () => 0.999999)).toBeGreaterThan(29_000);
    }
  });

  it("stays within [0, ceiling) for random draws", () => {
    for (let i = 0; i < 1_000; i++) {
      const d = backoffDelay(4, { baseMs: 100, capMs: 1_000 });
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(1_000);
    }
  });
});

describe("jittered", () => {
  it("moves a heartbeat interval by at most ±10%", () => {
    expect(jittered(10_000, 0.1, () => 0)).toBe(9_000);
    expect(jittered(10_000, 0.1, () => 1)).toBe(11_000);
    expect(jittered(10_000, 0.1, () => 0.5)).toBe(10_000);
  });
});

describe("renewAt", () => {
  const validity = { notBefore: 0, notAfter: 3_000 };
  it("renews at two thirds of the lifetime when the master says nothing", () => {
    expect(renewAt(validity, 0)).toBe(2_000);
  });
  it("renews at the master's time when it is earlier", () => {
    expect(renewAt(validity, 1_000)).toBe(1_000);
    expect(renewAt(validity, 2_500)).toBe(2_000);
  });
  it("ignores a master time from before this certificate was issued", () => {
    expect(renewAt({ notBefore: 5_000, notAfter: 8_000 }, 1_000)).toBe(7_000);
  });
});
