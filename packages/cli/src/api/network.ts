import { UnreachableError } from "../errors.js";

const REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_HEADERS_TIMEOUT: "no answer in time",
  UND_ERR_SOCKET: "the connection closed unexpectedly",
  DEPTH_ZERO_SELF_SIGNED_CERT: "TLS: the server's certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "TLS: the server's certificate chain is not trusted (set NODE_EXTRA_CA_CERTS to its CA)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS: the server's certificate cannot be verified (set NODE_EXTRA_CA_CERTS to its CA)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "TLS: the server's certificate cannot be verified (set NODE_EXTRA_CA_CERTS to its CA)",
  CERT_HAS_EXPIRED: "TLS: the server's certificate has expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS: the server's certificate does not name this host",
};

/**
 * Why a request did not get an answer, in a few words, or undefined when `err` is not a
 * transport failure (fetch rejects with TypeError("fetch failed") and the reason in `cause`).
 */
export function networkFailureReason(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  if (err.name === "TimeoutError") return "no answer in time";
  if (!(err instanceof TypeError) || err.message !== "fetch failed") return undefined;
  let cause: unknown = err.cause;
  // undici sometimes nests the socket error one level deeper (AggregateError for dual-stack hosts).
  for (let depth = 0; depth < 3 && cause instanceof Error; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && REASONS[code]) return REASONS[code];
    if (cause instanceof AggregateError && cause.errors[0] instanceof Error) cause = cause.errors[0];
    else if (cause.cause instanceof Error) cause = cause.cause;
    else return cause.message || (typeof code === "string" ? code : "no answer");
  }
  return "no answer";
}

/** A fetch that turns transport failures into UnreachableError naming the server's URL. */
export function reachableFetch(server: string, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    try {
      return await inner(input, init);
    } catch (err) {
      const reason = networkFailureReason(err);
      if (reason === undefined) throw err;
      throw new UnreachableError(`cannot reach the server at ${server}: ${reason}`, { cause: err });
    }
  };
}
