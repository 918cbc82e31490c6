import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createKeyring, keyIdOf } from "./secret-box.js";

describe("keyring", () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it("opens what it sealed and names the key it used", () => {
    const ring = createKeyring(k1);
    const { ciphertext, keyId } = ring.seal("-----BEGIN PRIVATE KEY-----");
    expect(keyId).toBe(keyIdOf(k1));
    expect(ciphertext.toString("utf8")).not.toContain("PRIVATE KEY");
    expect(ring.open(ciphertext, keyId).toString()).toBe("-----BEGIN PRIVATE KEY-----");
  });

  it("still opens data sealed under an old key after a rotation", () => {
    const sealed = createKeyring(k1).seal("secret");
    const rotated = createKeyring(k2, [k1]);
    expect(rotated.currentId).toBe(keyIdOf(k2));
    expect(rotated.open(sealed.ciphertext, sealed.keyId).toString()).toBe("secret");
  });

  it("refuses tampered ciphertext and unknown keys", () => {
    const ring = createKeyring(k1);
    const { ciphertext, keyId } = ring.seal("secret");
    ciphertext[ciphertext.length - 1]! ^= 1;
    expect(() => ring.open(ciphertext, keyId)).toThrow();
    expect(() => createKeyring(k2).open(ciphertext, keyId)).toThrow(/CERT_ENCRYPTION_KEYS_OLD/);
  });
});
