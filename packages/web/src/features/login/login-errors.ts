import { ApiError } from "@ha-master/api-client";

export interface LoginProblem {
  message: string;
  requestId?: string | undefined;
  /** Set when the master refuses logins for a while (429): seconds until the next attempt. */
  retryAfterSeconds?: number;
}

/** What the login form says for each way a login fails. */
export function describeLoginError(err: unknown): LoginProblem {
  if (!(err instanceof ApiError)) return { message: err instanceof Error ? err.message : String(err) };
  const requestId = err.requestId;
  switch (true) {
    case err.status === 401:
      return { message: "Wrong username or password.", requestId };
    case err.status === 429: {
      const retry = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      const seconds = typeof retry === "number" && retry > 0 ? Math.ceil(retry) : 60;
      return { message: "Too many failed logins.", requestId, retryAfterSeconds: seconds };
    }
    case err.status === 0:
      return { message: "Cannot reach the master. Check that it is running and that this address is right.", requestId };
    case err.status === 503:
      return { message: "The master is starting or its database does not answer. Try again in a moment.", requestId };
    case err.status >= 500:
      return { message: `The master failed to answer (HTTP ${err.status}). Its log has the details under the request id.`, requestId };
    default:
      return { message: err.message, requestId };
  }
}
