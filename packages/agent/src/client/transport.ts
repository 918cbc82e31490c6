import type { Transport } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { MasterAddress } from "../enroll/master-address.js";
import type { Credentials } from "../state/state-store.js";

/** A transport plus the means to close its HTTP/2 connection (one per stream attempt). */
export interface ClosableTransport {
  transport: Transport;
  close(): void;
}

/** Makes the transport for one connection attempt; a benchmark can supply its own. */
export type TransportFactory = (master: MasterAddress, credentials: Credentials) => ClosableTransport;

// Keepalive PINGs find a dead path (NAT drop, master gone without FIN) on a long-lived stream
// with nothing to send; without them a half-open connection lasts until TCP gives up.
const PING_INTERVAL_MS = 15_000;
const PING_TIMEOUT_MS = 10_000;

// gRPC is HTTP/2 only, so createGrpcTransport takes no httpVersion; the session manager is our
// own so that each attempt's connection can be closed when the attempt ends.
function transportFor(master: MasterAddress, tlsOptions: { ca: string; key?: string; cert?: string }): ClosableTransport {
  const session = new Http2SessionManager(
    master.baseUrl,
    { pingIntervalMs: PING_INTERVAL_MS, pingTimeoutMs: PING_TIMEOUT_MS },
    { ...tlsOptions, ...(master.servername ? { servername: master.servername } : {}) },
  );
  const transport = createGrpcTransport({ baseUrl: master.baseUrl, sessionManager: session });
  return { transport, close: () => session.abort() };
}

/**
 * The agent's mTLS transport: gRPC over HTTP/2, trusting only the enrolment CA, presenting the
 * node's key and certificate. The host name is verified against the master's certificate.
 */
export const createMtlsTransport: TransportFactory = (master, credentials) =>
  transportFor(master, { ca: credentials.caPem, key: credentials.keyPem, cert: credentials.certPem });

/** Server-authenticated TLS only (Enroll): the pinned CA is the only trust anchor. */
export function createEnrollTransport(master: MasterAddress, caPem: string): ClosableTransport {
  return transportFor(master, { ca: caPem });
}
