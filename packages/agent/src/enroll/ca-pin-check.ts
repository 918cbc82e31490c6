import { X509Certificate } from "node:crypto";
import { caPin } from "@ha-master/shared";

/** Thrown by join when the master cannot be recognised by the CA pin from the join command. */
export class PinMismatchError extends Error {
  override readonly name = "PinMismatchError";
}

/**
 * Finds, in the chain a master presented (leaf first), the CA certificate whose pin equals
 * `pin`, and checks that the server certificate was issued and signed by it. Pure: the chain
 * is whatever the pre-flight TLS handshake saw, nothing here trusts it yet.
 */
export function selectPinnedCa(chain: readonly X509Certificate[], pin: string, master: string): X509Certificate {
  const leaf = chain[0];
  if (!leaf) throw new PinMismatchError(`the master at ${master} presented no certificate`);
  const ca = chain.find((c) => caPin(c) === pin);
  if (!ca) {
    throw new PinMismatchError(
      `the master at ${master} presented no CA matching ${pin}; check the --ca-hash from the join command`,
    );
  }
  if (!ca.ca) throw new PinMismatchError(`the certificate matching ${pin} at ${master} is not a CA certificate`);
  if (ca !== leaf && !(leaf.checkIssued(ca) && leaf.verify(ca.publicKey))) {
    throw new PinMismatchError(`the master at ${master} presented a server certificate not issued by the CA ${pin}`);
  }
  return ca;
}
