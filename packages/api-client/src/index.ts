/**
 * The typed REST client of ha-master. Request and response types come from `schema.ts`, which
 * `npm run generate` writes from the master's OpenAPI document: nothing here is hand-typed, so
 * the client cannot drift from the server.
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { paths, components };
export type Schemas = components["schemas"];

/** The error body every failed request carries. */
export type ErrorBody = Schemas["ErrorResponse"];

/** Thrown by `unwrap` for every non-2xx answer; carries the server's code and request id. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export type ApiClient = Client<paths>;

/** A client for `baseUrl` that sends the current access token, when there is one. */
export function createApiClient(options: ClientOptions & { accessToken?: () => string | undefined }): ApiClient {
  const { accessToken, ...rest } = options;
  const client = createClient<paths>(rest);
  client.use({
    onRequest({ request }) {
      const token = accessToken?.();
      if (token && !request.headers.has("authorization")) request.headers.set("authorization", `Bearer ${token}`);
      return request;
    },
  });
  return client;
}

/** The data of a successful answer, or an ApiError carrying the server's error. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error === undefined && result.response.ok) return result.data as T;
  const body = (result.error ?? {}) as Partial<ErrorBody>;
  const err = body.error;
  throw new ApiError(
    result.response.status,
    err?.code ?? "internal",
    err?.message ?? `HTTP ${result.response.status} ${result.response.statusText}`,
    err?.requestId ?? result.response.headers.get("x-request-id") ?? undefined,
    err?.details,
  );
}
