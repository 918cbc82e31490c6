import "reflect-metadata";
import { createPrivateKey, createPublicKey } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { describe, expect, it } from "vitest";
import { generateKeyAndCsr } from "./csr.js";

describe("generateKeyAndCsr", () => {
  it("makes an ECDSA P-256 key and a CSR signed by it for the same public key", async () => {
    const { keyPem, csrPem } = await generateKeyAndCsr("edge-1");
    const key = createPrivateKey(keyPem);
    expect(key.asymmetricKeyType).toBe("ec");
    expect(key.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");

    const csr = new x509.Pkcs10CertificateRequest(csrPem);
    expect(await csr.verify()).toBe(true);
    expect(csr.subject).toBe("CN=edge-1");
    const csrSpki = Buffer.from(csr.publicKey.rawData);
    const keySpki = createPublicKey(key).export({ type: "spki", format: "der" });
    expect(csrSpki.equals(keySpki)).toBe(true);
  });

  it("makes a new key every time", async () => {
    const a = await generateKeyAndCsr("n");
    const b = await generateKeyAndCsr("n");
    expect(a.keyPem).not.toBe(b.keyPem);
  });
});
