import { X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestCa, type TestCa } from "../testing/pki.js";
import { PinMismatchError, selectPinnedCa } from "./ca-pin-check.js";
import { parseMasterAddress } from "./master-address.js";

describe("selectPinnedCa", () => {
  let ca: TestCa;
  let other: TestCa;
  let leaf: X509Certificate;
  beforeAll(async () => {
    ca = await createTestCa();
    other = await createTestCa("other");
    leaf = new X509Certificate((await ca.issueServer()).certPem);
  });

  it("finds the CA whose pin matches and accepts a leaf it issued", () => {
    const found = selectPinnedCa([leaf, new X509Certificate(ca.certPem)], ca.pin, "m:1");
    expect(found.fingerprint256).toBe(new X509Certificate(ca.certPem).fingerprint256);
  });

  it("refuses a chain whose CA does not match the pin, naming the master and the pin", () => {
    expect(() => selectPinnedCa([leaf, new X509Certificate(ca.certPem)], other.pin, "m:1")).toThrow(
      new PinMismatchError(`the master at m:1 presented no CA matching ${other.pin}; check the --ca-hash from the join command`),
    );
  });

  it("refuses a pinned CA that did not issue the server certificate", () => {
    expect(() => selectPinnedCa([leaf, new X509Certificate(other.certPem)], other.pin, "m:1")).toThrow(/not issued by the CA/);
  });

  it("refuses a pinned certificate that is not a CA", async () => {
    const leafPin = (await import("@ha-master/shared")).caPin(leaf);
    expect(() => selectPinnedCa([leaf], leafPin, "m:1")).toThrow(/not a CA certificate/);
  });
});

describe("parseMasterAddress", () => {
  it("parses host:port, IPv4 and bracketed IPv6, with SNI only for names", () => {
    expect(parseMasterAddress("master.example.com:8443")).toEqual({ host: "master.example.com", port: 8443, baseUrl: "https://master.example.com:8443", servername: "master.example.com" });
    expect(parseMasterAddress("10.0.0.1:8443").servername).toBeUndefined();
    expect(parseMasterAddress("[::1]:8443")).toMatchObject({ host: "::1", baseUrl: "https://[::1]:8443" });
  });
  it.each(["master", "master:", "master:99999", "https://m:1", ""])("rejects %j with the expected form", (s) => {
    expect(() => parseMasterAddress(s)).toThrow(/expected HOST:PORT/);
  });
});
