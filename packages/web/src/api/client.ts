import { ApiError, createApiClient, type ApiClient } from "@ha-master/api-client";
import { newRequestId } from "./request-id";

/** What the API client needs from the session: the current token and a way to renew it once. */
export interface TokenSource {
  accessToken(): string | undefined;
  /** Renews the access token; false when the session is gone. */
  refresh(): Promise<boolean>;
}

export const UNREACHABLE_MESSAGE = "cannot reach the master; check that it is running and the network is up";

/**
 * Sends a request; a failure to connect becomes an ApiError (status 0, code `unavailable`) that
 * still carries the request id the console generated, so the error toast can show it.
 */
export async function send(fetchImpl: (request: Request) => Promise<Response>, request: Request): Promise<Response> {
  try {
    return await fetchImpl(request);
  } catch (err) {
    if (request.signal.aborted || (err instanceof DOMException && err.name === "AbortError")) throw err;
    throw new ApiError(0, "unavailable", UNREACHABLE_MESSAGE, request.headers.get("x-request-id") ?? undefined);
  }
}

/**
 * The console's typed client: every request carries a request id and the access token; a 401
 * renews the token once and repeats the request, so an expired token never shows as an error.
 */
export function createConsoleClient(options: {
  baseUrl: string;
  tokens: TokenSource;
  fetch?: (request: Request) => Promise<Response>;
}): ApiClient {
  const fetchImpl = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const client = createApiClient({
    baseUrl: options.baseUrl,
    accessToken: () => options.tokens.accessToken(),
    fetch: async (request) => {
      const again = request.clone();
      const response = await send(fetchImpl, request);
      if (response.status !== 401 || !options.tokens.accessToken()) return response;
      if (!(await options.tokens.refresh())) return response;
      again.headers.set("authorization", `Bearer ${options.tokens.accessToken() ?? ""}`);
      return send(fetchImpl, again);
    },
  });
  client.use({
    onRequest({ request }) {
      if (!request.headers.has("x-request-id")) request.headers.set("x-request-id", newRequestId());
      return request;
    },
  });
  return client;
}
