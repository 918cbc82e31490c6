import "reflect-metadata";
import { createPrivateKey, randomBytes, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

// @peculiar/x509 signs through WebCrypto; Node's is complete for ECDSA P-256.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
export type KeyPair = webcrypto.CryptoKeyPair;

export const EC_KEY = { name: "ECDSA", namedCurve: "P-256" } as const;
export const EC_SIGN = { name: "ECDSA", hash: "SHA-256" } as const;

export async function generateKeyPair(): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey(EC_KEY, true, ["sign", "verify"])) as KeyPair;
}

/** A PEM with a final newline, so PEMs concatenate into chains. */
export function withNewline(pem: string): string {
  return pem.endsWith("\n") ? pem : `${pem}\n`;
}

export async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key);
  return withNewline(x509.PemConverter.encode(der, "PRIVATE KEY"));
}

/** Imports a PEM private key (PKCS#8, SEC1 or PKCS#1) for signing with WebCrypto. */
export async function importSigningKey(pem: string): Promise<webcrypto.CryptoKey> {
  const key = createPrivateKey(pem);
  const der = key.export({ type: "pkcs8", format: "der" });
  const algorithm =
    key.asymmetricKeyType === "ec"
      ? { name: "ECDSA", namedCurve: toWebCurve(key.asymmetricKeyDetails?.namedCurve) }
      : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  return webcrypto.subtle.importKey("pkcs8", der, algorithm, false, ["sign"]);
}

/** The signature algorithm a key signs with (SHA-256 in both cases). */
export function signingAlgorithmOf(key: webcrypto.CryptoKey): { name: string; hash: string } {
  return key.algorithm.name === "ECDSA" ? EC_SIGN : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
}

function toWebCurve(curve: string | undefined): string {
  switch (curve) {
    case "prime256v1":
      return "P-256";
    case "secp384r1":
      return "P-384";
    case "secp521r1":
      return "P-521";
    default:
      throw new Error(`unsupported EC curve ${curve ?? "?"}: use P-256, P-384 or P-521`);
  }
}

/** A random, positive 128-bit serial number in hex. */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f;
  return bytes.toString("hex");
}
