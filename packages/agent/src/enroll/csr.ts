import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

// @peculiar/x509 defaults to globalThis.crypto; set Node's explicitly so it works on every Node 20 build.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** A freshly generated node key and the CSR the master signs. */
export interface KeyAndCsr {
  /** PKCS#8 PEM of an ECDSA P-256 private key. Written 0600; never sent anywhere. */
  keyPem: string;
  /** PKCS#10 CSR in PEM, signed with the key. */
  csrPem: string;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith("\n") ? "" : "\n"}-----END ${label}-----\n`;
}

/**
 * Generates an ECDSA P-256 key and a CSR for it. The subject is only a hint (the node name):
 * the master decides the certificate's subject, which names the node id.
 */
export async function generateKeyAndCsr(commonName: string): Promise<KeyAndCsr> {
  const alg = { name: "ECDSA", namedCurve: "P-256" } as const;
  const keys = (await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [commonName.replace(/[^\w.-]/g, "-").slice(0, 64) || "ha-agent"] }],
    keys: keys as unknown as Parameters<typeof x509.Pkcs10CertificateRequestGenerator.create>[0]["keys"],
    signingAlgorithm: { name: "ECDSA", hash: "SHA-256" },
  });
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  return { keyPem: pem("PRIVATE KEY", pkcs8), csrPem: csr.toString("pem") };
}
