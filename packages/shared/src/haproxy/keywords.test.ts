import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { HAPROXY_VERSION, PROXY_KEYWORDS } from "./keywords.generated.js";
import { isKnownAction, matchProxyKeyword, proxyAvailability } from "./keywords.js";
import { levenshtein, suggest } from "./suggest.js";
import { HAPROXY, checkWithHaproxy } from "./testdata/haproxy-check.mjs";

describe("keyword table", () => {
  it("was generated from the HAProxy branch installed here", () => {
    checkWithHaproxy("global\n"); // fails with a clear message when HAProxy is missing
    const installed = /HAProxy version (\d+\.\d+)/.exec(spawnSync(HAPROXY, ["-v"], { encoding: "utf8" }).stdout)?.[1];
    const branch = /^\d+\.\d+/.exec(HAPROXY_VERSION)?.[0];
    expect(installed, "regenerate with: node scripts/gen-haproxy-keywords.mjs").toBe(branch);
  });

  it("knows multi-word keywords and where each proxy type accepts them", () => {
    expect(matchProxyKeyword(["timeout", "client", "5s"])).toEqual({ key: "timeout client" });
    expect(matchProxyKeyword(["http-check", "set-var(check.port)", "int(1)"])).toEqual({ key: "http-check set-var" });
    expect(matchProxyKeyword(["option", "bogus"])).toMatchObject({ unknownSecond: true });
    expect(matchProxyKeyword(["bogus"])).toMatchObject({ unknown: true });
    expect(proxyAvailability("server", "frontend", true)).toBe("e");
    expect(proxyAvailability("balance", "frontend", true)).toBe("w");
    expect(proxyAvailability("acl", "defaults", false)).toBe("e");
    expect(proxyAvailability("acl", "defaults", true)).toBe("y");
    expect(Object.values(PROXY_KEYWORDS).every((v) => /^[yew]{5}$/.test(v))).toBe(true);
  });

  it("matches parameterised rule actions by prefix", () => {
    expect(isKnownAction("http-request", "set-var(txn.x)")).toBe(true);
    expect(isKnownAction("http-request", "track-sc2")).toBe(true);
    expect(isKnownAction("tcp-request content", "accept")).toBe(true);
    expect(isKnownAction("tcp-response content", "set-src")).toBe(false);
  });
});

describe("suggest", () => {
  it("suggests the closest keyword only when it is a likely typo", () => {
    expect(levenshtein("timout", "timeout")).toBe(1);
    expect(levenshtein("kitten", "sitting")).toBe(3);
    expect(suggest("mayconn", ["maxconn", "daemon"])).toBe("maxconn");
    expect(suggest("completely-different", ["maxconn", "daemon"])).toBeUndefined();
    expect(suggest("ab", ["xy"])).toBeUndefined();
  });
});
