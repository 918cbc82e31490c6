import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { classifyError } from "./retry-policy.js";

describe("classifyError", () => {
  it.each([Code.Unavailable, Code.DeadlineExceeded, Code.Internal, Code.Unknown, Code.Aborted, Code.ResourceExhausted])(
    "retries code %i with backoff",
    (code) => {
      expect(classifyError(new ConnectError("x", code)).kind).toBe("transient");
    },
  );

  it("treats unauthenticated and permission_denied as a refused node", () => {
    expect(classifyError(new ConnectError("revoked", Code.Unauthenticated))).toEqual({ kind: "refused", code: "unauthenticated", message: "revoked" });
    expect(classifyError(new ConnectError("no", Code.PermissionDenied)).kind).toBe("refused");
  });

  it("treats a TLS alert rejecting the client certificate as a refused node", () => {
    const tls = Object.assign(new Error("sslv3 alert certificate revoked"), { code: "ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED" });
    expect(classifyError(new ConnectError("stream failed", Code.Unavailable, undefined, undefined, tls)).kind).toBe("refused");
  });

  it("calls other codes unexpected (still retried)", () => {
    expect(classifyError(new ConnectError("x", Code.Unimplemented)).kind).toBe("unexpected");
    expect(classifyError(new Error("plain")).kind).toBe("transient");
  });
});
