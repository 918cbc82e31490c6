import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { formatAge, formatDuration, formatTimestamp, parseDuration, parseTimeArg, requireDuration } from "./time.js";

const NOW = Date.parse("2026-11-23T12:00:00Z");

describe("parseDuration", () => {
  it("reads single and combined units", () => {
    expect(parseDuration("90s")).toBe(90);
    expect(parseDuration("15m")).toBe(900);
    expect(parseDuration("1h30m")).toBe(5400);
    expect(parseDuration("2d")).toBe(172_800);
    expect(parseDuration("1w")).toBe(604_800);
  });

  it("is undefined for anything else", () => {
    for (const text of ["", "1", "h", "1x", "1h 30m", "-1h", "2026-11-23"]) expect(parseDuration(text)).toBeUndefined();
  });

  it("requireDuration names the flag and refuses zero", () => {
    expect(requireDuration("1h", "--ttl")).toBe(3600);
    expect(() => requireDuration("0s", "--ttl")).toThrow(UsageError);
    expect(() => requireDuration("soon", "--ttl")).toThrow(/--ttl must be a duration/);
  });
});

describe("parseTimeArg", () => {
  it("takes a duration as that long before now", () => {
    expect(parseTimeArg("1h", "--since", NOW)).toBe("2026-11-23T11:00:00.000Z");
  });

  it("takes ISO dates and times", () => {
    expect(parseTimeArg("2026-11-20", "--since", NOW)).toBe("2026-11-20T00:00:00.000Z");
    expect(parseTimeArg("2026-11-20T08:30:00Z", "--since", NOW)).toBe("2026-11-20T08:30:00.000Z");
    expect(parseTimeArg("2026-11-20T08:30:00+02:00", "--since", NOW)).toBe("2026-11-20T06:30:00.000Z");
  });

  it("refuses anything else, naming the flag", () => {
    expect(() => parseTimeArg("yesterday", "--until", NOW)).toThrow(/--until must be a duration back from now/);
    expect(() => parseTimeArg("2026-13-45", "--until", NOW)).toThrow(UsageError);
  });
});

describe("formatting times", () => {
  it("shows timestamps in UTC to the second", () => {
    expect(formatTimestamp("2026-11-23T10:15:17.123Z")).toBe("2026-11-23 10:15:17Z");
    expect(formatTimestamp(null)).toBe("-");
  });

  it("shows ages relative to now", () => {
    expect(formatAge("2026-11-23T11:59:59.500Z", NOW)).toBe("just now");
    expect(formatAge("2026-11-23T11:59:18Z", NOW)).toBe("42s ago");
    expect(formatAge("2026-11-23T08:40:00Z", NOW)).toBe("3h 20m ago");
    expect(formatAge(undefined, NOW)).toBe("-");
  });

  it("shows durations in their two largest units", () => {
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(42_000)).toBe("42s");
    expect(formatDuration(303_000)).toBe("5m 3s");
    expect(formatDuration(3_600_000)).toBe("1h");
    expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000 + 5000)).toBe("2d 4h");
  });
});
