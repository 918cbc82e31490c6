import { X509Certificate } from "node:crypto";
import type { Client } from "@connectrpc/connect";
import type { AgentService } from "@ha-master/protocol";
import { generateKeyAndCsr } from "../enroll/csr.js";
import { certMatchesKey } from "../state/file-state-store.js";
import type { Credentials } from "../state/state-store.js";

/** The validity window of a certificate, in unix ms. */
export function certValidity(certPem: string): { notBefore: number; notAfter: number } {
  const c = new X509Certificate(certPem);
  return { notBefore: Date.parse(c.validFrom), notAfter: Date.parse(c.validTo) };
}

/**
 * When to renew: the master's `renew_after_unix_ms` or two thirds into the certificate's
 * lifetime, whichever comes first. 0 from the master means "no opinion"; a time before the
 * certificate was issued refers to an older certificate and is ignored, so a stale value
 * cannot make the agent renew on every connect.
 */
export function renewAt(validity: { notBefore: number; notAfter: number }, renewAfterUnixMs: number): number {
  const twoThirds = validity.notBefore + ((validity.notAfter - validity.notBefore) * 2) / 3;
  return renewAfterUnixMs > validity.notBefore ? Math.min(renewAfterUnixMs, twoThirds) : twoThirds;
}

/** setTimeout's largest delay; longer waits are re-armed when they fire. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Renews the node certificate over mTLS with a fresh key (the old key is not reused, so a key
 * that leaked stops working at the next renewal). Returns the new credentials; persisting them
 * is the caller's job.
 */
export async function renewCredentials(client: Client<typeof AgentService>, current: Credentials, commonName: string): Promise<Credentials> {
  const { keyPem, csrPem } = await generateKeyAndCsr(commonName);
  const res = await client.renew({ csrPem }, { timeoutMs: 30_000 });
  if (!certMatchesKey(res.certificatePem, keyPem)) throw new Error("the master returned a certificate for a different key");
  return { keyPem, certPem: res.certificatePem, caPem: res.caPem || current.caPem };
}
