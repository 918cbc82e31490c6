import { X509Certificate, createHash } from "node:crypto";

/**
 * The pin an agent's join command carries to recognise the master's CA before it trusts it:
 * `sha256:` and the hex SHA-256 of the CA certificate's DER SubjectPublicKeyInfo, as kubeadm's
 * `--discovery-token-ca-cert-hash` does. Pinning the key (not the certificate) keeps join
 * commands valid when the CA certificate is re-issued with the same key.
 */
export function caPin(certPem: string | X509Certificate): string {
  const cert = typeof certPem === "string" ? new X509Certificate(certPem) : certPem;
  const spki = cert.publicKey.export({ type: "spki", format: "der" });
  return `sha256:${createHash("sha256").update(spki).digest("hex")}`;
}

/** Checks the form of a pin given on a command line: `sha256:` and 64 hex digits. */
export function isCaPin(value: string): boolean {
  return /^sha256:[0-9a-f]{64}$/.test(value);
}
