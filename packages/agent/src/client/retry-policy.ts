import { Code, ConnectError } from "@connectrpc/connect";

/**
 * Codes a stream may end with that say nothing about this node: the master restarted, a proxy
 * dropped the connection, the network blipped. Retried with exponential backoff.
 */
export const RETRYABLE_CODES: readonly Code[] = [
  Code.Unavailable,
  Code.DeadlineExceeded,
  Code.Aborted,
  Code.ResourceExhausted,
  Code.Internal,
  Code.Unknown,
  Code.Canceled,
];

/**
 * Codes that mean the master refused this node (revoked, certificate expired or unknown).
 * Still retried — the operator may fix it on the master — but at the backoff cap, with an error log.
 */
export const REFUSED_CODES: readonly Code[] = [Code.Unauthenticated, Code.PermissionDenied];

// TLS alerts a server sends when it rejects the client certificate at the handshake (for
// example one on its CRL); they surface as transport errors, not as gRPC statuses.
const CERT_ALERT = /ALERT_(BAD_CERTIFICATE|CERTIFICATE_REVOKED|CERTIFICATE_EXPIRED|CERTIFICATE_UNKNOWN|UNKNOWN_CA|CERTIFICATE_REQUIRED|ACCESS_DENIED)/;

/** How the reconnect loop treats an error that ended a stream. */
export interface RetryClass {
  kind: "transient" | "refused" | "unexpected";
  code: string;
  message: string;
}

function causeChain(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err, i = 0; e && i < 8; i++, e = (e as { cause?: unknown }).cause) out.push(e);
  return out;
}

/** Classifies a stream error; every class is retried, only the delay and the log differ. */
export function classifyError(err: unknown): RetryClass {
  const ce = ConnectError.from(err);
  const code = Code[ce.code]?.toLowerCase() ?? String(ce.code);
  const message = ce.rawMessage || ce.message;
  const tlsRefusal = causeChain(err).some((e) => {
    const c = e as { code?: unknown; message?: unknown };
    return CERT_ALERT.test(String(c.code ?? "")) || CERT_ALERT.test(String(c.message ?? ""));
  });
  if (tlsRefusal || REFUSED_CODES.includes(ce.code)) return { kind: "refused", code: tlsRefusal ? "tls_refused" : code, message };
  if (RETRYABLE_CODES.includes(ce.code)) return { kind: "transient", code, message };
  return { kind: "unexpected", code, message };
}
