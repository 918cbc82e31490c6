import { X509Certificate } from "node:crypto";
import tls from "node:tls";
import type { MasterAddress } from "./master-address.js";

/**
 * Reads the certificate chain a master presents, without trusting it (the pre-flight of a
 * join: the CA is not known yet, only its pin). Leaf first, each issuer after it.
 */
export function fetchPresentedChain(addr: MasterAddress, timeoutMs = 10_000): Promise<X509Certificate[]> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: addr.host,
      port: addr.port,
      // The pre-flight must see the chain of a server it cannot verify yet; nothing is sent on
      // this connection, and the pinned CA is checked before anything trusts the master.
      rejectUnauthorized: false,
      ...(addr.servername ? { servername: addr.servername } : {}),
      ALPNProtocols: ["h2"],
      timeout: timeoutMs,
    });
    const fail = (err: Error) => {
      socket.destroy();
      reject(new Error(`cannot reach the master at ${addr.host}:${addr.port}: ${err.message}`));
    };
    socket.once("error", fail);
    socket.once("timeout", () => fail(new Error(`no TLS handshake within ${timeoutMs} ms`)));
    socket.once("secureConnect", () => {
      const chain: X509Certificate[] = [];
      const seen = new Set<string>();
      let cert: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      while (cert?.raw && !seen.has(cert.fingerprint256)) {
        seen.add(cert.fingerprint256);
        chain.push(new X509Certificate(cert.raw));
        cert = cert.issuerCertificate;
      }
      socket.end();
      resolve(chain);
    });
  });
}
