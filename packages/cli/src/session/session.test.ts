import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { chooseServer, normalizeServerUrl } from "./session.js";

describe("normalizeServerUrl", () => {
  it("keeps scheme, host, port and path, without a trailing slash", () => {
    expect(normalizeServerUrl("https://ha-master.example.com/")).toBe("https://ha-master.example.com");
    expect(normalizeServerUrl(" http://127.0.0.1:8080 ")).toBe("http://127.0.0.1:8080");
    expect(normalizeServerUrl("https://example.com/ha-master//")).toBe("https://example.com/ha-master");
    expect(normalizeServerUrl("HTTPS://Example.COM:443")).toBe("https://example.com");
  });

  it("refuses what is not an http(s) URL, or carries credentials or a query", () => {
    expect(() => normalizeServerUrl("ha-master:8080")).toThrow(/must start with http:\/\/ or https:\/\//);
    expect(() => normalizeServerUrl("not a url")).toThrow(UsageError);
    expect(() => normalizeServerUrl("https://admin:pw@example.com")).toThrow("the server URL must not carry credentials");
    expect(() => normalizeServerUrl("https://example.com/?x=1")).toThrow(/query or a fragment/);
  });
});

describe("chooseServer", () => {
  const config = { currentServer: "http://last:8080", logins: {} };
  it("takes the flag, then the environment, then the server logged in to last", () => {
    expect(chooseServer("http://flag/", "http://env", config)).toBe("http://flag");
    expect(chooseServer(undefined, "http://env", config)).toBe("http://env");
    expect(chooseServer(undefined, undefined, config)).toBe("http://last:8080");
    expect(chooseServer(undefined, undefined, { logins: {} })).toBeUndefined();
  });
});
