/**
 * A request id the console sends as X-Request-Id; the master keeps it, logs it and returns it.
 * Made here, so even a request that never reached the master has an id to report.
 * getRandomValues works on plain http, unlike crypto.randomUUID (secure contexts only).
 */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
