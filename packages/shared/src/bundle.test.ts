import { describe, expect, it } from "vitest";
import { bundleHash, isSafeBundlePath } from "./bundle.js";

const file = (path: string, text: string, mode = 0o644) => ({ path, content: new TextEncoder().encode(text), mode });

describe("bundleHash", () => {
  it("does not depend on the order of the files", () => {
    const a = [file("haproxy.cfg", "global\n"), file("certs/a.pem", "x", 0o600)];
    expect(bundleHash(a)).toBe(bundleHash([...a].reverse()));
  });

  it("changes when a byte, a path or a mode changes", () => {
    const base = bundleHash([file("haproxy.cfg", "global\n")]);
    expect(bundleHash([file("haproxy.cfg", "global \n")])).not.toBe(base);
    expect(bundleHash([file("haproxy2.cfg", "global\n")])).not.toBe(base);
    expect(bundleHash([file("haproxy.cfg", "global\n", 0o600)])).not.toBe(base);
  });

  it("cannot be forged by moving bytes between path and content", () => {
    expect(bundleHash([file("a", "b\tc")])).not.toBe(bundleHash([file("a\tb", "c")]));
  });
});

describe("isSafeBundlePath", () => {
  it.each(["haproxy.cfg", "certs/vault.pem", "maps/hosts.map"])("accepts %s", (p) => {
    expect(isSafeBundlePath(p)).toBe(true);
  });
  it.each(["", "/etc/passwd", "../x", "certs/../../x", "certs//x", "./x", "a/./b", "a b", "certs/.."])(
    "rejects %j",
    (p) => {
      expect(isSafeBundlePath(p)).toBe(false);
    },
  );
});
